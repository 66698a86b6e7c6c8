"""2D dynamic programming on 0/1 grids: the largest square and the largest rectangle of ones."""

from __future__ import annotations

import math
import random

from codefrontier.problems.builtin.common import lines, tiers
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "2D dynamic programming"
GRID_TIERS = tiers(16, 400, 10_000, 100_000)  # n = h * w cells


def gen_grid(rng: random.Random, n: int) -> str:
    """A random 0/1 grid of about n cells with one planted block of ones (big answers, slow brutes)."""
    h = math.isqrt(n) if n > 400 else rng.randint(1, n)
    w = max(1, n // h)
    p = rng.choice([0.5, 0.8, 0.95])
    g = [[1 if rng.random() < p else 0 for _ in range(w)] for _ in range(h)]
    bh, bw = rng.randint(1, h), rng.randint(1, w)
    r0, c0 = rng.randint(0, h - bh), rng.randint(0, w - bw)
    for r in range(r0, r0 + bh):
        g[r][c0:c0 + bw] = [1] * bw
    return lines(f"{h} {w}", *("".join(map(str, row)) for row in g))


GRID_INPUT = """\
### Input
The first line holds h and w. Each of the next h lines is a string of w characters, each '0' or '1'."""
GRID_LIMITS = """\
### Constraints
1 <= h * w <= 10^5."""

SQUARE_REF = """\
import sys
d = sys.stdin.buffer.read().split()
h, w = int(d[0]), int(d[1])
prev, best = [0] * (w + 1), 0
for row in d[2:2 + h]:
    cur = [0] * (w + 1)
    for j in range(w):
        if row[j] == 49:
            cur[j + 1] = 1 + min(prev[j], prev[j + 1], cur[j])
            best = max(best, cur[j + 1])
    prev = cur
print(best)
"""

SQUARE_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
h, w = int(d[0]), int(d[1])
g = [r.decode() for r in d[2:2 + h]]
best = 0
for i in range(h):
    for j in range(w):
        for s in range(1, min(h - i, w - j) + 1):
            if all(g[r][c] == "1" for r in range(i, i + s) for c in range(j, j + s)):
                best = max(best, s)
print(best)
"""

SQUARE_WRONG = SQUARE_REF.replace("min(prev[j], prev[j + 1], cur[j])", "min(prev[j + 1], cur[j])")

RECT_REF = """\
import sys
d = sys.stdin.buffer.read().split()
h, w = int(d[0]), int(d[1])
heights, best = [0] * (w + 1), 0
for row in d[2:2 + h]:
    for j in range(w):
        heights[j] = heights[j] + 1 if row[j] == 49 else 0
    stack = []
    for j, x in enumerate(heights):
        start = j
        while stack and stack[-1][1] >= x:
            start, y = stack.pop()
            best = max(best, y * (j - start))
        stack.append((start, x))
print(best)
"""

RECT_BRUTE = """\
import sys
d = sys.stdin.buffer.read().split()
h, w = int(d[0]), int(d[1])
g = [r.decode() for r in d[2:2 + h]]
best = 0
for top in range(h):
    ones = [True] * w
    for bottom in range(top, h):
        run = 0
        for j in range(w):
            ones[j] = ones[j] and g[bottom][j] == "1"
            run = run + 1 if ones[j] else 0
            best = max(best, run * (bottom - top + 1))
print(best)
"""

RECT_WRONG = RECT_REF.replace("heights, best = [0] * (w + 1), 0", "heights, best = [0] * w, 0")

PROBLEMS = [
    BuiltinSpec(
        id="dp2d-01", title="Largest square field", family=FAMILY, difficulty=Difficulty.MEDIUM,
        statement=f"""\
A field is an h x w grid of cells, '1' for fertile and '0' for rock. Find the side length of the largest
square made only of fertile cells (0 if there is none).

{GRID_INPUT}

### Output
The side length of the largest all-'1' square.

{GRID_LIMITS}""",
        generate=gen_grid, tiers=GRID_TIERS,
        examples=("4 5\n10100\n10111\n11111\n10010\n", "2 2\n01\n11\n"),
        edge_cases=("1 1\n0\n", "1 1\n1\n", "3 3\n111\n111\n111\n", "2 3\n011\n111\n"),
        reference=SQUARE_REF, brute=SQUARE_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, SQUARE_WRONG, "forgets the diagonal neighbour in the min"),),
    ),
    BuiltinSpec(
        id="dp2d-02", title="Largest rectangular field", family=FAMILY, difficulty=Difficulty.HARD,
        statement=f"""\
A field is an h x w grid of cells, '1' for fertile and '0' for rock. Find the area of the largest
axis-aligned rectangle made only of fertile cells (0 if there is none).

{GRID_INPUT}

### Output
The area of the largest all-'1' rectangle.

{GRID_LIMITS}""",
        generate=gen_grid, tiers=GRID_TIERS,
        examples=("4 5\n10100\n10111\n11111\n10010\n", "1 4\n0110\n"),
        edge_cases=("1 1\n0\n", "1 1\n1\n", "2 3\n111\n111\n", "3 2\n01\n01\n11\n"),
        reference=RECT_REF, brute=RECT_BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, RECT_WRONG,
                        "no sentinel column: rectangles touching the right edge are never measured"),),
    ),
]
