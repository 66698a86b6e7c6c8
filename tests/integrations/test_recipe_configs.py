"""The GPU recipe files in docs/ parse with the libraries that read them (no GPU needed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(("name", "kind"), [("accelerate_zero3.yaml", "DEEPSPEED"), ("accelerate_fsdp.yaml", "FSDP")])
def test_accelerate_configs_load(name: str, kind: str) -> None:
    config_args = pytest.importorskip("accelerate.commands.config.config_args")
    cfg = config_args.load_config_from_file(str(DOCS / "configs" / name))
    assert cfg.distributed_type.value == kind and cfg.mixed_precision == "bf16" and cfg.num_processes == 8
    if kind == "DEEPSPEED":
        assert cfg.deepspeed_config["zero_stage"] == 3 and cfg.deepspeed_config["zero3_save_16bit_model"]
    else:
        assert cfg.fsdp_config["fsdp_state_dict_type"] == "FULL_STATE_DICT"


def test_verl_config_uses_our_reward_and_export_columns() -> None:
    yaml = pytest.importorskip("yaml")
    cfg = yaml.safe_load((DOCS / "configs" / "verl_grpo_coverage.yaml").read_text())
    assert cfg["custom_reward_function"]["name"] == "compute_score"
    assert cfg["algorithm"]["adv_estimator"] == "grpo"
    assert cfg["data"]["prompt_key"] == "prompt"  # the column export-verl writes
    assert cfg["actor_rollout_ref"]["rollout"]["name"] == "vllm"


def test_grpo_recipe_dry_run_builds_the_run_config(tmp_path: Path) -> None:
    pytest.importorskip("codefrontier.train.grpo")
    run = subprocess.run(
        [sys.executable, str(DOCS / "recipes" / "grpo_train.py"), "--init", "Qwen/Qwen2.5-Coder-7B-Instruct",
         "--problems", "lcb.jsonl", "--coverage", "2", "--steps", "10", "--out", str(tmp_path / "c2"),
         "--use-vllm", "--vllm-mode", "server", "--vllm-server-base-url", "http://h:8000", "--bf16", "--dry-run"],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    cfg = json.loads(run.stdout)["run"]
    assert (cfg["coverage"], cfg["use_vllm"], cfg["vllm_mode"], cfg["bf16"]) == (2, True, "server", True)
    assert cfg["vllm_server_base_url"] == "http://h:8000"
