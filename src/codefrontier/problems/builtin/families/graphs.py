"""BFS/DFS family: connected components, grid maze shortest hops, smallest topological order."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import tiers
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "bfs/dfs"


def _edges(rng: random.Random, n: int, m: int) -> list[tuple[int, int]]:
    """m random undirected edges u != v on nodes 1..n (repeats allowed); none when n == 1."""
    if n == 1:
        return []
    out = []
    for _ in range(m):
        u, v = rng.sample(range(1, n + 1), 2)
        out.append((u, v))
    return out


def _graph_text(header: str, edges: list[tuple[int, int]]) -> str:
    return header + "\n" + "".join(f"{u} {v}\n" for u, v in edges)


# --- graphs-01: count connected components -----------------------------------------------


def _gen_components(rng: random.Random, n: int) -> str:
    es = _edges(rng, n, rng.randint(n // 2, n))  # sparse: a giant part, small parts, isolated nodes
    return _graph_text(f"{n} {len(es)}", es)


# Read the friendships into adjacency lists (shared by the reference and the brute force).
_READ_FRIENDS = """d = sys.stdin.buffer.read().split()
n, m = int(d[0]), int(d[1])
g = [[] for _ in range(n + 1)]
e = list(map(int, d[2:2 + 2 * m]))
for u, v in zip(e[::2], e[1::2]):
    g[u].append(v)
    g[v].append(u)
"""

COMPONENTS_REF = (
    """import sys
"""
    + _READ_FRIENDS
    + """seen = [False] * (n + 1)
count = 0
for s in range(1, n + 1):
    if not seen[s]:
        count += 1
        seen[s] = True
        stack = [s]
        while stack:
            for v in g[stack.pop()]:
                if not seen[v]:
                    seen[v] = True
                    stack.append(v)
print(count)
"""
)

# O(n * (n + m)): explore from every node, count the nodes that are the smallest of their component.
COMPONENTS_BRUTE = (
    """import sys
"""
    + _READ_FRIENDS
    + """count = 0
for s in range(1, n + 1):
    seen = {s}
    stack = [s]
    while stack:
        for v in g[stack.pop()]:
            if v not in seen:
                seen.add(v)
                stack.append(v)
    count += min(seen) == s
print(count)
"""
)

COMPONENTS_WRONG = """import sys
d = sys.stdin.buffer.read().split()
n, m = int(d[0]), int(d[1])
g = {}
e = list(map(int, d[2:2 + 2 * m]))
for u, v in zip(e[::2], e[1::2]):
    g.setdefault(u, []).append(v)
    g.setdefault(v, []).append(u)
seen = set()
count = 0
for s in g:
    if s not in seen:
        count += 1
        seen.add(s)
        stack = [s]
        while stack:
            for v in g[stack.pop()]:
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
print(count)
"""

COMPONENTS = BuiltinSpec(
    id="graphs-01",
    title="Islands of Friendship",
    family=FAMILY,
    difficulty=Difficulty.EASY,
    statement="""A town has n residents numbered 1 to n. Some pairs of residents are friends; friendship
is mutual. A *friend circle* is a maximal group of residents in which everyone can reach everyone
else through a chain of friendships. A resident without friends forms a circle alone.

Count the friend circles.

## Input
The first line contains two integers n and m. Each of the next m lines contains two integers u and v
(u ≠ v): residents u and v are friends. The same pair may be listed more than once.

## Output
Print one integer: the number of friend circles.

