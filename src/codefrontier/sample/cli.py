"""CLI for this stage (placeholder until issue 6 lands)."""

from codefrontier.errors import CodefrontierError


def sample() -> None:
    """Not available yet."""
    raise CodefrontierError("this command is not implemented yet (issue 6)")
