"""Number theory family: sieve with prefix counts, LCM modulo a prime, power towers (Fermat)."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import tiers
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "number theory"

# --- number-theory-01: primes in ranges (sieve + prefix counts) ---------------------------


def _gen_prime_ranges(rng: random.Random, n: int) -> str:
    q, top = min(n, 1000), min(10**6, 3 * n)  # small tiers stay cheap for trial division
    lines = []
    for _ in range(q):
        lo = 1 if rng.random() < 0.2 else rng.randint(1, top)
        lines.append(f"{lo} {rng.randint(lo, top)}\n")
    return f"{q}\n" + "".join(lines)


PRIMES_REF = """import sys
from itertools import accumulate
d = sys.stdin.buffer.read().split()
q = int(d[0])
v = list(map(int, d[1:1 + 2 * q]))
N = max(v)
sieve = bytearray([1]) * (N + 1)
sieve[0] = sieve[1] = 0
for i in range(2, int(N**0.5) + 1):
    if sieve[i]:
        sieve[i * i::i] = bytes(len(range(i * i, N + 1, i)))
count = list(accumulate(sieve))
print("\\n".join(str(count[r] - count[l - 1]) for l, r in zip(v[::2], v[1::2])))
"""

# Trial division of every number of every range.
PRIMES_BRUTE = """import sys
d = sys.stdin.buffer.read().split()
q = int(d[0])
def is_prime(x):
    return x > 1 and all(x % k for k in range(2, int(x**0.5) + 1))
for i in range(q):
    l, r = int(d[1 + 2 * i]), int(d[2 + 2 * i])
    print(sum(is_prime(x) for x in range(l, r + 1)))
"""

PRIMES_WRONG = PRIMES_REF.replace("sieve[0] = sieve[1] = 0", "sieve[0] = 0")

PRIMES = BuiltinSpec(
    id="number-theory-01",
    title="Prime Time",
    family=FAMILY,
    difficulty=Difficulty.EASY,
    statement="""Answer q questions: how many prime numbers lie in the range [l, r] (both ends included)?

## Input
The first line contains q. Each of the next q lines contains two integers l and r.

## Output
For each question print, on its own line, the number of primes p with l ≤ p ≤ r.

## Constraints
- 1 ≤ q ≤ 1000
- 1 ≤ l ≤ r ≤ 10^6
""",
    generate=_gen_prime_ranges,
    tiers=tiers(10, 300, 3000, 300_000),
    examples=("3\n1 10\n11 19\n20 22\n", "2\n2 2\n4 4\n"),
    reference=PRIMES_REF,
    brute=PRIMES_BRUTE,
    wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, PRIMES_WRONG, "the sieve forgets that 1 is not prime"),),
    edge_cases=("1\n1 1\n", "2\n1 2\n1000 1000\n"),
)


# --- number-theory-02: LCM of an array modulo 10^9 + 7 ------------------------------------


def _gen_lcm(rng: random.Random, n: int) -> str:
    top = min(10**6, 10 * n)
    return f"{n}\n" + " ".join(str(rng.randint(1, top)) for _ in range(n)) + "\n"


LCM_REF = """import sys
from itertools import compress
d = sys.stdin.buffer.read().split()
n = int(d[0])
a = list(map(int, d[1:n + 1]))
M, P = max(a), 10**9 + 7
present = bytearray(M + 1)
for x in a:
    present[x] = 1
sieve = bytearray([1]) * (M + 1)
for i in range(2, int(M**0.5) + 1):
    if sieve[i]:
        sieve[i * i::i] = bytes(len(range(i * i, M + 1, i)))
lcm = 1
for p in compress(range(2, M + 1), sieve[2:]):
    pk = p
    while pk <= M and 1 in present[pk::pk]:  # some a_i is divisible by p^k
        lcm = lcm * p % P
        pk *= p
print(lcm)
"""

# Exact big-integer LCM, reduced at the end: the number grows to millions of bits.
LCM_BRUTE = """import sys, math
d = sys.stdin.buffer.read().split()
print(math.lcm(*map(int, d[1:int(d[0]) + 1])) % (10**9 + 7))
"""

LCM_WRONG = """import sys, math
d = sys.stdin.buffer.read().split()
P = 10**9 + 7
lcm = 1
for x in map(int, d[1:int(d[0]) + 1]):
    lcm = lcm * x // math.gcd(lcm, x) % P
