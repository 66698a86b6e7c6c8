"""Matched-budget ensembles: does spending k samples over M checkpoints beat the best single one?

For a total budget k, an ensemble of M members gives member i k_i samples
(`split_budget`: k // M each, the remainder to the first members, where members are
ordered by their own pass@k, strongest first). Per problem
    pass@k = 1 - prod_i C(n_i - c_i, k_i) / C(n_i, k_i),
then the mean over problems. We search every subset of size 2..max_size of a pool
of checkpoints (greedy forward selection when a size has more than max_subsets
subsets) and compare with the best single checkpoint at the same k.

Pools: trained checkpoints only; trained + interpolated (0<=lambda<=1); all,
extrapolated included. Members are chosen on the same problems that score them
(as "best single" is), so both are optimistic; the intervals resample problems
with the selection held fixed, and the difference to the best single is paired.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from codefrontier.analysis.bootstrap import resample_weights
from codefrontier.analysis.config import ReportConfig
from codefrontier.analysis.frame import Checkpoint, matrices
from codefrontier.metrics import miss_probabilities, split_budget

FloatArray = npt.NDArray[np.float64]
POOLS = ("trained only", "trained + interpolated", "with extrapolated")


def pool_members(cks: list[Checkpoint], pool: str) -> list[int]:
    if pool == "trained only":
        return [i for i, ck in enumerate(cks) if ck.is_trained]
    if pool == "trained + interpolated":
        return [i for i, ck in enumerate(cks) if ck.is_trained or ck.segment == "interpolated"]
    return list(range(len(cks)))


class Budgeted:
    """Per-problem miss probabilities q[k][p, i] = C(n-c, k)/C(n, k) for checkpoint i, cached per k."""

    def __init__(self, n: FloatArray, c: FloatArray) -> None:
        self.n, self.c = n, c
        self._cache: dict[int, FloatArray] = {}

    def miss(self, k: int) -> FloatArray:
        if k not in self._cache:
            self._cache[k] = miss_probabilities(self.n, self.c, k)
        return self._cache[k]

    def single(self, k: int) -> FloatArray:
        return 1.0 - self.miss(k)

    def ensembles(self, combos: npt.NDArray[np.int64], k: int) -> FloatArray:
        """(P, S) per-problem pass@k of S ensembles, combos (S, M) with members strongest first."""
        budgets = split_budget(k, combos.shape[1])
        miss = np.ones((self.n.shape[0], combos.shape[0]))
        for pos, kb in enumerate(budgets):
            miss = miss * self.miss(kb)[:, combos[:, pos]]
        return 1.0 - miss


def _score(values: FloatArray) -> FloatArray:
    """Mean over problems per column; a column with any missing problem cannot be compared (-inf)."""
    ok = np.isfinite(values).all(axis=0)
    return np.where(ok, np.nanmean(np.where(np.isfinite(values), values, 0.0), axis=0), -np.inf)


def best_of_size(bud: Budgeted, members: list[int], size: int, k: int, max_subsets: int) -> tuple[list[int], float]:
    """Best ensemble of exactly `size` members of the pool (members pre-sorted strongest first)."""
    if math.comb(len(members), size) <= max_subsets:
        combos = np.array(list(itertools.combinations(members, size)), dtype=np.int64)
        scores = _score(bud.ensembles(combos, k))
        j = int(np.argmax(scores))
        return [int(x) for x in combos[j]], float(scores[j])
    chosen: list[int] = []  # greedy forward selection
    score = -np.inf
    for _ in range(size):
        cands = [m for m in members if m not in chosen]
        combos = np.array([sorted(chosen + [m], key=members.index) for m in cands], dtype=np.int64)
        scores = _score(bud.ensembles(combos, k))
        j = int(np.argmax(scores))
        chosen, score = [int(x) for x in combos[j]], float(scores[j])
    return chosen, score


def _row(bud: Budgeted, cks: list[Checkpoint], members: list[int], k: int, kind: str, weights: FloatArray,
         single_vals: FloatArray, level: float) -> dict[str, object]:
    """One table row: the selected members' pass@k, its interval, and the paired gap to the best single."""
    vals = bud.ensembles(np.array([members]), k)[:, 0] if len(members) > 1 else bud.single(k)[:, members[0]]
    boot = weights @ np.stack([vals, vals - single_vals], axis=1) / vals.size  # (B, 2): value, gap
    a = (1 - level) / 2
    (lo, dlo), (hi, dhi) = np.quantile(boot, [a, 1 - a], axis=0)
    return {"k": k, "kind": kind, "members": " + ".join(cks[m].name for m in members),
            "budgets": " + ".join(map(str, split_budget(k, len(members)))), "size": len(members),
            "value": float(vals.mean()), "lo": float(lo), "hi": float(hi),
            "vs_single": float((vals - single_vals).mean()), "vs_single_lo": float(dlo), "vs_single_hi": float(dhi)}


