"""World check: the paper's four findings (plus the agent/tool checks) per setting, with verdicts.

  .venv/bin/python benchmarks/world_check.py RUN_DIR [--reps 1000] [--seed 0] [--first N]

RUN_DIR is a sampling run (a results store), e.g. runs/demo/sample after `make demo`. Prints one
table (rows: findings a-e, columns: settings, cells: verdict and bootstrap support), then each
cell's numbers in words. Logic and thresholds: codefrontier/analysis/worldcheck.py. A cell that
cannot be measured says why instead of printing a degenerate sentence.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--reps", type=int, default=1000, help="bootstrap replicates over problems")
    ap.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    ap.add_argument("--first", type=int, default=0,
                    help="judge only each cell's first N samples (what a run with --n N draws); 0: all")
    args = ap.parse_args(argv)

    from codefrontier.analysis.report import load_run
    from codefrontier.analysis.worldcheck import first_samples, render_table, world_check
    from codefrontier.errors import CodefrontierError

    frame, _meta = load_run(args.run_dir)
    if args.first:
        try:
            frame = first_samples(frame, args.first)
        except CodefrontierError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    table = world_check(frame, reps=args.reps, seed=args.seed)
    print(render_table(table))
    print()
    for row in table.itertuples(index=False):
        print(f"- {row.setting} / {row.finding}: {row.verdict} — {row.detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
