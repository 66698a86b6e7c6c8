"""Prefix sums: range sums, a difference array, 2D rectangle sums."""

from __future__ import annotations

import math
import random

from codefrontier.problems.builtin.common import STD_TIERS, ints, line, lines, ranges, tiers
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "prefix sums"


def gen_range_sums(rng: random.Random, n: int) -> str:
    v = rng.choice([5, 1000, 10**9])
    return lines(f"{n} {n}", line(ints(rng, -v, v, n)), *ranges(rng, n, n))


RANGE_SUMS_REF = """\
import sys
from itertools import accumulate
d = sys.stdin.buffer.read().split()
n = int(d[0])
p = [0, *accumulate(map(int, d[2:2 + n]))]
it = map(int, d[2 + n:])
print("\\n".join(str(p[r] - p[l - 1]) for l, r in zip(it, it)))
"""

RANGE_SUMS_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n, q = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
for i in range(2 + n, 2 + n + 2 * q, 2):
    l, r = int(d[i]), int(d[i + 1])
    print(sum(a[l - 1:r]))
"""

RANGE_SUMS_WRONG = RANGE_SUMS_REF.replace("p[r] - p[l - 1]", "p[r] - p[l]")


def gen_range_add(rng: random.Random, n: int) -> str:
    v = rng.choice([3, 10**6])
    ups = [f"{r} {x}" for r, x in zip(ranges(rng, n, n), ints(rng, -v, v, n), strict=True)]
    return lines(f"{n} {n}", line(ints(rng, -v, v, n)), *ups)


RANGE_ADD_REF = """\
import sys
from itertools import accumulate
d = sys.stdin.buffer.read().split()
n, q = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
diff = [0] * (n + 1)
it = map(int, d[2 + n:])
for l, r, x in zip(it, it, it):
    diff[l - 1] += x
    diff[r] -= x
print(" ".join(str(x + s) for x, s in zip(a, accumulate(diff))))
"""

RANGE_ADD_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n, q = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
for i in range(2 + n, 2 + n + 3 * q, 3):
    l, r, x = int(d[i]), int(d[i + 1]), int(d[i + 2])
    for j in range(l - 1, r):
        a[j] += x
print(" ".join(map(str, a)))
"""

RANGE_ADD_WRONG = RANGE_ADD_REF.replace("diff[r] -= x", "diff[r - 1] -= x")


