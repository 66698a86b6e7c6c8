"""Tables per setting x difficulty x checkpoint, with paired bootstrap intervals over problems.

Each metric is first a per-problem value (solve rate c/n, pass@k, the fraction of
samples in a failure class), then the mean over problems. One long table holds
them all: (setting, difficulty, checkpoint, metric, k, value, lo, hi, problems).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from codefrontier.analysis.bootstrap import mean_ci, resample_weights
from codefrontier.analysis.config import ReportConfig
from codefrontier.analysis.frame import (
    CLASSES,
    CORRECTNESS_SUBS,
    OPTIMIZATION_SUBS,
    Checkpoint,
    matrices,
    problem_order,
)
from codefrontier.metrics import pass_at_k_array

FAILURE_METRICS = (*CLASSES, *CORRECTNESS_SUBS, *OPTIMIZATION_SUBS)


def problems_of(cnt: pd.DataFrame, setting: str, difficulty: str) -> list[str]:
    sub = cnt[cnt["setting"] == setting]
    if difficulty != "all":
        sub = sub[sub["difficulty"] == difficulty]
    return problem_order(sub)


def per_problem(cnt: pd.DataFrame, setting: str, cks: list[Checkpoint], problems: list[str], ks: list[int]):
    """metric name, k, (P, C) per-problem values; pass@k columns with any problem short of k samples are NaN."""
    m = matrices(cnt, setting, ["n", "c", *FAILURE_METRICS], cks, problems)
    n, c = m["n"], m["c"]
    with np.errstate(invalid="ignore", divide="ignore"):
        yield "solve_rate", 0, c / n
        for cls in FAILURE_METRICS:
            yield f"rate_{cls}", 0, m[cls] / n
    for k in ks:
        vals = pass_at_k_array(n, c, k)
        short = np.isnan(vals) & np.isfinite(n)  # sampled, but fewer than k samples: no unbiased estimate
        vals[:, short.any(axis=0)] = np.nan
        yield "pass@k", k, vals


def metric_table(
    cnt: pd.DataFrame,
    cks: list[Checkpoint],
    settings: list[str],
    difficulties: list[str],
    ks: list[int],
    config: ReportConfig,
) -> pd.DataFrame:
    rows = []
    for setting in settings:
        for diff in difficulties:
            problems = problems_of(cnt, setting, diff)
            if not problems:
                continue
            weights = resample_weights(len(problems), config.reps, config.seed)
            for metric, k, vals in per_problem(cnt, setting, cks, problems, ks):
                point, lo, hi = mean_ci(vals, weights, config.level)
                present = np.isfinite(vals).sum(axis=0)
                for j, ck in enumerate(cks):
                    if present[j] == 0:
                        continue
                    rows.append(
                        (setting, diff, ck.name, ck.lam, ck.coverage_level, ck.is_trained, metric, k,
                         point[j], lo[j], hi[j], int(present[j]))
                    )
    cols = ["setting", "difficulty", "checkpoint", "lam", "coverage_level", "is_trained",
            "metric", "k", "value", "lo", "hi", "problems"]
    return pd.DataFrame(rows, columns=cols)


def select(table: pd.DataFrame, metric: str, value_name: str) -> pd.DataFrame:
    """The rows of one metric (a prefix like 'rate_' selects several, kept in a 'class' column)."""
    if metric.endswith("_"):
        sub = table[table["metric"].str.startswith(metric)].copy()
        sub.insert(6, "class", sub["metric"].str.removeprefix(metric))
    else:
        sub = table[table["metric"] == metric].copy()
    sub = sub.drop(columns=["metric"] if metric == "pass@k" else ["metric", "k"])
    return sub.rename(columns={"value": value_name}).reset_index(drop=True)


def value_of(table: pd.DataFrame, setting: str, difficulty: str, metric: str, k: int = 0) -> pd.DataFrame:
    """checkpoint-indexed value/lo/hi of one metric in one cell."""
    sub = table[(table["setting"] == setting) & (table["difficulty"] == difficulty)
                & (table["metric"] == metric) & (table["k"] == k)]
    return sub.set_index("checkpoint")[["value", "lo", "hi"]]
