"""The package imports and the CLI answers --help (guards the thin CLI layer)."""

from typer.testing import CliRunner

from codefrontier.cli import app


def test_help_lists_every_stage() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("problems", "judge", "merge", "train", "sample", "report", "demo"):
        assert command in result.output
