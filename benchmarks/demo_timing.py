"""Time the demo per stage: `python benchmarks/demo_timing.py [--quick] [--out DIR] [--fresh]`.

Runs `codefrontier demo` (or reads an existing run directory with --read-only) and prints each
stage's wall time from its `.done.json` marker, plus the total, against the issue's targets
(full demo <= 15 min, quick <= 3 min on a 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

STAGES = ("suite", "init", "rl", "sample", "report")


def stage_times(run_dir: Path) -> dict[str, float]:
    out = {}
    for stage in STAGES:
        marker = run_dir / stage / ".done.json"
        if marker.is_file():
            out[stage] = float(json.loads(marker.read_text())["seconds"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--read-only", action="store_true", help="only read the stage markers of --out")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    out = Path(args.out or ("runs/demo-quick" if args.quick else "runs/demo"))
    wall = None
    if not args.read_only:
        cmd = [sys.executable, "-m", "codefrontier.cli", "demo", "--out", str(out)]
        cmd += ["--quick"] * args.quick + ["--fresh"] * args.fresh
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True)
        wall = time.perf_counter() - t0
    times = stage_times(out)
    for stage, seconds in times.items():
        print(f"{stage:<8} {seconds:8.1f} s")
    target = 180 if args.quick else 900
    total = sum(times.values())
    print(f"{'stages':<8} {total:8.1f} s   (target {target} s: {'met' if total <= target else 'NOT met'})")
    if wall is not None:
        print(f"{'command':<8} {wall:8.1f} s   (includes start-up and cached stages)")


if __name__ == "__main__":
    main()
