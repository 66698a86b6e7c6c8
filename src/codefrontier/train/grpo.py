"""GRPO under coverage level c through TRL's `GRPOTrainer` (called, never subclassed).

One run: an initial checkpoint (any Hugging Face causal LM path or id) + the coverage reward
r_c -> a trained checkpoint. Every hyperparameter lives in `GRPORunConfig` and is saved beside
the output (`grpo_config.json`), so runs at different coverage levels differ only in `coverage`.

CPU recipe (measured on 2 cores with a ~1M-parameter Llama): use_cpu, no bf16, lr ~1e-4..3e-4 (TRL's 1e-6 does nothing at this size),
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
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from codefrontier.enums import StrEnum
from codefrontier.episodes.prompts import problem_messages
from codefrontier.errors import CodefrontierError
from codefrontier.io import atomic_write_json, atomic_write_text
from codefrontier.options import opt
from codefrontier.problems.model import Problem
from codefrontier.rewards import CoverageReward, JudgeBatch, RewardMode, RewardStats, coverage_reward

CONFIG_NAME = "grpo_config.json"
STATS_NAME = "train_stats.json"


class VLLMMode(StrEnum):
    COLOCATE = "colocate"  # vLLM inside the training process
    SERVER = "server"  # a running `trl vllm-serve` (vllm_server_base_url)



@dataclass(frozen=True)
class GRPORunConfig:
    """Every GRPO hyperparameter and its default, in one place: `train grpo|sweep` flags, the GPU recipe
    (docs/recipes/grpo_train.py) and grpo_config.json all come from here."""

    init: str = opt("Initial checkpoint: a HF folder or id, or a .gguf file (the shared initialization).")
    coverage: int = opt("Coverage level c: reward on the hidden tests of tiers <= c.")
    out: str = opt("Folder of the trained checkpoint.")
    steps: int = opt("GRPO optimizer steps.", 100)
    mode: RewardMode = opt("Reward mode: binary (all of T_c passes) or partial (fraction passed).", RewardMode.BINARY)
    problems: tuple[str, ...] = opt("Problem ids to train on (default: all of the suite or file).", ())
    problem_file: str | None = opt("A problem file (JSON/JSONL, e.g. a converted dataset); None: the built-in suite.",
                                  None)
    reward_seed: int = opt("Hidden-test seed of the built-in training reward (evaluation uses seed 0).", 1)
    seed: int = opt("Training seed.", 0)
    lr: float = opt("Learning rate (TRL's 1e-6 default does nothing visible on tiny models).", 2e-4)
    num_generations: int = opt("Completions per prompt, the GRPO group (>= 8 keeps reward spread).", 8)
    prompts_per_step: int = opt("Prompts per optimizer step (per device).", 2)
    max_completion_length: int = opt("Max completion tokens (per turn in the tool/agent settings).", 256)
    temperature: float = opt("Sampling temperature of the rollouts.", 1.0)
    beta: float = opt("KL coefficient to the init; 0 = no reference model (faster).", 0.0)
    save_steps: int = opt("Steps between resumable checkpoints (only the last is kept).", 50)
    use_vllm: bool = opt("GPU: generate with vLLM.", False)
    vllm_mode: VLLMMode = opt("GPU: vLLM 'colocate' (in-process) or 'server' (trl vllm-serve).", VLLMMode.COLOCATE)
    vllm_server_base_url: str | None = opt("GPU: URL of a running `trl vllm-serve` (server mode).", None)
    bf16: bool = opt("GPU: bf16 mixed precision.", False)
    loop_rollouts: bool = opt("CPU: sample rollouts with codefrontier's decoding loop (episodes/kv_loop.py; ~3x "
                              "TRL's generate() on the tiny model) through TRL's rollout_func; Llama-family "
                              "models only.", False)
    gradient_checkpointing: bool = opt("Trade compute for memory on large models (~10% slower on CPU).", False)
    quiet: bool = opt("No per-step log dicts on the terminal (the demo prints one line per run).", False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "mode", RewardMode(self.mode))
        except ValueError:
            raise CodefrontierError(f"unknown reward mode '{self.mode}' (fix: use binary or partial).") from None
        try:
            object.__setattr__(self, "vllm_mode", VLLMMode(self.vllm_mode))
        except ValueError:
            raise CodefrontierError(f"unknown vLLM mode '{self.vllm_mode}' (fix: use colocate or server).") from None
        object.__setattr__(self, "problems", tuple(self.problems))
        for name in ("coverage", "steps", "num_generations", "prompts_per_step", "max_completion_length",
                     "save_steps"):
            if getattr(self, name) < 1:
                raise CodefrontierError(f"GRPO {name} is {getattr(self, name)} "
                                        f"(fix: give --{name.replace('_', '-')} 1 or more).")
        if self.lr <= 0 or self.temperature <= 0 or self.beta < 0:
            raise CodefrontierError(f"GRPO lr {self.lr}, temperature {self.temperature}, beta {self.beta} "
                                    "(fix: lr and temperature > 0, beta >= 0).")
        if self.vllm_mode is VLLMMode.SERVER and self.use_vllm and not self.vllm_server_base_url:
            raise CodefrontierError("--vllm-mode server needs --vllm-server-base-url (fix: the URL of trl vllm-serve).")

    def to_json(self) -> dict[str, Any]:
        """The JSON of grpo_config.json (enums as their words)."""
        return json.loads(json.dumps(asdict(self)))


def trl_args(cfg: GRPORunConfig, trainer_dir: Path) -> Any:
    """The `GRPOConfig` for a run (TRL imported lazily)."""
    import torch
    from trl import GRPOConfig

    extra: dict[str, Any] = {}
    if cfg.use_vllm:
        extra = {"use_vllm": True, "vllm_mode": cfg.vllm_mode.value}
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


def load_run_problems(cfg: GRPORunConfig, problems: Sequence[Problem] | None = None) -> list[Problem]:
    """The problems of a run: `problems` when given (tests), else the problem file or the built-in suite
    (hidden tests of `reward_seed`); `cfg.problems` selects ids."""
    from codefrontier.episodes.problem_set import BUILTIN, load_problem_set

    if problems is None:
        return load_problem_set(cfg.problem_file or BUILTIN, cfg.problems, seed=cfg.reward_seed)
    chosen = [p for p in problems if not cfg.problems or p.id in set(cfg.problems)]
    if not chosen:
        raise CodefrontierError(f"no problems to train on for {cfg.out} (fix: check --problems ids).")
    return chosen


def already_trained(out: Path, config_json: dict[str, Any], log: Callable[[str], None]) -> bool:
    """True when `out` holds a finished run of exactly this configuration (its config file is written
    last, so a killed run never matches): the run is reused, not trained again."""
    path = out / CONFIG_NAME
    try:
        same = path.exists() and json.loads(path.read_text("utf-8")) == json.loads(json.dumps(config_json))
    except (OSError, ValueError):
        same = False
    if same:
        log(f"grpo: {out} already holds this configuration; reusing it")
    return same


def load_policy(init: str) -> tuple[Any, Any]:
    """(model, left-padding tokenizer) of a checkpoint argument (a `.gguf` file is imported once)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from codefrontier.models.checkpoint import resolve_checkpoint

    path = resolve_checkpoint(init)
    tokenizer = AutoTokenizer.from_pretrained(path)
    tokenizer.padding_side = "left"
    return AutoModelForCausalLM.from_pretrained(path), tokenizer


