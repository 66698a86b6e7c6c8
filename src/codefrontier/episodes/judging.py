"""The sampler's view of the judge, behind one swap point (tests pass fakes).

Three uses, each with the problem's own limits:
  run_public(problem, code)  -> Outcome on the PUBLIC tests, actual stdout kept (agent feedback)
  run_tool(problem, code, stdin) -> TestResult of one run on the model's own input (tool setting)
  grade(items)               -> Outcome per (problem, code) on the HIDDEN tests, fail-fast
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from codefrontier.judge.outcome import Lang, Outcome, TestResult
from codefrontier.problems.model import Problem

GradeItem = tuple[Problem, str]


@dataclass(frozen=True)
class JudgeFns:
    run_public: Callable[[Problem, str], Outcome]
    run_tool: Callable[[Problem, str, str], TestResult]
    grade: Callable[[Sequence[GradeItem]], list[Outcome]]


def real_judge(config: Any = None, lang: Lang = Lang.PYTHON, executor: Any = None) -> JudgeFns:
    """JudgeFns over `codefrontier.judge` (imported here, so the sampler loads without it).

    `config` is a JudgeConfig (None: the judge's defaults); `executor` an Executor for the hidden-test
    batches (None: the local pool; a RayExecutor scales grading out)."""
    from codefrontier.judge import JudgeConfig, Submission, judge, judge_many, run_program

    cfg = config or JudgeConfig()

    def run_public(problem: Problem, code: str) -> Outcome:
        return judge(problem, code, lang, tests=problem.public_tests, keep_stdout=True, config=cfg)

    def run_tool(problem: Problem, code: str, stdin: str) -> TestResult:
        return run_program(problem, code, stdin, lang, config=cfg)

    def grade(items: Sequence[GradeItem]) -> list[Outcome]:
        return judge_many([Submission(problem=p, code=c, lang=lang) for p, c in items], cfg, executor)

    return JudgeFns(run_public=run_public, run_tool=run_tool, grade=grade)
