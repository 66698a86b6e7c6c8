"""The findings at the top of the report: each claim of the paper, as measured in this run.

Every sentence states numbers and says which way they point; nothing here decides
that a claim "holds" beyond what the numbers and intervals show.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from codefrontier.analysis.analyse import Analysis
from codefrontier.analysis.frontier import distance_to_path


def ci(v: float, lo: float, hi: float, digits: int = 3) -> str:
    if not math.isfinite(v):
        return "n/a"
    return f"{v:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def _pts(a: Analysis, setting: str, diff: str) -> pd.DataFrame:
    fr = a.frontier
    return fr[(fr["setting"] == setting) & (fr["difficulty"] == diff)]


def coverage_sweep(a: Analysis, setting: str) -> str | None:
    trained = _pts(a, setting, a.focus)
    trained = trained[trained["is_trained"]].sort_values("coverage_level")
    if len(trained) < 2:
        return None
    lo, hi = trained.iloc[0], trained.iloc[-1]
    return (f"Frontier across coverage ({setting}, {a.focus}): from {lo['checkpoint']} to {hi['checkpoint']} "
            f"optimization failures {lo['optimization']:.3f} → {hi['optimization']:.3f}, correctness failures "
            f"{lo['correctness']:.3f} → {hi['correctness']:.3f}, solve rate "
            f"{ci(lo['solve_rate'], lo['solve_lo'], lo['solve_hi'])} → {ci(hi['solve_rate'], hi['solve_lo'], hi['solve_hi'])}.")


def interpolation(a: Analysis, setting: str) -> str | None:
    pts = _pts(a, setting, a.focus)
    line = pts[pts["lam"].notna()].sort_values("lam")
    inside = line[(line["lam"] >= 0) & (line["lam"] <= 1)]
    if len(inside) < 2:
        return None
    e0, e1 = inside.iloc[0], inside.iloc[-1]
    box = ((inside["correctness"].between(*sorted((e0["correctness"], e1["correctness"]))))
           & (inside["optimization"].between(*sorted((e0["optimization"], e1["optimization"])))))
    mid = inside.iloc[1:-1]
    between = (f"{int(box.iloc[1:-1].sum())} of {len(mid)} interior λ lie between the endpoints on both axes; "
               if len(mid) else "")
    text = (f"Interpolation ({setting}, {a.focus}): {between}optimization failures go {e0['optimization']:.3f} (λ=0) → "
            f"{e1['optimization']:.3f} (λ=1), correctness failures {e0['correctness']:.3f} → {e1['correctness']:.3f}")
    off = pts[pts["is_trained"] & pts["lam"].isna()]  # trained levels between the endpoints, off the line
    if off.empty:
        return text + "."
    path = inside[["correctness", "optimization"]].to_numpy()
    span = float(np.linalg.norm(path[-1] - path[0]))
    dists = ", ".join(f"{r['checkpoint']} {distance_to_path((r['correctness'], r['optimization']), path):.3f}"
                      for _, r in off.iterrows())
    return text + (f"; distance of the other trained levels to the interpolation path: {dists} "
                   f"(the endpoints are {span:.3f} apart).")


def extrapolation(a: Analysis, setting: str) -> str | None:
    pts = _pts(a, setting, a.focus)
    line = pts[pts["lam"].notna()]
    ext = line[(line["lam"] < 0) | (line["lam"] > 1)]
    if ext.empty:
        return None
    par = pts[pts["pareto"]]
    inside = line[(line["lam"] >= 0) & (line["lam"] <= 1)]
    bits = []
    for side, sub, col in (("λ>1", ext[ext["lam"] > 1], "optimization"), ("λ<0", ext[ext["lam"] < 0], "correctness")):
        if not sub.empty and not inside.empty:
            best = sub.sort_values(col).iloc[0]
            bits.append(f"best {side} (λ={best['lam']:+.2f}) reaches {col} failures {best[col]:.3f} vs "
                        f"{inside[col].min():.3f} best inside [0,1]")
    par_ext = par[(par["lam"] < 0) | (par["lam"] > 1)]  # NaN (off the line) compares False
    lams = ", ".join(f"{v:+g}" for v in par_ext["lam"])
    return (f"Extrapolation ({setting}, {a.focus}): {'; '.join(bits)}; {len(par_ext)} of the {len(par)} "
            f"Pareto-set checkpoints are extrapolated" + (f" (λ = {lams})." if lams else "."))


def complementarity(a: Analysis, setting: str) -> str | None:
    row = a.change[a.change["setting"] == setting]
    if row.empty or "adjacent_jaccard_distance" not in row or pd.isna(row.iloc[0].get("adjacent_jaccard_distance")):
        return None
    r = row.iloc[0]
    text = (f"Problem level ({setting}): adjacent λ differ by a mean Jaccard distance of "
            f"{r['adjacent_jaccard_distance']:.3f} in which problems they solve")
    share, ext = r.get("off_endpoint_share"), r.get("extrapolation_best_share")
    if share is not None and pd.notna(share):
        text += (f"; {share:.0%} of the {int(r['problems_solved_on_line'])} problems solved on the line are "
                 f"solved best strictly away from both endpoints")
        if ext is not None and pd.notna(ext) and (a.frontier["lam"].dropna().pipe(lambda x: (x < 0) | (x > 1))).any():
            text += f", {ext:.0%} best only at an extrapolated λ"
    return text + "."


def _vals(row: Any, *cols: str) -> tuple[float, float, float]:
    v, lo, hi = (float(row[c]) for c in cols)
    return v, lo, hi


SATURATED = 0.98  # a best-single pass@k at or above this leaves an ensemble no room (analysis/worldcheck.py)


def ensemble(a: Analysis, setting: str) -> str | None:
    ens = a.ensembles
    if ens.empty:
        return None
    sub = ens[(ens["setting"] == setting) & (ens["difficulty"] == a.focus)]
    if sub.empty:
        return None
    singles = sub[sub["kind"] == "best single"]
    open_ks = singles.loc[singles["value"] < SATURATED, "k"]  # budgets where the best single can be beaten
    if open_ks.empty:
        return (f"Matched budget ({setting}, {a.focus}): the best single checkpoint already solves "
                f"{singles['value'].max():.3f} at every budget, so no ensemble can show an advantage here.")
    k = int(open_ks.max())
    at = sub[sub["k"] == k].set_index("kind")
    if len(at) < 2:
        return None  # a single checkpoint: no ensemble to compare
    single = at.loc["best single"]
    parts = [f"best single {single['members']} {ci(*_vals(single, 'value', 'lo', 'hi'))}"]
    for kind in ("best ensemble, with extrapolated", "best ensemble, trained only"):
        if kind in at.index:
            r = at.loc[kind]
            parts.append(f"{kind.removeprefix('best ensemble, ')} {r['members']} "
                         f"{ci(*_vals(r, 'value', 'lo', 'hi'))} (Δ {r['vs_single']:+.3f} "
                         f"[{r['vs_single_lo']:+.3f}, {r['vs_single_hi']:+.3f}])")
    return f"Matched budget ({setting}, {a.focus}, pass@{k}): " + "; ".join(parts) + "."


def findings(a: Analysis) -> list[str]:
    out = []
    for fn in (coverage_sweep, interpolation, extrapolation, complementarity, ensemble):
        for s in a.settings:
            line = fn(a, s)
            if line:
                out.append(line)
    return out