def compare_at_k(bud: Budgeted, cks: list[Checkpoint], k: int, weights: FloatArray,
                 config: ReportConfig) -> list[dict[str, object]]:
    single = _score(bud.single(k))
    if not np.isfinite(single).any():
        return []
    order = list(np.argsort(-single, kind="stable"))  # strongest first: they take the remainder
    best = int(order[0])
    single_vals = bud.single(k)[:, best]
    rows = [_row(bud, cks, [best], k, "best single", weights, single_vals, config.level)]
    seen: list[list[int]] = []
    for pool in POOLS:
        members = [int(m) for m in order if m in pool_members(cks, pool) and np.isfinite(single[m])]
        if members in seen:
            continue  # e.g. no extrapolated checkpoint: that pool is the previous one, say it once
        seen.append(members)
        found = [best_of_size(bud, members, m, k, config.max_subsets)
                 for m in range(2, min(config.ensemble_max_size, len(members)) + 1)]
        if found:
            chosen, _ = max(found, key=lambda f: f[1])
            rows.append(_row(bud, cks, chosen, k, f"best ensemble, {pool}", weights, single_vals, config.level))
    return rows


def ensemble_table(cnt: pd.DataFrame, cks: list[Checkpoint], setting: str, difficulty: str,
                   problems: list[str], ks: list[int], config: ReportConfig) -> pd.DataFrame:
    m = matrices(cnt, setting, ["n", "c"], cks, problems)
    bud = Budgeted(m["n"], m["c"])
    weights = resample_weights(len(problems), config.reps, config.seed)
    rows = [r for k in ks for r in compare_at_k(bud, cks, k, weights, config)]
    out = pd.DataFrame(rows)
    if not out.empty:
        out.insert(0, "difficulty", difficulty)
        out.insert(0, "setting", setting)
    return out


def ensemble_figure(table: pd.DataFrame, setting: str, singles: pd.DataFrame | None = None) -> Figure:
    """pass@k against the total budget k, for the best single and the best ensemble of each pool;
    `singles` (rows checkpoint, k, value of the pass@k metric) adds every checkpoint's own curve, thin."""
    fig = Figure(figsize=(6.0, 3.6))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.11, right=0.97, top=0.91, bottom=0.14)
    for i, (name, g) in enumerate(() if singles is None else singles.groupby("checkpoint", sort=False)):
        g = g.sort_values("k")
        ax.plot(g["k"], g["value"], color="0.6", lw=0.8, alpha=0.8, label="single checkpoints" if i == 0 else None)
        ax.annotate(str(name), (float(g["k"].iloc[-1]), float(g["value"].iloc[-1])), fontsize=5, color="0.4",
                    xytext=(2, 0), textcoords="offset points")
    styles = {"best single": ("black", "-", "o"), "best ensemble, trained only": ("#c0392b", "--", "s"),
              "best ensemble, trained + interpolated": ("#2980b9", "-.", "D"),
              "best ensemble, with extrapolated": ("#27ae60", "-", "^")}
    for kind, (color, ls, marker) in styles.items():
        sub = table[table["kind"] == kind].sort_values("k")
        if sub.empty:
            continue
        ax.plot(sub["k"], sub["value"], color=color, ls=ls, marker=marker, ms=4, label=kind)
        ax.fill_between(sub["k"], sub["lo"], sub["hi"], color=color, alpha=0.10)
    ax.set_xscale("log")
    ks = sorted(table["k"].unique())
    ax.set_xticks(ks, [str(k) for k in ks])  # label the budgets themselves, no minor-tick labels
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("total sample budget k (matched)", fontsize=8)
    ax.set_ylabel("pass@k (mean over problems)", fontsize=8)
    ax.set_title(f"{setting}: matched-budget ensembles vs best single checkpoint", fontsize=10)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.25, which="both")
    ax.legend(fontsize=7)
    return fig
