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
              log: Callable[[str], None] = print) -> Path:
    """Train `template` at each level into out/c<level>; write out/manifest.json; return its path."""
    root = Path(out)
    entries: list[dict[str, Any]] = []
    for level in levels:
        cfg = replace(template, coverage=level, out=str(level_dir(root, level)))
        path = train_grpo(cfg, problems=problems, judge_batch=judge_batch, log=log)
        stats = json.loads((path / STATS_NAME).read_text())
        entries.append({"level": level, "path": str(path), "steps": cfg.steps, "config": cfg.to_json(),
                        "final_reward": stats["reward_final"], "stats": stats})
        atomic_write_json(root / MANIFEST, {"init": template.init, "levels": entries})  # after each run
    return root / MANIFEST
