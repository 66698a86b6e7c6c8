"""A coverage sweep: one GRPO checkpoint per coverage level, all from the same initialization.

Every run shares the same seed and hyperparameters (one `GRPORunConfig` template, only
`coverage` and `out` change), so differences between checkpoints come from the reward alone.
`manifest.json` records level, path, steps, the run's config and its final reward stats; runs
already finished are reused, so an interrupted sweep resumes where it stopped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from codefrontier.errors import CodefrontierError
from codefrontier.io import atomic_write_json
from codefrontier.problems.model import Problem
from codefrontier.rewards import JudgeBatch
from codefrontier.train.grpo import STATS_NAME, GRPORunConfig, train_grpo

MANIFEST = "manifest.json"


def parse_levels(text: str) -> list[int]:
    """'1,2,4' -> [1, 2, 4] (sorted, unique, each >= 1)."""
    try:
        levels = sorted({int(x) for x in text.split(",") if x.strip()})
    except ValueError:
        raise CodefrontierError(f"--levels '{text}' is not a list of integers (fix: give comma-separated levels, e.g. 1,2,4).") from None
    if not levels or levels[0] < 1:
        raise CodefrontierError(f"--levels '{text}' has no level >= 1 (fix: give levels from 1 up, e.g. 1,2,4).")
    return levels


def level_dir(out: Path, level: int) -> Path:
    return out / f"c{level}"


def run_sweep(template: GRPORunConfig, levels: Sequence[int], out: str | Path,
              problems: Sequence[Problem] | None = None, judge_batch: JudgeBatch | None = None,
              log: Callable[[str], None] = print, workers: int = 1) -> Path:
    """Train `template` at each level into out/c<level>; write out/manifest.json; return its path.

    workers > 1 trains that many levels at once, each in its own process (spawned: a fresh torch with one
    thread, its own judge). The levels share nothing but the init, so each trains exactly as it would alone
    (same seed, same data order); on a CPU where one GRPO run keeps one core busy, 3 levels on 2 cores take
    ~2 runs' time instead of 3. `problems` and `judge_batch` (in-memory test doubles) need workers = 1."""
    root = Path(out)
    cfgs = [replace(template, coverage=level, out=str(level_dir(root, level))) for level in levels]
    if workers > 1 and len(cfgs) > 1:
        if problems is not None or judge_batch is not None:
            raise CodefrontierError("a parallel sweep loads its problems in each worker (fix: workers=1 to pass "
                                    "problems or a judge in memory).")
        _train_parallel(cfgs, min(workers, len(cfgs)), log)
        log = _silent  # the loop below only reuses the runs the workers finished
    entries: list[dict[str, Any]] = []
    for cfg in cfgs:
        path = train_grpo(cfg, problems=problems, judge_batch=judge_batch, log=log)
        stats = json.loads((path / STATS_NAME).read_text())
        entries.append({"level": cfg.coverage, "path": str(path), "steps": cfg.steps, "config": cfg.to_json(),
                        "final_reward": stats["reward_final"], "stats": stats})
        atomic_write_json(root / MANIFEST, {"init": template.init, "levels": entries})  # after each run
    return root / MANIFEST


def _train_parallel(cfgs: Sequence[GRPORunConfig], workers: int, log: Callable[[str], None]) -> None:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
        for lines in pool.map(_train_one, cfgs):  # in level order; each worker's log lines come back with it
            for line in lines:
                log(line)


def _train_one(cfg: GRPORunConfig) -> list[str]:
    """A worker: one level, torch on one thread (the processes share the cores)."""
    import torch

    torch.set_num_threads(1)
    lines: list[str] = []
    train_grpo(cfg, log=lines.append)
    return lines


def _silent(line: str) -> None:
    pass
