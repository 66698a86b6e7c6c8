"""How long `build_report` takes on a paper-shaped synthetic run (checkpoints x settings x problems).

Prints wall and CPU seconds for: a baseline (saving 15 empty matplotlib figures, the floor cost of the
figures), the analysis alone, and the full report; measured in the same run so machine load shows up in
both. Usage: .venv/bin/python benchmarks/analysis_report.py [problems] [samples_per_problem]
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from codefrontier.analysis.analyse import analyse  # noqa: E402
from codefrontier.analysis.config import ReportConfig  # noqa: E402
from codefrontier.analysis.report import build_report  # noqa: E402
from codefrontier.analysis.synthetic import synthetic_frame  # noqa: E402


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def baseline() -> None:
    for _ in range(15):
        fig = Figure(figsize=(6, 3.6))
        fig.subplots().plot([0, 1], [0, 1])
        fig.savefig(io.BytesIO(), format="png", dpi=100)


def main() -> None:
    problems = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    frame = synthetic_frame(num_problems=problems, n=n)
    print(f"frame: {frame['checkpoint'].nunique()} checkpoints x {frame['setting'].nunique()} settings x "
          f"{problems} problems x {n} samples = {len(frame)} rows; load average {os.getloadavg()[0]:.1f}")
    cfg = ReportConfig()
    for name, fn in (("baseline: 15 plain figures", baseline),
                     ("analysis only", lambda: analyse(frame, cfg)),
                     ("full report", lambda: build_report(frame, {"toy_scale": True}, tempfile.mkdtemp(), cfg))):
        _, wall, cpu = timed(fn)
        print(f"{name:28s} wall {wall:6.2f} s   cpu {cpu:6.2f} s")


if __name__ == "__main__":
    main()
