"""Data structures family: a stack (longest valid brackets), two heaps (running median), a Fenwick tree
(inversions)."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import tiers
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "data structures"


def _array(rng: random.Random, n: int, lo: int) -> str:
    """n then n integers, from a tiny range (many ties) or a huge one."""
    top = rng.choice((5, 10**9))
    return f"{n}\n" + " ".join(str(rng.randint(lo * top, top)) for _ in range(n)) + "\n"


# --- data-structures-01: longest valid bracket substring (stack) --------------------------


def _gen_brackets(rng: random.Random, n: int) -> str:
    bias = rng.choice((0.5, 0.55, 0.6))  # more '(' than ')': long scans for the brute force
    return "".join("(" if rng.random() < bias else ")" for _ in range(n)) + "\n"


BRACKETS_REF = """import sys
s = sys.stdin.buffer.read().split()[0]
stack = [-1]  # bottom: the index just before the current valid run
best = 0
for i, c in enumerate(s):
    if c == 40:  # '('
        stack.append(i)
    else:
        stack.pop()
        if stack:
            best = max(best, i - stack[-1])
        else:
            stack.append(i)
print(best)
"""

# From every start, scan right while the balance stays >= 0: O(n^2).
BRACKETS_BRUTE = """import sys
s = sys.stdin.buffer.read().split()[0]
best = 0
for i in range(len(s)):
    balance = 0
    for j in range(i, len(s)):
        balance += 1 if s[j] == 40 else -1
        if balance < 0:
            break
        if balance == 0:
            best = max(best, j - i + 1)
print(best)
"""

BRACKETS_WRONG = """import sys
s = sys.stdin.buffer.read().split()[0]
best = opened = closed = 0
for c in s:
    if c == 40:
        opened += 1
    else:
        closed += 1
    if opened == closed:
        best = max(best, 2 * closed)
    elif closed > opened:
        opened = closed = 0
print(best)
"""

BRACKETS = BuiltinSpec(
    id="data-structures-01",
    title="Balanced Stretch",
    family=FAMILY,
    difficulty=Difficulty.HARD,
    statement="""A string of brackets is balanced if every `(` can be matched with a later `)` and vice versa,
like `(()())`. Given a string of brackets, find the length of its longest contiguous substring that is
balanced (0 if there is none).

## Input
One line with a string s of characters `(` and `)`.

## Output
Print the length of the longest balanced substring.

## Constraints
- 1 ≤ |s| ≤ 10^5
""",
    generate=_gen_brackets,
    tiers=tiers(10, 300, 3000, 100_000),
    examples=(")()())\n", "(()(((()\n"),
    reference=BRACKETS_REF,
    brute=BRACKETS_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            BRACKETS_WRONG,
            "left-to-right counters only: misses runs after unmatched '('",
        ),
    ),
    edge_cases=("(\n", ")\n", "()\n", "(()\n", "))((\n"),
)


# --- data-structures-02: running median (two heaps) ---------------------------------------


def _gen_stream(rng: random.Random, n: int) -> str:
    return _array(rng, n, -1)


MEDIAN_REF = """import sys, heapq
d = sys.stdin.buffer.read().split()
n = int(d[0])
low, high = [], []  # low: max-heap (negated) of the smaller half, high: min-heap of the rest
out = []
for x in map(int, d[1:n + 1]):
    if low and x > -low[0]:
        heapq.heappush(high, x)
    else:
        heapq.heappush(low, -x)
    if len(low) > len(high) + 1:
        heapq.heappush(high, -heapq.heappop(low))
    elif len(high) > len(low):
        heapq.heappush(low, -heapq.heappop(high))
    out.append(-low[0])
