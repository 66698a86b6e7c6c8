"""`codefrontier judge`: judge one solution file on one problem; prints the DESIGN.md JSON.

Exit status 0 whenever judging completed, whatever the verdict; bad input is one line
naming the file (and the problem), exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer


def judge(
    problem: Path = typer.Option(..., "--problem", help="Problem file (.json or .jsonl)."),
    code: Path = typer.Option(..., "--code", help="Solution source file."),
    lang: str = typer.Option("python", "--lang", help="python or cpp."),
    problem_id: str = typer.Option(None, "--id", help="Which problem, when the file holds several."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as one JSON object."),
    all_tests: bool = typer.Option(False, "--all-tests", help="Run every test (no fail-fast)."),
    unsafe_isolation: bool = typer.Option(
        False, "--unsafe-isolation", help="Run even below the safe isolation minimum (trusted code only)."),
) -> None:
    """Judge a solution on a problem's hidden tests."""
    from codefrontier.errors import CodefrontierError
    from codefrontier.judge.config import JudgeConfig
    from codefrontier.judge.outcome import Lang
    from codefrontier.judge.runner import judge as run_judge
    from codefrontier.problems.io import load_problems

    try:
        language = Lang(lang)
    except ValueError:
        raise CodefrontierError(f"--lang '{lang}' is not supported (fix: use python or cpp)") from None
    problems = load_problems(problem)
    if problem_id is not None:
        chosen = [p for p in problems if p.id == problem_id]
        if not chosen:
            raise CodefrontierError(f"{problem}: no problem with id '{problem_id}' (fix: pick one of "
                                    f"{', '.join(p.id for p in problems[:10])})")
        prob = chosen[0]
    elif len(problems) == 1:
        prob = problems[0]
    else:
        raise CodefrontierError(f"{problem}: holds {len(problems)} problems (fix: pick one with --id)")
    try:
        source = code.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CodefrontierError(f"{code}: cannot read the solution file ({err.__class__.__name__}: "
                                f"{err}) for problem '{prob.id}'") from None
    config = JudgeConfig(unsafe_isolation=unsafe_isolation, cache=False)
    outcome = run_judge(prob, source, language, all_tests=all_tests, config=config)
    if as_json:
        typer.echo(json.dumps(outcome.to_json()))
        return
    ff = outcome.first_failure
    where = f" (first failure: test {ff.index}, tier {ff.tier}, {ff.verdict})" if ff else ""
    typer.echo(f"{prob.id}: {outcome.verdict} [{outcome.failure_class}] passed_tier={outcome.passed_tier}"
               f"{where}; {len(outcome.tests)} tests run; isolation {outcome.isolation}")
    if outcome.compile_error:
        typer.echo(outcome.compile_error)
