"""GRPO under coverage level c through TRL's `GRPOTrainer` (called, never subclassed).

One run: an initial checkpoint (any Hugging Face causal LM path or id) + the coverage reward
r_c -> a trained checkpoint. Every hyperparameter lives in `GRPORunConfig` and is saved beside
the output (`grpo_config.json`), so runs at different coverage levels differ only in `coverage`.

CPU recipe (FINDINGS.md): use_cpu, no bf16, lr ~1e-4..3e-4 (TRL's 1e-6 does nothing at this size),
>= 8 completions per prompt so groups have reward spread. GPU options pass straight through:
`use_vllm` with `vllm_mode` "colocate" (in-process) or "server" (start `trl vllm-serve --model INIT`
first, point `vllm_server_base_url` at it), `bf16`, `gradient_checkpointing`. Multi-GPU: launch the
same command under `accelerate launch`.

Outputs in `out/`: the final model + tokenizer (`trainer.save_model`), `grpo_config.json`,
`reward_log.jsonl` (one line per reward call: mean reward, verdict mix, passed-tier histogram,
seconds) and `train_stats.json` (steps/s, reward share of step time, final reward stats).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from codefrontier.episodes.prompts import problem_messages
from codefrontier.errors import CodefrontierError
from codefrontier.io import atomic_write_json, atomic_write_text
from codefrontier.problems.model import Problem
from codefrontier.rewards import CoverageReward, JudgeBatch, RewardStats, coverage_reward

CONFIG_NAME = "grpo_config.json"
STATS_NAME = "train_stats.json"


@dataclass(frozen=True)
class GRPORunConfig:
    init: str  # HF checkpoint path or id (the shared initialization)
    coverage: int  # reward on T_c: tiers <= coverage
    steps: int
    out: str
    mode: str = "binary"  # reward mode: binary | partial
    problems: tuple[str, ...] = ()  # problem ids to train on; () = all
    reward_seed: int = 1  # hidden-test seed of the training reward (evaluation uses seed 0)
    seed: int = 0
    lr: float = 2e-4
    num_generations: int = 8  # completions per prompt (GRPO group size)
    prompts_per_step: int = 2
    max_completion_length: int = 256  # tokens
    temperature: float = 1.0
    beta: float = 0.0  # KL to the init; 0 = no reference model (faster)
    save_steps: int = 50  # intermediate checkpoints for resuming (only the last is kept)
    # GPU pass-through (all off on CPU).
    use_vllm: bool = False
    vllm_mode: str = "colocate"  # colocate | server
    vllm_server_base_url: str | None = None
    bf16: bool = False
    gradient_checkpointing: bool = False  # ~10% slower on CPU at this size, saves memory on big models
    quiet: bool = False  # no per-step log dicts on the terminal (the demo prints one line per run)


def trl_args(cfg: GRPORunConfig, trainer_dir: Path) -> Any:
    """The `GRPOConfig` for a run (TRL imported lazily)."""
    import torch
    from trl import GRPOConfig

    extra: dict[str, Any] = {}
    if cfg.use_vllm:
        extra = {"use_vllm": True, "vllm_mode": cfg.vllm_mode}
        if cfg.vllm_server_base_url:
            extra["vllm_server_base_url"] = cfg.vllm_server_base_url
    return GRPOConfig(
        output_dir=str(trainer_dir), max_steps=cfg.steps, learning_rate=cfg.lr, seed=cfg.seed,
        num_generations=cfg.num_generations, per_device_train_batch_size=cfg.num_generations * cfg.prompts_per_step,
        gradient_accumulation_steps=1, max_completion_length=cfg.max_completion_length,
        temperature=cfg.temperature, beta=cfg.beta, use_cpu=not torch.cuda.is_available(), bf16=cfg.bf16,
        gradient_checkpointing=cfg.gradient_checkpointing, logging_steps=1, report_to="none",
        save_strategy="steps", save_steps=cfg.save_steps, save_total_limit=1, disable_tqdm=True, **extra,
    )


def prompt_dataset(problems: Sequence[Problem]) -> Any:
    """A `datasets.Dataset` with a conversational `prompt` and the `problem_id` the reward reads."""
    from datasets import Dataset

    return Dataset.from_list([{"prompt": problem_messages(p), "problem_id": p.id} for p in problems])


def _load_problems(cfg: GRPORunConfig) -> list[Problem]:
    from codefrontier.problems.builtin import builtin_problems

    return builtin_problems(seed=cfg.reward_seed, ids=list(cfg.problems) or None)


def train_grpo(cfg: GRPORunConfig, problems: Sequence[Problem] | None = None,
               judge_batch: JudgeBatch | None = None, log: Callable[[str], None] = print) -> Path:
    """Train one checkpoint at coverage `cfg.coverage`; returns the output folder."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOTrainer

    out = Path(cfg.out)
    if (out / CONFIG_NAME).exists() and json.loads((out / CONFIG_NAME).read_text()) == _jsonable(cfg):
        log(f"grpo: {out} already holds this configuration; reusing it")
        return out
    problems = list(problems) if problems is not None else _load_problems(cfg)
    if cfg.problems:
        problems = [p for p in problems if p.id in set(cfg.problems)]
    if not problems:
        raise CodefrontierError(f"no problems to train on for {out} (fix: check --problems ids).")
    reward = coverage_reward(cfg.coverage, cfg.mode, problems=problems, judge_batch=judge_batch)
    tokenizer = AutoTokenizer.from_pretrained(cfg.init)
    tokenizer.padding_side = "left"
    model = AutoModelForCausalLM.from_pretrained(cfg.init)
    trainer_dir = out / "trainer"
    trainer = GRPOTrainer(model=model, reward_funcs=[reward], args=trl_args(cfg, trainer_dir),
                          train_dataset=prompt_dataset(problems), processing_class=tokenizer)
    if cfg.quiet:
        from transformers import PrinterCallback

        trainer.remove_callback(PrinterCallback)
    wall = fit(trainer, tokenizer, out)
    _write_logs(out, cfg, reward, wall, log)
    return out


