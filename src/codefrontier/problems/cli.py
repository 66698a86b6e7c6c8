"""`codefrontier problems list | show | build` (and the conversion commands from convert_cli).

Only typer and the stdlib are imported at module level; rich and the suite load inside the commands.
Without --problems the commands use the built-in suite (built once per seed, then cached on disk).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from codefrontier.problems import convert_cli

if TYPE_CHECKING:
    from rich.console import Console

    from codefrontier.problems.model import Problem

app = typer.Typer(no_args_is_help=True)
convert_cli.register(app)

PROBLEMS_OPT = typer.Option(None, "--problems", help="A problem file (.json/.jsonl) instead of the built-in suite.")
SEED_OPT = typer.Option(0, "--seed", help="Seed of the built-in suite's hidden tests.")


def _ids(ids: str | None) -> list[str] | None:
    return [i.strip() for i in ids.split(",") if i.strip()] if ids else None


def _load(problems: Path | None, seed: int, ids: list[str] | None = None) -> list[Problem]:
    if problems is not None:
        from codefrontier.problems.io import load_problems

        loaded = load_problems(problems)
        if ids is None:
            return loaded
        by_id = {p.id: p for p in loaded}
        from codefrontier.errors import CodefrontierError

        for i in ids:
            if i not in by_id:
                raise CodefrontierError(f"{problems}: no problem with id '{i}' "
                                        f"(fix: run `codefrontier problems list --problems {problems}`)")
        return [by_id[i] for i in ids]
    from codefrontier.problems.builtin import builtin_problems

    typer.echo("loading the built-in suite (the first build per seed takes a while) ...", err=True)
    return builtin_problems(seed=seed, ids=ids)


def _console() -> Console:
    """A rich console; 160 columns when piped (rich would squeeze the table to 80)."""
    import sys

    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 160)


def _family(p: Problem) -> str:
    return str(p.extra.get("family", p.source))


@app.command("list")
def list_cmd(problems: Path | None = PROBLEMS_OPT, seed: int = SEED_OPT) -> None:
    """List problems: id, family, difficulty, tiers, limits and test counts."""
    from rich.table import Table

    probs = _load(problems, seed)
    table = Table(title=f"{len(probs)} problems" + ("" if problems else f" (built-in, seed {seed})"))
    for col in ("id", "family", "difficulty", "tiers", "time (s)", "memory (MB)", "public", "hidden"):
        table.add_column(col, justify="right" if col in ("tiers", "time (s)", "memory (MB)", "public", "hidden")
                         else "left")
    for p in probs:
        table.add_row(p.id, _family(p), p.difficulty.value, str(p.num_tiers), f"{p.time_limit_s:g}",
                      str(p.memory_limit_mb), str(len(p.public_tests)), str(len(p.tests)))
    _console().print(table)


@app.command("show")
def show_cmd(problem_id: str = typer.Argument(..., metavar="ID", help="The problem id."),
             problems: Path | None = PROBLEMS_OPT, seed: int = SEED_OPT) -> None:
    """Show one problem: statement, limits, checker and the hidden tests per tier with their sizes."""
    from rich.markdown import Markdown
    from rich.table import Table

    (p,) = _load(problems, seed, [problem_id])
    console = _console()
    console.rule(f"{p.id}: {p.title}")
    console.print(Markdown(p.statement))
    calib = p.extra.get("calibration")
    how = f" (calibrated: {calib['factor']} x {calib['reference_cpu_s']} s reference CPU, floor {calib['floor_s']} s)" \
        if isinstance(calib, dict) else ""
    console.print(f"difficulty {p.difficulty.value} | family {_family(p)} | time limit {p.time_limit_s:g} s{how} | "
                  f"memory {p.memory_limit_mb} MB | checker {p.checker.kind.value} | source {p.source}")
    table = Table(title=f"hidden tests ({len(p.tests)}) and public tests ({len(p.public_tests)})")
    for col in ("tier", "tests", "sizes", "input bytes (max)"):
        table.add_column(col, justify="right")
    for tier in range(1, p.num_tiers + 1):
        ts = p.tier_tests(tier)
        sizes = sorted({t.effective_size for t in ts})
        table.add_row(str(tier), str(len(ts)), ", ".join(map(str, sizes)),
                      str(max(len(t.input.encode()) for t in ts)))
    console.print(table)


@app.command("build")
def build_cmd(out: Path = typer.Option(..., "--out", help="Output problem file (.jsonl)."),
              seed: int = SEED_OPT,
              ids: str | None = typer.Option(None, "--ids", help="Comma-separated problem ids (default: all).")) -> None:
    """Build the built-in suite (hidden tests for SEED, calibrated time limits) into a JSONL file."""
    from codefrontier.problems.builtin import builtin_problems
    from codefrontier.problems.io import save_problems

    probs = builtin_problems(seed=seed, ids=_ids(ids))
    save_problems(probs, out)
    typer.echo(f"wrote {len(probs)} problems ({sum(len(p.tests) for p in probs)} hidden tests, seed {seed}) to {out}")
