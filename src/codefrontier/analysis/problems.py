"""Problem level: which problems each checkpoint solves, and how that moves along the line.

A problem is *solved* by a checkpoint when at least one of its samples solved it (c > 0).

Frontier-change quantities (all over the weight-line checkpoints of one setting):
- adjacent Jaccard distance: mean over neighbouring lambdas of 1 - |S_a ∩ S_b| / |S_a ∪ S_b|;
  0 means the solved set never changes between neighbours.
- off-endpoint share: among problems solved somewhere on the line, the share whose best
  solve rate strictly beats both trained endpoints (lambda=0 and lambda=1) at some other lambda.
- extrapolation-best share: the share whose best solve rate is reached only at an
  extrapolated lambda (strictly above every 0<=lambda<=1 value).
- rescued: problems no endpoint solves (c=0 at both) but some other lambda does.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.figure import Figure

from codefrontier.analysis.frame import Checkpoint, matrix, problem_order


def solve_matrix(cnt: pd.DataFrame, setting: str, cks: list[Checkpoint]) -> pd.DataFrame:
    """problems x checkpoints solve rates c/n (NaN where not sampled)."""
    problems = problem_order(cnt[cnt["setting"] == setting])
    n = matrix(cnt, setting, "n", cks, problems)
    return matrix(cnt, setting, "c", cks, problems) / n


def jaccard(a: npt.NDArray[np.bool_], b: npt.NDArray[np.bool_]) -> float:
    union = int((a | b).sum())
    return 1.0 if union == 0 else int((a & b).sum()) / union


def jaccard_matrix(solved: pd.DataFrame) -> pd.DataFrame:
    cols = list(solved.columns)
    vals = solved.to_numpy(dtype=bool)
    out = np.array([[jaccard(vals[:, i], vals[:, j]) for j in range(len(cols))] for i in range(len(cols))])
    return pd.DataFrame(out, index=cols, columns=cols)


def unique_solved(rates: pd.DataFrame, setting: str) -> pd.DataFrame:
    """Per checkpoint: how many problems it solves, and which only it solves."""
    solved = rates.fillna(0.0) > 0
    rows = []
    for name in solved.columns:
        others = solved.drop(columns=[name]).any(axis=1)
        only = solved.index[solved[name] & ~others]
        rows.append({"setting": setting, "checkpoint": name, "solved": int(solved[name].sum()),
                     "unique": len(only), "unique_problems": " ".join(map(str, only))})
    return pd.DataFrame(rows)


def frontier_change(rates: pd.DataFrame, cks: list[Checkpoint], setting: str) -> dict[str, object]:
    line = [ck for ck in cks if ck.on_line and ck.name in rates.columns]
    out: dict[str, object] = {"setting": setting, "line_checkpoints": len(line)}
    if len(line) < 2:
        return out
    r = rates[[ck.name for ck in line]].fillna(0.0).to_numpy()
    solved = r > 0
    dists = [1.0 - jaccard(solved[:, i], solved[:, i + 1]) for i in range(len(line) - 1)]
    out["adjacent_jaccard_distance"] = float(np.mean(dists))
    lams = np.array([ck.lam for ck in line])
    ends = [int(np.argmin(np.abs(lams - e))) for e in (0.0, 1.0)]
    others = [i for i in range(len(line)) if i not in ends]
    inside = (lams >= 0.0) & (lams <= 1.0)
    some = solved.any(axis=1)
    out["problems_solved_on_line"] = int(some.sum())
    if some.any() and others:
        best_end = r[:, ends].max(axis=1)
        off = (r[:, others].max(axis=1) > best_end) & some
        out["off_endpoint_share"] = float(off.sum() / some.sum())
        extra = ~inside
        ext = (r[:, extra].max(axis=1) > r[:, inside].max(axis=1)) & some if extra.any() and inside.any() else \
            np.zeros(len(r), dtype=bool)
        out["extrapolation_best_share"] = float(ext.sum() / some.sum())
        out["rescued_by_non_endpoint"] = int(((~solved[:, ends].any(axis=1)) & solved[:, others].any(axis=1)).sum())
    return out


def sort_for_heatmap(rates: pd.DataFrame, difficulty: pd.Series) -> pd.DataFrame:
    """Rows by difficulty, then by where on the line each problem is best solved (mean argmax position)."""
    r = rates.fillna(0.0).to_numpy()
    peak = r.max(axis=1) if r.shape[1] else np.zeros(len(r))
    where = np.full(len(r), np.inf)  # never solved: last within its difficulty
    for i in np.flatnonzero(peak > 0):
        where[i] = np.flatnonzero(r[i] == peak[i]).mean()
    rank = {"easy": 0, "medium": 1, "hard": 2}
    key = pd.DataFrame({"d": [rank.get(str(difficulty.get(p)), 9) for p in rates.index], "w": where},
                       index=rates.index)
    return rates.loc[key.sort_values(["d", "w"], kind="stable").index]


def heatmap_figure(rates: pd.DataFrame, difficulty: pd.Series, labels: list[str], setting: str) -> Figure:
    rows = len(rates)
    width, height = 2.4 + 0.42 * len(labels), 1.6 + 0.16 * min(rows, 120)
    fig = Figure(figsize=(width, height))  # fixed margins in inches: one draw, not two
    ax = fig.subplots()
    fig.subplots_adjust(left=1.1 / width, right=1 - 0.1 / width, top=1 - 0.35 / height, bottom=1.0 / height)
    im = ax.imshow(rates.to_numpy(dtype=float), aspect="auto", cmap="magma", vmin=0.0, vmax=1.0,
                   interpolation="nearest")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=7)
    if rows <= 120:
        ax.set_yticks(range(rows), [f"{p!s} ({str(difficulty.get(p, '?'))[0]})" for p in rates.index], fontsize=6)
    else:
        ax.set_yticks([])
    diffs = [str(difficulty.get(p)) for p in rates.index]
    for i in range(1, rows):
        if diffs[i] != diffs[i - 1]:
            ax.axhline(i - 0.5, color="white", lw=1.2)
    ax.set_title(f"{setting}: solve rate per problem (rows: difficulty, then best λ)", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.25 / width * 4, pad=0.02, label="solve rate")
    return fig


def jaccard_figure(jac: pd.DataFrame, labels: list[str], setting: str) -> Figure:
    size = 1.6 + 0.36 * len(labels)  # inches of the square plus its labels
    width = size + 0.9
    fig = Figure(figsize=(width, size))
    ax = fig.subplots()
    fig.subplots_adjust(left=1.25 / width, right=1 - 0.15 / width, top=1 - 0.3 / size, bottom=1.2 / size)
    im = ax.imshow(jac.to_numpy(), cmap="viridis", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    if len(labels) <= 14:
        vals = jac.to_numpy(dtype=float)
        for i in range(len(labels)):
            for j in range(i):  # symmetric with a unit diagonal: number the lower triangle only
                v = vals[i, j]
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6,
                        color="black" if v > 0.6 else "white")
    ax.set_title(f"{setting}: Jaccard overlap of solved sets (c>0)", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.05, pad=0.03)
    return fig
