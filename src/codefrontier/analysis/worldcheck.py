"""The world check: the paper's four findings (and the settings' two health checks) as verdicts.

One row per (setting, finding), each computed on per-problem rates (mean over problems of the
per-problem fraction) and judged against the percentile bootstrap over problems, paired across
checkpoints (bootstrap.py): the statistic is evaluated on every replicate as well as on the data.
  holds          the claim is true on the data and in >= SUPPORT of the replicates
  weak           true on the data, but in fewer replicates (the interval straddles the boundary)
  does not hold  false on the data
  n/a            not measurable here (a checkpoint or a column is missing), with the reason
Findings (A = the lowest-coverage checkpoint, λ = 0; B = the highest, λ = 1):
  a frontier       opt(B) < opt(A) and corr(B) > corr(A)
  b interpolation  every λ in (0, 1) lies between A and B on both axes (within TOL)
  c extrapolation  some λ outside [0, 1] has opt or corr below every λ in [0, 1], solving at
                   least half as much as the best λ in [0, 1]
  d ensembles      at some budget k where the best single checkpoint's pass@k is below SATURATED,
                   the best matched-budget ensemble with an interpolated or extrapolated member beats it
  e agent / tool   agent: final solve rate above the first attempt's; tool: >= half the samples call it
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from codefrontier.analysis.bootstrap import resample_weights
from codefrontier.analysis.ensembles import Budgeted
from codefrontier.analysis.frame import Checkpoint, checkpoints, counts, judged, matrices
from codefrontier.errors import CodefrontierError
from codefrontier.metrics import default_ks

FloatArray = npt.NDArray[np.float64]
SUPPORT = 0.8  # share of bootstrap replicates a claim must hold in to be called "holds"
TOL = 0.02  # interpolation: how far outside the endpoints' range a point may lie (rates, 0..1)
SATURATED = 0.98  # a budget whose best single pass@k reaches this is saturated: no room to beat it
FINDINGS = ("a frontier", "b interpolation", "c extrapolation", "d ensembles", "e agent/tool")


@dataclass(frozen=True)
class Cell:
    setting: str
    finding: str
    verdict: str  # holds | weak | does not hold | n/a
    support: float  # share of bootstrap replicates where the claim holds (NaN for n/a)
    detail: str  # the numbers behind it, in plain words


def verdict(point: bool, support: float) -> str:
    if not point:
        return "does not hold"
    return "holds" if support >= SUPPORT else "weak"


@dataclass
class Rates:
    """(R, C) rates for R = 1 + B rows: row 0 the data, rows 1.. the bootstrap replicates."""
    cks: list[Checkpoint]
    solve: FloatArray
    corr: FloatArray
    opt: FloatArray

    def col(self, name: str) -> int:
        return next(i for i, ck in enumerate(self.cks) if ck.name == name)


def _rates(cnt: pd.DataFrame, cks: list[Checkpoint], setting: str, weights: FloatArray) -> Rates:
    probs = sorted(cnt.loc[cnt["setting"] == setting, "problem_id"].unique())
    m = matrices(cnt, setting, ["n", "c", "correctness", "optimization"], cks, probs)
    w = np.vstack([np.ones((1, len(probs))), weights])  # row 0: every problem once = the data

    def mean(x: FloatArray) -> FloatArray:
        v = x / m["n"]
        ok = np.isfinite(v)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (w @ np.where(ok, v, 0.0)) / (w @ ok.astype(float))

    return Rates(cks, mean(m["c"]), mean(m["correctness"]), mean(m["optimization"]))


def _ends(cks: list[Checkpoint]) -> tuple[Checkpoint, Checkpoint] | None:
    a = [ck for ck in cks if ck.on_line and ck.lam == 0.0]
    b = [ck for ck in cks if ck.on_line and ck.lam == 1.0]
    return (a[0], b[0]) if a and b else None


def frontier(r: Rates, setting: str) -> Cell:
    ends = _ends(r.cks)
    if ends is None:
        return Cell(setting, FINDINGS[0], "n/a", np.nan, "the line lacks its trained endpoints λ = 0 and λ = 1")
    a, b = r.col(ends[0].name), r.col(ends[1].name)
    d_opt, d_corr = r.opt[:, b] - r.opt[:, a], r.corr[:, b] - r.corr[:, a]
    ok = (d_opt < 0) & (d_corr > 0)
    lo_o, hi_o = np.quantile(d_opt[1:], [0.025, 0.975])
    lo_c, hi_c = np.quantile(d_corr[1:], [0.025, 0.975])
    detail = (f"from {ends[0].name} to {ends[1].name}: optimization failures {r.opt[0, a]:.3f} → {r.opt[0, b]:.3f} "
              f"(Δ {d_opt[0]:+.3f} [{lo_o:+.3f}, {hi_o:+.3f}]), correctness failures {r.corr[0, a]:.3f} → "
              f"{r.corr[0, b]:.3f} (Δ {d_corr[0]:+.3f} [{lo_c:+.3f}, {hi_c:+.3f}])")
    return Cell(setting, FINDINGS[0], verdict(bool(ok[0]), float(ok[1:].mean())), float(ok[1:].mean()), detail)


def _between(x: FloatArray, a: FloatArray, b: FloatArray) -> npt.NDArray[np.bool_]:
    lo, hi = np.minimum(a, b)[:, None], np.maximum(a, b)[:, None]
    return np.asarray((x >= lo - TOL) & (x <= hi + TOL))


def interpolation(r: Rates, setting: str) -> Cell:
    ends = _ends(r.cks)
    inner = [i for i, ck in enumerate(r.cks) if ck.on_line and 0.0 < ck.lam < 1.0]
    if ends is None or not inner:
        return Cell(setting, FINDINGS[1], "n/a", np.nan, "no λ strictly between the trained endpoints was sampled")
    a, b = r.col(ends[0].name), r.col(ends[1].name)
    gap = max(abs(r.opt[0, b] - r.opt[0, a]), abs(r.corr[0, b] - r.corr[0, a]))
    if gap <= TOL:
        return Cell(setting, FINDINGS[1], "n/a", np.nan,
                    f"the endpoints coincide (largest gap {gap:.3f}): there is no segment to interpolate along")
    ok = np.asarray(_between(r.opt[:, inner], r.opt[:, a], r.opt[:, b])
                    & _between(r.corr[:, inner], r.corr[:, a], r.corr[:, b]))
    alls: npt.NDArray[np.bool_] = np.asarray(ok.all(axis=1))
    pts = ", ".join(f"λ={r.cks[i].lam:g} ({r.corr[0, i]:.2f}, {r.opt[0, i]:.2f})" for i in inner)
    detail = (f"{int(ok[0].sum())} of {len(inner)} interior λ lie between the endpoints (corr, opt) "
              f"({r.corr[0, a]:.2f}, {r.opt[0, a]:.2f}) and ({r.corr[0, b]:.2f}, {r.opt[0, b]:.2f}): {pts}")
    return Cell(setting, FINDINGS[1], verdict(bool(alls[0]), float(alls[1:].mean())), float(alls[1:].mean()), detail)


def extrapolation(r: Rates, setting: str) -> Cell:
    inside = [i for i, ck in enumerate(r.cks) if ck.on_line and 0.0 <= ck.lam <= 1.0]
    outside = [i for i, ck in enumerate(r.cks) if ck.on_line and not 0.0 <= ck.lam <= 1.0]
    if not inside or not outside:
        return Cell(setting, FINDINGS[2], "n/a", np.nan, "no λ outside [0, 1] was sampled")
    min_opt, min_corr = r.opt[:, inside].min(axis=1), r.corr[:, inside].min(axis=1)
    half = 0.5 * r.solve[:, inside].max(axis=1)
    beyond = (r.opt[:, outside] < min_opt[:, None]) | (r.corr[:, outside] < min_corr[:, None])
    ok_each = beyond & (r.solve[:, outside] >= half[:, None])  # (R, outside)
    ok = ok_each.any(axis=1)
    if ok[0]:
        j = outside[int(np.argmax(ok_each[0]))]
        detail = (f"λ={r.cks[j].lam:g} reaches (corr {r.corr[0, j]:.3f}, opt {r.opt[0, j]:.3f}) beyond every λ in "
                  f"[0, 1] (min corr {min_corr[0]:.3f}, min opt {min_opt[0]:.3f}) solving {r.solve[0, j]:.3f} "
                  f"(half the best inside: {half[0]:.3f})")
    else:
        parts = [f"λ={r.cks[j].lam:g}: corr {r.corr[0, j]:.3f}, opt {r.opt[0, j]:.3f}, solve {r.solve[0, j]:.3f}"
                 for j in outside]
        detail = (f"no λ outside [0, 1] both goes beyond [0, 1] (min corr {min_corr[0]:.3f}, min opt "
                  f"{min_opt[0]:.3f}) and solves at least {half[0]:.3f}; " + "; ".join(parts))
    return Cell(setting, FINDINGS[2], verdict(bool(ok[0]), float(ok[1:].mean())), float(ok[1:].mean()), detail)


def _combos(cks: list[Checkpoint], order: list[int], max_size: int) -> npt.NDArray[np.int64]:
    """Every subset of 2..max_size checkpoints with at least one interpolated or extrapolated member,
    members strongest first (they take the budget's remainder), as (S, max_size) padded with -1."""
    import itertools

    rows = [list(c) + [-1] * (max_size - len(c)) for m in range(2, max_size + 1)
            for c in itertools.combinations(order, m) if any(not cks[i].is_trained for i in c)]
    return np.array(rows, dtype=np.int64).reshape(-1, max_size)


def _ensemble_values(bud: Budgeted, combos: npt.NDArray[np.int64], k: int) -> FloatArray:
    """(P, S) per-problem pass@k of padded combos (grouped by size so the budget split is exact)."""
    out = np.full((bud.n.shape[0], combos.shape[0]), np.nan)
    sizes = (combos >= 0).sum(axis=1)
    for m in np.unique(sizes):
        sel = np.flatnonzero(sizes == m)
        out[:, sel] = bud.ensembles(combos[sel][:, :m], k)
    return out


def ensembles(cnt: pd.DataFrame, cks: list[Checkpoint], setting: str, weights: FloatArray,
              max_size: int = 3) -> Cell:
    probs = sorted(cnt.loc[cnt["setting"] == setting, "problem_id"].unique())
    m = matrices(cnt, setting, ["n", "c"], cks, probs)
    if not np.isfinite(m["n"]).all() or not any(not ck.is_trained for ck in cks):
        return Cell(setting, FINDINGS[3], "n/a", np.nan, "some checkpoint lacks a problem, or no λ off the trained points")
    if not np.nansum(m["c"]):
        return Cell(setting, FINDINGS[3], "n/a", np.nan, "no checkpoint solves any problem: nothing to combine")
    bud, best = Budgeted(m["n"], m["c"]), None
    saturated: list[int] = []
    for k in [k for k in default_ks(int(m["n"].min())) if k >= 2]:
        single = bud.single(k).mean(axis=0)
        order = [int(i) for i in np.argsort(-single, kind="stable")]
        if single[order[0]] >= SATURATED:
            saturated.append(k)
            continue
        combos = _combos(cks, order, max_size)
        vals = _ensemble_values(bud, combos, k)
        j = int(np.argmax(vals.mean(axis=0)))
        gap = vals[:, j] - bud.single(k)[:, order[0]]
        if best is None or gap.mean() > best[0].mean():
            best = (gap, k, order[0], combos[j], float(single[order[0]]), float(vals[:, j].mean()))
    if best is None:
        return Cell(setting, FINDINGS[3], "n/a", np.nan,
                    f"every budget is saturated (best single pass@k >= {SATURATED} at k = {saturated})")
    gap, k, s, members, single_v, ens_v = best
    boot = weights @ gap / gap.size
    support = float((boot > 0).mean())
    lo, hi = np.quantile(boot, [0.025, 0.975])
    names = " + ".join(cks[i].name for i in members if i >= 0)
    detail = (f"pass@{k}: best ensemble {names} {ens_v:.3f} vs best single {cks[s].name} {single_v:.3f} "
              f"(Δ {gap.mean():+.3f} [{lo:+.3f}, {hi:+.3f}])")
    return Cell(setting, FINDINGS[3], verdict(bool(gap.mean() > 0), support), support, detail)


def agent_tool(frame: pd.DataFrame, setting: str, weights_for: dict[int, FloatArray]) -> Cell:
    rows = judged(frame)
    rows = rows[rows["setting"] == setting]
    if setting == "agent":
        per = rows.assign(final=rows["failure_class"] == "solved").groupby("problem_id")[
            ["final", "first_attempt_solved"]].mean()
        if per["first_attempt_solved"].isna().all():
            return Cell(setting, FINDINGS[4], "n/a", np.nan, "no first-attempt verdicts were recorded")
        gap = (per["final"] - per["first_attempt_solved"]).to_numpy(dtype=float)
        what = f"final solve rate {per['final'].mean():.3f} vs first attempt {per['first_attempt_solved'].mean():.3f}"
        point = gap.mean() > 0
    elif setting == "tool":
        gap = rows.assign(u=rows["tool_calls"] >= 1).groupby("problem_id")["u"].mean().to_numpy(dtype=float) - 0.5
        what = f"{gap.mean() + 0.5:.3f} of tool-setting samples call the tool at least once (target >= 0.5)"
        point = gap.mean() >= 0
    else:
        return Cell(setting, FINDINGS[4], "n/a", np.nan, "only checked in the agent and tool settings")
    w = weights_for.setdefault(gap.size, resample_weights(gap.size, next(iter(weights_for.values())).shape[0], 0))
    boot = w @ gap / gap.size
    support = float(((boot > 0) if setting == "agent" else (boot >= 0)).mean())
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return Cell(setting, FINDINGS[4], verdict(bool(point), support), support,
                f"{what} (Δ {gap.mean():+.3f} [{lo:+.3f}, {hi:+.3f}])")


def first_samples(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """The rows of the first n samples of every (checkpoint, setting, problem): what a run with n samples
    would have drawn, since a sample's random stream depends on its index, not on how many follow."""
    if n < 1:
        raise CodefrontierError(f"--first must be at least 1, got {n} (fix: pass the number of samples to keep).")
    have = int(frame["sample_index"].max()) + 1 if len(frame) else 0
    if n > have:
        raise CodefrontierError(f"--first {n} asks for more samples than the run has ({have} per problem; "
                                f"fix: pass --first {have} or less).")
    return frame[frame["sample_index"] < n]


def world_check(frame: pd.DataFrame, reps: int = 1000, seed: int = 0) -> pd.DataFrame:
    """One row per (setting, finding): verdict, bootstrap support, and the numbers in words."""
    cnt = counts(frame)
    cks = checkpoints(judged(frame))
    cells: list[Cell] = []
    for setting in sorted(cnt["setting"].unique(), key=lambda s: ("reasoning", "tool", "agent").index(s)
                          if s in ("reasoning", "tool", "agent") else 9):
        present = [ck for ck in cks if ck.name in set(cnt.loc[cnt["setting"] == setting, "checkpoint"])]
        n_probs = cnt.loc[cnt["setting"] == setting, "problem_id"].nunique()
        weights = resample_weights(n_probs, reps, seed)
        r = _rates(cnt, present, setting, weights)
        cells += [frontier(r, setting), interpolation(r, setting), extrapolation(r, setting),
                  ensembles(cnt, present, setting, weights), agent_tool(frame, setting, {n_probs: weights})]
    return pd.DataFrame([c.__dict__ for c in cells])


def render_table(table: pd.DataFrame) -> str:
    """Markdown: one row per finding, one column per setting, each cell `verdict (support)`."""
    sets = list(dict.fromkeys(table["setting"]))
    out = ["| finding | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets)]
    for f in FINDINGS:
        cells = []
        for s in sets:
            row = table[(table["setting"] == s) & (table["finding"] == f)].iloc[0]
            cells.append(row["verdict"] + ("" if np.isnan(row["support"]) else f" ({row['support']:.0%})"))
        out.append(f"| {f} | " + " | ".join(cells) + " |")
    return "\n".join(out)
