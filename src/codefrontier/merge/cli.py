"""CLI for this stage (placeholder until issue 4 lands)."""

from codefrontier.errors import CodefrontierError


def merge() -> None:
    """Not available yet."""
    raise CodefrontierError("this command is not implemented yet (issue 4)")