print("\\n".join(map(str, out)))
"""

# Sort every prefix again: O(n^2 log n).
MEDIAN_BRUTE = """import sys
d = sys.stdin.buffer.read().split()
n = int(d[0])
a = list(map(int, d[1:n + 1]))
for i in range(1, n + 1):
    print(sorted(a[:i])[(i - 1) // 2])
"""

MEDIAN_WRONG = MEDIAN_REF.replace(
    "    elif len(high) > len(low):\n        heapq.heappush(low, -heapq.heappop(high))\n", ""
)

MEDIAN = BuiltinSpec(
    id="data-structures-02",
    title="Live Median",
    family=FAMILY,
    difficulty=Difficulty.HARD,
    statement="""Numbers arrive one at a time. After each arrival, report the median of all numbers received so
far. When k numbers have arrived, the median is the ⌈k/2⌉-th smallest of them (the lower median when
k is even).

## Input
The first line contains n. The second line contains n integers a_1, ..., a_n in arrival order.

## Output
Print n lines: the median after each arrival.

## Constraints
- 1 ≤ n ≤ 5 · 10^4
- -10^9 ≤ a_i ≤ 10^9
""",
    generate=_gen_stream,
    tiers=tiers(10, 300, 3000, 50_000),
    examples=("5\n5 2 8 1 9\n", "4\n3 3 1 1\n"),
    reference=MEDIAN_REF,
    brute=MEDIAN_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            MEDIAN_WRONG,
            "rebalances only one way: the low half can fall behind",
        ),
    ),
    edge_cases=("1\n7\n", "4\n1 2 3 4\n", "3\n-5 -5 -5\n"),
)


# --- data-structures-03: count inversions (Fenwick tree) ----------------------------------


def _gen_inversions(rng: random.Random, n: int) -> str:
    return _array(rng, n, 0)


INVERSIONS_REF = """import sys
d = sys.stdin.buffer.read().split()
n = int(d[0])
a = list(map(int, d[1:n + 1]))
rank = {v: i + 1 for i, v in enumerate(sorted(set(a)))}
size = len(rank)
tree = [0] * (size + 1)  # Fenwick tree: how many of the values seen so far have each rank
inversions = 0
for seen, x in enumerate(a):
    j = rank[x]
    not_greater = 0
    while j > 0:
        not_greater += tree[j]
        j -= j & -j
    inversions += seen - not_greater
    j = rank[x]
    while j <= size:
        tree[j] += 1
        j += j & -j
print(inversions)
"""

# Compare every pair: O(n^2).
INVERSIONS_BRUTE = """import sys
d = sys.stdin.buffer.read().split()
n = int(d[0])
a = list(map(int, d[1:n + 1]))
print(sum(a[i] > a[j] for i in range(n) for j in range(i + 1, n)))
"""

INVERSIONS_WRONG = INVERSIONS_REF.replace(
    "    j = rank[x]\n    not_greater = 0", "    j = rank[x] - 1\n    not_greater = 0"
)

INVERSIONS = BuiltinSpec(
    id="data-structures-03",
    title="Out of Order",
    family=FAMILY,
    difficulty=Difficulty.MEDIUM,
    statement="""A librarian measures how unsorted a shelf is. Given an array a_1, ..., a_n, count the pairs (i, j)
with i < j and a_i > a_j. Equal values do not form such a pair.

## Input
The first line contains n. The second line contains n integers a_1, ..., a_n.

## Output
Print the number of pairs.

## Constraints
- 1 ≤ n ≤ 2 · 10^4
- 0 ≤ a_i ≤ 10^9
""",
    generate=_gen_inversions,
    tiers=tiers(10, 300, 3000, 20_000),
    examples=("5\n2 4 1 3 5\n", "4\n3 3 2 2\n"),
    reference=INVERSIONS_REF,
    brute=INVERSIONS_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            INVERSIONS_WRONG,
            "queries rank - 1: counts equal values as inversions",
        ),
    ),
    edge_cases=("1\n0\n", "3\n5 5 5\n", "4\n4 3 2 1\n"),
)

PROBLEMS: list[BuiltinSpec] = [BRACKETS, MEDIAN, INVERSIONS]
