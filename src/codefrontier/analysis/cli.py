"""CLI for this stage (placeholder until issue 7 lands)."""

from codefrontier.errors import CodefrontierError


def report() -> None:
    """Not available yet."""
    raise CodefrontierError("this command is not implemented yet (issue 7)")
