"""Union-find family: online connectivity queries, minimum spanning tree, offline edge deletions."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import tiers
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "union-find"


def _pair(rng: random.Random, n: int) -> tuple[int, int]:
    """Two random nodes in 1..n, distinct when n > 1."""
    if n == 1:
        return 1, 1
    u, v = rng.sample(range(1, n + 1), 2)
    return u, v


# --- union-find-01: merge and ask ---------------------------------------------------------


def _gen_queries(rng: random.Random, n: int) -> str:
    villages = max(1, n // 2)  # n // 4 merges on n // 2 villages: a giant kingdom forms midway
    lines = []
    for k in range(n):
        u, v = _pair(rng, villages)
        lines.append(f"{rng.choice((1, 2)) if k < n - 1 else 2} {u} {v}\n")  # the last event asks
    return f"{villages} {n}\n" + "".join(lines)


# Union-find over nodes 1..n with path halving (a loop, not recursion: trees can be deep).
_FIND = """parent = list(range(n + 1))
def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
"""

QUERIES_REF = (
    """import sys
d = sys.stdin.buffer.read().split()
n, q = int(d[0]), int(d[1])
"""
    + _FIND
    + """out = []
for i in range(q):
    t, a, b = d[2 + 3 * i], find(int(d[3 + 3 * i])), find(int(d[4 + 3 * i]))
    if t == b"1":
        parent[a] = b
    else:
        out.append("YES" if a == b else "NO")
print("\\n".join(out))
"""
)

# Each question searches the graph of all merges so far: O(q * (n + q)).
QUERIES_BRUTE = """import sys
d = sys.stdin.buffer.read().split()
n, q = int(d[0]), int(d[1])
g = [[] for _ in range(n + 1)]
for i in range(q):
    t, a, b = d[2 + 3 * i], int(d[3 + 3 * i]), int(d[4 + 3 * i])
    if t == b"1":
        g[a].append(b)
        g[b].append(a)
        continue
    seen, stack = {a}, [a]
    while stack:
        for v in g[stack.pop()]:
            if v not in seen:
                seen.add(v)
                stack.append(v)
    print("YES" if b in seen else "NO")
"""

QUERIES_WRONG = QUERIES_REF.replace(
    """    t, a, b = d[2 + 3 * i], find(int(d[3 + 3 * i])), find(int(d[4 + 3 * i]))
    if t == b"1":
        parent[a] = b
    else:
        out.append("YES" if a == b else "NO")""",
    """    t, a, b = d[2 + 3 * i], int(d[3 + 3 * i]), int(d[4 + 3 * i])
    if t == b"1":
        parent[a] = b
    else:
        out.append("YES" if find(a) == find(b) else "NO")""",
)
assert QUERIES_WRONG != QUERIES_REF

QUERIES = BuiltinSpec(
    id="union-find-01",
    title="Merging Kingdoms",
    family=FAMILY,
    difficulty=Difficulty.EASY,
    statement="""There are n villages, numbered 1 to n, each initially its own kingdom. Process q events in order:

- `1 u v`: a road is built between villages u and v; their kingdoms merge into one.
- `2 u v`: the king asks whether villages u and v belong to the same kingdom.

## Input
The first line contains n and q. Each of the next q lines contains an event `t u v` as above.

## Output
For every event of type 2, in order, print `YES` or `NO` on its own line.

## Constraints
- 1 ≤ n, q ≤ 5 · 10^4
- t ∈ {1, 2}, 1 ≤ u, v ≤ n
""",
    generate=_gen_queries,
    tiers=tiers(10, 300, 3000, 50_000),
    examples=("4 5\n2 1 2\n1 1 2\n1 3 4\n2 2 1\n2 1 4\n", "3 4\n1 1 2\n1 2 3\n2 1 3\n2 3 3\n"),
    reference=QUERIES_REF,
    brute=QUERIES_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            QUERIES_WRONG,
            "links the villages themselves, not their roots: earlier merges get lost",
        ),
    ),
    edge_cases=("1 1\n2 1 1\n", "3 3\n1 1 2\n1 1 3\n2 2 3\n", "2 3\n1 1 2\n1 1 2\n2 2 1\n"),
)


# --- union-find-02: minimum spanning tree ------------------------------------------------


def _gen_mst(rng: random.Random, n: int) -> str:
    edges = [(rng.randint(1, v - 1), v) for v in range(2, n + 1)]  # a random spanning tree...
    if edges and rng.random() < 0.25:
        edges.pop(rng.randrange(len(edges)))  # ...sometimes with one edge missing: likely disconnected
    edges += [_pair(rng, n) for _ in range(rng.randint(0, n) if n > 1 else 0)]
    rng.shuffle(edges)
    wmax = rng.choice((5, 10**9))  # small weights give many ties
    body = "".join(f"{u} {v} {rng.randint(1, wmax)}\n" for u, v in edges)
    return f"{n} {len(edges)}\n{body}"


MST_REF = (
    """import sys
d = sys.stdin.buffer.read().split()
n, m = int(d[0]), int(d[1])
e = list(map(int, d[2:2 + 3 * m]))
"""
    + _FIND
    + """total, joined = 0, 0
w = e[2::3]
for i in sorted(range(m), key=w.__getitem__):  # edges by weight
    a, b = find(e[3 * i]), find(e[3 * i + 1])
    if a != b:
        parent[a] = b
        total += w[i]
        joined += 1
