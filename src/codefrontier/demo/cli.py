"""CLI for this stage (placeholder until issue 8 lands)."""

from codefrontier.errors import CodefrontierError


def demo() -> None:
    """Not available yet."""
    raise CodefrontierError("this command is not implemented yet (issue 8)")
