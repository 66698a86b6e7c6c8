"""Shortest paths family: Dijkstra from one source, and Dijkstra on (node, coupon used) states."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import tiers
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "shortest paths"


def _weighted(rng: random.Random, n: int, m: int, wmax: int) -> tuple[str, str]:
    """m random weighted edges u != v on n nodes (none when n == 1): ('n m', 'u v w' lines)."""
    lines = []
    for _ in range(m if n > 1 else 0):
        u, v = rng.sample(range(1, n + 1), 2)
        lines.append(f"{u} {v} {rng.randint(1, wmax)}\n")
    return f"{n} {len(lines)}", "".join(lines)


# --- shortest-paths-01: distances from one source (directed, big weights) ----------------


def _gen_dijkstra(rng: random.Random, n: int) -> str:
    head, body = _weighted(rng, n, rng.randint(n, 2 * n), 10**9)
    return f"{head} {rng.randint(1, n)}\n{body}"


DIJKSTRA_REF = """import sys, heapq
d = sys.stdin.buffer.read().split()
n, m, s = int(d[0]), int(d[1]), int(d[2])
e = list(map(int, d[3:3 + 3 * m]))
g = [[] for _ in range(n + 1)]
for u, v, w in zip(e[::3], e[1::3], e[2::3]):
    g[u].append((v, w))
dist = [-1] * (n + 1)
heap = [(0, s)]
while heap:
    du, u = heapq.heappop(heap)
    if dist[u] >= 0:
        continue
    dist[u] = du
    for v, w in g[u]:
        if dist[v] < 0:
            heapq.heappush(heap, (du + w, v))
print(*dist[1:])
"""

# Bellman-Ford: n - 1 rounds over every edge, O(n * m).
DIJKSTRA_BRUTE = """import sys
d = sys.stdin.buffer.read().split()
n, m, s = int(d[0]), int(d[1]), int(d[2])
e = list(map(int, d[3:3 + 3 * m]))
edges = list(zip(e[::3], e[1::3], e[2::3]))
INF = float("inf")
dist = [INF] * (n + 1)
dist[s] = 0
for _ in range(n - 1):
    for u, v, w in edges:
        if dist[u] + w < dist[v]:
            dist[v] = dist[u] + w
print(*(x if x < INF else -1 for x in dist[1:]))
"""

DIJKSTRA_WRONG = """import sys, heapq
d = sys.stdin.buffer.read().split()
n, m, s = int(d[0]), int(d[1]), int(d[2])
e = list(map(int, d[3:3 + 3 * m]))
g = [[] for _ in range(n + 1)]
for u, v, w in zip(e[::3], e[1::3], e[2::3]):
    g[u].append((v, w))
INF = 10**9
dist = [INF] * (n + 1)
dist[s] = 0
heap = [(0, s)]
while heap:
    du, u = heapq.heappop(heap)
    if du > dist[u]:
        continue
    for v, w in g[u]:
        if du + w < dist[v]:
            dist[v] = du + w
            heapq.heappush(heap, (du + w, v))
print(*(x if x < INF else -1 for x in dist[1:]))
"""

DIJKSTRA = BuiltinSpec(
    id="shortest-paths-01",
    title="Courier Routes",
    family=FAMILY,
    difficulty=Difficulty.MEDIUM,
    statement="""A courier company serves n towns connected by m one-way roads; road i goes from town u to
town v and takes w minutes. The depot is in town s. For every town, find the shortest travel time from
the depot.

## Input
The first line contains n, m and s. Each of the next m lines contains u, v and w: a one-way road from
u to v (u ≠ v) taking w minutes. There may be several roads between the same towns.

## Output
Print n integers separated by spaces: the i-th is the shortest time from s to town i, or -1 if town i
cannot be reached. The time to s itself is 0.

