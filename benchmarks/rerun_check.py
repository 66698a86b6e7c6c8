"""Rerun check: do two runs of the same configuration hold the same samples and verdicts?

  .venv/bin/python benchmarks/rerun_check.py RUN_A RUN_B

RUN_A and RUN_B are sampling runs (results stores), e.g. runs/a/sample and runs/b/sample from two
`codefrontier demo --seed 0` runs. Matches samples by (checkpoint, setting, problem, index) and prints
how many have the same completion text, the same final code, the same verdict, and for those that
differ, whether the text or only the verdict moved (a program near its time limit). Exits 1 when the
runs do not hold the same sample keys.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

QUERY = ("SELECT s.checkpoint, s.setting, s.problem_id, s.sample_index, s.completion, s.code, j.verdict "
         "FROM samples s LEFT JOIN judgements j ON j.sample_id = s.id")


def load(run: Path) -> dict[tuple[str, str, str, int], tuple[str, str | None, str | None]]:
    db = run / "results.sqlite"
    if not db.is_file():
        raise SystemExit(f"rerun_check: no results store at {db} (fix: pass a sampling run folder).")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return {tuple(r[:4]): tuple(r[4:]) for r in con.execute(QUERY)}  # type: ignore[misc]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_a", type=Path)
    ap.add_argument("run_b", type=Path)
    args = ap.parse_args(argv)
    a, b = load(args.run_a), load(args.run_b)
    if set(a) != set(b):
        print(f"different sample keys: {len(set(a) - set(b))} only in A, {len(set(b) - set(a))} only in B")
        return 1
    same_text = [k for k in a if a[k][0] == b[k][0]]
    same_code = [k for k in a if a[k][1] == b[k][1]]
    same_verdict = [k for k in a if a[k][2] == b[k][2]]
    verdict_only = [k for k in same_code if a[k][2] != b[k][2]]
    n = len(a)
    print(f"{n} samples in both runs")
    print(f"same completion text: {len(same_text)} ({len(same_text) / n:.1%})")
    print(f"same final code:      {len(same_code)} ({len(same_code) / n:.1%})")
    print(f"same verdict:         {len(same_verdict)} ({len(same_verdict) / n:.1%})")
    for k in verdict_only[:10]:
        print(f"  same code, verdict moved: {'/'.join(map(str, k))}: {a[k][2]} -> {b[k][2]}")
    moved = sorted({(k[0], k[1]) for k in a if a[k][0] != b[k][0]})
    if moved:
        print("text differs in (checkpoint, setting): " + ", ".join(f"{c}/{s}" for c, s in moved[:12]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
