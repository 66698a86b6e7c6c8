"""Strings family: overlapping pattern count (KMP), longest palindrome (Manacher), smallest period."""

from __future__ import annotations

import random

from codefrontier.problems.builtin.common import tiers
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.model import Difficulty

FAMILY = "strings"


def _periodic(rng: random.Random, n: int, block: str, mutations: int, start: int = 0) -> str:
    """block repeated to length n, then `mutations` random letters written at positions >= start."""
    s = list((block * (n // len(block) + 1))[:n])
    for _ in range(mutations):
        s[rng.randrange(min(start, n - 1), n)] = rng.choice("abc")
    return "".join(s)


def _word(rng: random.Random, length: int, letters: str = "ab") -> str:
    return "".join(rng.choice(letters) for _ in range(length))


# --- strings-01: count overlapping occurrences (KMP) --------------------------------------


def _gen_occurrences(rng: random.Random, n: int) -> str:
    t = _periodic(rng, n, _word(rng, rng.randint(1, 3)), rng.randint(0, 5))
    m = rng.randint(1, n) if n <= 300 else rng.randint(n // 4, n // 2)  # long patterns: slow naive scan
    i = rng.randint(0, n - m)
    return f"{t}\n{t[i : i + m]}\n"


OCCURRENCES_REF = """import sys
t, p = sys.stdin.buffer.read().split()
m = len(p)
fail = [0] * m  # fail[i]: longest proper border of p[:i + 1]
k = 0
for i in range(1, m):
    while k and p[i] != p[k]:
        k = fail[k - 1]
    if p[i] == p[k]:
        k += 1
    fail[i] = k
count = k = 0
for c in t:
    while k and (k == m or c != p[k]):
        k = fail[k - 1]
    if c == p[k]:
        k += 1
    count += k == m
print(count)
"""

# Compare the pattern at every position, character by character: O(n * m).
OCCURRENCES_BRUTE = """import sys
t, p = sys.stdin.buffer.read().split()
n, m = len(t), len(p)
count = 0
for i in range(n - m + 1):
    j = 0
    while j < m and t[i + j] == p[j]:
        j += 1
    count += j == m
print(count)
"""

OCCURRENCES_WRONG = """import sys
t, p = sys.stdin.buffer.read().split()
print(t.count(p))
"""

OCCURRENCES = BuiltinSpec(
    id="strings-01",
    title="Echoes in the Archive",
    family=FAMILY,
    difficulty=Difficulty.MEDIUM,
    statement="""An archivist searches a long text t for a pattern p. Count the positions i such that p occurs in t
starting at position i. Occurrences may overlap: in `aaaa` the pattern `aa` occurs 3 times.

## Input
The first line contains the text t, the second line the pattern p. Both consist of lowercase letters.

## Output
Print the number of occurrences of p in t.

## Constraints
- 1 ≤ |t|, |p| ≤ 10^5
""",
    generate=_gen_occurrences,
    tiers=tiers(10, 300, 3000, 100_000),
    examples=("abababa\naba\n", "hello\nworld\n"),
    reference=OCCURRENCES_REF,
    brute=OCCURRENCES_BRUTE,
    wrong=(
        Solution(SolutionKind.BUGGY_EFFICIENT, OCCURRENCES_WRONG, "str.count skips overlapping occurrences"),
    ),
    edge_cases=("a\na\n", "aaaaa\naa\n", "ab\nabc\n", "abcab\nb\n"),
)


# --- strings-02: longest palindromic substring (Manacher) ---------------------------------


def _gen_palindrome(rng: random.Random, n: int) -> str:
    half = _word(rng, rng.randint(1, 2), "ab" if rng.random() < 0.8 else "abcdefghij")
    block = half + half[::-1][rng.randint(0, 1) :]  # a palindrome: its repetitions are full of palindromes
    return _periodic(rng, n, block, rng.randint(0, 6)) + "\n"


PALINDROME_REF = """import sys
s = sys.stdin.read().split()[0]
t = "^#" + "#".join(s) + "#$"  # '#' between letters makes every palindrome odd; ^ and $ stop the scan
rad = [0] * len(t)
center = right = 0
for i in range(1, len(t) - 1):
    k = min(rad[2 * center - i], right - i) if i < right else 0
    while t[i - k - 1] == t[i + k + 1]:
        k += 1
    rad[i] = k
    if i + k > right:
        center, right = i, i + k
print(max(rad))
"""

# Expand around each of the 2n - 1 centres: O(n^2) on repetitive strings.
PALINDROME_BRUTE = """import sys
s = sys.stdin.read().split()[0]
n = len(s)
best = 0
for c in range(2 * n - 1):
    lo, hi = c // 2, (c + 1) // 2
    while lo >= 0 and hi < n and s[lo] == s[hi]:
        lo -= 1
        hi += 1
    best = max(best, hi - lo - 1)
print(best)
"""

PALINDROME_WRONG = PALINDROME_REF.replace(
    't = "^#" + "#".join(s) + "#$"  # \'#\' between letters makes every palindrome odd; ^ and $ stop the scan',
    't = "^" + s + "$"  # ^ and $ stop the scan',
).replace("print(max(rad))", "print(2 * max(rad) + 1)")

PALINDROME = BuiltinSpec(
    id="strings-02",
    title="Mirror Words",
    family=FAMILY,
    difficulty=Difficulty.HARD,
    statement="""A string is a palindrome if it reads the same forwards and backwards. Given a string s, find the
length of its longest substring (a contiguous part) that is a palindrome.

## Input
One line with the string s of lowercase letters.

## Output
Print the length of the longest palindromic substring of s.

## Constraints
- 1 ≤ |s| ≤ 5 · 10^4
""",
    generate=_gen_palindrome,
    tiers=tiers(10, 300, 3000, 50_000),
    examples=("forgeeksskeegfor\n", "abacdfgdcaba\n"),
    reference=PALINDROME_REF,
    brute=PALINDROME_BRUTE,
    wrong=(
        Solution(
            SolutionKind.BUGGY_EFFICIENT,
            PALINDROME_WRONG,
            "Manacher without separators: finds odd-length palindromes only",
        ),
    ),
    edge_cases=("a\n", "abba\n", "abc\n", "zzzzzz\n"),
)


# --- strings-03: smallest period (prefix function) ----------------------------------------


def _gen_period(rng: random.Random, n: int) -> str:
    block = _word(rng, rng.randint(1, min(5, n)))
    mutations = 1 if n >= 1000 else rng.randint(0, 1)  # one late mutation: a long period, slow brute force
    return _periodic(rng, n, block, mutations, start=n // 2) + "\n"


PERIOD_REF = """import sys
s = sys.stdin.buffer.read().split()[0]
n = len(s)
pi = [0] * n  # pi[i]: longest proper prefix of s[:i + 1] that is also its suffix
for i in range(1, n):
    k = pi[i - 1]
    while k and s[i] != s[k]:
        k = pi[k - 1]
    pi[i] = k + (s[i] == s[k])
print(n - pi[-1])
"""

# Try every shift p and compare the string with itself shifted: O(n^2).
PERIOD_BRUTE = """import sys
s = sys.stdin.buffer.read().split()[0]
n = len(s)
print(next(p for p in range(1, n + 1) if all(s[i] == s[i + p] for i in range(n - p))))
"""

PERIOD_WRONG = PERIOD_REF.replace("print(n - pi[-1])", "p = n - pi[-1]\nprint(p if n % p == 0 else n)")

PERIOD = BuiltinSpec(
    id="strings-03",
    title="The Repeating Tune",
    family=FAMILY,
    difficulty=Difficulty.MEDIUM,
    statement="""A tune is written as a string s of length n. A period of s is a number p (1 ≤ p ≤ n) such that
s[i] = s[i + p] for every i with 1 ≤ i ≤ n - p: the tune repeats itself every p notes, the last
repetition possibly cut short. For example, `abcab` has periods 3 and 5.

Find the smallest period of s.

## Input
One line with the string s of lowercase letters.

## Output
Print the smallest period of s.

## Constraints
- 1 ≤ |s| ≤ 10^5
""",
    generate=_gen_period,
    tiers=tiers(10, 300, 3000, 100_000),
    examples=("abcabcab\n", "abcd\n"),
    reference=PERIOD_REF,
    brute=PERIOD_BRUTE,
    wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, PERIOD_WRONG, "only accepts periods that divide n"),),
    edge_cases=("a\n", "aaaa\n", "abaab\n", "abab\n"),
)

PROBLEMS: list[BuiltinSpec] = [OCCURRENCES, PALINDROME, PERIOD]
