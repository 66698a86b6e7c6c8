"""`codefrontier problems ...` (placeholder until issue 2 lands)."""

import typer

from codefrontier.problems import convert_cli

app = typer.Typer(no_args_is_help=True)
convert_cli.register(app)
