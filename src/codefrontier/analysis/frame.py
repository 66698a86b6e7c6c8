"""From the results table (one row per judged sample) to per-problem counts.

Everything downstream works on `Counts`: one row per (setting, checkpoint, problem)
with n (judged samples, internal errors excluded), c (solved) and a count per
failure class and sub-class. Checkpoints get a fixed order: the weight line by
lambda, then trained checkpoints off the line by coverage level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from codefrontier.errors import StoreError
from codefrontier.results import RESULT_COLUMNS
from codefrontier.verdicts import CORRECTNESS_ORDER, NOCODE, OPTIMIZATION_ORDER, FailureClass

CORRECTNESS_SUBS = (*(v.value for v in CORRECTNESS_ORDER), NOCODE)
OPTIMIZATION_SUBS = tuple(v.value for v in OPTIMIZATION_ORDER)
CLASSES = ("correctness", "optimization")
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


@dataclass(frozen=True)
class Checkpoint:
    name: str
    lam: float  # NaN when not on the weight line
    coverage_level: float  # NaN when not trained
    is_trained: bool
    order: int

    @property
    def on_line(self) -> bool:
        return not math.isnan(self.lam)

    @property
    def segment(self) -> str:
        """'trained' off the line, 'interpolated' for 0<=lam<=1, else 'extrapolated'."""
        if not self.on_line:
            return "trained"
        return "interpolated" if 0.0 <= self.lam <= 1.0 else "extrapolated"

    @property
    def kind(self) -> str:
        """For display: 'trained' for any trained checkpoint, else the segment of the line."""
        return "trained" if self.is_trained else self.segment

    @property
    def label(self) -> str:
        if self.on_line and not self.is_trained:
            return f"λ={self.lam:+.2f}"
        if self.on_line:
            return f"{self.name} (λ={self.lam:+.2f})"
        return self.name


def check_columns(frame: pd.DataFrame) -> None:
    missing = [col for col in RESULT_COLUMNS if col not in frame.columns]
    if missing:
        raise StoreError(
            f"the results table lacks columns {missing}; it must have the columns of codefrontier.results."
        )


def checkpoints(frame: pd.DataFrame) -> list[Checkpoint]:
    """One Checkpoint per label, ordered: line by lambda, then off-line trained ones by coverage."""
    first = frame.groupby("checkpoint", sort=False)[["lam", "coverage_level", "is_trained"]].first()
    info = {str(name): (float(lam), float(cov), bool(tr)) for name, lam, cov, tr in first.itertuples()}

    def key(name: str) -> tuple[int, float, str]:
        lam, cov, _ = info[name]
        if not math.isnan(lam):
            return (0, lam, name)
        return (1, cov if not math.isnan(cov) else math.inf, name)

    return [
        Checkpoint(name=name, lam=info[name][0], coverage_level=info[name][1], is_trained=info[name][2], order=i)
        for i, name in enumerate(sorted(info, key=key))
    ]


def judged(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that count: internal errors are excluded from every metric."""
    check_columns(frame)
    return frame[frame["failure_class"] != FailureClass.INTERNAL.value]


def counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Per (setting, checkpoint, problem): difficulty, n, c, and a count per class and sub-class."""
    rows = judged(frame).copy()
    rows["solved"] = rows["failure_class"] == FailureClass.SOLVED.value
    for cls in CLASSES:
        rows[cls] = rows["failure_class"] == cls
    for sub in CORRECTNESS_SUBS + OPTIMIZATION_SUBS:
        rows[sub] = rows["sub_class"] == sub
    keys = ["setting", "checkpoint", "problem_id"]
    flags = ["solved", *CLASSES, *CORRECTNESS_SUBS, *OPTIMIZATION_SUBS]
    out = rows.groupby(keys, sort=False)[flags].sum().astype(int)
    out.insert(0, "n", rows.groupby(keys, sort=False).size())
    out = out.rename(columns={"solved": "c"}).reset_index()
    difficulty = rows.groupby("problem_id")["difficulty"].first()
    out.insert(3, "difficulty", out["problem_id"].map(difficulty))
    return out


def problem_order(cnt: pd.DataFrame) -> list[str]:
    """Problems sorted by difficulty then id (a stable order for matrices)."""
    diff = cnt.groupby("problem_id")["difficulty"].first()
    return sorted(diff.index, key=lambda p: (DIFFICULTY_ORDER.get(str(diff[p]), 9), str(p)))


def matrices(
    cnt: pd.DataFrame, setting: str, values: list[str], cks: list[Checkpoint], problems: list[str]
) -> dict[str, npt.NDArray[np.float64]]:
    """problems x checkpoints matrices of several count columns (NaN where a pair was not sampled)."""
    sub = cnt[cnt["setting"] == setting].set_index(["problem_id", "checkpoint"])[values]
    full = pd.MultiIndex.from_product([problems, [ck.name for ck in cks]])
    block = sub.reindex(full).to_numpy(dtype=np.float64).reshape(len(problems), len(cks), len(values))
    return {v: block[:, :, i] for i, v in enumerate(values)}


def matrix(cnt: pd.DataFrame, setting: str, value: str, cks: list[Checkpoint], problems: list[str]) -> pd.DataFrame:
    """problems x checkpoints matrix of one column of the counts, labelled."""
    arr = matrices(cnt, setting, [value], cks, problems)[value]
    return pd.DataFrame(arr, index=problems, columns=[ck.name for ck in cks])


def settings(frame: pd.DataFrame) -> list[str]:
    known = ["reasoning", "tool", "agent"]
    present = [str(s) for s in frame["setting"].unique()]
    return [s for s in known if s in present] + sorted(s for s in present if s not in known)


def difficulties(frame: pd.DataFrame) -> list[str]:
    present = [str(d) for d in frame["difficulty"].unique()]
    return ["all", *sorted(present, key=lambda d: (DIFFICULTY_ORDER.get(d, 9), d))]
