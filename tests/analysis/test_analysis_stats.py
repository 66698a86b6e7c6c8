"""Paired bootstrap, per-problem tables and the exclusion of internal errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from codefrontier.analysis.bootstrap import mean_ci, replicate_means, resample_weights
from codefrontier.analysis.config import ReportConfig
from codefrontier.analysis.frame import checkpoints, counts
from codefrontier.analysis.synthetic import synthetic_frame
from codefrontier.analysis.tables import metric_table
from codefrontier.errors import StoreError


def test_resample_weights_are_deterministic_per_seed() -> None:
    a, b, c = resample_weights(30, 200, 7), resample_weights(30, 200, 7), resample_weights(30, 200, 8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert (a.sum(axis=1) == 30).all()  # each replicate draws exactly P problems


def test_bootstrap_is_paired_across_checkpoints() -> None:
    rng = np.random.default_rng(0)
    col = rng.random(25)
    values = np.stack([col, col + 0.1], axis=1)  # checkpoint 2 = checkpoint 1 + 0.1 on every problem
    boot = replicate_means(values, resample_weights(25, 300, 1))
    assert np.allclose(boot[:, 1] - boot[:, 0], 0.1)  # same problems in every replicate: the gap never varies


def test_mean_ci_brackets_the_mean_and_ignores_unsampled_cells() -> None:
    values = np.array([[0.0, np.nan], [1.0, 1.0], [0.5, 1.0], [0.25, 1.0]])
    point, lo, hi = mean_ci(values, resample_weights(4, 500, 0))
    assert point[0] == pytest.approx(0.4375) and point[1] == pytest.approx(1.0)
    assert lo[0] <= point[0] <= hi[0] and lo[1] == hi[1] == 1.0


def test_tables_are_deterministic_for_a_seed() -> None:
    frame = synthetic_frame(num_problems=9, n=6, settings=("reasoning",), seed=3)
    cnt, cks = counts(frame), checkpoints(frame)
    t1 = metric_table(cnt, cks, ["reasoning"], ["all", "hard"], [1, 5], ReportConfig(reps=200, seed=5))
    t2 = metric_table(cnt, cks, ["reasoning"], ["all", "hard"], [1, 5], ReportConfig(reps=200, seed=5))
    t3 = metric_table(cnt, cks, ["reasoning"], ["all", "hard"], [1, 5], ReportConfig(reps=200, seed=6))
    pd.testing.assert_frame_equal(t1, t2)
    assert not np.allclose(t1["lo"].fillna(-1), t3["lo"].fillna(-1))
    pd.testing.assert_series_equal(t1["value"], t3["value"])  # the point estimates do not depend on the seed


def test_internal_errors_are_excluded_from_every_metric() -> None:
    frame = synthetic_frame(num_problems=6, n=5, settings=("tool",), seed=1, internal_rate=0.0)
    noisy = frame.copy()
    extra = frame.iloc[:40].copy()
    extra["failure_class"], extra["sub_class"], extra["verdict"] = "internal", "IE", "IE"
    noisy = pd.concat([noisy, extra], ignore_index=True)
    cfg = ReportConfig(reps=50)
    a = metric_table(counts(frame), checkpoints(frame), ["tool"], ["all"], [1, 5], cfg)
    b = metric_table(counts(noisy), checkpoints(noisy), ["tool"], ["all"], [1, 5], cfg)
    pd.testing.assert_frame_equal(a, b)


def test_failure_rates_are_per_problem_fractions_then_mean() -> None:
    # problem p0: 1 of 2 samples TLE; p1: 0 of 8 TLE. Per-problem mean = 0.25 (pooled would be 0.1).
    rows = synthetic_frame(num_problems=2, n=1, settings=("reasoning",), lams=(0.0,), seed=0, internal_rate=0)
    rows = rows[rows["checkpoint"] == "cov1"].iloc[:1]
    def make(pid: str, subs: list[str]) -> pd.DataFrame:
        out = pd.concat([rows] * len(subs), ignore_index=True)
        out["problem_id"], out["sub_class"], out["sample_index"] = pid, subs, range(len(subs))
        out["failure_class"] = ["optimization" if s == "TLE" else "solved" for s in subs]
        return out
    frame = pd.concat([make("p0", ["TLE", ""]), make("p1", [""] * 8)], ignore_index=True)
    t = metric_table(counts(frame), checkpoints(frame), ["reasoning"], ["all"], [1], ReportConfig(reps=20))
    opt = t[(t["metric"] == "rate_optimization")]["value"].item()
    assert opt == pytest.approx(0.25)
    assert t[(t["metric"] == "rate_TLE")]["value"].item() == pytest.approx(0.25)
    assert t[(t["metric"] == "solve_rate")]["value"].item() == pytest.approx(0.75)


def test_missing_columns_is_a_one_line_error() -> None:
    with pytest.raises(StoreError, match="lacks columns") as err:
        counts(pd.DataFrame({"checkpoint": ["a"]}))
    assert "\n" not in str(err.value)
