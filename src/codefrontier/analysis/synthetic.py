"""Synthetic results tables with a known structure (tests, benchmarks, previews of the report).

`synthetic_frame` simulates a coverage sweep and a weight line: each problem j is
best solved near its own lambda p_j; away from it, samples fail by optimization
below p_j (low coverage: slow but correct) and by correctness above it. So the
frontier and the complementarity the paper describes are built in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from codefrontier.analysis.frame import CORRECTNESS_SUBS, OPTIMIZATION_SUBS

CORR_SUBS = CORRECTNESS_SUBS  # probabilities below pair with this order
CORR_P = (0.55, 0.2, 0.1, 0.05, 0.1)
OPT_SUBS = OPTIMIZATION_SUBS
OPT_P = (0.8, 0.2)
DEFAULT_LAMS = (-0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5)


def checkpoint_specs(lams: Sequence[float], levels: int = 4) -> list[tuple[str, float, float, bool]]:
    """(name, lam, coverage_level, is_trained): cov1 = lambda 0, cov<levels> = lambda 1, others off the line."""
    specs = [(f"cov{c}", math.nan, float(c), True) for c in range(2, levels)]
    for lam in lams:
        if lam == 0.0:
            specs.append(("cov1", 0.0, 1.0, True))
        elif lam == 1.0:
            specs.append((f"cov{levels}", 1.0, float(levels), True))
        else:
            specs.append((f"lam={lam:+.2f}", float(lam), math.nan, False))
    return specs


def _row(ck: tuple[str, float, float, bool], setting: str, pid: str, diff: str, i: int, cls: str, sub: str):
    verdict = {"solved": "AC", "NOCODE": "CE", "": "AC"}.get(sub if sub else cls, sub)
    return {"checkpoint": ck[0], "lam": ck[1], "coverage_level": ck[2], "is_trained": ck[3], "setting": setting,
            "problem_id": pid, "difficulty": diff, "sample_index": i, "verdict": verdict, "failure_class": cls,
            "sub_class": sub, "passed_tier": 4 if cls == "solved" else 1, "num_tiers": 4, "tokens": 100,
            "turns": 1, "tool_calls": 0, "first_attempt_solved": math.nan}


def synthetic_frame(num_problems: int = 30, n: int = 20, settings: Iterable[str] = ("reasoning", "tool", "agent"),
                    lams: Sequence[float] = DEFAULT_LAMS, seed: int = 0, internal_rate: float = 0.01) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    diffs = ["easy", "medium", "hard"]
    rows = []
    specs = checkpoint_specs(lams)
    for s_i, setting in enumerate(settings):
        for j in range(num_problems):
            diff = diffs[j * 3 // num_problems]
            peak = rng.uniform(-0.6, 1.6)  # the lambda where this problem is best solved
            top = {"easy": 0.9, "medium": 0.6, "hard": 0.35}[diff] * rng.uniform(0.6, 1.0) * (1 + 0.05 * s_i)
            for ck in specs:
                t = ck[1] if not math.isnan(ck[1]) else (ck[2] - 1) / 3  # position on the sweep
                p_solve = min(top, 0.98) * math.exp(-((t - peak) ** 2) / (2 * 0.5**2))
                p_opt = (1 - p_solve) / (1 + math.exp(3.0 * (t - peak)))
                for i in range(n):
                    u = rng.random()
                    if rng.random() < internal_rate:
                        rows.append(_row(ck, setting, f"p{j:02d}", diff, i, "internal", "IE"))
                    elif u < p_solve:
                        rows.append(_row(ck, setting, f"p{j:02d}", diff, i, "solved", ""))
                    elif u < p_solve + p_opt:
                        rows.append(_row(ck, setting, f"p{j:02d}", diff, i, "optimization", rng.choice(OPT_SUBS, p=OPT_P)))
                    else:
                        rows.append(_row(ck, setting, f"p{j:02d}", diff, i, "correctness",
                                         rng.choice(CORR_SUBS, p=CORR_P)))
    return pd.DataFrame(rows)


def frame_from_counts(cells: dict[tuple[str, str], dict[str, int]], specs: Sequence[tuple[str, float, float, bool]],
                      setting: str = "reasoning", difficulty: str = "hard") -> pd.DataFrame:
    """Exact frame from {(checkpoint, problem): {"solved": c, "WA": w, "TLE": t, ...}} (sub-class counts)."""
    by_name = {s[0]: s for s in specs}
    rows = []
    for (name, pid), tally in cells.items():
        i = 0
        for sub, count in tally.items():
            cls = "solved" if sub == "solved" else "optimization" if sub in OPT_SUBS else \
                "internal" if sub == "IE" else "correctness"
            for _ in range(count):
                rows.append(_row(by_name[name], setting, pid, difficulty, i, cls, "" if sub == "solved" else sub))
                i += 1
    return pd.DataFrame(rows)
