"""GRPO rollouts from our decoding loop (train/rollouts.py): TRL's rollout_func contract, seeds, a short run."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cf_fakes import fake_problem, stub_judge

from codefrontier.train.grpo import GRPORunConfig, train_grpo
from codefrontier.train.rollouts import call_numbers, loop_rollout, rollout_seeds


def test_rollout_seeds_differ_per_row_and_call_and_repeat() -> None:
    seeds = rollout_seeds(0, 0, 8)
    assert len(set(seeds)) == 8  # a group's copies of one prompt draw apart
    assert rollout_seeds(0, 0, 8) == seeds and not set(rollout_seeds(0, 1, 8)) & set(seeds)
    assert rollout_seeds(1, 0, 8) != seeds


def test_call_numbers_follow_the_trainer_step_so_a_resumed_run_repeats_them() -> None:
    at = _trainer(None, 0)
    number = call_numbers()
    seen = []
    for step in (0, 0, 1, 2):
        at.state.global_step = step
        seen.append(number(at))
    assert seen == [0, 1, 1000, 2000]  # a second call at one step gets its own number
    assert call_numbers()(_trainer(None, 2)) == 2000  # resumed at step 2: what the first run used there


def _trainer(model: Any, step: int) -> Any:
    return SimpleNamespace(model=model, state=SimpleNamespace(global_step=step),
                           accelerator=SimpleNamespace(unwrap_model=lambda m: m))


@pytest.mark.slow
def test_loop_rollout_gives_template_prompt_ids_and_sampled_completions() -> None:
    from codefrontier.demo.prebuilt import PREBUILT
    from codefrontier.episodes.prompts import problem_messages
    from codefrontier.problems.builtin import builtin_problems
    from codefrontier.train.grpo import load_policy

    model, tok = load_policy(str(PREBUILT))  # the demo's init: it writes programs for its own problems
    prompt = problem_messages(builtin_problems(ids=["two-pointers-01"])[0])
    rollout = loop_rollout(tok, max_tokens=200, temperature=0.7, seed=0)
    out = rollout([prompt] * 4, _trainer(model, 3))
    want = tok(tok.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True), add_special_tokens=False)["input_ids"]
    assert out["prompt_ids"] == [want] * 4 and out["logprobs"] is None
    comps = out["completion_ids"]
    assert len({tuple(c) for c in comps}) > 1  # a group's copies draw apart
    assert all(c[-1] == tok.eos_token_id or len(c) == 200 for c in comps)
    assert any(c[-1] == tok.eos_token_id for c in comps)
    again = loop_rollout(tok, max_tokens=200, temperature=0.7, seed=0)([prompt] * 4, _trainer(model, 3))
    assert again["completion_ids"] == comps  # a resumed run draws what the uninterrupted one drew at that step


@pytest.mark.slow
def test_a_short_grpo_run_with_loop_rollouts_trains(tmp_path: Path) -> None:
    from codefrontier.demo.prebuilt import PREBUILT

    cfg = GRPORunConfig(init=str(PREBUILT), coverage=1, steps=2, out=str(tmp_path / "out"), lr=1e-2,
                        num_generations=4, prompts_per_step=1, max_completion_length=24, loop_rollouts=True)
    out = train_grpo(cfg, problems=[fake_problem()], judge_batch=stub_judge, log=lambda _: None)
    assert json.loads((out / "train_stats.json").read_text())["reward_calls"] == 2
    assert json.loads((out / "grpo_config.json").read_text())["loop_rollouts"] is True


def test_models_the_loop_cannot_run_fall_back_to_trls_generate(tmp_path: Path) -> None:
    from transformers import GPT2Config, GPT2LMHeadModel

    from codefrontier.train.grpo import _rollouts

    cfg = GRPORunConfig(init="gpt2-like", coverage=1, out=str(tmp_path), loop_rollouts=True)
    lines: list[str] = []
    gpt2 = GPT2LMHeadModel(GPT2Config(n_layer=1, n_embd=32, n_head=2, vocab_size=64))
    assert _rollouts(cfg, gpt2, None, lines.append) == {}
    assert lines and "samples with TRL's generate()" in lines[0]
    assert _rollouts(GRPORunConfig(init="x", coverage=1, out=str(tmp_path)), gpt2, None, lines.append) == {}
