"""`codefrontier judge`: judge one solution file on one problem; prints the docs/design.md JSON;
`codefrontier grade`: grade a file of generations (see judge/grade.py).

Exit status 0 whenever judging completed, whatever the verdict; bad input is one line
naming the file (and the problem), exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from codefrontier.judge.config import JudgeConfig
from codefrontier.options import config_option, given

if TYPE_CHECKING:
    from codefrontier.judge.outcome import Lang, Outcome



def judge(
    problem: Path = typer.Option(..., "--problem", help="Problem file (.json or .jsonl)."),
    code: Path = typer.Option(..., "--code", help="Solution source file."),
    lang: str = typer.Option("python", "--lang", help="python or cpp."),
    problem_id: str = typer.Option(None, "--id", help="Which problem, when the file holds several."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as one JSON object."),
    all_tests: bool = typer.Option(False, "--all-tests", help="Run every test (no fail-fast)."),
    unsafe_isolation: bool | None = config_option(JudgeConfig, "unsafe_isolation"),
    packages: str | None = config_option(JudgeConfig, "packages"),
) -> None:
    """Judge a solution on a problem's hidden tests."""
    from codefrontier.errors import CodefrontierError
    from codefrontier.judge.runner import judge as run_judge
    from codefrontier.problems.io import load_problems

    language = parse_lang(lang)
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
                                f"{err}) for problem '{prob.id}' (fix: give a readable UTF-8 source file).") from None
    config = _judge_config(unsafe_isolation, packages, cache=False)
    outcome = run_judge(prob, source, language, all_tests=all_tests, config=config)
    if as_json:
        typer.echo(json.dumps(outcome.to_json()))
        return
    ff = outcome.first_failure
    where = f" (first failure: test {ff.index}, tier {ff.tier}, {ff.verdict})" if ff else ""
    typer.echo(f"{prob.id}: {outcome.verdict} [{outcome.failure_class}] passed_tier={outcome.passed_tier}"
               f"{where}; {len(outcome.tests)} tests run; isolation {outcome.isolation}")
    for line in detail_lines(outcome):
        typer.echo(line)


def parse_lang(lang: str) -> Lang:
    from codefrontier.errors import CodefrontierError
    from codefrontier.judge.outcome import Lang

    try:
        return Lang(lang)
    except ValueError:
        raise CodefrontierError(f"--lang '{lang}' is not supported (fix: use python or cpp)") from None


def detail_lines(outcome: Outcome) -> list[str]:
    """The first failure's exit code or signal and its stderr / compiler excerpt, indented."""
    d = outcome.detail
    if d is None:
        return []
    how = f"signal {d.signal}" if d.signal else (f"exit code {d.exit_code}" if d.exit_code is not None
                                                 else "ended by the judge")
    lines = [f"  {'compiler output' if outcome.compile_error is not None else how}:"]
    lines += [f"    {ln}" for ln in (d.excerpt.rstrip("\n").splitlines() or ["(no stderr)"])]
    return lines


def grade(
    problems: Path = typer.Option(..., "--problems", help="Problems file (.json or .jsonl), e.g. converted LiveCodeBench rows."),
    solutions: Path = typer.Option(
        ..., "--solutions", help="JSONL rows {problem_id, code | completion, [sample_index]}, or LiveCodeBench's "
        "generations JSON list [{question_id, code_list}]."),
    out: Path = typer.Option(..., "--out", help="Output JSONL (appended; rerunning skips rows already graded)."),
    lang: str = typer.Option("python", "--lang", help="Language of rows without a 'lang' field: python or cpp."),
    workers: int = typer.Option(0, "--workers", help="Sandboxes judging in parallel (0: one per core)."),
    all_tests: bool = typer.Option(False, "--all-tests", help="Run every test (no fail-fast)."),
    packages: str | None = config_option(JudgeConfig, "packages"),
    unsafe_isolation: bool | None = config_option(JudgeConfig, "unsafe_isolation"),
) -> None:
    """Grade a file of other tools' generations; print solve rate and pass@k per difficulty."""
    import sys
    from dataclasses import replace

    from codefrontier.errors import CodefrontierError
    from codefrontier.judge import grade as grading
    from codefrontier.problems.io import load_problems

    language = parse_lang(lang)
    if workers < 0:
        raise CodefrontierError(f"--workers must be >= 0, got {workers} (fix: 0 for one per core)")
    config = _judge_config(unsafe_isolation, packages)
    config = replace(config, workers=workers) if workers else config
    probs = load_problems(problems)
    bar: list = []  # the progress bar, once the number of rows to grade is known

    def start(total: int) -> None:
        bar.append(typer.progressbar(length=total, label=f"grading {total} rows", file=sys.stderr))
        bar[0].__enter__()

    try:
        report = grading.grade(probs, solutions, out, config, language, all_tests,
                               on_start=start, on_row=lambda _row: bar[0].update(1))
    finally:
        if bar:
            bar[0].__exit__(None, None, None)
    typer.echo(f"{out}: graded {report.graded} rows, {report.skipped} already there")
    for line in grading.format_summary(grading.summarize(report.rows, probs)):
        typer.echo(line)


def _judge_config(unsafe_isolation: bool | None, packages: str | None, **fixed: Any) -> JudgeConfig:
    """JudgeConfig from the flags given (None: the config's default) plus what the command fixes."""
    from codefrontier.judge.packages import parse_packages

    parsed = None if packages is None else parse_packages(packages)
    return JudgeConfig(**fixed, **given(unsafe_isolation=unsafe_isolation, packages=parsed))
