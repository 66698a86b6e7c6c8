"""Hashing and counting: prefix-sum dictionaries, sliding counters, first occurrences."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import STD_TIERS, ints, line, lines
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "hashing and counting"


def gen_sum_k(rng: random.Random, n: int) -> str:
    v = rng.choice([1, 2, 10**4])
    a = ints(rng, -v, v, n)
    k = rng.choice([0, sum(a[: rng.randint(1, n)]), rng.randint(-v, v)])
    return lines(f"{n} {k}", line(a))


SUM_K_REF = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
seen = {0: 1}
s = count = 0
for x in map(int, d[2:2 + n]):
    s += x
    count += seen.get(s - k, 0)
    seen[s] = seen.get(s, 0) + 1
print(count)
"""

SUM_K_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
count = 0
for i in range(n):
    s = 0
    for j in range(i, n):
        s += a[j]
        count += s == k
print(count)
"""

SUM_K_WRONG = SUM_K_REF.replace("seen = {0: 1}", "seen = {}")


def gen_windows(rng: random.Random, n: int) -> str:
    k = rng.randint(n // 4, 3 * n // 4) if n >= 1000 else rng.randint(1, n)
    v = rng.choice([2, 10, n])
    return lines(f"{n} {max(k, 1)}", line(ints(rng, 1, v, n)))


WINDOWS_REF = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = d[2:2 + n]
count = {}
for x in a[:k]:
    count[x] = count.get(x, 0) + 1
out = [len(count)]
for i in range(k, n):
    count[a[i]] = count.get(a[i], 0) + 1
    count[a[i - k]] -= 1
    if count[a[i - k]] == 0:
        del count[a[i - k]]
    out.append(len(count))
print(" ".join(map(str, out)))
"""

WINDOWS_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = d[2:2 + n]
print(" ".join(str(len(set(a[i:i + k]))) for i in range(n - k + 1)))
"""

WINDOWS_WRONG = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = d[2:2 + n]
kinds = set(a[:k])
out = [len(kinds)]
for i in range(k, n):
    kinds.discard(a[i - k])
    kinds.add(a[i])
    out.append(len(kinds))
print(" ".join(map(str, out)))
"""


def gen_balanced(rng: random.Random, n: int) -> str:
    p = rng.choice([0.5, 0.5, 0.3, 0.0])
    return lines(str(n), "".join("1" if rng.random() < p else "0" for _ in range(n)))


BALANCED_REF = """\
import sys
d = sys.stdin.buffer.read().split()
first = {0: -1}
balance = best = 0
for i, c in enumerate(d[1].decode()):
    balance += 1 if c == "1" else -1
    if balance in first:
        best = max(best, i - first[balance])
    else:
        first[balance] = i
print(best)
"""

BALANCED_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
s = d[1].decode()
best = 0
for i in range(len(s)):
    balance = 0
    for j in range(i, len(s)):
        balance += 1 if s[j] == "1" else -1
        if balance == 0:
            best = max(best, j - i + 1)
print(best)
"""

BALANCED_WRONG = BALANCED_REF.replace("first = {0: -1}", "first = {}")

PROBLEMS = [
    BuiltinSpec(
        id="hashing-01", title="Segments with sum K", family=FAMILY, difficulty=Difficulty.MEDIUM,
        statement="""\
Given n integers (possibly negative) and a target K, count the contiguous non-empty segments whose sum is
exactly K.

### Input
The first line holds n and K. The second line holds a_1, ..., a_n.

### Output
The number of segments.

### Constraints
1 <= n <= 10^5; |a_i| <= 10^4; |K| <= 10^9.""",
        generate=gen_sum_k, tiers=STD_TIERS,
        examples=("5 3\n1 2 1 -1 3\n", "4 0\n0 0 1 -1\n"),
        edge_cases=("1 5\n5\n", "3 1\n1 0 0\n"),
        reference=SUM_K_REF, brute=SUM_K_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, SUM_K_WRONG, "forgets the empty prefix: misses segments at the start"),),
    ),
    BuiltinSpec(
        id="hashing-02", title="Distinct in every window", family=FAMILY, difficulty=Difficulty.MEDIUM,
        statement="""\
Given n integers and a window length k, print for every window a_i, ..., a_{i+k-1} (i = 1, ..., n-k+1) how many
distinct values it contains.

### Input
The first line holds n and k. The second line holds a_1, ..., a_n.

### Output
One line with n-k+1 counts separated by spaces.

### Constraints
1 <= k <= n <= 10^5; 1 <= a_i <= 10^9.""",
        generate=gen_windows, tiers=STD_TIERS,
        examples=("6 3\n1 2 1 3 3 3\n", "4 4\n5 5 5 5\n"),
        edge_cases=("1 1\n9\n", "5 2\n1 1 1 2 1\n"),
        reference=WINDOWS_REF, brute=WINDOWS_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, WINDOWS_WRONG,
                        "a set drops a value leaving the window even if it still occurs inside"),),
    ),
    BuiltinSpec(
        id="hashing-03", title="Balanced bits", family=FAMILY, difficulty=Difficulty.MEDIUM,
        statement="""\
Given a binary string of length n, find the length of the longest contiguous substring that has as many
'0' characters as '1' characters (0 if there is none).

### Input
The first line holds n. The second line holds the string.

### Output
The length of the longest balanced substring.

### Constraints
1 <= n <= 10^5.""",
        generate=gen_balanced, tiers=STD_TIERS,
        examples=("6\n110100\n", "3\n111\n"),
        edge_cases=("1\n0\n", "2\n01\n", "4\n1100\n"),
        reference=BALANCED_REF, brute=BALANCED_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, BALANCED_WRONG, "forgets balance 0 before the string: misses prefixes"),),
    ),
]