print(lcm)
"""

LCM = BuiltinSpec(
    id="number-theory-02",
    title="Synchronised Lighthouses",
    family=FAMILY,
    difficulty=Difficulty.HARD,
    statement="""n lighthouses blink periodically: lighthouse i blinks every a_i seconds, and all of them
blinked together at time 0. After how many seconds will they all blink together again? The answer
is the least common multiple of a_1, ..., a_n, which can be huge: print it modulo 10^9 + 7.

## Input
The first line contains n. The second line contains n integers a_1, ..., a_n.

## Output
Print lcm(a_1, ..., a_n) modulo 1000000007.

## Constraints
- 1 ≤ n ≤ 10^5
- 1 ≤ a_i ≤ 10^6
""",
    generate=_gen_lcm,
    tiers=tiers(10, 300, 3000, 100_000),
    examples=("3\n4 6 10\n", "4\n1 1 1 1\n"),
    reference=LCM_REF,
    brute=LCM_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            LCM_WRONG,
            "reduces modulo P before the gcd: gcd of a residue is meaningless",
        ),
    ),
    edge_cases=("1\n1\n", "1\n999983\n", "5\n7 7 7 7 7\n", "3\n1000000 999999 999998\n"),
)


# --- number-theory-03: a^(b^c) mod p -------------------------------------------------------

_PRIMES = (2, 3, 5, 7, 13, 65537, 1000003, 998244353, 1000000007)


def _gen_tower(rng: random.Random, n: int) -> str:
    top = min(10**9, n)  # b^c stays computable exactly only on the small tiers
    lines = []
    for _ in range(n):
        p = rng.choice(_PRIMES)
        a = p * rng.randint(0, 3) if rng.random() < 0.2 else rng.randint(0, 10**9)
        lines.append(f"{a} {rng.randint(1, top)} {rng.randint(1, top)} {p}\n")
    return f"{n}\n" + "".join(lines)


TOWER_REF = """import sys
d = sys.stdin.buffer.read().split()
q = int(d[0])
out = []
for i in range(q):
    a, b, c, p = map(int, d[1 + 4 * i:5 + 4 * i])
    # Fermat: a^(p-1) = 1 (mod p) when p does not divide a, so reduce the exponent mod p - 1.
    out.append(0 if a % p == 0 else pow(a, pow(b, c, p - 1), p))
print("\\n".join(map(str, out)))
"""

# Computes the exponent b^c exactly: up to 3 * 10^10 bits.
TOWER_BRUTE = """import sys
d = sys.stdin.buffer.read().split()
for i in range(int(d[0])):
    a, b, c, p = map(int, d[1 + 4 * i:5 + 4 * i])
    print(pow(a, b**c, p))
"""

TOWER_WRONG_ZERO = TOWER_REF.replace(
    "0 if a % p == 0 else pow(a, pow(b, c, p - 1), p)", "pow(a, pow(b, c, p - 1), p)"
)
TOWER_WRONG_MOD = TOWER_REF.replace("pow(b, c, p - 1)", "pow(b, c, p)")

TOWER = BuiltinSpec(
    id="number-theory-03",
    title="Tower of Powers",
    family=FAMILY,
    difficulty=Difficulty.HARD,
    statement="""For each of q queries, given a, b, c and a prime p, compute a^(b^c) mod p: a raised to the power
b^c (the exponent is b raised to the power c), taken modulo p.

## Input
The first line contains q. Each of the next q lines contains four integers a, b, c and p.

## Output
For each query print a^(b^c) mod p on its own line.

## Constraints
- 1 ≤ q ≤ 3 · 10^4
- 0 ≤ a ≤ 5 · 10^9
- 1 ≤ b, c ≤ 10^9
- 2 ≤ p ≤ 10^9 + 7, p is prime
""",
    generate=_gen_tower,
    tiers=tiers(10, 300, 3000, 30_000),
    examples=("3\n2 3 2 1000000007\n3 2 3 7\n10 1 1 5\n", "2\n0 5 5 13\n4 2 2 2\n"),
    reference=TOWER_REF,
    brute=TOWER_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            TOWER_WRONG_ZERO,
            "forgets a divisible by p: pow(a, 0, p) gives 1, not 0",
        ),
        Solution(
            SolutionKind.BUGGY_EFFICIENT, TOWER_WRONG_MOD, "reduces the exponent modulo p instead of p - 1"
        ),
    ),
    edge_cases=("1\n2 1 1 2\n", "1\n6 6 6 3\n", "1\n1000000007 3 3 1000000007\n", "1\n5 1 1 2\n"),
)

PROBLEMS: list[BuiltinSpec] = [PRIMES, LCM, TOWER]
