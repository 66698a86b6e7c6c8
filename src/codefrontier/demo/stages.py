"""Stages cached by their inputs: a rerun redoes only what changed.

Each stage owns a folder `RUN_DIR/<name>/`. Its key is a hash of its own inputs
(config values) and the keys of the stages it reads from, so a change upstream
invalidates everything downstream. Markers:

  .started.json  written when the stage begins with a key; a rerun with the same key
                 resumes in place (stages are themselves resumable: the results store
                 skips stored samples), a rerun with another key clears the folder.
  .done.json     written atomically when the stage completes; same key -> skipped.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codefrontier.io import atomic_write_json


def stage_key(inputs: dict[str, Any], upstream: list[str]) -> str:
    """A stable hash of a stage's inputs and its upstream stages' keys."""
    blob = json.dumps({"inputs": inputs, "upstream": upstream}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass
class StageResult:
    name: str
    key: str
    path: Path
    seconds: float
    cached: bool
    info: dict[str, Any] = field(default_factory=dict)


@dataclass
class StageRunner:
    """Runs stages in order under RUN_DIR, reporting one status line per stage."""

    run_dir: Path
    fresh: bool = False
    report: Callable[[str], None] = print
    results: list[StageResult] = field(default_factory=list)

    def run(self, name: str, inputs: dict[str, Any], upstream: list[StageResult],
            body: Callable[[Path], dict[str, Any] | None]) -> StageResult:
        """Run `body(stage_dir)` unless a completed stage with the same key exists."""
        path = self.run_dir / name
        key = stage_key(inputs, [u.key for u in upstream])
        done = _read_marker(path / ".done.json")
        if not self.fresh and done.get("key") == key:
            result = StageResult(name, key, path, 0.0, True, done.get("info", {}))
            self.report(f"[cached] {name:<10} {path}")
            self.results.append(result)
            return result
        started = _read_marker(path / ".started.json")
        if self.fresh or started.get("key") != key:
            shutil.rmtree(path, ignore_errors=True)
        elif started:
            self.report(f"[resume] {name:<10} continuing where the last run stopped")
        path.mkdir(parents=True, exist_ok=True)
        (path / ".done.json").unlink(missing_ok=True)
        atomic_write_json(path / ".started.json", {"key": key, "inputs": inputs})
        t0 = time.perf_counter()
        info = body(path) or {}
        seconds = time.perf_counter() - t0
        atomic_write_json(path / ".done.json", {"key": key, "seconds": seconds, "info": info})
        result = StageResult(name, key, path, seconds, False, info)
        self.report(f"[done]   {name:<10} {seconds:7.1f} s  {_summary(info)}")
        self.results.append(result)
        return result


def _read_marker(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _summary(info: dict[str, Any]) -> str:
    return "  ".join(f"{k}={v}" for k, v in info.items() if isinstance(v, (int, float, str)))[:120]
