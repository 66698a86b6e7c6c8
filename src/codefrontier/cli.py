"""The `codefrontier` command: a thin typer layer over the library.

Each stage owns its commands in `<stage>/cli.py`; those modules import only
typer at load time (torch and friends are imported inside the commands), so
`codefrontier judge` starts fast. A `CodefrontierError` is printed as one
line, `error: ...`, with exit status 2: never a traceback.
"""

from __future__ import annotations

import sys

import typer

from codefrontier.analysis import cli as analysis_cli
from codefrontier.demo import cli as demo_cli
from codefrontier.episodes import cli as episodes_cli
from codefrontier.errors import CodefrontierError
from codefrontier.integrations import cli as integrations_cli
from codefrontier.judge import cli as judge_cli
from codefrontier.merge import cli as merge_cli
from codefrontier.models import cli as models_cli
from codefrontier.problems import cli as problems_cli
from codefrontier.sample import cli as sample_cli
from codefrontier.train import cli as train_cli

app = typer.Typer(
    name="codefrontier",
    help="Train, blend and judge code models along correctness-efficiency frontiers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
problems_cli.app.command("export-verl", help="Export problems as a verl Parquet dataset at coverage c.")(
    integrations_cli.export_verl)
problems_cli.app.command("prompt", help="Print the exact messages a model is given for a problem in a setting.")(
    episodes_cli.prompt)
app.add_typer(problems_cli.app, name="problems", help="List, show, build and convert problem suites.")
app.add_typer(models_cli.app, name="models", help="Import GGUF checkpoints; resolve checkpoint arguments.")
app.add_typer(train_cli.app, name="train", help="SFT the shared initialization; GRPO per coverage level.")
app.command("judge", help="Judge a solution on a problem's hidden tests.")(judge_cli.judge)
app.command("grade", help="Grade a file of generations (JSONL rows or LiveCodeBench's); resumable.")(judge_cli.grade)
app.command("merge", help="Weight averaging: theta(lam) = A + lam (B - A), streamed and exact.")(merge_cli.merge)
app.command("sample", help="Sample checkpoints in the reasoning, tool or agent setting.")(sample_cli.sample)
app.command("report", help="Build report.html / report.md / CSVs from a run directory.")(analysis_cli.report)
app.command("demo", help="Run the paper's experiment end to end on the built-in world.")(demo_cli.demo)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning user errors into one line and exit status 2."""
    try:
        app(args=argv)
    except CodefrontierError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
