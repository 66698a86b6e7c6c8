"""The correctness-efficiency frontier: Pareto set and the two per-setting figures.

Frontier plane: x = correctness-failure rate, y = optimization-failure rate (both
means over problems of per-problem fractions). Lower is better on both axes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from codefrontier.analysis.frame import Checkpoint
from codefrontier.analysis.tables import value_of


def pareto_mask(x: npt.ArrayLike, y: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """True for points no other point dominates (<= on both, < on one), minimising both x and y."""
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = np.isfinite(xa) & np.isfinite(ya)
    out = keep.copy()
    for i in np.flatnonzero(keep):
        dominated = keep & (xa <= xa[i]) & (ya <= ya[i]) & ((xa < xa[i]) | (ya < ya[i]))
        out[i] = not dominated.any()
    return out


def distance_to_path(point: tuple[float, float], path: npt.ArrayLike) -> float:
    """Euclidean distance from a point to a polyline (rows of (x, y)), in failure-rate units."""
    pts = np.asarray(path, dtype=float)
    p = np.asarray(point, dtype=float)
    if len(pts) == 1:
        return float(np.linalg.norm(p - pts[0]))
    a, b = pts[:-1], pts[1:]
    ab = b - a
    t = np.clip(((p - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-300), 0.0, 1.0)
    return float(np.linalg.norm(a + t[:, None] * ab - p, axis=1).min())


def frontier_points(table: pd.DataFrame, cks: list[Checkpoint], setting: str, difficulty: str) -> pd.DataFrame:
    """One row per checkpoint: correctness, optimization, solve rate (with intervals) and the Pareto flag."""
    table = table[(table["setting"] == setting) & (table["difficulty"] == difficulty)]  # filter once
    corr = value_of(table, setting, difficulty, "rate_correctness")
    opt = value_of(table, setting, difficulty, "rate_optimization")
    solve = value_of(table, setting, difficulty, "solve_rate")
    rows = []
    for ck in cks:
        if ck.name not in corr.index:
            continue
        rows.append({
            "setting": setting, "difficulty": difficulty, "checkpoint": ck.name, "lam": ck.lam,
            "coverage_level": ck.coverage_level, "is_trained": ck.is_trained, "segment": ck.segment,
            "correctness": corr.at[ck.name, "value"], "optimization": opt.at[ck.name, "value"],
            "solve_rate": solve.at[ck.name, "value"],
            "solve_lo": solve.at[ck.name, "lo"], "solve_hi": solve.at[ck.name, "hi"],
        })
    out = pd.DataFrame(rows)
    if not out.empty:
        out["pareto"] = pareto_mask(out["correctness"], out["optimization"])
    return out


def _draw_panel(ax, pts: pd.DataFrame, title: str) -> None:
    line = pts[pts["lam"].notna()].sort_values("lam")
    cmap = colormaps["viridis"]
    lams = line["lam"].to_numpy()
    span = (lams.min(), lams.max()) if len(lams) else (0.0, 1.0)
    norm = (lambda v: (v - span[0]) / (span[1] - span[0])) if span[1] > span[0] else (lambda v: 0.5)
    xs, ys = line["correctness"].to_numpy(), line["optimization"].to_numpy()
    inside = (lams >= 0.0) & (lams <= 1.0)
    solid = [[(xs[i], ys[i]), (xs[i + 1], ys[i + 1])] for i in range(len(line) - 1) if inside[i] and inside[i + 1]]
    dashed = [[(xs[i], ys[i]), (xs[i + 1], ys[i + 1])] for i in range(len(line) - 1)
              if not (inside[i] and inside[i + 1])]  # solid inside [0, 1], dashed where either end extrapolates
    ax.add_collection(LineCollection(solid, colors="#555", linewidths=1.6, zorder=1))
    ax.add_collection(LineCollection(dashed, colors="#555", linewidths=1.2, linestyles=(0, (4, 3)), zorder=1))
    colors = cmap(np.array([norm(v) for v in lams]))
    for mask, marker in ((inside, "o"), (~inside, "^")):  # one collection per marker, not one per point
        ax.scatter(xs[mask], ys[mask], s=34, marker=marker, c=colors[mask], edgecolor="black", lw=0.5, zorder=3)
    for x, y, lam in zip(xs, ys, lams, strict=True):
        ax.annotate(f"{lam:+g}", (x, y), textcoords="offset points", xytext=(5, 3), fontsize=7, color="#333")
    trained = pts[pts["is_trained"]].sort_values("coverage_level")
    if len(trained) > 1:
        ax.plot(trained["correctness"], trained["optimization"], color="#c0392b", lw=0.8, ls=":", zorder=1)
    ax.scatter(trained["correctness"], trained["optimization"], s=110, marker="s", facecolor="none",
               edgecolor="#c0392b", lw=1.8, zorder=4)
    for _, r in trained[trained["lam"].isna()].iterrows():
        ax.annotate(str(r["checkpoint"]), (r["correctness"], r["optimization"]),
                    textcoords="offset points", xytext=(5, -9), fontsize=7, color="#c0392b")
    par = pts[pts["pareto"]]
    ax.scatter(par["correctness"], par["optimization"], s=260, marker="o", facecolor="none",
               edgecolor="#e67e22", lw=1.6, zorder=2)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("correctness-failure rate", fontsize=8)
    ax.set_ylabel("optimization-failure rate", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.25)


def frontier_figure(points: dict[str, pd.DataFrame], setting: str) -> Figure:
    """One panel per difficulty ('all' first) for one setting."""
    from matplotlib.lines import Line2D

    width = 3.6 * len(points) + 0.2
    fig = Figure(figsize=(width, 3.9))  # fixed margins: constrained layout would draw everything twice
    axes = fig.subplots(1, len(points), squeeze=False)[0]
    fig.subplots_adjust(left=0.6 / width, right=1 - 0.15 / width, top=0.92, bottom=0.22, wspace=0.3)
    for ax, (diff, pts) in zip(axes, points.items(), strict=False):
        _draw_panel(ax, pts, f"{setting} · {diff}")
    handles = [
        Line2D([], [], color="#555", lw=1.6, label="interpolation 0≤λ≤1"),
        Line2D([], [], color="#555", lw=1.2, ls=(0, (4, 3)), label="extrapolation"),
        Line2D([], [], marker="^", ls="", color="#888", markeredgecolor="black", label="extrapolated λ"),
        Line2D([], [], marker="s", ls="", markerfacecolor="none", markeredgecolor="#c0392b", markersize=9,
               label="trained checkpoint"),
        Line2D([], [], marker="o", ls="", markerfacecolor="none", markeredgecolor="#e67e22", markersize=11,
               label="Pareto set"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=7, frameon=False)
    return fig


def solve_rate_figure(table: pd.DataFrame, cks: list[Checkpoint], setting: str, diffs: list[str]) -> Figure:
    """Solve rate against lambda with the bootstrap interval as a band, one line per difficulty."""
    fig = Figure(figsize=(6.0, 3.6))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.11, right=0.97, top=0.91, bottom=0.14)
    line = [ck for ck in cks if ck.on_line]
    lams = np.array([ck.lam for ck in line])
    for diff in diffs:
        vals = value_of(table, setting, diff, "solve_rate").reindex([ck.name for ck in line])
        ax.plot(lams, vals["value"], marker="o", ms=3.5, lw=1.5 if diff == "all" else 1.0, label=diff)
        ax.fill_between(lams, vals["lo"], vals["hi"], alpha=0.15)
    if len(lams):
        ax.axvspan(0.0, 1.0, color="#999", alpha=0.10, lw=0, label="interpolation")
    ax.set_xlabel("λ  (0 = low-coverage checkpoint A, 1 = high-coverage checkpoint B)", fontsize=8)
    ax.set_ylabel("solve rate (mean over problems)", fontsize=8)
    ax.set_title(f"{setting}: solve rate along the weight line, 95% bootstrap band", fontsize=10)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.25)
    ax.legend(fontsize=7, ncol=3)
    return fig
