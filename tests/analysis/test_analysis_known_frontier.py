"""Hand-built results with a known frontier and a known ensemble winner."""

from __future__ import annotations

import math

import pytest

from codefrontier.analysis.analyse import analyse
from codefrontier.analysis.config import ReportConfig
from codefrontier.analysis.frontier import pareto_mask
from codefrontier.analysis.synthetic import frame_from_counts
from codefrontier.metrics import ensemble_pass_at_k

SPECS = [("cov1", 0.0, 1.0, True), ("cov4", 1.0, 4.0, True), ("lam=+0.50", 0.5, math.nan, False),
         ("lam=+1.50", 1.5, math.nan, False), ("lam=-0.50", -0.5, math.nan, False)]
PROBLEMS = ("p1", "p2", "p3", "p4")


def test_pareto_mask_minimises_both() -> None:
    x = [0.2, 0.6, 0.4, 0.7, 0.2, 0.5]
    y = [0.6, 0.2, 0.4, 0.1, 0.7, 0.5]
    assert pareto_mask(x, y).tolist() == [True, True, True, True, False, False]


def test_known_frontier_gives_expected_pareto_set() -> None:
    # (solved, WA, TLE) of 10 samples on every problem: corr = WA/10, opt = TLE/10.
    tallies = {"cov1": (2, 2, 6), "cov4": (2, 6, 2), "lam=+0.50": (2, 4, 4), "lam=+1.50": (2, 7, 1),
               "lam=-0.50": (1, 2, 7)}  # lam=-0.50 is dominated by cov1 (same correctness, more TLE)
    cells = {(ck, p): {"solved": s, "WA": w, "TLE": t, "IE": 3} for ck, (s, w, t) in tallies.items() for p in PROBLEMS}
    a = analyse(frame_from_counts(cells, SPECS), ReportConfig(reps=50))
    pts = a.frontier[a.frontier["difficulty"] == "all"].set_index("checkpoint")
    assert set(pts.index[pts["pareto"]]) == {"cov1", "cov4", "lam=+0.50", "lam=+1.50"}
    assert pts.at["lam=+1.50", "optimization"] == pytest.approx(0.1)
    assert pts.at["lam=+1.50", "correctness"] == pytest.approx(0.7)
    assert [ck.name for ck in a.cks] == ["lam=-0.50", "cov1", "lam=+0.50", "cov4", "lam=+1.50"]


def test_known_complementarity_gives_expected_ensemble_winner() -> None:
    # Solved problems (c=5 of 10): cov1 {p1,p2}, cov4 {p2,p3}, lam=+0.50 {p2}, lam=+1.50 {p3,p4}, lam=-0.50 {}.
    solves = {"cov1": {"p1", "p2"}, "cov4": {"p2", "p3"}, "lam=+0.50": {"p2"}, "lam=+1.50": {"p3", "p4"},
              "lam=-0.50": set()}
    cells = {(ck, p): ({"solved": 5, "WA": 5} if p in got else {"WA": 10}) for ck, got in solves.items()
             for p in PROBLEMS}
    a = analyse(frame_from_counts(cells, SPECS), ReportConfig(reps=100, ensemble_max_size=2))
    ens = a.ensembles[(a.ensembles["difficulty"] == "all") & (a.ensembles["k"] == 10)].set_index("kind")
    assert ens.at["best single", "value"] == pytest.approx(0.5)
    assert ens.at["best single", "members"] == "cov1"  # ties broken by checkpoint order
    assert ens.at["best ensemble, with extrapolated", "members"] == "cov1 + lam=+1.50"
    assert ens.at["best ensemble, with extrapolated", "budgets"] == "5 + 5"
    hit = ensemble_pass_at_k([(10, 5, 5), (10, 0, 5)])
    assert ens.at["best ensemble, with extrapolated", "value"] == pytest.approx(hit)
    assert ens.at["best ensemble, trained only", "members"] == "cov1 + cov4"
    both = ensemble_pass_at_k([(10, 5, 5), (10, 5, 5)])  # p2: both members solve it
    assert ens.at["best ensemble, trained only", "value"] == pytest.approx((2 * hit + both) / 4)  # p4: nobody
    gain = ens.at["best ensemble, with extrapolated", "vs_single"]
    assert gain == pytest.approx(hit - 0.5)
    row = ens.loc["best ensemble, with extrapolated"]
    assert row["vs_single_lo"] <= gain <= row["vs_single_hi"] and row["lo"] <= row["value"] <= row["hi"]


def test_distance_to_path() -> None:
    from codefrontier.analysis.frontier import distance_to_path

    path = [(0.0, 1.0), (1.0, 0.0)]
    assert distance_to_path((0.0, 0.0), path) == pytest.approx(math.sqrt(0.5))
    assert distance_to_path((0.5, 0.5), path) == pytest.approx(0.0)
    assert distance_to_path((2.0, 0.0), path) == pytest.approx(1.0)  # beyond the end: distance to the endpoint
