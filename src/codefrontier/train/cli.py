"""`codefrontier train ...` (placeholder until issue 5 lands)."""

import typer

app = typer.Typer(no_args_is_help=True)