## Constraints
- 1 ≤ n ≤ 5 · 10^4
- 0 ≤ m ≤ 5 · 10^4
- 1 ≤ u, v ≤ n
""",
    generate=_gen_components,
    tiers=tiers(10, 300, 3000, 50_000),
    examples=("5 3\n1 2\n2 3\n4 5\n", "4 1\n2 3\n"),
    reference=COMPONENTS_REF,
    brute=COMPONENTS_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            COMPONENTS_WRONG,
            "only visits nodes that have a friend: misses isolated residents",
        ),
    ),
    edge_cases=("1 0\n", "3 0\n", "3 3\n1 2\n2 3\n3 1\n", "2 2\n1 2\n2 1\n"),
)


# --- graphs-02: shortest path in a grid maze (BFS) ---------------------------------------


def _gen_maze(rng: random.Random, n: int) -> str:
    r = rng.randint(1, max(1, int(n**0.5)))
    c = max(1, n // r)
    # 0.45 walls usually block the exit (answer -1); big mazes stay open so the brute force is slow
    wall = rng.choice((0.1, 0.25, 0.3, 0.45) if n <= 3000 else (0.1, 0.2, 0.3))
    rows = [["#" if rng.random() < wall else "." for _ in range(c)] for _ in range(r)]
    rows[0][0] = rows[-1][-1] = "."
    return f"{r} {c}\n" + "".join("".join(row) + "\n" for row in rows)


MAZE_REF = """import sys
d = sys.stdin.buffer.read().split()
R, C = int(d[0]), int(d[1])
W = C + 1  # one wall column after each row, so i-1, i+1, i-W, i+W never leave the maze
g = b"#".join(d[2:2 + R]) + b"#" * (W + 2)
dist = [-1] * len(g)
dist[0] = 0
queue = [0]
for i in queue:
    for j in (i - 1, i + 1, i - W, i + W):
        if g[j] == 46 and dist[j] < 0:
            dist[j] = dist[i] + 1
            queue.append(j)
print(dist[(R - 1) * W + C - 1])
"""

# O(cells * answer): level k is found by scanning the whole grid for cells at distance k.
MAZE_BRUTE = """import sys
d = sys.stdin.read().split()
R, C = int(d[0]), int(d[1])
G = d[2:2 + R]
D = [[-1] * C for _ in range(R)]
D[0][0] = 0
k, changed = 0, True
while changed:
    changed = False
    for r in range(R):
        for c in range(C):
            if D[r][c] == k:
                for y, x in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                    if 0 <= y < R and 0 <= x < C and G[y][x] == "." and D[y][x] < 0:
                        D[y][x] = k + 1
                        changed = True
    k += 1
print(D[R - 1][C - 1])
"""

MAZE_WRONG = """import sys
from collections import deque
d = sys.stdin.read().split()
R, C = int(d[0]), int(d[1])
G = d[2:2 + R]
D = [[-1] * C for _ in range(R)]
D[0][0] = 0
q = deque([(0, 0)])
while q:
    r, c = q.popleft()
    for y, x in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
        if 0 <= y < R and 0 <= x < C and G[y][x] == "." and D[y][x] < 0:
            D[y][x] = D[r][c] + 1
            if (y, x) == (R - 1, C - 1):
                print(D[y][x])
                sys.exit()
            q.append((y, x))
print(-1)
"""

MAZE = BuiltinSpec(
    id="graphs-02",
    title="Escape the Hedge Maze",
    family=FAMILY,
    difficulty=Difficulty.MEDIUM,
    statement="""A hedge maze is a grid of R rows and C columns. Each cell is either open (`.`) or a hedge (`#`).
You stand in the top-left cell and want to reach the bottom-right cell. In one step you move to an
open cell that shares a side with your current cell.

Find the minimum number of steps, or report that the exit cannot be reached.

## Input
The first line contains R and C. Each of the next R lines contains a string of C characters `.` or `#`.
The top-left and bottom-right cells are open.

## Output
Print the minimum number of steps, or -1 if the bottom-right cell is unreachable.

