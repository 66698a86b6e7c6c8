"""`codefrontier problems convert`.

Thin: parse flags, call `problems.convert`. Every default lives in `ConvertConfig` (a flag left
out is None here and takes the config's default). Library imports happen inside the command so
`codefrontier --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def convert(
    inputs: list[Path] = typer.Argument(..., metavar="IN", help="Rows as .json, .jsonl or .parquet (one or more files)."),
    fmt: str = typer.Option(..., "--from", help="Dataset format: lcb, codecontests, apps or taco."),
    out: Path = typer.Option(..., "--out", help="Output problems file (.jsonl)."),
    tiers: int | None = typer.Option(None, "--tiers", help="K: size-quantile tiers per problem [default: 4]."),
    difficulty: str | None = typer.Option(None, help="Keep only easy, medium or hard (e.g. LCB/hard)."),
    since: str | None = typer.Option(None, help="Keep contest_date >= this ISO date (e.g. 2024-08-01)."),
    until: str | None = typer.Option(None, help="Keep contest_date < this ISO date."),
    time_limit: float | None = typer.Option(None, "--time-limit", help="Override every time limit (s)."),
    memory_limit: int | None = typer.Option(None, "--memory-limit", help="Override every memory limit (MB)."),
    public_in_hidden: bool | None = typer.Option(
        None, "--public-in-hidden/--private-only",
        help="Grade on public + private tests (as LCB does) or private only [default: public-in-hidden]."),
    generated: bool | None = typer.Option(
        None, "--generated/--no-generated",
        help="CodeContests: include generated tests in the hidden suite [default: generated]."),
) -> None:
    """Convert LiveCodeBench / CodeContests / APPS / TACO rows into a problems JSONL."""
    from codefrontier.errors import CodefrontierError
    from codefrontier.problems.convert import ConvertConfig, convert_file
    from codefrontier.problems.model import Difficulty

    try:
        diff = Difficulty(difficulty) if difficulty else None
    except ValueError:
        raise CodefrontierError(f"--difficulty is '{difficulty}' (fix: use easy, medium or hard)") from None
    given: dict[str, Any] = {"num_tiers": tiers, "time_limit_s": time_limit, "memory_limit_mb": memory_limit,
             "hidden_includes_public": public_in_hidden, "include_generated": generated,
             "difficulty": diff, "since": since, "until": until}
    cfg = ConvertConfig(fmt=fmt, **{k: v for k, v in given.items() if v is not None})
    report = convert_file(inputs, out, cfg, on_error=lambda line: typer.echo(line, err=True))
    typer.echo(f"{report.summary()}; wrote {out}", err=True)


def register(app: typer.Typer) -> None:
    """Add the conversion commands to the `problems` group."""
    app.command("convert", help="Convert public dataset rows (lcb, codecontests, apps, taco) to problems.")(convert)