## Constraints
- 1 ≤ n ≤ 2 · 10^4
- 0 ≤ m ≤ 4 · 10^4
- 1 ≤ s, u, v ≤ n
- 1 ≤ w ≤ 10^9
""",
    generate=_gen_dijkstra,
    tiers=tiers(10, 300, 3000, 20_000),
    examples=("4 4 1\n1 2 5\n2 3 1\n1 3 9\n3 1 1\n", "3 1 2\n2 3 1000000000\n"),
    reference=DIJKSTRA_REF,
    brute=DIJKSTRA_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT, DIJKSTRA_WRONG, "INF = 10^9 is too small: long routes print -1"
        ),
    ),
    edge_cases=("1 0 1\n", "3 0 2\n", "2 2 1\n1 2 1000000000\n2 1 1\n"),
)


# --- shortest-paths-02: one coupon halves one road --------------------------------------


def _gen_coupon(rng: random.Random, n: int) -> str:
    head, body = _weighted(rng, n, rng.randint(n, 2 * n), 10**6)
    return f"{head}\n{body}"


COUPON_REF = """import sys, heapq
d = sys.stdin.buffer.read().split()
n, m = int(d[0]), int(d[1])
e = list(map(int, d[2:2 + 3 * m]))
g = [[] for _ in range(n + 1)]
for u, v, w in zip(e[::3], e[1::3], e[2::3]):
    g[u].append((v, w))
    g[v].append((u, w))
best = [-1] * (2 * n + 2)  # state 2*u + k: at u, k = coupons used
heap = [(0, 1, 0)]
while heap:
    du, u, k = heapq.heappop(heap)
    if best[2 * u + k] >= 0:
        continue
    best[2 * u + k] = du
    for v, w in g[u]:
        if best[2 * v + k] < 0:
            heapq.heappush(heap, (du + w, v, k))
        if k == 0 and best[2 * v + 1] < 0:
            heapq.heappush(heap, (du + w // 2, v, 1))
reached = [x for x in best[2 * n:2 * n + 2] if x >= 0]
print(min(reached) if reached else -1)
"""

# Try every road as the halved one (and none), one Dijkstra each: O(m * m log n).
COUPON_BRUTE = """import sys, heapq
d = sys.stdin.buffer.read().split()
n, m = int(d[0]), int(d[1])
e = list(map(int, d[2:2 + 3 * m]))
edges = list(zip(e[::3], e[1::3], e[2::3]))
def shortest(half):
    g = [[] for _ in range(n + 1)]
    for i, (u, v, w) in enumerate(edges):
        w = w // 2 if i == half else w
        g[u].append((v, w))
        g[v].append((u, w))
    dist = {1: 0}
    heap = [(0, 1)]
    while heap:
        du, u = heapq.heappop(heap)
        for v, w in g[u]:
            if du + w < dist.get(v, float("inf")):
                dist[v] = du + w
                heapq.heappush(heap, (du + w, v))
    return dist.get(n, -1)
print(min((shortest(i) for i in range(-1, m)), key=lambda x: (x < 0, x)))
"""

COUPON_WRONG = COUPON_REF.replace("if k == 0 and best", "if best")

COUPON = BuiltinSpec(
    id="shortest-paths-02",
    title="Half-Price Toll",
    family=FAMILY,
    difficulty=Difficulty.HARD,
    statement="""A country has n cities and m two-way roads; road i connects cities u and v and costs w coins to
use. You travel from city 1 to city n. You own one coupon: on exactly one road of your choice you pay
⌊w / 2⌋ instead of w. You may also keep the coupon unused.

Find the minimum total cost of the trip.

## Input
The first line contains n and m. Each of the next m lines contains u, v and w: a two-way road between
u and v (u ≠ v) costing w coins.

## Output
Print the minimum cost to go from city 1 to city n, or -1 if city n cannot be reached. If n = 1 the
cost is 0.

## Constraints
- 1 ≤ n ≤ 8000
- 0 ≤ m ≤ 16000
- 1 ≤ u, v ≤ n
- 1 ≤ w ≤ 10^6
""",
    generate=_gen_coupon,
    tiers=tiers(8, 100, 1000, 8000),
    examples=("4 4\n1 2 10\n2 4 10\n1 3 3\n3 4 30\n", "3 1\n1 2 7\n"),
    reference=COUPON_REF,
    brute=COUPON_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT, COUPON_WRONG, "never marks the coupon as used: halves every road"
        ),
    ),
    edge_cases=("1 0\n", "2 0\n", "2 1\n1 2 1\n", "3 3\n1 2 5\n2 3 5\n1 3 11\n"),
)

PROBLEMS: list[BuiltinSpec] = [DIJKSTRA, COUPON]
