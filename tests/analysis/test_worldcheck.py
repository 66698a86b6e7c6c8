"""The world check's logic on synthetic frames whose answers are known by construction."""

import numpy as np
import pandas as pd
import pytest

from codefrontier.analysis.synthetic import checkpoint_specs, frame_from_counts
from codefrontier.analysis.worldcheck import FINDINGS, first_samples, render_table, world_check
from codefrontier.errors import CodefrontierError

SPECS = checkpoint_specs([-0.5, 0.0, 0.5, 1.0, 1.5], levels=4)  # cov1 = λ 0, cov4 = λ 1
LINE = {"lam=-0.50": -0.5, "cov1": 0.0, "lam=+0.50": 0.5, "cov4": 1.0, "lam=+1.50": 1.5}
# Per checkpoint (solved, TLE, WA) out of 10, the same on every problem: a clean frontier, an interior
# point between the ends, and λ = 1.5 beyond them on the optimization axis while solving 0.2 >= 0.4 / 2.
PAPER = {"lam=-0.50": (2, 6, 2), "cov1": (3, 5, 2), "lam=+0.50": (4, 3, 3), "cov4": (3, 1, 6), "lam=+1.50": (2, 0, 8)}


def frame(tallies: dict[str, tuple[int, int, int]], problems: int = 20, setting: str = "reasoning") -> pd.DataFrame:
    cells = {(ck, f"p{j:02d}"): {"solved": s, "TLE": t, "WA": w} for ck, (s, t, w) in tallies.items()
             for j in range(problems)}
    specs = [s for s in SPECS if s[0] in tallies]
    return frame_from_counts(cells, specs, setting=setting)


def cell(table: pd.DataFrame, finding: str, setting: str = "reasoning") -> pd.Series:
    return table[(table["finding"] == finding) & (table["setting"] == setting)].iloc[0]


def test_the_papers_shape_holds_on_a_b_and_c() -> None:
    t = world_check(frame(PAPER), reps=200)
    for f in FINDINGS[:3]:
        assert cell(t, f)["verdict"] == "holds", cell(t, f)["detail"]
    assert "λ=1.5" in cell(t, FINDINGS[2])["detail"]
    assert cell(t, FINDINGS[4])["verdict"] == "n/a"  # reasoning has no agent/tool check


def test_a_reversed_frontier_and_an_outlying_interior_point_do_not_hold() -> None:
    rev = dict(PAPER, cov1=PAPER["cov4"], cov4=PAPER["cov1"])
    rev["lam=+0.50"] = (0, 9, 1)  # far outside both ends on the optimization axis
    t = world_check(frame(rev), reps=200)
    assert cell(t, FINDINGS[0])["verdict"] == "does not hold"
    assert cell(t, FINDINGS[1])["verdict"] == "does not hold"
    assert "0 of 1 interior" in cell(t, FINDINGS[1])["detail"]


def test_coinciding_endpoints_say_so_in_words() -> None:
    same = dict(PAPER, cov4=PAPER["cov1"])
    c = cell(world_check(frame(same), reps=100), FINDINGS[1])
    assert c["verdict"] == "n/a" and "coincide" in c["detail"]


def test_extrapolation_that_only_loses_solve_rate_does_not_count() -> None:
    weak = dict(PAPER)
    weak["lam=+1.50"] = (1, 0, 9)  # beyond on optimization, but solves 0.1 < half of 0.4
    weak["lam=-0.50"] = (1, 8, 1)
    c = cell(world_check(frame(weak), reps=100), FINDINGS[2])
    assert c["verdict"] == "does not hold" and "solves at least 0.200" in c["detail"]


def test_complementary_checkpoints_make_an_ensemble_beat_the_best_single() -> None:
    cells = {}
    for j in range(20):
        own = "cov1" if j < 10 else "lam=+0.50"  # each solves half of the problems, never the other half
        for ck in ("cov1", "lam=+0.50", "cov4"):
            s = 5 if ck == own or (ck == "cov4" and own == "cov1") else 0
            cells[(ck, f"p{j:02d}")] = {"solved": s, "WA": 10 - s}
    t = world_check(frame_from_counts(cells, [s for s in SPECS if s[0] in ("cov1", "lam=+0.50", "cov4")]), reps=200)
    c = cell(t, FINDINGS[3])
    assert c["verdict"] == "holds" and "lam=+0.50" in c["detail"], c["detail"]


