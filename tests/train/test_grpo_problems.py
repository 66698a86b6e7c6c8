"""GRPORunConfig validates itself and is the CLI's defaults; `train grpo --problems FILE` on a converted real problem."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codefrontier.errors import CodefrontierError
from codefrontier.rewards import RewardMode
from codefrontier.train.grpo import GRPORunConfig, VLLMMode
from real_data import REAL_DIR

REAL = REAL_DIR / "codecontests_dev.jsonl"
BASE = {"init": "m", "coverage": 1, "out": "o"}


@pytest.mark.parametrize("bad, message", [
    ({"mode": "lenient"}, "unknown reward mode"), ({"vllm_mode": "remote"}, "unknown vLLM mode"),
    ({"steps": 0}, "steps is 0"), ({"coverage": 0}, "coverage is 0"), ({"lr": 0.0}, "lr 0.0"),
    ({"use_vllm": True, "vllm_mode": "server"}, "needs --vllm-server-base-url"),
])
def test_run_config_refuses_bad_values(bad: dict[str, object], message: str) -> None:
    with pytest.raises(CodefrontierError, match=message):
        GRPORunConfig(**{**BASE, **bad})  # type: ignore[arg-type]


def test_run_config_takes_enum_words() -> None:
    cfg = GRPORunConfig(**BASE, mode="partial", vllm_mode="server")  # type: ignore[arg-type]
    assert cfg.mode is RewardMode.PARTIAL and cfg.vllm_mode is VLLMMode.SERVER
    assert cfg.to_json()["mode"] == "partial"


def _dry(argv: list[str]) -> dict[str, object]:
    from codefrontier.train.cli import app

    res = CliRunner().invoke(app, [*argv, "--dry-run"])
    assert res.exit_code == 0, res.output
    return dict(json.loads(res.output)["run"])


def test_cli_defaults_are_the_config_defaults_and_problems_take_a_file_or_ids(tmp_path: Path) -> None:
    base = ["grpo", "--init", "m", "--coverage", "2", "--out", str(tmp_path / "o")]
    run = _dry(base)
    want = GRPORunConfig(init="m", coverage=2, out=str(tmp_path / "o")).to_json()
    assert run == want and {f.name for f in fields(GRPORunConfig)} == set(run)
    assert _dry([*base, "--problems", "a-01,b-02"])["problems"] == ["a-01", "b-02"]
    from_file = _dry([*base, "--problems", "x.jsonl", "--problem-ids", "p1", "--lr", "1e-6"])
    assert (from_file["problem_file"], from_file["problems"], from_file["lr"]) == ("x.jsonl", ["p1"], 1e-6)
    sweep = CliRunner().invoke(__import__("codefrontier.train.cli", fromlist=["app"]).app,
                               ["sweep", "--init", "m", "--levels", "1,3", "--out", "s", "--problems", "x.jsonl",
                                "--dry-run"])
    assert json.loads(sweep.output)["levels"] == [1, 3] and json.loads(sweep.output)["run"]["problem_file"] == "x.jsonl"


@pytest.fixture(scope="module")
def real_problem_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first CodeContests dev row, converted (nothing written to the project)."""
    from codefrontier.problems.convert import ConvertConfig, convert_file

    if not REAL.is_file():
        pytest.skip(f"{REAL} is absent (the shared real data of this project)")
    first = tmp_path_factory.mktemp("cc") / "row.jsonl"
    first.write_text(REAL.read_text().splitlines()[0] + "\n")
    out = first.with_name("problems.jsonl")
    convert_file(first, out, ConvertConfig(fmt="codecontests"))
    return out


@pytest.mark.slow
def test_train_grpo_on_a_converted_problem_file(real_problem_file: Path, tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM

    from codefrontier.episodes.prompts import problem_messages
    from codefrontier.models.fresh import fresh_tiny_model
    from codefrontier.problems import load_problems
    from codefrontier.train.cli import app
    from codefrontier.train.grpo import prompt_dataset

    model, tok = fresh_tiny_model(hidden=32, layers=1, max_positions=4096)
    model.save_pretrained(tmp_path / "init")
    tok.save_pretrained(tmp_path / "init")
    out = tmp_path / "c1"
    argv = ["grpo", "--init", str(tmp_path / "init"), "--coverage", "1", "--out", str(out), "--problems",
            str(real_problem_file), "--steps", "1", "--num-generations", "2", "--prompts-per-step", "1",
            "--max-completion-length", "8", "--lr", "1e-3"]
    res = CliRunner().invoke(app, argv)
    assert res.exit_code == 0, res.output
    AutoModelForCausalLM.from_pretrained(str(out))
    saved = json.loads((out / "grpo_config.json").read_text())
    assert saved["problem_file"] == str(real_problem_file) and saved["steps"] == 1
    log = [json.loads(line) for line in (out / "reward_log.jsonl").read_text().splitlines()]
    assert len(log) == 1 and sum(log[0]["verdicts"].values()) == 2  # one reward call, 2 completions judged
    problem = load_problems(real_problem_file)[0]  # the training prompt is the sampler's opening for it
    assert prompt_dataset([problem])[0]["prompt"] == problem_messages(problem)
    again = CliRunner().invoke(app, argv)  # same configuration: reused, not retrained
    assert again.exit_code == 0 and "already holds this configuration" in again.output
