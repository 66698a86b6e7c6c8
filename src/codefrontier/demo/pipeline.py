"""The paper's experiment end to end on the built-in world, as a readable recipe.

  suite   build the built-in problems (hidden tests at the evaluation seed)
  init    corpus -> byte-level BPE tokenizer -> tiny Llama SFT: the shared initialization
  rl      GRPO from that init at each coverage level (same seed and hyperparameters)
  sample  the weight line between the lowest- and highest-coverage checkpoints, θ(λ) set in
          place for every λ, plus the other trained levels; n samples per problem in each
          setting; judged on the hidden tests into RUN_DIR/sample/results.sqlite
  report  report.html / report.md / CSVs, and a terminal summary

Every stage is cached by its inputs (stages.py) and the sampling store is resumable, so an
interrupted demo continues where it stopped.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from codefrontier.demo.config import DemoConfig, Log
from codefrontier.demo.stages import StageResult, StageRunner
from codefrontier.io import atomic_write_json
from codefrontier.problems.model import Difficulty

__all__ = ["DemoConfig", "run_demo", "select_problems"]


def run_demo(cfg: DemoConfig, log: Log = print) -> dict[str, Any]:
    """Run every stage (cached) and return a summary: stage timings, report path, per-λ table."""
    import torch

    torch.set_num_threads(cfg.threads)  # the thread count picks kernels and reduction orders: pinned
    root = Path(cfg.out)
    root.mkdir(parents=True, exist_ok=True)
    atomic_write_json(root / "demo_config.json", asdict(cfg))
    runner = StageRunner(root, fresh=cfg.fresh, report=log)
    t0 = time.perf_counter()
    problem_ids = select_problems(cfg)
    suite = runner.run("suite", {"seed": cfg.seed, "ids": problem_ids}, [],
                       lambda d: _suite_stage(d, cfg, problem_ids))
    levels = list(cfg.levels) or default_levels(suite)
    init_inputs = {"seed": cfg.seed, "ids": problem_ids, "epochs": cfg.sft_epochs, "lr": cfg.sft_lr,
                   "traces": cfg.traces}
    init = runner.run("init", init_inputs, [suite], lambda d: _init_stage(d, cfg, problem_ids, log))
    rl = runner.run("rl", {"seed": cfg.seed, "levels": levels, "steps": cfg.grpo_steps,
                           "max_tokens": cfg.max_tokens, "temperature": cfg.temperature},
                    [init], lambda d: _rl_stage(d, cfg, init.path / "model", levels, problem_ids, log))
    sample_inputs = {"seed": cfg.seed, "lams": cfg.lams, "settings": cfg.settings, "n": cfg.n,
                     "max_tokens": cfg.max_tokens, "max_turns": cfg.max_turns, "temperature": cfg.temperature}
    sample = runner.run("sample", sample_inputs, [suite, rl],
                        lambda d: _sample_stage(d, cfg, suite.path, rl.path, levels, log))
    report = runner.run("report", {}, [sample], lambda d: _report_stage(d, sample.path))
    total = time.perf_counter() - t0
    return {"stages": runner.results, "report": report.path / "report.html", "total_s": total,
            "run_dir": sample.path}


def select_problems(cfg: DemoConfig) -> list[str]:
    from codefrontier.problems.builtin import all_specs

    ids = [s.id for s in all_specs()]
    if cfg.problems:
        missing = sorted(set(cfg.problems) - set(ids))
        if missing:
            from codefrontier.errors import CodefrontierError

            raise CodefrontierError(f"demo --problems: unknown built-in problem ids {missing} "
                                    "(fix: run `codefrontier problems list` to see the ids).")
        return list(cfg.problems)
    return slice_ids(all_specs(), cfg.per_difficulty)


def slice_ids(specs: list[Any], per_difficulty: int) -> list[str]:
    """A deterministic slice: the shortest-to-write problems of each difficulty (a tiny model
    trained for minutes can learn short programs; the hard ones still need the intricate algorithm)."""
    picked: list[str] = []
    for diff in Difficulty:
        group = sorted((s for s in specs if s.difficulty is diff), key=lambda s: (len(s.reference), s.id))
        picked += [s.id for s in group[:per_difficulty]]
    return picked


def default_levels(suite: StageResult) -> list[int]:
    k = int(suite.info["max_tiers"])
    return sorted({1, 2, k})


def _suite_stage(d: Path, cfg: DemoConfig, ids: list[str]) -> dict[str, Any]:
    from codefrontier.problems import save_problems
    from codefrontier.problems.builtin import builtin_problems

    problems = builtin_problems(seed=cfg.seed, ids=ids)
    save_problems(problems, d / "problems.jsonl")
    hard = sum(p.difficulty is Difficulty.HARD for p in problems)
    return {"problems": len(problems), "hard": hard, "max_tiers": max(p.num_tiers for p in problems),
            "tests": sum(len(p.tests) for p in problems)}


def _init_stage(d: Path, cfg: DemoConfig, ids: list[str], log: Log) -> dict[str, Any]:
    from codefrontier.train.sft import SFTConfig, train_sft

    sft = SFTConfig(out=str(d / "model"), problems=tuple(ids), epochs=cfg.sft_epochs, lr=cfg.sft_lr, seed=cfg.seed,
                    traces=cfg.traces)
    train_sft(sft, log=_quiet(log))
    return {"model": str(d / "model")}


def _rl_stage(d: Path, cfg: DemoConfig, init: Path, levels: list[int], ids: list[str], log: Log) -> dict[str, Any]:
    from codefrontier.train.grpo import GRPORunConfig
    from codefrontier.train.sweep import run_sweep

    template = GRPORunConfig(init=str(init), coverage=levels[0], steps=cfg.grpo_steps, out=str(d),
                             problems=tuple(ids), seed=cfg.seed, max_completion_length=cfg.max_tokens,
                             temperature=cfg.temperature, quiet=True)
    run_sweep(template, levels, d, log=_quiet(log))
    return {"levels": ",".join(map(str, levels))}


def _sample_stage(d: Path, cfg: DemoConfig, suite_dir: Path, rl_dir: Path, levels: list[int],
                  log: Log) -> dict[str, Any]:
    from codefrontier.demo.sampling import sample_line

    stats = sample_line(d, cfg, suite_dir / "problems.jsonl", rl_dir, levels, log)
    return stats


def _report_stage(d: Path, run_dir: Path) -> dict[str, Any]:
    from codefrontier.analysis.report import build_report, load_run

    frame, meta = load_run(run_dir)
    build_report(frame, meta, d)
    return {"samples": len(frame)}


def _quiet(log: Log) -> Log:
    """Library logs go to the terminal indented under the stage's status line."""
    return lambda line: log(f"         {line}")