def test_saturated_budgets_are_not_compared() -> None:
    t = world_check(frame({ck: (10, 0, 0) for ck in PAPER}), reps=100)
    c = cell(t, FINDINGS[3])
    assert c["verdict"] == "n/a" and "saturated" in c["detail"]


@pytest.mark.parametrize(("first", "calls", "want_agent", "want_tool"), [(0.0, 1, "holds", "holds"),
                                                                           (1.0, 0, "does not hold", "does not hold")])
def test_agent_gain_and_tool_use(first: float, calls: int, want_agent: str, want_tool: str) -> None:
    agent = frame(PAPER, setting="agent").assign(first_attempt_solved=first)
    tool = frame(PAPER, setting="tool").assign(tool_calls=calls)
    t = world_check(pd.concat([agent, tool], ignore_index=True), reps=100)
    assert cell(t, FINDINGS[4], "agent")["verdict"] == want_agent
    assert cell(t, FINDINGS[4], "tool")["verdict"] == want_tool
    md = render_table(t)
    assert md.splitlines()[0] == "| finding | tool | agent |" and len(md.splitlines()) == 2 + len(FINDINGS)


def test_noise_makes_a_small_effect_weak_not_holds() -> None:
    rng = np.random.default_rng(0)
    cells = {}
    for j in range(12):
        for ck, (s, t, _w) in PAPER.items():
            shift = int(rng.integers(-3, 4))  # per-problem noise far larger than the effect below
            tt = min(max(t + shift, 0), 10 - s)
            cells[(ck, f"p{j:02d}")] = {"solved": s, "TLE": tt, "WA": 10 - s - tt}
    for j in range(12):  # endpoints almost equal on optimization: a true but tiny frontier
        cells[("cov4", f"p{j:02d}")] = dict(cells[("cov1", f"p{j:02d}")])
    cells[("cov4", "p00")] = {"solved": 3, "TLE": max(cells[("cov1", "p00")]["TLE"] - 1, 0), "WA": 10}
    cells[("cov4", "p00")]["WA"] = 10 - 3 - cells[("cov4", "p00")]["TLE"]
    t = world_check(frame_from_counts(cells, SPECS), reps=300)
    assert cell(t, FINDINGS[0])["verdict"] in ("weak", "does not hold")


def test_the_report_carries_the_world_check(tmp_path) -> None:
    from codefrontier.analysis.config import ReportConfig
    from codefrontier.analysis.report import build_report

    build_report(frame(PAPER), {"toy_scale": True}, tmp_path, ReportConfig(reps=100))
    md = (tmp_path / "report.md").read_text()
    assert "World check: the paper's findings" in md and "reasoning / a frontier: holds" in md
    csv = pd.read_csv(tmp_path / "tables" / "world_check.csv")
    assert set(csv["finding"]) == set(FINDINGS)


def test_nothing_solved_says_so_for_ensembles() -> None:
    c = cell(world_check(frame({ck: (0, 3, 7) for ck in PAPER}), reps=50), FINDINGS[3])
    assert c["verdict"] == "n/a" and "no checkpoint solves" in c["detail"]


def test_first_samples_keeps_what_a_smaller_run_would_have_drawn() -> None:
    f = frame(PAPER, problems=3)
    few = first_samples(f, 4)
    per_cell = few.groupby(["checkpoint", "problem_id"]).size()
    assert set(per_cell) == {4} and few["sample_index"].max() == 3
    # the synthetic rows list solved samples first: cov1's first 4 are its 3 solved and 1 TLE
    cov1 = few[(few["checkpoint"] == "cov1") & (few["problem_id"] == "p00")]
    assert list(cov1["failure_class"]) == ["solved"] * 3 + ["optimization"]
    assert first_samples(f, 10).equals(f)
    for bad in (0, 11):
        with pytest.raises(CodefrontierError, match="--first"):
            first_samples(f, bad)