def train_grpo(cfg: GRPORunConfig, problems: Sequence[Problem] | None = None,
               judge_batch: JudgeBatch | None = None, log: Callable[[str], None] = print) -> Path:
    """Train one checkpoint at coverage `cfg.coverage`; returns the output folder."""
    from trl import GRPOTrainer

    out = Path(cfg.out)
    if already_trained(out, cfg.to_json(), log):
        return out
    problems = load_run_problems(cfg, problems)
    reward = coverage_reward(cfg.coverage, cfg.mode, problems=problems, judge_batch=judge_batch)
    model, tokenizer = load_policy(cfg.init)
    trainer_dir = out / "trainer"
    trainer = GRPOTrainer(model=model, reward_funcs=[reward], args=trl_args(cfg, trainer_dir),
                          train_dataset=prompt_dataset(problems), processing_class=tokenizer,
                          **_rollouts(cfg, model, tokenizer, log))
    if cfg.quiet:
        from transformers import PrinterCallback

        trainer.remove_callback(PrinterCallback)
    wall = fit(trainer, tokenizer, out)
    write_logs(out, cfg, reward, wall, log)
    return out


def _rollouts(cfg: GRPORunConfig, model: Any, tokenizer: Any, log: Callable[[str], None]) -> dict[str, Any]:
    """{"rollout_func": ...} when the run samples with our decoding loop, else {} (TRL's generate())."""
    if not cfg.loop_rollouts:
        return {}
    from codefrontier.episodes import kv_loop
    from codefrontier.train.rollouts import loop_rollout

    if cfg.use_vllm or not kv_loop.supports(model):
        log(f"grpo: --loop-rollouts needs a Llama-family model on the CPU; {cfg.init} samples with TRL's generate()")
        return {}
    os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")  # rollout_func is experimental in TRL 1.16
    return {"rollout_func": loop_rollout(tokenizer, cfg.max_completion_length, cfg.temperature, cfg.seed)}


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


def write_logs(out: Path, cfg: GRPORunConfig, reward: CoverageReward, wall: float,
                log: Callable[[str], None]) -> None:
    lines = "".join(json.dumps(_stats_row(s)) + "\n" for s in reward.history)
    atomic_write_text(out / "reward_log.jsonl", lines)
    stats = run_stats(reward.history, cfg.steps, wall)
    atomic_write_json(out / STATS_NAME, stats)
    atomic_write_json(out / CONFIG_NAME, cfg.to_json())  # last: marks the run finished
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
