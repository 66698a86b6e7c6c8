"""Problem level: solved sets, unique solves, Jaccard, frontier-change quantities, heatmap order."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from codefrontier.analysis.frame import Checkpoint
from codefrontier.analysis.problems import frontier_change, jaccard_matrix, sort_for_heatmap, unique_solved

LINE = [Checkpoint("lam=-0.50", -0.5, math.nan, False, 0), Checkpoint("cov1", 0.0, 1.0, True, 1),
        Checkpoint("lam=+0.50", 0.5, math.nan, False, 2), Checkpoint("cov4", 1.0, 4.0, True, 3)]
# problems x checkpoints solve rates (columns in lambda order)
RATES = pd.DataFrame(
    [[0.0, 0.5, 0.5, 0.5],   # a: best at an endpoint (tie with others)
     [0.0, 0.0, 0.3, 0.0],   # b: only the interior lambda solves it (rescued)
     [0.8, 0.2, 0.0, 0.0],   # c: best at the extrapolated lambda
     [0.0, 0.0, 0.0, 0.0]],  # d: never solved
    index=["a", "b", "c", "d"], columns=[ck.name for ck in LINE])


def test_unique_solved_and_jaccard() -> None:
    uniq = unique_solved(RATES, "reasoning").set_index("checkpoint")
    assert uniq.at["lam=+0.50", "unique_problems"] == "b" and uniq.at["lam=+0.50", "unique"] == 1
    assert uniq.at["cov4", "unique"] == 0 and uniq.at["cov4", "solved"] == 1
    jac = jaccard_matrix(RATES > 0)
    assert jac.at["cov1", "cov4"] == pytest.approx(1 / 2)  # {a, c} vs {a}
    assert jac.at["lam=-0.50", "lam=+0.50"] == pytest.approx(0.0)  # {c} vs {a, b}
    assert np.allclose(np.diag(jac), 1.0)


def test_frontier_change_quantities() -> None:
    out = frontier_change(RATES, LINE, "reasoning")
    # adjacent distances: {c}|{a,c} = 1/2 ; {a,c}|{a,b} = 2/3 ; {a,b}|{a} = 1/2
    assert out["adjacent_jaccard_distance"] == pytest.approx((0.5 + 2 / 3 + 0.5) / 3)
    assert out["problems_solved_on_line"] == 3
    assert out["off_endpoint_share"] == pytest.approx(2 / 3)  # b (interior) and c (extrapolated)
    assert out["extrapolation_best_share"] == pytest.approx(1 / 3)  # c
    assert out["rescued_by_non_endpoint"] == 1  # b


def test_heatmap_rows_by_difficulty_then_best_lambda() -> None:
    difficulty = pd.Series({"a": "hard", "b": "easy", "c": "hard", "d": "easy"})
    order = list(sort_for_heatmap(RATES, difficulty).index)
    assert order == ["b", "d", "c", "a"]  # easy first (unsolved last), then by where each is best solved
