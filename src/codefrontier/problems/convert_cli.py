"""`codefrontier problems convert` and `export-verl` (placeholder until issue 9 lands)."""

import typer


def register(app: typer.Typer) -> None:
    """Add the conversion commands to the `problems` group."""
