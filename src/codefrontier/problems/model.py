"""The problem model of docs/design.md ("On-disk formats"): frozen dataclasses for Problem, Test and Checker.

A problem has public tests (may be shown to a model) and hidden tests (never
shown). Hidden tests are kept sorted by (tier, size, original index) and every
hidden test carries a tier in 1..K, so `coverage_set(c)` is a prefix of `tests`.
Unknown fields of the file format are kept in `extra` and written back out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from codefrontier.enums import StrEnum


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class CheckerKind(StrEnum):
    TOKENS = "tokens"  # whitespace-separated tokens equal (the default)
    EXACT = "exact"  # byte-for-byte equal
    FLOAT = "float"  # tokens equal, numbers within abs or rel tolerance
    PROGRAM = "program"  # a checker program given input, expected and actual


def _frozen(d: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True)
class Checker:
    kind: CheckerKind = CheckerKind.TOKENS
    abs_tol: float = 1e-6  # only for FLOAT
    rel_tol: float = 1e-6  # only for FLOAT
    program: str | None = None  # only for PROGRAM: Python source of the checker
    extra: Mapping[str, Any] = field(default_factory=lambda: _frozen(None))


@dataclass(frozen=True)
class Test:
    input: str
    output: str
    size: int | None = None  # declared size; None means "byte length of input"
    tier: int | None = None  # 1..K for hidden tests once tiers are assigned
    index: int = 0  # position in the original file's list (tie-breaker for ordering)
    extra: Mapping[str, Any] = field(default_factory=lambda: _frozen(None))

    @property
    def effective_size(self) -> int:
        """Declared size, else the byte length of the input (docs/design.md, "test size")."""
        return self.size if self.size is not None else len(self.input.encode("utf-8"))


@dataclass(frozen=True)
class Problem:
    id: str
    title: str
    statement: str
    tests: tuple[Test, ...]  # hidden tests, sorted, tiers assigned (see tiers.assign_tiers)
    public_tests: tuple[Test, ...] = ()
    difficulty: Difficulty = Difficulty.MEDIUM
    time_limit_s: float = 1.0
    memory_limit_mb: int = 256
    checker: Checker = field(default_factory=Checker)
    fn_name: str | None = None  # call-based problems (LeetCode style); None for stdin/stdout
    source: str = "builtin"
    extra: Mapping[str, Any] = field(default_factory=lambda: _frozen(None))

    @property
    def num_tiers(self) -> int:
        return max((t.tier or 0 for t in self.tests), default=0)

    def tier_tests(self, tier: int) -> tuple[Test, ...]:
        return tuple(t for t in self.tests if t.tier == tier)

    def coverage_set(self, c: int) -> tuple[Test, ...]:
        """T_c: every hidden test of tier <= c, in run order. T_K is the full suite."""
        if c < 1:
            raise ValueError(f"coverage level must be >= 1, got {c}")
        return tuple(t for t in self.tests if (t.tier or 0) <= c)

    def with_tests(self, tests: tuple[Test, ...]) -> Problem:
        return replace(self, tests=tests)
