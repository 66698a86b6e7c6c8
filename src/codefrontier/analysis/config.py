"""Settings of the analysis (saved beside the report as settings.json)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportConfig:
    reps: int = 1000  # bootstrap replicates over problems
    seed: int = 0  # bootstrap seed: the same seed gives the same intervals
    level: float = 0.95  # interval coverage
    ensemble_max_size: int = 3  # largest ensemble M considered
    max_subsets: int = 5000  # above this many subsets per size, greedy forward selection
    ensemble_ks: tuple[int, ...] = ()  # total budgets for ensembles; () = the pass@k grid
    figure_dpi: int = 100
