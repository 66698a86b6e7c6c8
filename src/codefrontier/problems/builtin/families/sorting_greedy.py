"""Sorting and greedy: interval scheduling, meeting rooms, shopping on a budget."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import STD_TIERS, ints, line, lines
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "sorting and greedy"


def gen_intervals(rng: random.Random, n: int) -> str:
    """n half-open intervals [s, e); small coordinate ranges make many shared endpoints."""
    span = rng.choice([2 * n, 10 * n, 10**9])
    maxlen = rng.choice([2, max(2, span // n), max(2, span // 10)])
    rows = [f"{s} {s + x}" for s, x in zip(ints(rng, 0, span, n), ints(rng, 1, maxlen, n), strict=True)]
    return lines(str(n), *rows)


INTERVALS_INPUT = """\
### Input
The first line holds n. Each of the next n lines holds s_i and e_i."""
INTERVALS_LIMITS = """\
### Constraints
1 <= n <= 10^5; 0 <= s_i < e_i <= 2 * 10^9."""

SCHEDULE_REF = """\
import sys
d = sys.stdin.buffer.read().split()
starts, ends = list(map(int, d[1::2])), list(map(int, d[2::2]))
free = count = 0
for i in sorted(range(len(ends)), key=ends.__getitem__):
    if starts[i] >= free:
        count += 1
        free = ends[i]
print(count)
"""

SCHEDULE_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
iv = sorted(zip(map(int, d[2::2]), map(int, d[1::2])))
best = []
for i, (e, s) in enumerate(iv):
    take = 1 + max([best[j] for j in range(i) if iv[j][0] <= s], default=0)
    best.append(max(take, best[-1] if best else 0))
print(best[-1])
"""

SCHEDULE_WRONG_START = SCHEDULE_REF.replace("key=ends.__getitem__", "key=starts.__getitem__")
SCHEDULE_WRONG_STRICT = SCHEDULE_REF.replace("if starts[i] >= free:", "if starts[i] > free:")


ROOMS_REF = """\
import sys
d = sys.stdin.buffer.read().split()
starts, ends = sorted(map(int, d[1::2])), sorted(map(int, d[2::2]))
rooms = freed = 0
for s in starts:
    if ends[freed] <= s:
        freed += 1
    else:
        rooms += 1
print(rooms)
"""

ROOMS_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
iv = list(zip(map(int, d[1::2]), map(int, d[2::2])))
print(max(sum(s <= t < e for s, e in iv) for t, _ in iv))
"""

ROOMS_WRONG = ROOMS_REF.replace("if ends[freed] <= s:", "if ends[freed] < s:")


def gen_budget(rng: random.Random, n: int) -> str:
    a = ints(rng, 1, rng.choice([10, 10**6]), n)
    k = rng.randint(n // 4 if n >= 10_000 else 0, n)  # buy many on big tests: the brute must time out
    b = sum(sorted(a)[:k]) + rng.choice([0, 0, 1, -1])  # often exactly a prefix sum: ties matter
    return lines(f"{n} {max(b, 0)}", line(a))


BUDGET_REF = """\
import sys
d = sys.stdin.buffer.read().split()
n, budget = int(d[0]), int(d[1])
count = 0
for p in sorted(map(int, d[2:2 + n])):
    if p > budget:
        break
    budget -= p
    count += 1
print(count)
"""

BUDGET_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
n, budget = int(d[0]), int(d[1])
a = list(map(int, d[2:2 + n]))
count = 0
while a and min(a) <= budget:
    budget -= min(a)
    a.remove(min(a))
    count += 1
print(count)
"""

BUDGET_WRONG = BUDGET_REF.replace("if p > budget:", "if p >= budget:")

PROBLEMS = [
    BuiltinSpec(
        id="greedy-01", title="Most meetings", family=FAMILY, difficulty=Difficulty.MEDIUM,
        statement=f"""\
One room, n meeting requests. Meeting i occupies the half-open time interval [s_i, e_i): a meeting may start
exactly when another ends. Choose as many meetings as possible so that no two chosen meetings overlap.

{INTERVALS_INPUT}

### Output
The largest number of meetings that can be held.

{INTERVALS_LIMITS}""",
        generate=gen_intervals, tiers=STD_TIERS,
        examples=("4\n1 3\n2 5\n3 4\n4 7\n", "3\n0 10\n1 2\n2 3\n"),
        edge_cases=("1\n0 1\n", "3\n5 6\n5 6\n5 6\n", "2\n0 1000000000\n1 2\n"),
        reference=SCHEDULE_REF, brute=SCHEDULE_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, SCHEDULE_WRONG_START, "wrong greedy: earliest start first"),
               Solution(SolutionKind.BUGGY_EFFICIENT, SCHEDULE_WRONG_STRICT, "treats touching meetings as overlapping")),
    ),
    BuiltinSpec(
        id="greedy-02", title="Meeting rooms", family=FAMILY, difficulty=Difficulty.MEDIUM,
        statement=f"""\
n meetings must all be held. Meeting i occupies the half-open time interval [s_i, e_i), so a room freed at
time t can host a meeting starting at t. What is the smallest number of rooms that suffices?

{INTERVALS_INPUT}

### Output
The smallest number of rooms.

{INTERVALS_LIMITS}""",
        generate=gen_intervals, tiers=STD_TIERS,
        examples=("3\n1 4\n2 5\n4 6\n", "4\n0 2\n2 4\n4 6\n6 8\n"),
        edge_cases=("1\n3 4\n", "3\n1 2\n1 2\n1 2\n", "2\n1 2\n2 3\n"),
        reference=ROOMS_REF, brute=ROOMS_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, ROOMS_WRONG, "a room freed at time t is not reused by a meeting starting at t"),),
    ),
    BuiltinSpec(
        id="greedy-03", title="Shopping on a budget", family=FAMILY, difficulty=Difficulty.EASY,
        statement="""\
A shop sells n items with prices p_1, ..., p_n. You have B coins. What is the largest number of distinct items
you can buy without spending more than B coins in total?

### Input
The first line holds n and B. The second line holds p_1, ..., p_n.

### Output
The largest number of items.

### Constraints
1 <= n <= 10^5; 0 <= B <= 10^11; 1 <= p_i <= 10^6.""",
        generate=gen_budget, tiers=STD_TIERS,
        examples=("5 10\n4 8 2 3 9\n", "3 1\n2 2 2\n"),
        edge_cases=("1 0\n1\n", "1 5\n5\n", "4 6\n3 3 3 3\n"),
        reference=BUDGET_REF, brute=BUDGET_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, BUDGET_WRONG, "cannot spend the last coin (>= instead of >)"),),
    ),
]
