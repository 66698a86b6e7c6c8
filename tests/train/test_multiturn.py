"""Multi-turn GRPO (tool / agent settings): token split and mask, final-submission reward, a short real run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cf_fakes import fake_spec, stub_judge

from codefrontier.episodes.settings import Setting, SettingConfig
from codefrontier.rewards import coverage_reward
from codefrontier.train.multiturn import final_submission_reward, token_split


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    from codefrontier.models.tokenizer import train_tokenizer

    return train_tokenizer(["print(1)\n```python\nx = 1\n```", "feedback: wrong answer", "system prompt"], 300)


def test_token_split_masks_exactly_the_model_turns(tokenizer) -> None:  # type: ignore[no-untyped-def]
    messages = [{"role": "system", "content": "system prompt"}, {"role": "user", "content": "solve it"},
                {"role": "assistant", "content": "```python\nprint(3)\n```"},
                {"role": "user", "content": "feedback: wrong answer"},
                {"role": "assistant", "content": "```python\nprint(1)\n```"}]
    prompt, completion, mask = token_split(tokenizer, messages, 2)
    assert len(completion) == len(mask)
    full = tokenizer(tokenizer.apply_chat_template(messages, tokenize=False), add_special_tokens=False)["input_ids"]
    assert prompt + completion == full
    assert tokenizer.decode(prompt).endswith("<|assistant|>\n")
    model_text = tokenizer.decode([t for t, m in zip(completion, mask, strict=True) if m])
    env_text = tokenizer.decode([t for t, m in zip(completion, mask, strict=True) if not m])
    assert model_text == "```python\nprint(3)\n```<|eos|>\n```python\nprint(1)\n```<|eos|>\n"
    assert "feedback: wrong answer" in env_text and "print" not in env_text


def test_reward_reads_the_final_submission_not_the_transcript() -> None:
    from cf_fakes import fake_problem

    inner = coverage_reward(1, problems=[fake_problem()], judge_batch=stub_judge)
    reward = final_submission_reward(inner)
    transcript = [[{"role": "assistant", "content": "```python\nprint(0)  # WA1\n```"}]] * 3
    got = reward([None] * 3, transcript, final_code=["print(1)\n", "print(0)  # WA1\n", ""],
                 problem_id=["sum-01"] * 3)
    assert got == [1.0, 0.0, 0.0]


@pytest.mark.slow
@pytest.mark.parametrize("setting", [Setting.AGENT, Setting.TOOL])
def test_short_multiturn_grpo_run_saves_a_checkpoint(setting: Setting, tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM

    from codefrontier.models.tiny import ModelConfig
    from codefrontier.problems.builtin import build_problem
    from codefrontier.train.corpus import CorpusConfig
    from codefrontier.train.grpo import GRPORunConfig
    from codefrontier.train.multiturn import MultiTurnConfig, train_grpo_multiturn
    from codefrontier.train.sft import SFTConfig, train_sft

    spec = fake_spec()
    tiny = ModelConfig(hidden=32, layers=1, heads=2, intermediate=64, max_positions=1024)
    init = train_sft(SFTConfig(out=str(tmp_path / "init"), vocab_size=300, model=tiny,
                               corpus=CorpusConfig(per_problem=4), max_steps=3, batch_size=4),
                     [(spec, spec.statement)], log=lambda _: None)
    run = GRPORunConfig(init=str(init), coverage=1, steps=2, out=str(tmp_path / "out"), lr=1e-2,
                        num_generations=4, prompts_per_step=1)
    cfg = MultiTurnConfig(run=run, setting=setting, episode=SettingConfig(max_tokens_per_turn=16, max_total_tokens=48))
    logs: list[str] = []
    out = train_grpo_multiturn(cfg, problems=[build_problem(spec)], judge_batch=stub_judge, log=logs.append)
    AutoModelForCausalLM.from_pretrained(str(out))
    saved = json.loads((out / "grpo_config.json").read_text())
    assert saved["setting"] == setting.value and saved["coverage"] == 1
    assert sum(line.startswith("rollout: 4 episodes") for line in logs) == 2  # one multi-turn rollout per step
    assert json.loads((out / "train_stats.json").read_text())["reward_calls"] == 2


def test_cli_rejects_an_unknown_setting_and_a_multiturn_sweep(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from codefrontier.errors import CodefrontierError
    from codefrontier.train.cli import app

    base = ["--init", str(tmp_path), "--out", str(tmp_path / "o")]
    bad = CliRunner().invoke(app, ["grpo", *base, "--coverage", "1", "--setting", "bogus"])
    assert isinstance(bad.exception, CodefrontierError) and "reasoning, tool or agent" in str(bad.exception)
    sweep = CliRunner().invoke(app, ["sweep", *base, "--levels", "1,2", "--setting", "agent"])
    assert isinstance(sweep.exception, CodefrontierError) and "one level at a time" in str(sweep.exception)


@pytest.mark.slow
def test_a_groups_copies_of_one_prompt_are_different_episodes() -> None:
    from types import SimpleNamespace

    from codefrontier.demo.prebuilt import PREBUILT
    from codefrontier.episodes.settings import start_episode
    from codefrontier.problems.builtin import build_problem
    from codefrontier.train.grpo import load_policy
    from codefrontier.train.multiturn import make_rollout

    model, tok = load_policy(str(PREBUILT))  # the demo's init: it writes text, where a random model writes none
    problem, cfg = build_problem(fake_spec()), SettingConfig(max_tokens_per_turn=24, max_total_tokens=48)
    trainer = SimpleNamespace(model=model, args=SimpleNamespace(seed=0), state=SimpleNamespace(global_step=3),
                              accelerator=SimpleNamespace(unwrap_model=lambda m: m))
    from codefrontier.episodes.judging import JudgeFns
    from codefrontier.judge.outcome import Outcome
    from codefrontier.verdicts import FailureClass, Verdict

    def passes(p: object, code: str) -> Outcome:  # 24 tokens hold no whole program; if one did, it passes
        return Outcome(verdict=Verdict.AC, failure_class=FailureClass.SOLVED, passed_tier=0, first_failure=None, tests=())

    judge = JudgeFns(run_public=passes, run_tool=lambda *_: pytest.fail("no tool in the agent setting"),
                     grade=lambda items: [])
    rollout = make_rollout([problem], Setting.AGENT, cfg, judge, tok, temperature=1.0)
    prompt = start_episode(problem, Setting.AGENT, cfg).messages
    out = rollout([prompt] * 4, trainer)
    print(out["completion_ids"])
    assert len({tuple(c) for c in out["completion_ids"]}) > 1
    # a run resumed at the next step (a new rollout function, the trainer at step 4) draws what this one does
    trainer.state.global_step = 4
    nxt = rollout([prompt] * 4, trainer)
    resumed = make_rollout([problem], Setting.AGENT, cfg, judge, tok, temperature=1.0)([prompt] * 4, trainer)
    assert resumed["completion_ids"] == nxt["completion_ids"] != out["completion_ids"]
