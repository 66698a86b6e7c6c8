"""Settings of the analysis (saved beside the report as settings.json)."""

from __future__ import annotations

from dataclasses import dataclass

from codefrontier.options import opt


@dataclass(frozen=True)
class ReportConfig:
    reps: int = opt("Bootstrap replicates over problems.", 1000)
    seed: int = opt("Bootstrap seed: the same seed gives the same intervals.", 0)
    level: float = 0.95  # interval coverage
    ensemble_max_size: int = opt("Largest ensemble size M searched.", 3)
    max_subsets: int = 5000  # above this many subsets per size, greedy forward selection
    ensemble_ks: tuple[int, ...] = ()  # total budgets for ensembles; () = the pass@k grid
    figure_dpi: int = 100