print(total if joined == n - 1 else -1)
"""
)

# Prim without a heap: each of the n - 1 steps scans every edge for the cheapest one leaving the tree.
MST_BRUTE = """import sys
d = sys.stdin.buffer.read().split()
n, m = int(d[0]), int(d[1])
e = list(map(int, d[2:2 + 3 * m]))
edges = list(zip(e[::3], e[1::3], e[2::3]))
inside = [False] * (n + 1)
inside[1] = True
total = 0
for _ in range(n - 1):
    best = min(((w, u, v) for u, v, w in edges if inside[u] != inside[v]), default=None)
    if best is None:
        print(-1)
        sys.exit()
    total += best[0]
    inside[best[1]] = inside[best[2]] = True
print(total)
"""

MST_WRONG = MST_REF.replace("print(total if joined == n - 1 else -1)", "print(total)")

MST = BuiltinSpec(
    id="union-find-02",
    title="Cheapest Power Grid",
    family=FAMILY,
    difficulty=Difficulty.MEDIUM,
    statement="""n substations must be connected into one power grid. There are m candidate cables; cable i
joins substations u and v and costs w. Choose cables so that every substation can reach every other
one through chosen cables, at minimum total cost.

## Input
The first line contains n and m. Each of the next m lines contains u, v and w (u ≠ v).

## Output
Print the minimum total cost, or -1 if the substations cannot all be connected.

## Constraints
- 1 ≤ n ≤ 3 · 10^4
- 0 ≤ m ≤ 6 · 10^4
- 1 ≤ u, v ≤ n
- 1 ≤ w ≤ 10^9
""",
    generate=_gen_mst,
    tiers=tiers(10, 300, 3000, 30_000),
    examples=("4 5\n1 2 3\n2 3 1\n3 4 4\n1 4 2\n1 3 5\n", "3 1\n1 2 7\n"),
    reference=MST_REF,
    brute=MST_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT, MST_WRONG, "never checks connectivity: prints the forest's cost"
        ),
    ),
    edge_cases=("1 0\n", "2 0\n", "3 3\n1 2 5\n2 3 5\n1 3 5\n", "4 2\n1 2 1\n3 4 1\n"),
)


# --- union-find-03: components while roads close (offline, reversed) ---------------------


def _gen_closures(rng: random.Random, n: int) -> str:
    edges = [_pair(rng, n) for _ in range(n if n > 1 else 0)]
    closed = rng.sample(range(1, len(edges) + 1), rng.randint(0, len(edges)))
    body = "".join(f"{u} {v}\n" for u, v in edges)
    return f"{n} {len(edges)} {len(closed)}\n{body}" + " ".join(map(str, closed)) + "\n"


CLOSURES_REF = (
    """import sys
d = sys.stdin.buffer.read().split()
n, m, q = int(d[0]), int(d[1]), int(d[2])
e = list(map(int, d[3:3 + 2 * m]))
closed = [int(x) - 1 for x in d[3 + 2 * m:3 + 2 * m + q]]
"""
    + _FIND
    + """count = n
def join(i):
    global count
    a, b = find(e[2 * i]), find(e[2 * i + 1])
    if a != b:
        parent[a] = b
        count -= 1
gone = set(closed)
for i in range(m):
    if i not in gone:
        join(i)
answers = []
for i in reversed(closed):  # reopen roads from the last closed one back
    answers.append(count)
    join(i)
answers.append(count)  # every road open: the state before the first closure
print("\\n".join(map(str, reversed(answers))))
"""
)

# Recount the components from scratch after every closure: O(q * (n + m)).
CLOSURES_BRUTE = """import sys
d = sys.stdin.buffer.read().split()
n, m, q = int(d[0]), int(d[1]), int(d[2])
e = list(map(int, d[3:3 + 2 * m]))
closed = [int(x) - 1 for x in d[3 + 2 * m:3 + 2 * m + q]]
for k in range(q + 1):
    gone = set(closed[:k])
    parent = list(range(n + 1))
    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x
    count = n
    for i in range(m):
        a, b = find(e[2 * i]), find(e[2 * i + 1])
        if i not in gone and a != b:
            parent[a] = b
            count -= 1
    print(count)
"""

CLOSURES_WRONG = CLOSURES_REF.replace(
    "    answers.append(count)\n    join(i)", "    join(i)\n    answers.append(count)"
)

CLOSURES = BuiltinSpec(
    id="union-find-03",
    title="Winter Road Closures",
    family=FAMILY,
    difficulty=Difficulty.HARD,
    statement="""A region has n towns and m two-way roads, numbered 1 to m; road i joins towns u_i and v_i.
Winter comes and q distinct roads close one by one, never to reopen this season. After each closure,
the mayor wants to know how many groups of towns are mutually reachable (a town with no open road is a
group alone).

## Input
The first line contains n, m and q. Each of the next m lines contains u_i and v_i (u_i ≠ v_i).
The last line contains q distinct road numbers, in the order the roads close (it is empty when q = 0).

## Output
Print q + 1 lines: the number of groups before the first closure, then after each closure.

## Constraints
- 1 ≤ n ≤ 5 · 10^4
- 0 ≤ q ≤ m ≤ 5 · 10^4
- 1 ≤ u_i, v_i ≤ n
""",
    generate=_gen_closures,
    tiers=tiers(10, 300, 3000, 50_000),
    examples=("4 4 3\n1 2\n2 3\n3 1\n3 4\n4 1 2\n", "2 1 1\n1 2\n1\n"),
    reference=CLOSURES_REF,
    brute=CLOSURES_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            CLOSURES_WRONG,
            "records the count after reopening the road: answers shifted by one closure",
        ),
    ),
    edge_cases=("1 0 0\n\n", "3 3 3\n1 2\n2 3\n1 3\n2 3 1\n", "2 2 1\n1 2\n1 2\n2\n"),
)

PROBLEMS: list[BuiltinSpec] = [QUERIES, MST, CLOSURES]
