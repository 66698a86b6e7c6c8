"""Binary search: counting in ranges, binary search on the answer (two hard problems)."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import STD_TIERS, ints, line, lines, tiers
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "binary search"


def gen_count_range(rng: random.Random, n: int) -> str:
    v = rng.choice([10, 10**9])
    a = ints(rng, -v, v, n)
    qs = [f"{min(x, y)} {max(x, y)}" for x, y in zip(rng.choices(a, k=n), ints(rng, -v, v, n), strict=True)]
    return lines(f"{n} {n}", line(a), *qs)


COUNT_REF = """\
import sys
from bisect import bisect_left, bisect_right
d = sys.stdin.buffer.read().split()
n, q = int(d[0]), int(d[1])
a = sorted(map(int, d[2:2 + n]))
it = map(int, d[2 + n:])
print("\\n".join(str(bisect_right(a, r) - bisect_left(a, l)) for l, r in zip(it, it)))
"""

COUNT_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n, q = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
for i in range(2 + n, 2 + n + 2 * q, 2):
    lo, hi = int(d[i]), int(d[i + 1])
    print(sum(lo <= x <= hi for x in a))
"""

COUNT_WRONG = COUNT_REF.replace("bisect_right(a, r)", "bisect_left(a, r)").replace(
    "from bisect import bisect_left, bisect_right", "from bisect import bisect_left")


def gen_split(rng: random.Random, n: int) -> str:
    k = rng.randint(1, min(n, 10))
    v = rng.choice([3, 10**4])
    a = ints(rng, 0, v, n)
    if rng.random() < 0.5:  # a big element late in the array: catches a search that starts below max(a)
        a[rng.randint(n // 2, n - 1)] = v * rng.randint(1, 5)
    return lines(f"{n} {k}", line(a))


SPLIT_REF = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
def parts(cap):
    count, s = 1, 0
    for x in a:
        if s + x > cap:
            count += 1
            s = x
        else:
            s += x
    return count
lo, hi = max(a), sum(a)
while lo < hi:
    mid = (lo + hi) // 2
    if parts(mid) <= k:
        hi = mid
    else:
        lo = mid + 1
print(lo)
"""

SPLIT_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
p = [0]
for x in d[2:2 + n]:
    p.append(p[-1] + int(x))
best = [0] + [float("inf")] * n
for _ in range(k):
    best = [float("inf")] + [min(max(best[j], p[i] - p[j]) for j in range(i)) for i in range(1, n + 1)]
print(best[n])
"""

SPLIT_WRONG = SPLIT_REF.replace("lo, hi = max(a), sum(a)", "lo, hi = 0, sum(a)")


def gen_kth(rng: random.Random, n: int) -> str:
    n = max(n, 2)
    v = rng.choice([5, 1000, 10**6])
    a = ints(rng, 0, v, n)
    m = n * (n - 1) // 2
    k = rng.choice([1, m, rng.randint(1, m), rng.randint(1, m)])
    return lines(f"{n} {k}", line(a))


KTH_REF = """\
import sys
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = sorted(map(int, d[2:2 + n]))
def pairs_within(dist):
    count = j = 0
    for i in range(n):
        while a[i] - a[j] > dist:
            j += 1
        count += i - j
    return count
lo, hi = 0, a[-1] - a[0]
while lo < hi:
    mid = (lo + hi) // 2
    if pairs_within(mid) >= k:
        hi = mid
    else:
        lo = mid + 1
print(lo)
"""

# Distances kept in a 4-byte array: a list of Python ints (~36 B each) reached the 256 MB limit in
# about the same CPU time as the 0.5 s limit, so the top tier flipped between TLE and MLE under load.
KTH_BRUTE = """\
import sys
from array import array
d = sys.stdin.buffer.read().split()
n, k = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
dist = array("i")
for i, x in enumerate(a):
    dist.extend(abs(x - y) for y in a[i + 1:])
print(sorted(dist)[k - 1])
"""

KTH_WRONG = KTH_REF.replace("if pairs_within(mid) >= k:", "if pairs_within(mid) > k:")

PROBLEMS = [
    BuiltinSpec(
        id="binary-search-01", title="Counting in a range", family=FAMILY, difficulty=Difficulty.EASY,
        statement="""\
Given n integers and q queries (l, r), answer each query with how many of the integers x satisfy l <= x <= r.

### Input
The first line holds n and q. The second line holds a_1, ..., a_n. Each of the next q lines holds l and r.

### Output
For each query print the count on its own line.

### Constraints
1 <= n, q <= 10^5; |a_i|, |l|, |r| <= 10^9; l <= r.""",
        generate=gen_count_range, tiers=STD_TIERS,
        examples=("5 3\n1 3 3 7 2\n3 3\n0 2\n2 10\n", "2 1\n5 -5\n-5 5\n"),
        edge_cases=("1 1\n4\n4 4\n", "3 2\n2 2 2\n1 1\n2 2\n"),
        reference=COUNT_REF, brute=COUNT_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, COUNT_WRONG, "bisect_left on r drops values equal to r"),),
    ),
    BuiltinSpec(
        id="binary-search-02", title="Fair shifts", family=FAMILY, difficulty=Difficulty.HARD,
        statement="""\
n jobs with durations a_1, ..., a_n must be done in this order by k workers: the jobs are cut into k
non-empty contiguous groups, one group per worker. Minimize the largest total duration of a group.

### Input
The first line holds n and k. The second line holds a_1, ..., a_n.

### Output
The smallest possible largest group total.

### Constraints
1 <= k <= n <= 3 * 10^4; 0 <= a_i <= 10^5.""",
        generate=gen_split, tiers=tiers(10, 300, 3000, 30_000),
        examples=("5 2\n7 2 5 10 8\n", "4 4\n1 2 3 4\n"),
        edge_cases=("1 1\n0\n", "2 2\n1 5\n", "5 3\n0 0 0 0 9\n"),
        reference=SPLIT_REF, brute=SPLIT_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, SPLIT_WRONG,
                        "searches from 0, but the check miscounts caps below the largest job"),),
    ),
    BuiltinSpec(
        id="binary-search-03", title="K-th closest pair", family=FAMILY, difficulty=Difficulty.HARD,
        statement="""\
Given n integers, consider all n(n-1)/2 pairs of positions i < j and their distances |a_i - a_j|.
Print the k-th smallest distance (counting equal distances separately).

### Input
The first line holds n and k. The second line holds a_1, ..., a_n.

### Output
The k-th smallest pair distance.

### Constraints
2 <= n <= 2 * 10^4; 1 <= k <= n(n-1)/2; 0 <= a_i <= 10^6.""",
        generate=gen_kth, tiers=tiers(10, 300, 3000, 20_000),
        examples=("4 3\n1 6 3 10\n", "3 1\n5 5 5\n"),
        edge_cases=("2 1\n0 1000000\n", "4 6\n1 2 3 4\n", "5 4\n7 7 1 7 1\n"),
        reference=KTH_REF, brute=KTH_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, KTH_WRONG, "> instead of >= in the search: overshoots when exactly k pairs fit"),),
    ),
]
