"""`codefrontier report RUN_DIR [--out DIR]`: rebuild the report from a run's results store.

Only typer, the standard library and the report config at import time; pandas and matplotlib load inside the command.
"""

from __future__ import annotations

from pathlib import Path

import typer

from codefrontier.analysis.config import ReportConfig
from codefrontier.options import config_option, given


def report(
    run_dir: Path = typer.Argument(..., help="Run directory holding results.sqlite."),
    out: Path | None = typer.Option(None, "--out", help="Output directory (default: RUN_DIR/report)."),
    reps: int | None = config_option(ReportConfig, "reps"),
    seed: int | None = config_option(ReportConfig, "seed"),
    ensemble_max_size: int | None = config_option(ReportConfig, "ensemble_max_size"),
) -> None:
    """Write report.html (self-contained), report.md, PNG figures and CSV tables."""
    from codefrontier.analysis.report import build_report, load_run

    frame, metadata = load_run(run_dir)
    config = ReportConfig(**given(reps=reps, seed=seed, ensemble_max_size=ensemble_max_size))
    path = build_report(frame, metadata, out if out is not None else run_dir / "report", config)
    typer.echo(f"wrote {path}")
