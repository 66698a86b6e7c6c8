"""The sampler's view of the judge, behind one swap point (tests pass fakes).

Three uses, each with the problem's own limits:
  run_public(problem, code)  -> Outcome on the PUBLIC tests, actual stdout kept (agent feedback)
  run_tool(problem, code, stdin) -> TestResult of one run on the model's own input (tool setting)
  grade(items)               -> Outcome per (problem, code) on the HIDDEN tests, fail-fast
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from codefrontier.errors import CodefrontierError
from codefrontier.judge.outcome import Lang, Outcome, TestResult
from codefrontier.problems.model import Problem

GradeItem = tuple[Problem, str]


@dataclass(frozen=True)
class JudgeFns:
    run_public: Callable[[Problem, str], Outcome]
    run_tool: Callable[[Problem, str, str], TestResult]
    grade: Callable[[Sequence[GradeItem]], list[Outcome]]


def real_judge(config: Any = None, lang: Lang = Lang.PYTHON, workers: int = 4) -> JudgeFns:
    """JudgeFns over `codefrontier.judge` (imported here so the sampler loads without it)."""
    try:
        from codefrontier import judge as J
        judge, run_program = J.judge, J.run_program  # type: ignore[attr-defined]
    except (ImportError, AttributeError) as err:
        raise CodefrontierError(f"the judge is not available ({err}); install codefrontier with its judge") from err

    def run_public(problem: Problem, code: str) -> Outcome:
        out: Outcome = judge(problem, code, lang, tests=problem.public_tests, keep_stdout=True, config=config)
        return out

    def run_tool(problem: Problem, code: str, stdin: str) -> TestResult:
        res: TestResult = run_program(problem, code, stdin, lang)
        return res

    def grade(items: Sequence[GradeItem]) -> list[Outcome]:
        many = getattr(J, "judge_many", None)
        if many is not None and hasattr(J, "Submission"):
            subs = [J.Submission(problem=p, code=c, lang=lang) for p, c in items]  # type: ignore[attr-defined]
            return list(many(subs, config))
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(lambda it: judge(it[0], it[1], lang, config=config), items))

    return JudgeFns(run_public=run_public, run_tool=run_tool, grade=grade)
