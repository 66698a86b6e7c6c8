"""The demo's closing table: per checkpoint and setting, the headline numbers of the run."""

from __future__ import annotations

import math

import pandas as pd

from codefrontier.analysis.frame import counts
from codefrontier.metrics import pass_at_k_array


def summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows: setting x checkpoint (in λ order, then other trained levels).

    Columns: solve rate (mean over problems of c/n), correctness and optimization failure
    rates (per-problem fractions, then the mean), and pass@k at the largest k every problem has.
    """
    cnt = counts(frame)
    rows = []
    for (setting, ck), g in cnt.groupby(["setting", "checkpoint"], sort=False):
        k = int(g["n"].min())
        rows.append({
            "setting": setting, "checkpoint": ck,
            "solve_rate": float((g["c"] / g["n"]).mean()),
            "correctness": float((g["correctness"] / g["n"]).mean()),
            "optimization": float((g["optimization"] / g["n"]).mean()),
            "k": k, "pass_at_k": float(pass_at_k_array(g["n"].to_numpy(), g["c"].to_numpy(), k).mean()),
        })
    out = pd.DataFrame(rows)
    lam = frame.groupby("checkpoint")["lam"].first()
    out["lam"] = out["checkpoint"].map(lam)
    order = out["lam"].map(lambda v: math.inf if pd.isna(v) else v)
    return out.assign(_o=order).sort_values(["setting", "_o", "checkpoint"]).drop(columns="_o")


def print_summary(table: pd.DataFrame, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title)
    for col in ("setting", "checkpoint", "solve rate", "correctness fail", "optimization fail", "pass@k"):
        t.add_column(col, justify="left" if col in ("setting", "checkpoint") else "right")
    for r in table.itertuples(index=False):
        t.add_row(str(r.setting), str(r.checkpoint), f"{r.solve_rate:.3f}", f"{r.correctness:.3f}",
                  f"{r.optimization:.3f}", f"{r.pass_at_k:.3f} (k={r.k})")
    Console().print(t)