def gen_rect_sums(rng: random.Random, n: int) -> str:
    h = math.isqrt(n) if n > 300 else rng.randint(1, n)
    w = max(1, n // h)
    v = rng.choice([9, 10**6])
    grid = [line(ints(rng, -v, v, w)) for _ in range(h)]
    q = n if n <= 400 else n // 4
    rs, cs = ints(rng, 1, h, 2 * q), ints(rng, 1, w, 2 * q)
    qs = [f"{min(rs[i], rs[i + 1])} {min(cs[i], cs[i + 1])} {max(rs[i], rs[i + 1])} {max(cs[i], cs[i + 1])}"
          for i in range(0, 2 * q, 2)]
    return lines(f"{h} {w}", *grid, str(q), *qs)


RECT_REF = """\
import sys
d = sys.stdin.buffer.read().split()
h, w = int(d[0]), int(d[1])
P = [[0] * (w + 1)]
for i in range(h):
    row, s = [0], 0
    for j in range(w):
        s += int(d[2 + i * w + j])
        row.append(P[i][j + 1] + s)
    P.append(row)
out = []
it = map(int, d[3 + h * w:])
for r1, c1, r2, c2 in zip(it, it, it, it):
    out.append(P[r2][c2] - P[r1 - 1][c2] - P[r2][c1 - 1] + P[r1 - 1][c1 - 1])
print("\\n".join(map(str, out)))
"""

RECT_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
h, w = int(d[0]), int(d[1])
g = [list(map(int, d[2 + i * w:2 + (i + 1) * w])) for i in range(h)]
k = 2 + h * w
for t in range(k + 1, k + 1 + 4 * int(d[k]), 4):
    r1, c1, r2, c2 = map(int, d[t:t + 4])
    print(sum(sum(g[i][c1 - 1:c2]) for i in range(r1 - 1, r2)))
"""

RECT_WRONG = RECT_REF.replace(
    "P[r2][c2] - P[r1 - 1][c2] - P[r2][c1 - 1] + P[r1 - 1][c1 - 1]", "P[r2][c2] - P[r1][c2] - P[r2][c1] + P[r1][c1]")

PROBLEMS = [
    BuiltinSpec(
        id="prefix-sums-01", title="Range sums", family=FAMILY, difficulty=Difficulty.EASY,
        statement="""\
You are given an array of n integers a_1, ..., a_n and q queries. Each query gives two indices l and r;
answer it with the sum a_l + a_{l+1} + ... + a_r.

### Input
The first line holds n and q. The second line holds a_1, ..., a_n. Each of the next q lines holds l and r.

### Output
For each query print its sum on its own line.

### Constraints
1 <= n, q <= 10^5; |a_i| <= 10^9; 1 <= l <= r <= n.""",
        generate=gen_range_sums, tiers=STD_TIERS,
        examples=("5 3\n1 2 3 4 5\n1 5\n2 3\n4 4\n", "4 2\n-3 7 0 -1\n1 2\n2 4\n"),
        edge_cases=("1 1\n-1000000000\n1 1\n", "3 3\n0 0 5\n1 1\n3 3\n1 3\n"),
        reference=RANGE_SUMS_REF, brute=RANGE_SUMS_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, RANGE_SUMS_WRONG, "off by one: drops a_l from every sum"),),
    ),
    BuiltinSpec(
        id="prefix-sums-02", title="Range additions", family=FAMILY, difficulty=Difficulty.EASY,
        statement="""\
You are given an array of n integers and q updates. Update (l, r, x) adds x to every a_i with l <= i <= r.
Print the array after all updates.

### Input
The first line holds n and q. The second line holds a_1, ..., a_n. Each of the next q lines holds l, r and x.

### Output
One line: the final a_1, ..., a_n separated by spaces.

### Constraints
1 <= n, q <= 10^5; |a_i|, |x| <= 10^6; 1 <= l <= r <= n.""",
        generate=gen_range_add, tiers=STD_TIERS,
        examples=("5 2\n1 2 3 4 5\n1 3 10\n2 5 -1\n", "3 1\n0 0 0\n3 3 7\n"),
        edge_cases=("1 2\n5\n1 1 -5\n1 1 2\n", "4 1\n1 1 1 1\n1 4 3\n"),
        reference=RANGE_ADD_REF, brute=RANGE_ADD_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, RANGE_ADD_WRONG, "off by one: the update stops at r - 1"),),
    ),
    BuiltinSpec(
        id="prefix-sums-03", title="Rectangle sums", family=FAMILY, difficulty=Difficulty.MEDIUM,
        statement="""\
You are given an h x w grid of integers and q queries. Query (r1, c1, r2, c2) asks for the sum of the cells
in rows r1..r2 and columns c1..c2 (1-based, inclusive).

### Input
The first line holds h and w. Each of the next h lines holds w integers. Then a line with q, then q lines
with r1 c1 r2 c2.

### Output
For each query print its sum on its own line.

### Constraints
1 <= h * w <= 10^5; 1 <= q <= 10^5; |cell| <= 10^6; 1 <= r1 <= r2 <= h; 1 <= c1 <= c2 <= w.""",
        generate=gen_rect_sums, tiers=tiers(10, 400, 10_000, 100_000),
        examples=("2 3\n1 2 3\n4 5 6\n3\n1 1 2 3\n2 2 2 3\n1 2 2 2\n", "1 1\n-7\n1\n1 1 1 1\n"),
        edge_cases=("3 1\n1\n2\n3\n2\n2 1 3 1\n1 1 1 1\n", "2 2\n5 -5\n-5 5\n2\n1 1 2 2\n2 2 2 2\n"),
        reference=RECT_REF, brute=RECT_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, RECT_WRONG, "inclusion-exclusion off by one"),),
    ),
]