def fit(trainer: Any, tokenizer: Any, out: Path) -> float:
    """Train (resuming from out/trainer/checkpoint-* when present), save model and tokenizer to `out`;
    returns the training wall time in seconds (shared with train/multiturn.py)."""
    resume = any((out / "trainer").glob("checkpoint-*"))
    start = time.perf_counter()
    trainer.train(resume_from_checkpoint=True if resume else None)
    wall = time.perf_counter() - start
    trainer.save_model(str(out))
    tokenizer.save_pretrained(str(out))
    return wall


def _jsonable(cfg: GRPORunConfig) -> Any:
    return json.loads(json.dumps(asdict(cfg)))


def _write_logs(out: Path, cfg: GRPORunConfig, reward: CoverageReward, wall: float,
                log: Callable[[str], None]) -> None:
    lines = "".join(json.dumps(_stats_row(s)) + "\n" for s in reward.history)
    atomic_write_text(out / "reward_log.jsonl", lines)
    stats = run_stats(reward.history, cfg.steps, wall)
    atomic_write_json(out / STATS_NAME, stats)
    atomic_write_json(out / CONFIG_NAME, asdict(cfg))
    log(f"grpo c={cfg.coverage}: {cfg.steps} steps in {wall:.1f}s ({stats['steps_per_s']:.2f} steps/s), "
        f"reward {stats['reward_first']:.2f} -> {stats['reward_final']:.2f}, "
        f"reward share {100 * stats['reward_share']:.1f}% of step time")


def _stats_row(s: RewardStats) -> dict[str, Any]:
    return {"reward": s.mean(), "verdicts": dict(s.verdicts), "passed_tiers": dict(s.tiers_sorted()),
            "masked": sum(r is None for r in s.rewards), "seconds": round(s.seconds, 4)}


def run_stats(history: Sequence[RewardStats], steps: int, wall: float) -> dict[str, Any]:
    """Speed and reward summary of a run: first/final reward are means over the first/last 10 calls."""
    def window(rows: Sequence[RewardStats]) -> float:
        return sum(s.mean() for s in rows) / len(rows) if rows else 0.0

    reward_s = sum(s.seconds for s in history)
    return {"steps": steps, "wall_s": round(wall, 2), "steps_per_s": steps / wall if wall else 0.0,
            "reward_s": round(reward_s, 2), "reward_share": reward_s / wall if wall else 0.0,
            "reward_first": window(history[:10]), "reward_final": window(history[-10:]),
            "reward_calls": len(history)}
