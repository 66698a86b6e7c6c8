"""The demo's configuration: one frozen dataclass that is also the `codefrontier demo` flags.

Kept apart from pipeline.py so that the stages (pipeline.py, sampling.py) both import it and
neither imports the other. Every default and every help text lives here, once (HELP).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from codefrontier.episodes.settings import Setting
from codefrontier.errors import CodefrontierError

# The endpoints, one interior point and one extrapolated point on each side: 5 points (sampling is the
# demo's largest stage; issue 17's 10-minute budget). Measured (seed 0, GRPO lr 1e-4, world check, on the
# init before the tool traces were rebalanced; docs/world.md has the current figures):
# λ = 1.5 goes beyond λ = 1 on optimization failures (0.014 vs 0.035) while solving as much (0.60 vs
# 0.62); λ = -0.5 (91% brute-force plans) is the member that makes ensembles beat the best single
# checkpoint (without it d was weak in all three settings). A sixth point, 1.25, firmed up ensembles in
# the tool setting but took the demo to 10 min 11 s. More: --lams -1,-0.5,0,0.25,0.5,0.75,1,1.25,1.5,2.
FULL_LAMS = (-0.5, 0.0, 0.5, 1.0, 1.5)
QUICK_LAMS = (-0.5, 0.0, 0.5, 1.0, 1.5)
SETTINGS = (Setting.REASONING, Setting.TOOL, Setting.AGENT)

Log = Callable[[str], None]


@dataclass(frozen=True)
class DemoConfig:
    out: str = "runs/demo"
    seed: int = 0
    quick: bool = False
    fresh: bool = False
    problems: tuple[str, ...] = ()  # built-in ids; () = `per_difficulty` problems of each difficulty
    problem_file: str = ""  # a problem file (JSON/JSONL) instead of the built-in suite
    model: str = ""  # an init to start from (HF folder or id, or .gguf): the init stage skips SFT
    levels: tuple[int, ...] = ()  # coverage levels to train; () = 1, K-1 and K (K = the full suite)
    lams: tuple[float, ...] = FULL_LAMS
    settings: tuple[Setting, ...] = SETTINGS
    # samples per (checkpoint, setting, problem): pass@k curves up to k = 16. At 12, seed 1's interpolation
    # cell was weak in two settings from sampling noise alone: the same checkpoints resampled with other
    # sampling seeds put λ = 0.5 clearly between the ends, and seed 1's own streams extended to 16 samples
    # did too (world check 90/94/95%; 12: 69/57/92%). 16 take 322-341 s in two processes (seeds 0 and 1,
    # each prompt's prefill shared by its samples), 373-408 s before that (docs/world.md, fifth round).
    n: int = 16
    # 24 problems with traces are ~1,000 examples (one per conversation), ~480k tokens an epoch. The tiny
    # model first learns the code every problem shares and only after ~300 steps which program belongs
    # to which statement: measured (seed 0, 4 samples a problem and setting), 4 epochs (252 steps)
    # wrote 94-98% syntax errors in every setting; 12 epochs (756 steps, 21 min on 2 busy cores) wrote
    # 2% in reasoning with AC, WA, TLE and RE mixed, called the tool in 97% of tool samples.
    sft_epochs: float = 12.0
    sft_lr: float = 3e-3
    # SFT on tool conversations and feedback revisions too (train/traces.py), in the sampler's exact
    # formats: one init for all three settings. World v2's bugs hide from the public examples, so the
    # traces no longer make the init's efficient code reliable (issue 17).
    traces: bool = True
    # The shared init is shipped (demo/prebuilt.py): trained once with this recipe, used while current.
    train_init: bool = False  # train it here instead (SFT, ~15 min on 2 cores)
    init_seed: int = 0  # SFT seed of the init: fixed across --seed, as a pretrained base model is
    # GRPO trains on the built-in problems outside the evaluated set (13 for the full demo's 24): the paper's
    # train/test split. Trained on the evaluated problems (--no-heldout), GRPO learnt per problem which
    # efficient program is right, and the frontier's correctness side came and went with the seed.
    heldout: bool = True
    grpo_steps: int = 30
    # 1e-4, not 2e-4 (measured, seed 0, 30 steps): at 2e-4 full coverage saturated (99% efficient plans,
    # optimization failures 0.007) and left nothing beyond λ = 1; 15 steps at 2e-4 left room, but its
    # task vector broke code when extrapolated (λ = 1.25: 55 of 144 samples RE, 23 CE, solve 0.30 vs 0.62).
    # Adam moves every weight ~lr a step, signal or not: the same distance in more, smaller steps averages
    # the noise out of θ_B − θ_A (λ = 1.25 then solved 0.59 vs λ = 1's 0.62).
    grpo_lr: float = 1e-4
    # GRPO rollouts sampled by our decoding loop (train/rollouts.py), not TRL's generate(): measured
    # 22.0 vs 30.9 s for 6 full-coverage steps on a quiet machine. Other models fall back to generate().
    loop_rollouts: bool = True
    rl_workers: int = 3  # coverage levels trained at once, one process each (one GRPO run keeps ~1 core busy)
    num_generations: int = 8  # GRPO completions per prompt (the group); 2 prompts a step
    sample_workers: int = 2  # sampling processes, one model each (one keeps one core busy generating)
    batch_size: int = 96  # episodes generated together while sampling (one chat() call per turn)
    # GRPO rollouts and evaluation samples. At 1.0 the ~1M-parameter model writes mostly syntax errors.
    # 0.5, not 0.7 (measured on one init, seed 0): syntax errors and missing programs fell from 0.25 to
    # 0.17 of tool samples and from 0.13 to 0.07 of plain answers, noise that had blurred the findings
    # (the world check's ensembles held in 1 setting of 3 at 0.7, in 2 at 0.5).
    temperature: float = 0.5
    max_tokens: int = 320  # new tokens per model turn while sampling (GRPO completions too)
    max_turns: int = 4  # model turns per sample in the tool and agent settings
    per_difficulty: int = 8  # problems of each difficulty when `problems` is empty (8 x 3 = 24, 8 hard)
    # torch threads, pinned: kernels and float reductions then match across machines. 1, not 2: the
    # judge runs beside generation, and on shared cores (load 10 on 2) SFT ran at 1,173-1,516 tokens/s
    # with 1 thread vs 358-542 with 2 (OpenMP threads wait on each other when one is descheduled).
    threads: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", tuple(_setting(s) for s in self.settings))
        object.__setattr__(self, "problems", tuple(self.problems))
        object.__setattr__(self, "lams", tuple(float(x) for x in self.lams))
        object.__setattr__(self, "levels", tuple(int(x) for x in self.levels))
        positive = ("n", "grpo_steps", "rl_workers", "sample_workers", "num_generations", "batch_size", "max_tokens", "max_turns", "per_difficulty", "threads")
        for name in positive:
            if getattr(self, name) < 1:
                raise CodefrontierError(f"demo: {name}={getattr(self, name)} must be at least 1 (fix: pass --{_flag(name)} 1 or more).")
        if not self.settings:
            raise CodefrontierError("demo: settings is empty (fix: name at least one of reasoning, tool, agent).")
        if not (0.0 < self.temperature <= 2.0) or self.sft_epochs <= 0 or self.sft_lr <= 0 or self.grpo_lr <= 0:
            raise CodefrontierError("demo: temperature must be in (0, 2], sft_epochs, sft_lr and grpo_lr above 0 "
                                    "(fix: --temperature 0.5).")
        if not self.lams or not {0.0, 1.0} <= set(self.lams) or not all(map(math.isfinite, self.lams)):
            raise CodefrontierError(f"demo: lams {self.lams} must include the trained endpoints 0 and 1 "
                                    "(fix: e.g. --lams -0.5,0,0.5,1,1.5).")
        if self.problem_file and not Path(self.problem_file).is_file():
            raise CodefrontierError(f"demo: problem file {self.problem_file} does not exist (fix: pass an existing "
                                    ".json/.jsonl file to --problems).")
        if any(c < 1 for c in self.levels):
            raise CodefrontierError(f"demo: coverage levels {self.levels} start at 1 (fix: e.g. --levels 1,2,4).")

    @staticmethod
    def quick_slice(out: str = "runs/demo", seed: int = 0, fresh: bool = False) -> DemoConfig:
        """The same pipeline on a small slice: a few problems, fewer steps and samples. A smoke test of
        every stage, not of the findings: 3 GRPO steps often earn no reward spread, so identical
        levels are a warning here (an error in the full demo)."""
        return DemoConfig(out=out, seed=seed, quick=True, fresh=fresh, n=3, grpo_steps=3,
                          per_difficulty=1, lams=QUICK_LAMS, max_tokens=160, max_turns=2)

    def with_flags(self, **given: Any) -> DemoConfig:
        """This config with the flags the user gave (None = not given), parsed from their CLI text."""
        problems = given.get("problems")
        if isinstance(problems, str) and problems.strip().endswith((".json", ".jsonl")):  # a file, not ids
            given = {**given, "problems": None, "problem_file": problems.strip()}
        parsed: dict[str, Any] = {k: _parse(k, v) for k, v in given.items() if v is not None}
        return replace(self, **parsed)


HELP: dict[str, str] = {
    "out": "Run directory (stages cached inside).",
    "seed": "Makes the run repeatable (hidden tests, GRPO, samples; not the shared init: --init-seed).",
    "quick": "A small slice: a few problems, fewer steps and samples.",
    "fresh": "Redo every stage instead of reusing cached ones.",
    "problems": "Comma-separated built-in problem ids, or a problem file (.json/.jsonl) "
                "(auto: the shortest per_difficulty of each difficulty).",
    "problem_file": "A problem file (JSON/JSONL) instead of the built-in suite.",
    "model": "Start from this init (HF folder or id, or .gguf) instead of training one: no SFT.",
    "levels": "Comma-separated coverage levels to train (auto: 1, K-1 and K, the full suite).",
    "lams": "Comma-separated λ values on the weight line (must include 0 and 1).",
    "settings": "Comma-separated inference settings: reasoning, tool, agent.",
    "n": "Samples per problem, checkpoint and setting.",
    "sft_epochs": "SFT epochs of the shared init.",
    "sft_lr": "SFT learning rate.",
    "train_init": "Train the shared init here (SFT, ~15 min on 2 cores) instead of using the shipped one.",
    "init_seed": "SFT seed of the shared init (another seed than the shipped init's trains one).",
    "traces": "Train the init on tool conversations and feedback revisions too (--no-traces: answers only).",
    "heldout": "GRPO trains on built-in problems the run does not evaluate (--no-heldout: on the evaluated ones).",
    "grpo_steps": "GRPO steps per coverage level.",
    "grpo_lr": "GRPO learning rate.",
    "loop_rollouts": "GRPO rollouts from our decoding loop (--no-loop-rollouts: TRL's generate()).",
    "rl_workers": "Coverage levels trained at once, one process each (results do not depend on it).",
    "num_generations": "GRPO completions per prompt (the group; 2 prompts a step).",
    "sample_workers": "Sampling processes, each checkpoint's samples dealt out between them in two shards (samples do not depend on it).",
    "batch_size": "Episodes generated together while sampling.",
    "temperature": "Sampling temperature (GRPO rollouts and evaluation).",
    "max_tokens": "New tokens per model turn.",
    "max_turns": "Model turns per sample in the tool and agent settings.",
    "per_difficulty": "Problems of each difficulty when --problems is not given.",
    "threads": "torch threads (pinned for reproducibility).",
}


def default_help(name: str) -> str:
    """The help text of a flag with the full demo's default (and the quick slice's when it differs)."""
    full = getattr(DemoConfig(), name)
    q = getattr(DemoConfig.quick_slice(), name)
    shown = _show(full) + (f"; quick: {_show(q)}" if q != full else "")
    return f"{HELP[name]} (default: {shown})"  # not [..]: rich would read it as markup


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(map(str, value)) or "auto"
    return str(value)


def _setting(value: object) -> Setting:
    try:
        return Setting(str(value))
    except ValueError:
        raise CodefrontierError(f"demo: unknown setting '{value}' (fix: use reasoning, tool or agent).") from None


def _flag(name: str) -> str:
    return name.replace("_", "-")


def _parse(name: str, value: object) -> object:
    """CLI text -> the field's type: comma lists become tuples (problems, levels, lams, settings)."""
    if not isinstance(value, str) or name not in {"problems", "levels", "lams", "settings"}:
        return value
    parts = [p.strip() for p in value.split(",") if p.strip()]
    try:
        return tuple({"levels": int, "lams": float}.get(name, str)(p) for p in parts)
    except ValueError:
        raise CodefrontierError(f"demo: --{_flag(name)} '{value}' is not a comma-separated list of numbers "
                                "(fix: e.g. 1,2,4).") from None


FIELDS = tuple(f.name for f in fields(DemoConfig))
