"""Tiny problems with small limits for the judge's tests (a uniquely named module: `conftest` names clash
across test folders when the whole suite runs)."""

from __future__ import annotations

from codefrontier.problems.model import Problem, Test


def make_problem(cases: list[tuple[str, str]] | None = None, tl: float = 0.3, ml: int = 64,
                 pid: str = "t", **kw) -> Problem:
    """One test per (input, output), tier i+1 for the i-th (so tiers 1..n)."""
    cases = cases or [("1 2\n", "3\n")]
    tests = tuple(Test(input=i, output=o, tier=k + 1, index=k) for k, (i, o) in enumerate(cases))
    return Problem(id=pid, title=pid, statement="", tests=tests, time_limit_s=tl, memory_limit_mb=ml, **kw)
