"""Two pointers: pair counting, a sliding window over distinct values, the shortest long-enough window."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import STD_TIERS, ints, line, lines
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "two pointers"


def gen_pairs(rng: random.Random, n: int) -> str:
    v = rng.choice([5, 1000, 10**9])
    a = ints(rng, -v, v, n)
    k = rng.choice([rng.randint(-2 * v, 2 * v), a[0] + a[-1]])
    return lines(f"{n} {k}", line(a))


PAIRS_REF = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = sorted(map(int, d[2:2 + n]))
i, j, count = 0, n - 1, 0
while i < j:
    if a[i] + a[j] <= k:
        count += j - i
        i += 1
    else:
        j -= 1
print(count)
"""

PAIRS_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
print(sum(a[i] + a[j] <= k for i in range(n) for j in range(i + 1, n)))
"""

PAIRS_WRONG = PAIRS_REF.replace("if a[i] + a[j] <= k:", "if a[i] + a[j] < k:")


def gen_distinct(rng: random.Random, n: int) -> str:
    k = rng.randint(1, max(1, n // rng.choice([1, 10] if n >= 10_000 else [1, 10, 100])))
    v = rng.randint(1, 2 * k + 1)  # few more values than k: long windows, lots of shrinking
    a = ints(rng, 1, v, n)
    return lines(f"{n} {k}", line(a))


DISTINCT_REF = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = d[2:2 + n]
count, left, best = {}, 0, 0
for right, x in enumerate(a):
    count[x] = count.get(x, 0) + 1
    while len(count) > k:
        y = a[left]
        count[y] -= 1
        if count[y] == 0:
            del count[y]
        left += 1
    best = max(best, right - left + 1)
print(best)
"""

DISTINCT_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = d[2:2 + n]
best = 0
for i in range(n):
    seen = set()
    for j in range(i, n):
        seen.add(a[j])
        if len(seen) > k:
            break
        best = max(best, j - i + 1)
print(best)
"""

DISTINCT_WRONG = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = d[2:2 + n]
count, left, best = {}, 0, 0
for right, x in enumerate(a):
    count[x] = count.get(x, 0) + 1
    if len(count) > k:
        count, left = {x: 1}, right
    best = max(best, right - left + 1)
print(best)
"""


def gen_shortest(rng: random.Random, n: int) -> str:
    a = ints(rng, 1, rng.choice([3, 10**4]), n)
    total = sum(a)
    s = rng.choice([total, total + 1, rng.randint(1, total), rng.randint(total // 3, total)])
    return lines(f"{n} {s}", line(a))


SHORTEST_REF = """\
import sys
d = sys.stdin.buffer.read().split()
n, s = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
left, total, best = 0, 0, n + 1
for right in range(n):
    total += a[right]
    while total >= s:
        best = min(best, right - left + 1)
        total -= a[left]
        left += 1
print(best if best <= n else -1)
"""

SHORTEST_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n, s = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
best = -1
for i in range(n):
    total = 0
    for j in range(i, n):
        total += a[j]
        if total >= s:
            if best == -1 or j - i + 1 < best:
                best = j - i + 1
            break
print(best)
"""

SHORTEST_WRONG = SHORTEST_REF.replace("best if best <= n else -1", "best if best < n else -1")

PROBLEMS = [
    BuiltinSpec(
        id="two-pointers-01", title="Cheap pairs", family=FAMILY, difficulty=Difficulty.MEDIUM,
        statement="""\
Given n integers a_1, ..., a_n and a bound K, count the pairs of positions i < j with a_i + a_j <= K.

### Input
The first line holds n and K. The second line holds a_1, ..., a_n.

### Output
The number of pairs.

### Constraints
1 <= n <= 10^5; |a_i| <= 10^9; |K| <= 2 * 10^9.""",
        generate=gen_pairs, tiers=STD_TIERS,
        examples=("5 6\n1 5 3 2 4\n", "3 -1\n-1 0 2\n"),
        edge_cases=("1 100\n5\n", "4 4\n2 2 2 2\n", "3 0\n0 0 1\n"),
        reference=PAIRS_REF, brute=PAIRS_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, PAIRS_WRONG, "strict < misses pairs summing to exactly K"),),
    ),
    BuiltinSpec(
        id="two-pointers-02", title="Few kinds of fruit", family=FAMILY, difficulty=Difficulty.MEDIUM,
        statement="""\
A row of n trees carries fruits of kinds a_1, ..., a_n. Your basket holds at most k different kinds. Find the
longest contiguous stretch of trees whose fruits use at most k different kinds.

### Input
The first line holds n and k. The second line holds a_1, ..., a_n.

### Output
The length of the longest such stretch.

### Constraints
1 <= k <= n <= 10^5; 1 <= a_i <= 10^9.""",
        generate=gen_distinct, tiers=STD_TIERS,
        examples=("7 2\n1 2 1 3 3 3 2\n", "5 1\n4 4 4 4 4\n"),
        edge_cases=("1 1\n7\n", "6 2\n1 2 3 1 2 3\n", "5 5\n1 2 3 4 5\n"),
        reference=DISTINCT_REF, brute=DISTINCT_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, DISTINCT_WRONG,
                        "restarts the window at the new kind instead of shrinking it"),),
    ),
    BuiltinSpec(
        id="two-pointers-03", title="Shortest heavy segment", family=FAMILY, difficulty=Difficulty.MEDIUM,
        statement="""\
Given n positive integers a_1, ..., a_n and a target S, find the length of the shortest contiguous segment
whose sum is at least S, or report that none exists.

### Input
The first line holds n and S. The second line holds a_1, ..., a_n.

### Output
The shortest length, or -1 if no segment reaches S.

### Constraints
1 <= n <= 10^5; 1 <= a_i <= 10^4; 1 <= S <= 10^10.""",
        generate=gen_shortest, tiers=STD_TIERS,
        examples=("6 7\n2 3 1 2 4 3\n", "3 10\n1 2 3\n"),
        edge_cases=("1 5\n5\n", "4 10\n1 2 3 4\n", "2 1\n1 1\n"),
        reference=SHORTEST_REF, brute=SHORTEST_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, SHORTEST_WRONG, "reports -1 when only the whole array works"),),
    ),
]
