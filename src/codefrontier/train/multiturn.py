"""GRPO in the tool and agent settings: multi-turn rollouts through TRL's `rollout_func`.

TRL 1.16's `GRPOTrainer(rollout_func=...)` hands us each batch's prompts (already repeated
`num_generations` times) and expects token ids back. We play every prompt as an episode of
`episodes.settings` (the very code that samples at evaluation: same prompts, same tool protocol,
same feedback), with the trainer's current model behind the transformers backend, then return:
  prompt_ids      the opening (system + problem + assistant header) tokens, one list per episode;
  completion_ids  everything after it: all assistant turns AND the tool results / feedback between
                  them (so the policy gradient sees each turn in its real context);
  env_mask        1 on tokens the model wrote, 0 on tokens the environment wrote (TRL's tool mask:
                  no loss on tool outputs / feedback);
  logprobs        None (CPU generation: TRL recomputes what it needs);
  final_code      the episode's graded submission, which the reward reads (extra fields are
                  forwarded to reward functions).
The reward is the coverage reward r_c of the final submission only (`final_submission_reward`).
Token ids are the chat text re-tokenized as a whole, split by character offsets; the tool setting
keeps an assistant turn only up to its tool call (as the sampler does), so the trained sequence is
exactly the conversation the sampler recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codefrontier.episodes.backend import Message, SamplingParams
from codefrontier.episodes.judging import JudgeFns
from codefrontier.episodes.prompts import answer
from codefrontier.episodes.settings import Episode, Setting, SettingConfig, run_episodes, start_episode
from codefrontier.errors import CodefrontierError
from codefrontier.io import atomic_write_json
from codefrontier.problems.model import Problem
from codefrontier.rewards import CoverageReward, JudgeBatch, coverage_reward
from codefrontier.train.grpo import (
    CONFIG_NAME,
    GRPORunConfig,
    already_trained,
    fit,
    load_policy,
    load_run_problems,
    trl_args,
    write_logs,
)
from codefrontier.train.rollouts import call_numbers, rollout_seeds, sampling_policy


@dataclass(frozen=True)
class MultiTurnConfig:
    run: GRPORunConfig  # everything a reasoning-setting run has (max_completion_length = tokens per turn)
    setting: Setting = Setting.TOOL
    # Turns as long as the demo samples (320 tokens), two of them in full: a built-in program is ~250
    # tokens, so at 256 / 512 the revision after feedback was cut off and judged CE.
    episode: SettingConfig = field(default_factory=lambda: SettingConfig(max_tokens_per_turn=320,
                                                                         max_total_tokens=640))

    def to_json(self) -> dict[str, Any]:
        return {**self.run.to_json(), "setting": self.setting.value, "episode": self.episode.to_json()}


def episode_dataset(problems: Sequence[Problem], setting: Setting, cfg: SettingConfig) -> Any:
    """A `datasets.Dataset`: the setting's opening messages as `prompt`, plus `problem_id`."""
    from datasets import Dataset

    return Dataset.from_list([{"prompt": start_episode(p, setting, cfg).messages, "problem_id": p.id}
                              for p in problems])


