"""All numbers of the report, computed once from the results table (no plotting, no files)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from codefrontier.analysis import ensembles, frontier, problems
from codefrontier.analysis.config import ReportConfig
from codefrontier.analysis.frame import Checkpoint, checkpoints, counts, difficulties, judged, settings
from codefrontier.analysis.tables import metric_table, problems_of
from codefrontier.errors import StoreError
from codefrontier.metrics import default_ks


@dataclass
class Analysis:
    config: ReportConfig
    cks: list[Checkpoint]
    settings: list[str]
    diffs: list[str]
    focus: str  # the difficulty the headline claims use: 'hard' when present, else 'all'
    ks: list[int]
    counts: pd.DataFrame
    table: pd.DataFrame  # long metric table
    frontier: pd.DataFrame  # one row per setting x difficulty x checkpoint
    rates: dict[str, pd.DataFrame] = field(default_factory=dict)  # setting -> problems x checkpoints
    unique: pd.DataFrame = field(default_factory=pd.DataFrame)
    jaccard: dict[str, pd.DataFrame] = field(default_factory=dict)
    change: pd.DataFrame = field(default_factory=pd.DataFrame)
    ensembles: pd.DataFrame = field(default_factory=pd.DataFrame)
    excluded_internal: int = 0
    world: pd.DataFrame = field(default_factory=pd.DataFrame)  # findings a-e per setting (worldcheck.py)

    def label(self, name: str) -> str:
        return next(ck.label for ck in self.cks if ck.name == name)


def analyse(frame: pd.DataFrame, config: ReportConfig) -> Analysis:
    rows = judged(frame)
    if rows.empty:
        raise StoreError("the results table has no judged samples (every row is missing or an internal error).")
    cnt = counts(frame)
    cks, sets, diffs = checkpoints(rows), settings(rows), difficulties(rows)
    focus = "hard" if "hard" in diffs else "all"
    ks = default_ks(int(cnt["n"].max()))
    table = metric_table(cnt, cks, sets, diffs, ks, config)
    fr = pd.concat([frontier.frontier_points(table, cks, s, d) for s in sets for d in diffs], ignore_index=True)
    out = Analysis(config, cks, sets, diffs, focus, ks, cnt, table, fr,
                   excluded_internal=int(len(frame) - len(rows)))
    uniq, change, ens = [], [], []
    for s in sets:
        present = [ck for ck in cks if ck.name in set(cnt.loc[cnt["setting"] == s, "checkpoint"])]
        rates = problems.solve_matrix(cnt, s, present)
        out.rates[s] = rates
        out.jaccard[s] = problems.jaccard_matrix(rates.fillna(0.0) > 0)
        uniq.append(problems.unique_solved(rates, s))
        change.append(problems.frontier_change(rates, present, s))
        for d in diffs:
            probs = problems_of(cnt, s, d)
            min_n = int(cnt[(cnt["setting"] == s) & cnt["problem_id"].isin(probs)]["n"].min())
            eks = [k for k in (config.ensemble_ks or tuple(default_ks(min_n))) if k <= min_n]
            ens.append(ensembles.ensemble_table(cnt, present, s, d, probs, eks, config))
    out.unique = pd.concat(uniq, ignore_index=True)
    out.change = pd.DataFrame(change)
    out.ensembles = pd.concat(ens, ignore_index=True)
    from codefrontier.analysis.worldcheck import world_check

    out.world = world_check(frame, reps=config.reps, seed=config.seed)
    return out
