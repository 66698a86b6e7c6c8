"""How a built-in problem is written down (the contract every family module follows).

A family module (`problems/builtin/families/<family>.py`) defines `PROBLEMS: list[BuiltinSpec]`.
Solutions are Python 3 programs as source strings: they read stdin and write stdout,
exactly what a model would submit. The builder (`problems/builtin/build.py`) turns a
spec into a `Problem`: it generates hidden tests per tier from `generate`, computes the
expected outputs with `reference`, and calibrates the time limit.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from codefrontier.enums import StrEnum
from codefrontier.problems.model import Checker, Difficulty


class SolutionKind(StrEnum):
    EFFICIENT = "efficient"  # correct and fast: the reference, or another correct fast variant
    BRUTE = "brute"  # correct but asymptotically slower: AC below the spec's brute_tier, TLE from it on
    BUGGY_EFFICIENT = "buggy_efficient"  # fast but wrong on some hidden test (off-by-one, bad greedy...)
    BUGGY_BRUTE = "buggy_brute"  # slow and wrong (e.g. a missed edge case in the naive loop)


@dataclass(frozen=True)
class Solution:
    kind: SolutionKind
    code: str  # a full Python 3 program (stdin -> stdout)
    note: str = ""  # what is wrong or slow about it, for humans
    # A bug that passes the public examples (so a tool run on them and public-test feedback miss it)
    # and fails only hidden tests: world v2's contest-like bugs (problems/builtin/world.py).
    hidden: bool = False


@dataclass(frozen=True)
class TierSpec:
    size: int  # the scale parameter n handed to the generator for this tier
    count: int = 3  # how many tests of this tier (edge cases count toward tier 1)


@dataclass(frozen=True)
class BuiltinSpec:
    id: str  # e.g. "prefix-sums-01"
    title: str
    family: str  # e.g. "prefix sums"
    difficulty: Difficulty
    statement: str  # Markdown: story (optional), Input, Output, Constraints. Examples are appended by the builder.
    # generate(rng, n) -> one test input (text ending in "\n"), deterministic for a seeded rng.
    generate: Callable[[random.Random, int], str]
    tiers: tuple[TierSpec, ...]  # >= 4 tiers, sizes spanning >= 3 orders of magnitude
    examples: tuple[str, str]  # the two public test inputs (small, hand-written); outputs come from the reference
    reference: str  # efficient, correct Python solution (produces every expected output)
    brute: str  # correct but slow
    wrong: tuple[Solution, ...]  # >= 1 plausible wrong solutions (BUGGY_EFFICIENT or BUGGY_BRUTE)
    edge_cases: tuple[str, ...] = ()  # extra hand-written tier-1 inputs (n = 1, all equal, ...)
    variants: tuple[Solution, ...] = ()  # optional extra correct variants (EFFICIENT or BRUTE)
    checker: Checker = field(default_factory=Checker)
    memory_limit_mb: int = 256
    # The first tier where the brute force exceeds the time limit (with margin: well under it on the
    # tiers below, far over it at this one); it differs across problems, so each coverage level is a
    # different reward signal. 0 = not declared; len(tiers) + 1 = never: the limit is lenient, brute
    # force fits every tier (see `lenient`).
    brute_tier: int = 0

    @property
    def lenient(self) -> bool:
        """Brute force passes every tier: a problem that does not need the clever solution."""
        return self.brute_tier > len(self.tiers)