def token_split(tokenizer: Any, messages: Sequence[Message], n_open: int) -> tuple[list[int], list[int], list[int]]:
    """(prompt ids, completion ids, env mask) of a finished conversation whose first `n_open` messages
    were the prompt. Mask 1 = a token inside an assistant turn after the opening (its content and EOS)."""
    def text(k: int, gen: bool = False) -> str:
        return str(tokenizer.apply_chat_template(list(messages[:k]), tokenize=False, add_generation_prompt=gen))

    full = text(len(messages))
    spans = [(len(text(k, gen=True)), len(text(k + 1))) for k in range(n_open, len(messages))
             if messages[k]["role"] == "assistant"]
    enc = tokenizer(full, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets = enc["input_ids"], enc["offset_mapping"]
    n_prompt = sum(1 for _s, e in offsets if e <= len(text(n_open, gen=True)))
    mask = [int(any(a <= s < b for a, b in spans)) for s, _e in offsets[n_prompt:]]
    return ids[:n_prompt], ids[n_prompt:], mask


def _problem_lookup(problems: Sequence[Problem], setting: Setting, cfg: SettingConfig) -> dict[str, Problem]:
    """Opening user message -> problem (TRL passes prompts without their dataset row)."""
    return {start_episode(p, setting, cfg).messages[-1]["content"]: p for p in problems}


def make_rollout(problems: Sequence[Problem], setting: Setting, cfg: SettingConfig, judge: JudgeFns,
                 tokenizer: Any, temperature: float = 1.0,
                 log: Callable[[str], None] | None = None) -> Callable[[list[Any], Any], dict[str, Any]]:
    """The `rollout_func(prompts, trainer)` playing each prompt as one episode of `setting`."""
    from codefrontier.episodes.hf_backend import HFBackend

    lookup = _problem_lookup(problems, setting, cfg)
    number = call_numbers()

    def rollout(prompts: list[Any], trainer: Any) -> dict[str, Any]:
        call = number(trainer)  # by the trainer's step: a resumed run draws what an uninterrupted one would
        with sampling_policy(trainer) as model:
            backend = HFBackend(model, tokenizer, decoder="loop")  # same tokens as generate(), faster on CPU
            episodes = [start_episode(_find(lookup, p), setting, cfg) for p in prompts]
            seeds = rollout_seeds(int(getattr(trainer.args, "seed", 0)), call, len(episodes))
            run_episodes(episodes, backend, SamplingParams(max_tokens=cfg.max_tokens_per_turn, temperature=temperature),
                         cfg, judge, seeds)
        out = rollout_output(episodes, tokenizer)
        if log is not None:
            log(episode_summary(episodes))
        return out

    return rollout


def _find(lookup: Mapping[str, Problem], prompt: Any) -> Problem:
    key = str(prompt[-1]["content"]) if isinstance(prompt, list) and prompt else ""
    if key not in lookup:
        raise CodefrontierError("a training prompt matches no problem of the run (fix: build the dataset "
                                "with codefrontier.train.multiturn.episode_dataset from the same problems).")
    return lookup[key]


def rollout_output(episodes: Sequence[Episode], tokenizer: Any) -> dict[str, Any]:
    """The dict TRL's rollout_func contract asks for, plus the extra fields the reward reads."""
    prompt_ids, completion_ids, env_mask = [], [], []
    for ep in episodes:
        p, c, m = token_split(tokenizer, ep.messages, 2)
        if not c:  # an empty episode still needs one token for TRL's padding: the EOS, masked out
            c, m = [tokenizer.eos_token_id], [0]
        prompt_ids.append(p)
        completion_ids.append(c)
        env_mask.append(m)
    return {"prompt_ids": prompt_ids, "completion_ids": completion_ids, "logprobs": None, "env_mask": env_mask,
            "final_code": [ep.code or "" for ep in episodes],
            "tool_calls": [ep.tool_calls for ep in episodes], "attempts": [ep.attempts for ep in episodes]}


def episode_summary(episodes: Sequence[Episode]) -> str:
    n = max(len(episodes), 1)
    tools = sum(e.tool_calls for e in episodes) / n
    multi = sum(e.attempts > 1 for e in episodes) / n
    return f"rollout: {len(episodes)} episodes, {tools:.2f} tool calls/episode, {multi:.2f} with >1 submission"


def final_submission_reward(inner: CoverageReward) -> Callable[..., list[float | None]]:
    """r_c of each episode's final submission (the `final_code` rollout field), not of the raw transcript."""
    def reward(prompts: Sequence[Any], completions: Sequence[Any], final_code: Sequence[str] = (),
               **kwargs: Any) -> list[float | None]:
        answers = [answer(code) if code.strip() else "" for code in final_code]
        return inner(prompts, answers, **kwargs)

    reward.__name__ = f"final_{inner.__name__}"
    return reward


def train_grpo_multiturn(cfg: MultiTurnConfig, problems: Sequence[Problem] | None = None,
                         judge: JudgeFns | None = None, judge_batch: JudgeBatch | None = None,
                         log: Callable[[str], None] = print) -> Path:
    """GRPO at coverage `cfg.run.coverage` in the tool or agent setting; returns the output folder."""
    import os

    from trl import GRPOTrainer

    from codefrontier.episodes.judging import real_judge

    run, out = cfg.run, Path(cfg.run.out)
    if cfg.setting is Setting.REASONING:
        raise CodefrontierError("multi-turn GRPO is for --setting tool or agent (fix: use train_grpo for reasoning).")
    if already_trained(out, cfg.to_json(), log):
        return out
    problems = load_run_problems(run, problems)
    os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")  # rollout_func is experimental in TRL 1.16
    model, tokenizer = load_policy(run.init)
    inner = coverage_reward(run.coverage, run.mode, problems=problems, judge_batch=judge_batch)
    rollout = make_rollout(problems, cfg.setting, cfg.episode, judge or real_judge(), tokenizer, run.temperature, log)
    trainer_dir = out / "trainer"
    trainer = GRPOTrainer(model=model, reward_funcs=[final_submission_reward(inner)], args=trl_args(run, trainer_dir),
                          train_dataset=episode_dataset(problems, cfg.setting, cfg.episode), processing_class=tokenizer,
                          rollout_func=rollout)
    wall = fit(trainer, tokenizer, out)
    write_logs(out, run, inner, wall, log)
    atomic_write_json(out / CONFIG_NAME, cfg.to_json())  # after write_logs: adds the setting, marks it finished
    return out

