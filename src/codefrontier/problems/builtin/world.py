"""World v2: the overlay that makes the built-in suite contest-like (issue 17).

In real contests efficient code fails on hidden edge cases that the examples, a self-test on them or
public-test feedback never reveal, and brute force is correct but too slow beyond some size. This
table, applied to every spec when the registry loads it, gives each problem:

  examples    two public examples that the problem's hidden bugs pass (hand-written ones where they
              do, else small generator inputs), found by world_search.py;
  bugs        buggy efficient variants marked `hidden`: the spec's own wrong solutions that pass those
              examples, plus one-token mutations of the reference (a comparison off by one, a +-1
              dropped, a too-small "infinity"); each fails some hidden test (tests/problems/test_builtin_world.py);
  brute_tier  the first tier where the brute force exceeds the limit: 2, 3 or 4 depending on the
              problem, with the tier sizes moved so that the margin is wide both ways (under half the
              limit below that tier, over 1.5x the limit at it), so verdicts do not flip with load;
              or NEVER for the lenient problems: the tiers stop at a size where brute force is still
              fast, as in a contest whose limits let the naive solution through. On those the clever
              solution is the risk (the corpus's efficient answers there are mostly the hidden bugs,
              LENIENT_KEEP), so low coverage, which settles for brute force, solves what full coverage
              misses: the per-problem complementarity that matched-budget ensembles need.

A problem without an entry keeps its spec as written. The spec's wrong solutions that fail the new
examples stay (not hidden): the feedback traces need first submissions that fail a public test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind, TierSpec


@dataclass(frozen=True)
class Bug:
    old: str  # text of the reference to change ("" = one of the spec's wrong solutions, by note)
    new: str
    occurrence: int  # which occurrence of `old` (0-based) in the reference
    note: str


NEVER = 5  # brute_tier of a lenient problem: past the last of its 4 tiers
LENIENT_KEEP = 0.15  # on a lenient problem, the share of the corpus's efficient answers that are correct


@dataclass(frozen=True)
class Entry:
    brute_tier: int  # 2, 3, 4 or NEVER
    move: str  # how the tier sizes change: "" (keep), "t2" (tier 3's size moves to tier 2),
    # "grow3" (tier 3 grows toward tier 4), "shrink3" (tier 3 shrinks toward tier 2)
    examples: tuple[str, str] | None = None  # None = the spec's hand-written examples
    bugs: tuple[Bug, ...] = ()
    top: int = 0  # a lenient problem's last tier size (brute force well under the limit there); tier 3 = top / 3


def mutate(code: str, old: str, new: str, occurrence: int) -> str:
    """`code` with the occurrence-th `old` replaced by `new` (exactly one edit)."""
    at = -1
    for _ in range(occurrence + 1):
        at = code.find(old, at + 1)
        if at < 0:
            raise ValueError(f"'{old}' occurs fewer than {occurrence + 1} times")
    return code[:at] + new + code[at + len(old):]


def moved_tiers(tiers: tuple[TierSpec, ...], move: str, top: int = 0) -> tuple[TierSpec, ...]:
    s = [t.size for t in tiers]
    mid = round(math.sqrt(s[2] * s[3]))
    sizes = {"": s, "t2": [s[0], s[2], mid, s[3]], "grow3": [s[0], s[1], mid, s[3]],
             "shrink3": [s[0], s[1], max(2 * s[1], s[2] // 3), s[3]],
             "lenient": [s[0], s[1], top // 3, top]}[move]
    return tuple(TierSpec(size, t.count) for size, t in zip(sizes, tiers, strict=True))


def apply(spec: BuiltinSpec) -> BuiltinSpec:
    """The world v2 version of a spec (unchanged when the table has no entry for it)."""
    entry = WORLD.get(spec.id)
    if entry is None:
        return spec
    own = {b.note for b in entry.bugs if not b.old}
    wrong = tuple(replace(w, hidden=w.note in own) for w in spec.wrong)
    added = tuple(Solution(SolutionKind.BUGGY_EFFICIENT, mutate(spec.reference, b.old, b.new, b.occurrence),
                           b.note, hidden=True) for b in entry.bugs if b.old)
    return replace(spec, examples=entry.examples or spec.examples, wrong=wrong + added,
                   tiers=moved_tiers(spec.tiers, entry.move, entry.top), brute_tier=entry.brute_tier)


# Found by world_search.py (examples, mutations; binary-search-01 and prefix-sums-01 by hand), then
# brute tiers from measured brute-force CPU per tier (tests/problems/test_builtin_world.py checks both).
WORLD: dict[str, Entry] = {
    'binary-search-01': Entry(3, 'grow3', ('5 3\n1 3 8 7 2\n3 3\n0 2\n2 10\n', '2 1\n5 -5\n-5 5\n'),
         (Bug('sorted(map(int, d[2:2 + n]))', 'sorted(set(map(int, d[2:2 + n])))', 0, 'dedups the values: a value that occurs twice is counted once'),)),
    'binary-search-02': Entry(2, 't2', ('4 1\n3030 9759 40000 5988\n', '5 1\n1 1 3 1 6\n'),
         (Bug('', '', -1, 'searches from 0, but the check miscounts caps below the largest job'),
             Bug('<=', '<', 0, '< for <=: `<=` -> `<` (occurrence 1)'),
             Bug('>', '>=', 0, '>= for >: `>` -> `>=` (occurrence 1)'),)),
    'binary-search-03': Entry(3, 'grow3', ('3 1\n5 5 5\n', '4 6\n5 3 3 0\n'),
         (Bug('', '', -1, '> instead of >= in the search: overshoots when exactly k pairs fit'),
             Bug('>=', '>', 0, '> for >=: `>=` -> `>` (occurrence 1)'),
             Bug('>', '>=', 0, '>= for >: `>` -> `>=` (occurrence 1)'),)),
    'data-structures-01': Entry(4, 'shrink3', (')()())\n', '))()\n'),
         (Bug('', '', -1, "left-to-right counters only: misses runs after unmatched '('"),
             Bug('-1', '0', 0, '0 for -1: `-1` -> `0` (occurrence 1)'),
             Bug('-1', '0', 1, '0 for -1: `-1` -> `0` (occurrence 2)'),)),
    'data-structures-02': Entry(4, 'shrink3', ('5\n5 2 8 1 9\n', '4\n3 3 1 1\n'),
         (Bug('>', '>=', 2, '>= for >: `>` -> `>=` (occurrence 3)'),)),
    'data-structures-03': Entry(4, 'shrink3', ('5\n2 4 1 3 5\n', '4\n891476089 842578331 602074143 412904836\n'),
         (Bug('', '', -1, 'queries rank - 1: counts equal values as inversions'),
             Bug('<=', '<', 0, '< for <=: `<=` -> `<` (occurrence 1)'),)),
    'dp1d-01': Entry(2, 't2', ('8\n-2 1 -3 4 -1 2 1 -5\n', '4\n-229553937 687207638 781702386 -325926278\n'),
         (Bug('', '', -1, 'allows the empty segment: prints 0 for all-negative arrays'),)),
    'dp1d-02': Entry(3, '', ('8\n10 9 2 5 3 7 101 18\n', '4\n3 2 1 2\n'),
         (Bug('', '', -1, 'bisect_right counts equal values: non-decreasing length'),)),
    'dp1d-03': Entry(NEVER, 'lenient', ('5\n2 3 1 1 4\n', '4\n4 1 1 3\n'),
         (Bug('', '', -1, 'never notices being stuck: no -1'),
             Bug('-1', '0', 0, '0 for -1: `-1` -> `0` (occurrence 1)'),), top=3000),
    'dp2d-01': Entry(3, 'grow3', ('1 4\n1111\n', '1 8\n10101111\n'),
         (Bug('', '', -1, 'forgets the diagonal neighbour in the min'),
             Bug(' + 1', '', 3, 'a + 1 dropped: ` + 1` -> `` (occurrence 4)'),
             Bug(' + 1', '', 4, 'a + 1 dropped: ` + 1` -> `` (occurrence 5)'),)),
    'dp2d-02': Entry(NEVER, 'lenient', ('1 4\n0110\n', '2 2\n10\n11\n'),
         (Bug('', '', -1, 'no sentinel column: rectangles touching the right edge are never measured'),
             Bug(' + 1', '', 0, 'a + 1 dropped: ` + 1` -> `` (occurrence 1)'),
             Bug('-1', '0', 0, '0 for -1: `-1` -> `0` (occurrence 1)'),), top=3000),
    'graphs-01': Entry(2, 't2', ('5 3\n1 2\n2 3\n4 5\n', '4 3\n1 2\n3 2\n2 4\n'),
         (Bug('', '', -1, 'only visits nodes that have a friend: misses isolated residents'),
             Bug(' + 1', '', 2, 'a + 1 dropped: ` + 1` -> `` (occurrence 3)'),)),
    'graphs-02': Entry(4, '', ('2 2\n.#\n#.\n', '1 4\n..#.\n'),
         (Bug('', '', -1, 'only checks the exit when it is entered: a 1x1 maze prints -1'),
             Bug(' + 1', '', 0, 'a + 1 dropped: ` + 1` -> `` (occurrence 1)'),
             Bug(' + 1', '', 1, 'a + 1 dropped: ` + 1` -> `` (occurrence 2)'),)),
    'graphs-03': Entry(4, 'shrink3', ('3 3\n1 2\n2 3\n3 1\n', '4 3\n4 2\n4 1\n1 4\n'),
         (Bug('', '', -1, 'FIFO queue: a valid order, but not the lexicographically smallest'),
             Bug(' + 1', '', 2, 'a + 1 dropped: ` + 1` -> `` (occurrence 3)'),)),
    'greedy-01': Entry(NEVER, 'lenient', ('4\n336340346 336340348\n275623862 275623864\n623549656 623549657\n774241511 774241513\n', '5\n623672595 730776314\n148212730 257090529\n515049636 591863180\n497748834 592003235\n849675000 976099704\n'),
         (Bug('', '', -1, 'wrong greedy: earliest start first'),
             Bug('', '', -1, 'treats touching meetings as overlapping'),
             Bug('>=', '>', 0, '> for >=: `>=` -> `>` (occurrence 1)'),), top=2000),
    'greedy-02': Entry(3, 'grow3', ('4\n6 8\n6 7\n0 1\n3 5\n', '4\n354487533 354487535\n472933424 472933425\n563327880 563327881\n149602726 149602728\n'),
         (Bug('', '', -1, 'a room freed at time t is not reused by a meeting starting at t'),
             Bug('<=', '<', 0, '< for <=: `<=` -> `<` (occurrence 1)'),)),
    'greedy-03': Entry(4, 'shrink3', ('5 10\n4 8 2 3 9\n', '3 1\n2 2 2\n'),
         (Bug('', '', -1, 'cannot spend the last coin (>= instead of >)'),
             Bug('>', '>=', 0, '>= for >: `>` -> `>=` (occurrence 1)'),)),
    'hashing-01': Entry(3, 'grow3', ('4 1\n0 -1 -1 0\n', '6 -6388\n8283 -480 3006 8022 -9901 -5243\n'),
         (Bug('', '', -1, 'forgets the empty prefix: misses segments at the start'),
             Bug(' + 1', '', 0, 'a + 1 dropped: ` + 1` -> `` (occurrence 1)'),)),
    'hashing-02': Entry(4, '', ('4 4\n5 5 5 5\n', '4 4\n1 2 2 3\n'),
         (Bug('', '', -1, 'a set drops a value leaving the window even if it still occurs inside'),
             Bug(' + 1', '', 0, 'a + 1 dropped: ` + 1` -> `` (occurrence 1)'),
             Bug(' + 1', '', 1, 'a + 1 dropped: ` + 1` -> `` (occurrence 2)'),)),
    'hashing-03': Entry(3, 'grow3', ('3\n111\n', '4\n0100\n'),
         (Bug('', '', -1, 'forgets balance 0 before the string: misses prefixes'),
             Bug('-1', '0', 0, '0 for -1: `-1` -> `0` (occurrence 1)'),
             Bug('-1', '0', 1, '0 for -1: `-1` -> `0` (occurrence 2)'),)),
    'number-theory-01': Entry(2, 't2', ('6\n12 16\n16 16\n7 15\n10 18\n14 15\n17 18\n', '6\n16 17\n7 9\n9 14\n16 16\n3 13\n13 13\n'),
         (Bug('', '', -1, 'the sieve forgets that 1 is not prime'),
             Bug(' + 1', '', 1, 'a + 1 dropped: ` + 1` -> `` (occurrence 2)'),)),
    'number-theory-02': Entry(4, '', ('4\n1 1 1 1\n', '4\n32 6 35 24\n'),
         (Bug('', '', -1, 'reduces modulo P before the gcd: gcd of a residue is meaningless'),
             Bug('<=', '<', 0, '< for <=: `<=` -> `<` (occurrence 1)'),
             Bug(' + 1', '', 0, 'a + 1 dropped: ` + 1` -> `` (occurrence 1)'),)),
    'number-theory-03': Entry(3, '', ('4\n111601709 1 1 1000003\n288512643 3 4 3\n615784681 2 2 13\n606710497 2 2 3\n', '5\n828898616 2 4 998244353\n436648937 1 5 3\n458901719 5 3 65537\n358350895 2 4 1000000007\n762889784 3 5 65537\n'),
         (Bug('', '', -1, 'forgets a divisible by p: pow(a, 0, p) gives 1, not 0'),
             Bug('', '', -1, 'reduces the exponent modulo p instead of p - 1'),
             Bug(' - 1', '', 1, 'a - 1 dropped: ` - 1` -> `` (occurrence 2)'),)),
    'prefix-sums-01': Entry(NEVER, 'lenient', ('5 3\n1 2 3 4 5\n1 5\n2 3\n3 4\n', '4 2\n-3 7 0 -1\n1 2\n2 4\n'),
         (Bug('str(p[r] - p[l - 1])', 'str(a[l] if l == r else p[r] - p[l - 1])', 0, 'a one-element query reads a[l] 0-based: the next element (or past the end)'),), top=3000),
    'prefix-sums-02': Entry(3, 'grow3', ('6 6\n-3 -2 3 -3 0 -3\n4 5 3\n1 5 1\n1 4 3\n1 3 0\n1 2 1\n2 5 3\n', '8 8\n323081 -853995 -168088 656861 296132 -178251 299920 -782444\n3 6 -184497\n3 5 -994244\n2 3 -894379\n1 4 -883195\n3 7 466519\n4 4 643706\n3 4 756785\n1 7 -783503\n'),
         (Bug(' + 1', '', 0, 'a + 1 dropped: ` + 1` -> `` (occurrence 1)'),)),
    'prefix-sums-03': Entry(4, '', ('1 1\n-7\n1\n1 1 1 1\n', '2 2\n-9 -3\n2 -3\n4\n1 2 2 2\n1 2 2 2\n1 2 2 2\n1 1 1 2\n'),
         (Bug(' - 1', '', 3, 'a - 1 dropped: ` - 1` -> `` (occurrence 4)'),)),
    'shortest-paths-01': Entry(2, 't2', ('4 4 1\n1 2 5\n2 3 1\n1 3 9\n3 1 1\n', '4 7 4\n4 3 402555447\n3 4 468268616\n2 3 465099084\n1 4 304026801\n4 3 593437244\n1 2 813869530\n3 4 649549013\n'),
         (Bug('', '', -1, 'INF = 10^9 is too small: long routes print -1'),)),
    'shortest-paths-02': Entry(3, '', ('4 4\n1 4 536241\n2 1 170673\n1 3 149731\n3 2 22227\n', '4 8\n1 3 902546\n2 1 41423\n2 1 456449\n1 2 243056\n4 1 18140\n2 1 332604\n1 2 57775\n2 1 232565\n'),
         (Bug('', '', -1, 'never marks the coupon as used: halves every road'),
             Bug('>=', '>', 1, '> for >=: `>=` -> `>` (occurrence 2)'),
             Bug('-1', '0', 1, '0 for -1: `-1` -> `0` (occurrence 2)'),)),
    'strings-01': Entry(3, 'grow3', ('hello\nworld\n', 'babaa\nbabaa\n'),
         (Bug('', '', -1, 'str.count skips overlapping occurrences'),
             Bug(' - 1', '', 1, 'a - 1 dropped: ` - 1` -> `` (occurrence 2)'),)),
    'strings-02': Entry(3, 'grow3', ('abacdfgdcaba\n', 'cbcaa\n'),
         (Bug('', '', -1, 'Manacher without separators: finds odd-length palindromes only'),)),
    'strings-03': Entry(NEVER, 'lenient', ('abcd\n', 'aaac\n'),
         (Bug('', '', -1, 'only accepts periods that divide n'),
             Bug(' - 1', '', 0, 'a - 1 dropped: ` - 1` -> `` (occurrence 1)'),
             Bug('-1', '0', 0, '0 for -1: `-1` -> `0` (occurrence 1)'),), top=3000),
    'two-pointers-01': Entry(3, 'grow3', ('4 -995223948\n499754019 -385345400 254692652 -959380267\n', '5 291135446\n-587217473 -856231602 -621431233 -433074462 -637437141\n'),
         (Bug('', '', -1, 'strict < misses pairs summing to exactly K'),
             Bug('<=', '<', 0, '< for <=: `<=` -> `<` (occurrence 1)'),)),
    'two-pointers-02': Entry(3, '', ('4 4\n3 2 1 3\n', '5 4\n8 7 9 9 9\n'),
         (Bug('', '', -1, 'restarts the window at the new kind instead of shrinking it'),
             Bug('>', '>=', 0, '>= for >: `>` -> `>=` (occurrence 1)'),
             Bug(' + 1', '', 0, 'a + 1 dropped: ` + 1` -> `` (occurrence 1)'),)),
    'two-pointers-03': Entry(3, 'grow3', ('4 13591\n9814 1847 5183 9963\n', '5 1\n2 1 2 2 3\n'),
         (Bug('', '', -1, 'reports -1 when only the whole array works'),
             Bug('<=', '<', 0, '< for <=: `<=` -> `<` (occurrence 1)'),
             Bug('>=', '>', 0, '> for >=: `>=` -> `>` (occurrence 1)'),)),
    'union-find-01': Entry(NEVER, 'lenient', ('4 5\n2 1 2\n1 1 2\n1 3 4\n2 2 1\n2 1 4\n', '3 4\n1 1 2\n1 2 3\n2 1 3\n2 3 3\n'),
         (Bug('', '', -1, 'links the villages themselves, not their roots: earlier merges get lost'),), top=3000),
    'union-find-02': Entry(3, 'grow3', ('3 1\n1 2 7\n', '4 5\n1 3 2\n2 3 4\n1 2 3\n2 3 3\n2 1 4\n'),
         (Bug(' + 1', '', 0, 'a + 1 dropped: ` + 1` -> `` (occurrence 1)'),
             Bug(' + 1', '', 1, 'a + 1 dropped: ` + 1` -> `` (occurrence 2)'),
             Bug(' - 1', '', 0, 'a - 1 dropped: ` - 1` -> `` (occurrence 1)'),)),
    'union-find-03': Entry(3, '', ('4 4 1\n4 2\n2 1\n2 1\n3 2\n2\n', '5 5 0\n1 3\n2 3\n1 5\n3 4\n5 3\n\n'),
         (Bug('', '', -1, 'records the count after reopening the road: answers shifted by one closure'),
             Bug(' - 1', '', 0, 'a - 1 dropped: ` - 1` -> `` (occurrence 1)'),)),
}
