"""1D dynamic programming: maximum segment, longest increasing subsequence, fewest jumps."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import STD_TIERS, ints, line, lines
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "1D dynamic programming"


def gen_max_segment(rng: random.Random, n: int) -> str:
    v = rng.choice([10, 10**9])
    top = rng.choice([v, v, -1])  # a third of the tests are all negative
    return lines(str(n), line(ints(rng, -v, top, n)))


MAXSEG_REF = """\
import sys
d = sys.stdin.buffer.read().split()
a = list(map(int, d[1:1 + int(d[0])]))
best = cur = a[0]
for x in a[1:]:
    cur = max(x, cur + x)
    best = max(best, cur)
print(best)
"""

MAXSEG_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n = int(d[0])
a = list(map(int, d[1:1 + n]))
best = a[0]
for i in range(n):
    s = 0
    for j in range(i, n):
        s += a[j]
        best = max(best, s)
print(best)
"""

MAXSEG_WRONG = """\
import sys
d = sys.stdin.buffer.read().split()
a = list(map(int, d[1:1 + int(d[0])]))
best = cur = 0
for x in a:
    cur = max(0, cur + x)
    best = max(best, cur)
print(best)
"""


def gen_lis(rng: random.Random, n: int) -> str:
    v = rng.choice([3, n, 10**9])
    a = ints(rng, 1, v, n)
    if rng.random() < 0.3:
        a.sort(reverse=rng.random() < 0.5)
    return lines(str(n), line(a))


LIS_REF = """\
import sys
from bisect import bisect_left
d = sys.stdin.buffer.read().split()
tails = []
for x in map(int, d[1:1 + int(d[0])]):
    i = bisect_left(tails, x)
    if i == len(tails):
        tails.append(x)
    else:
        tails[i] = x
print(len(tails))
"""

LIS_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n = int(d[0])
a = list(map(int, d[1:1 + n]))
best = [1] * n
for i in range(n):
    for j in range(i):
        if a[j] < a[i]:
            best[i] = max(best[i], best[j] + 1)
print(max(best))
"""

LIS_WRONG = LIS_REF.replace("bisect_left", "bisect_right")


def gen_jumps(rng: random.Random, n: int) -> str:
    big = n >= 10_000  # long hops on big tests: the O(n * a) brute must time out there
    m = n // 10 if big else rng.choice([2, 5, max(2, n // 10)])
    holes = 0.0 if big else rng.choice([0.0, 0.0, 0.3])
    a = [0 if rng.random() < holes else x for x in ints(rng, 0, m, n)]
    return lines(str(n), line(a))


JUMPS_REF = """\
import sys
d = sys.stdin.buffer.read().split()
n = int(d[0])
a = list(map(int, d[1:1 + n]))
jumps = end = far = 0
for i in range(n - 1):
    far = max(far, i + a[i])
    if i == end:
        if far == i:
            print(-1)
            sys.exit()
        jumps += 1
        end = far
print(jumps)
"""

JUMPS_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n = int(d[0])
a = list(map(int, d[1:1 + n]))
best = [0] + [n] * (n - 1)
for i in range(n):
    for j in range(i + 1, min(n, i + a[i] + 1)):
        best[j] = min(best[j], best[i] + 1)
print(best[-1] if best[-1] < n else -1)
"""

JUMPS_WRONG = JUMPS_REF.replace("""\
        if far == i:
            print(-1)
            sys.exit()
""", "")

PROBLEMS = [
    BuiltinSpec(
        id="dp1d-01", title="Best stretch", family=FAMILY, difficulty=Difficulty.EASY,
        statement="""\
Given n integers, find the largest sum of a non-empty contiguous segment.

### Input
The first line holds n. The second line holds a_1, ..., a_n.

### Output
The largest segment sum.

### Constraints
1 <= n <= 10^5; |a_i| <= 10^9.""",
        generate=gen_max_segment, tiers=STD_TIERS,
        examples=("8\n-2 1 -3 4 -1 2 1 -5\n", "3\n-3 -1 -2\n"),
        edge_cases=("1\n-7\n", "1\n0\n", "4\n-5 -5 -5 -5\n"),
        reference=MAXSEG_REF, brute=MAXSEG_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, MAXSEG_WRONG, "allows the empty segment: prints 0 for all-negative arrays"),),
    ),
    BuiltinSpec(
        id="dp1d-02", title="Rising subsequence", family=FAMILY, difficulty=Difficulty.HARD,
        statement="""\
Given n integers, find the length of the longest strictly increasing subsequence (not necessarily contiguous).

### Input
The first line holds n. The second line holds a_1, ..., a_n.

### Output
The length of the longest strictly increasing subsequence.

### Constraints
1 <= n <= 10^5; 1 <= a_i <= 10^9.""",
        generate=gen_lis, tiers=STD_TIERS,
        examples=("8\n10 9 2 5 3 7 101 18\n", "5\n4 4 4 4 4\n"),
        edge_cases=("1\n1\n", "6\n1 2 2 3 3 4\n", "5\n5 4 3 2 1\n"),
        reference=LIS_REF, brute=LIS_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, LIS_WRONG, "bisect_right counts equal values: non-decreasing length"),),
    ),
    BuiltinSpec(
        id="dp1d-03", title="Fewest hops", family=FAMILY, difficulty=Difficulty.HARD,
        statement="""\
Stones 1..n lie in a row. From stone i you may hop forward to any stone i+1, ..., i+a_i (a_i may be 0).
Starting on stone 1, what is the fewest hops needed to reach stone n?

### Input
The first line holds n. The second line holds a_1, ..., a_n.

### Output
The fewest hops, or -1 if stone n cannot be reached.

### Constraints
1 <= n <= 10^5; 0 <= a_i <= n.""",
        generate=gen_jumps, tiers=STD_TIERS,
        examples=("5\n2 3 1 1 4\n", "5\n3 2 1 0 4\n"),
        edge_cases=("1\n0\n", "2\n0 5\n", "3\n1 0 0\n", "4\n3 0 0 0\n"),
        reference=JUMPS_REF, brute=JUMPS_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, JUMPS_WRONG, "never notices being stuck: no -1"),),
    ),
]