## Constraints
- 1 ≤ R, C and R · C ≤ 10^5
""",
    generate=_gen_maze,
    tiers=tiers(10, 300, 3000, 100_000),
    examples=("3 4\n..#.\n#...\n.#..\n", "2 2\n.#\n#.\n"),
    reference=MAZE_REF,
    brute=MAZE_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            MAZE_WRONG,
            "only checks the exit when it is entered: a 1x1 maze prints -1",
        ),
    ),
    edge_cases=("1 1\n.\n", "1 5\n.....\n", "3 1\n.\n#\n.\n"),
)


# --- graphs-03: lexicographically smallest topological order -----------------------------


def _gen_topo(rng: random.Random, n: int) -> str:
    perm = list(range(1, n + 1))
    rng.shuffle(perm)
    es = []
    for _ in range(rng.randint(0, n - 1) if n > 1 else 0):  # at most n rules with the back edge
        i, j = sorted(rng.sample(range(n), 2))
        es.append((perm[i], perm[j]))  # earlier -> later in perm: a DAG
    if n > 2 and rng.random() < 0.3 and es:
        u, v = rng.choice(es)
        es.append((v, u))  # a back edge: a cycle
    return _graph_text(f"{n} {len(es)}", es)


# Read the rules into adjacency lists and in-degrees (shared by all three programs).
_READ_RULES = """d = sys.stdin.buffer.read().split()
n, m = int(d[0]), int(d[1])
g = [[] for _ in range(n + 1)]
indeg = [0] * (n + 1)
e = list(map(int, d[2:2 + 2 * m]))
for u, v in zip(e[::2], e[1::2]):
    g[u].append(v)
    indeg[v] += 1
"""

TOPO_REF = (
    """import sys, heapq
"""
    + _READ_RULES
    + """heap = [v for v in range(1, n + 1) if indeg[v] == 0]
order = []
while heap:
    u = heapq.heappop(heap)
    order.append(u)
    for v in g[u]:
        indeg[v] -= 1
        if indeg[v] == 0:
            heapq.heappush(heap, v)
print(" ".join(map(str, order)) if len(order) == n else -1)
"""
)

# O(n^2): each step rescans all tasks for the smallest one that is ready.
TOPO_BRUTE = (
    """import sys
"""
    + _READ_RULES
    + """done = [False] * (n + 1)
order = []
for _ in range(n):
    u = next((v for v in range(1, n + 1) if not done[v] and indeg[v] == 0), 0)
    if u == 0:
        print(-1)
        sys.exit()
    done[u] = True
    order.append(u)
    for v in g[u]:
        indeg[v] -= 1
print(*order)
"""
)

TOPO_WRONG = (
    """import sys
from collections import deque
"""
    + _READ_RULES
    + """q = deque(v for v in range(1, n + 1) if indeg[v] == 0)
order = []
while q:
    u = q.popleft()
    order.append(u)
    for v in g[u]:
        indeg[v] -= 1
        if indeg[v] == 0:
            q.append(v)
print(" ".join(map(str, order)) if len(order) == n else -1)
"""
)

TOPO = BuiltinSpec(
    id="graphs-03",
    title="Build Order",
    family=FAMILY,
    difficulty=Difficulty.MEDIUM,
    statement="""A project has n tasks numbered 1 to n and m rules "task u must be done before task v".
Tasks are done one at a time. Among all orders that respect every rule, output the lexicographically
smallest one (compare the first task, then the second, and so on).

## Input
The first line contains n and m. Each of the next m lines contains two integers u and v (u ≠ v):
task u must come before task v. A rule may repeat.

## Output
Print the n tasks of the lexicographically smallest valid order, separated by spaces, or -1 if the
rules contain a cycle and no valid order exists.

## Constraints
- 1 ≤ n ≤ 5 · 10^4
- 0 ≤ m ≤ 5 · 10^4
- 1 ≤ u, v ≤ n
""",
    generate=_gen_topo,
    tiers=tiers(10, 300, 3000, 50_000),
    examples=("4 3\n4 2\n1 2\n3 1\n", "3 3\n1 2\n2 3\n3 1\n"),
    reference=TOPO_REF,
    brute=TOPO_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            TOPO_WRONG,
            "FIFO queue: a valid order, but not the lexicographically smallest",
        ),
    ),
    edge_cases=("1 0\n", "3 1\n3 1\n", "2 2\n1 2\n2 1\n", "4 2\n4 3\n2 1\n"),
)

PROBLEMS: list[BuiltinSpec] = [COMPONENTS, MAZE, TOPO]
