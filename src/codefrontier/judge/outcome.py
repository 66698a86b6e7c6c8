"""What the judge returns: value objects shared by rewards, sampling and analysis.

`Outcome.to_json()` is the `codefrontier judge --json` contract of docs/design.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codefrontier.enums import StrEnum
from codefrontier.judge.config import Isolation
from codefrontier.verdicts import FailureClass, Verdict


class Lang(StrEnum):
    PYTHON = "python"
    CPP = "cpp"


@dataclass(frozen=True)
class TestResult:
    index: int  # position in the problem's run order (Problem.tests), 0-based
    tier: int
    verdict: Verdict
    cpu_s: float  # user + sys CPU seconds of the whole run (all its processes)
    wall_s: float
    peak_mb: float  # peak memory, MB
    exit_code: int | None  # exit status, or -signal, or None when killed by the judge
    stderr: str = ""  # truncated, kept for feedback
    stdout: str | None = None  # truncated actual output, kept only when asked (public tests, tool runs)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index, "tier": self.tier, "verdict": self.verdict.value,
            "cpu_s": round(self.cpu_s, 6), "wall_s": round(self.wall_s, 6),
            "peak_mb": round(self.peak_mb, 3), "exit_code": self.exit_code,
        }


@dataclass(frozen=True)
class FirstFailure:
    index: int
    tier: int
    verdict: Verdict

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "tier": self.tier, "verdict": self.verdict.value}


@dataclass(frozen=True)
class FailureDetail:
    """What a person needs to diagnose the first failure (never shown to a model: see diagnose.py)."""

    exit_code: int | None  # exit status, or -signal; None when the judge ended the run (time, output)
    signal: str | None  # the signal's name ('SIGSEGV') when a signal ended the run
    excerpt: str  # bounded stderr tail (an RE's traceback) or compiler message (CE), test data masked

    def to_json(self) -> dict[str, Any]:
        return {"exit_code": self.exit_code, "signal": self.signal, "stderr": self.excerpt}


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict  # AC, or the first failing test's verdict
    failure_class: FailureClass
    passed_tier: int  # largest c such that every test of T_c passed (0 if tier 1 fails)
    first_failure: FirstFailure | None
    tests: tuple[TestResult, ...]
    isolation: Isolation | None = None  # the isolation level the runs used; None: no run (e.g. no code)
    compile_error: str | None = None  # truncated compiler / syntax error message for CE
    cached: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    packages: tuple[str, ...] = ()  # the third-party packages the runs could import
    detail: FailureDetail | None = None  # diagnostics of the first failure (None when AC)

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "failure_class": self.failure_class.value,
            "passed_tier": self.passed_tier,
            "first_failure": self._first_failure_json(),
            "tests": [t.to_json() for t in self.tests],
            "isolation": str(self.isolation or ""),
            "packages": list(self.packages),
        }

    def _first_failure_json(self) -> dict[str, Any] | None:
        """{index, tier, verdict} (the docs/design.md contract) plus exit_code, signal and stderr."""
        if self.first_failure is None:
            return None
        return {**self.first_failure.to_json(), **(self.detail.to_json() if self.detail else {})}
