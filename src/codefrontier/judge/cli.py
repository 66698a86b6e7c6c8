"""CLI for this stage (placeholder until issue 3 lands)."""

from codefrontier.errors import CodefrontierError


def judge() -> None:
    """Not available yet."""
    raise CodefrontierError("this command is not implemented yet (issue 3)")
