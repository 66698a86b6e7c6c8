from __future__ import annotations

import pytest

from codefrontier.errors import CodefrontierError
from codefrontier.train.sweep import parse_levels


def test_train_commands_are_registered_and_document_gpu_options() -> None:
    from typer.testing import CliRunner

    from codefrontier.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["train", "--help"])
    assert result.exit_code == 0
    for name in ("sft", "grpo", "sweep"):
        assert name in result.output
    grpo_help = runner.invoke(app, ["train", "grpo", "--help"], env={"COLUMNS": "250", "TERMINAL_WIDTH": "250"}).output
    for flag in ("--coverage", "--use-vllm", "--vllm-mode", "--bf16", "--gradient-checkpointing"):
        assert flag in grpo_help


def test_levels_parse_and_bad_levels_are_one_line_errors() -> None:
    assert parse_levels("4, 1,2,2") == [1, 2, 4]
    for bad in ("", "0,1", "a,b"):
        with pytest.raises(CodefrontierError):
            parse_levels(bad)
