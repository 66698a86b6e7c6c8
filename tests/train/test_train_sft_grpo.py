"""SFT lowers the loss; GRPO (TRL) from that init moves the weights and saves loadable checkpoints."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from cf_fakes import fake_problem, stub_judge, trivial_spec

from codefrontier.models.tiny import ModelConfig
from codefrontier.train.corpus import CorpusConfig
from codefrontier.train.grpo import GRPORunConfig
from codefrontier.train.sft import SFTConfig, epoch_batches, train_sft
from codefrontier.train.sweep import run_sweep

TINY = ModelConfig(hidden=32, layers=1, heads=2, intermediate=64, max_positions=256)


def test_epoch_batches_cover_every_row_once_and_pad_less_than_random_batches() -> None:
    rng = random.Random(0)
    lengths = [rng.choice([300, 350, 700, 850]) + rng.randrange(50) for _ in range(203)]
    batches = epoch_batches(lengths, 16, random.Random(1), pool=8)
    assert sorted(i for b in batches for i in b) == list(range(203))
    assert all(1 <= len(b) <= 16 for b in batches)

    def padded(bs: list[list[int]]) -> int:  # tokens after right-padding each batch to its longest row
        return sum(len(b) * max(lengths[i] for i in b) for b in bs)

    unsorted = epoch_batches(lengths, 16, random.Random(1))  # pool 0: slices of one shuffled order
    assert sorted(i for b in unsorted for i in b) == list(range(203))
    assert padded(batches) < 0.85 * padded(unsorted)


@pytest.fixture(scope="module")
def init_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = trivial_spec()
    cfg = SFTConfig(out=str(tmp_path_factory.mktemp("sft") / "init"), vocab_size=300, model=TINY,
                    corpus=CorpusConfig(per_problem=12), max_steps=120, batch_size=8, lr=1e-2)
    return train_sft(cfg, [(spec, spec.statement)], log=lambda _: None)


@pytest.mark.slow
def test_sft_lowers_the_loss_and_saves_a_hf_folder(init_dir: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    losses = json.loads((init_dir / "sft_losses.json").read_text())
    assert sum(losses["last"]) / 5 < 0.5 * sum(losses["first"]) / 5
    assert (init_dir / "model.safetensors").exists() and json.loads((init_dir / "sft_config.json").read_text())
    AutoModelForCausalLM.from_pretrained(str(init_dir))
    assert AutoTokenizer.from_pretrained(str(init_dir)).chat_template


def _weights(path: Path) -> dict:  # type: ignore[type-arg]
    from safetensors.torch import load_file

    return load_file(str(path / "model.safetensors"))


@pytest.mark.slow
def test_grpo_sweep_moves_weights_and_writes_a_manifest(init_dir: Path, tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM

    template = GRPORunConfig(init=str(init_dir), coverage=1, steps=3, out="", lr=1e-2, num_generations=8,
                             prompts_per_step=1, max_completion_length=40)
    manifest = json.loads(run_sweep(template, [1, 4], tmp_path / "sweep", problems=[fake_problem()],
                                    judge_batch=stub_judge, log=lambda _: None).read_text())
    assert [e["level"] for e in manifest["levels"]] == [1, 4]
    before = _weights(init_dir)
    for entry in manifest["levels"]:
        path = Path(entry["path"])
        after = _weights(path)
        assert any(not (after[k] == before[k]).all() for k in before), f"level {entry['level']} did not move"
        AutoModelForCausalLM.from_pretrained(str(path))
        assert entry["config"]["coverage"] == entry["level"] and entry["stats"]["reward_calls"] == 3
        saved = json.loads((path / "grpo_config.json").read_text())
        assert {k: v for k, v in saved.items() if k not in ("coverage", "out")} == \
               {k: v for k, v in entry["config"].items() if k not in ("coverage", "out")}


@pytest.mark.slow
def test_a_parallel_sweep_trains_each_level_exactly_as_a_serial_one(init_dir: Path, tmp_path: Path) -> None:
    # Workers are spawned processes that load the problems from a file and judge for real.
    from codefrontier.problems import save_problems

    save_problems([fake_problem()], tmp_path / "p.jsonl")
    template = GRPORunConfig(init=str(init_dir), coverage=1, steps=2, out="", lr=1e-2, num_generations=4,
                             prompts_per_step=1, max_completion_length=24, problem_file=str(tmp_path / "p.jsonl"))
    import torch

    lines: list[str] = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the workers run (the thread count picks kernels and reduction orders)
    try:
        run_sweep(template, [1, 4], tmp_path / "serial", log=lambda _: None)
    finally:
        torch.set_num_threads(threads)
    run_sweep(template, [1, 4], tmp_path / "parallel", log=lines.append, workers=2)
    for level in (1, 4):
        serial, parallel = _weights(tmp_path / "serial" / f"c{level}"), _weights(tmp_path / "parallel" / f"c{level}")
        assert all((serial[k] == parallel[k]).all() for k in serial), f"level {level} differs"
    assert [line.split(":")[0] for line in lines] == ["grpo c=1", "grpo c=4"]  # one line per level, in order
