"""build_report: results table + run metadata -> report.html, report.md, figures (PNG) and CSVs.

    out_dir/report.html   one self-contained file (figures base64, inline CSS, no network)
    out_dir/report.md     the same content, figures referenced as the PNGs beside it
    out_dir/*.png         every figure
    out_dir/tables/*.csv  every table, full precision
    out_dir/settings.json the analysis settings used
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: files only, never a display

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from codefrontier.analysis import ensembles, frontier, problems, render  # noqa: E402
from codefrontier.analysis.analyse import Analysis, analyse  # noqa: E402
from codefrontier.analysis.config import ReportConfig  # noqa: E402
from codefrontier.analysis.frame import CORRECTNESS_SUBS, OPTIMIZATION_SUBS  # noqa: E402
from codefrontier.analysis.summary import ci, findings  # noqa: E402
from codefrontier.analysis.tables import select  # noqa: E402
from codefrontier.errors import StoreError  # noqa: E402
from codefrontier.io import atomic_write_bytes, atomic_write_json, atomic_write_text  # noqa: E402

TOY_KEYS = ("toy_scale", "toy", "builtin", "builtin_world")


def is_toy(metadata: dict[str, Any]) -> bool:
    """True when run_metadata says the built-in world produced this run."""
    if any(bool(metadata.get(key)) for key in TOY_KEYS):
        return True
    return any(str(metadata.get(key, "")).lower() in ("builtin", "built-in") for key in ("world", "problems_source", "source"))


def _png(fig: Figure, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def checkpoint_table(a: Analysis, setting: str, diff: str) -> pd.DataFrame:
    """Display table: one row per checkpoint with the headline metrics and intervals."""
    t = a.table[(a.table["setting"] == setting) & (a.table["difficulty"] == diff)]
    pts = a.frontier[(a.frontier["setting"] == setting) & (a.frontier["difficulty"] == diff)].set_index("checkpoint")
    valued = t[(t["metric"] == "pass@k") & t["value"].notna()].groupby("k")["checkpoint"].nunique()
    complete = valued[valued == valued.max()] if not valued.empty else valued
    kmax = int(complete.index.max()) if not complete.empty else 0  # largest k with values for most checkpoints
    rows = []
    for ck in a.cks:
        cell = t[t["checkpoint"] == ck.name]
        if cell.empty:
            continue
        get = {(m, k): (v, lo, hi) for m, k, v, lo, hi in cell[["metric", "k", "value", "lo", "hi"]].itertuples(index=False)}
        row = {"checkpoint": ck.label, "kind": ck.kind, "problems": int(cell["problems"].max()),
               "solve rate": ci(*get[("solve_rate", 0)]),
               "correctness fail": ci(*get[("rate_correctness", 0)]),
               "optimization fail": ci(*get[("rate_optimization", 0)]),
               "pass@1": ci(*get.get(("pass@k", 1), (float("nan"),) * 3))}
        if kmax > 1:
            row[f"pass@{kmax}"] = ci(*get.get(("pass@k", kmax), (float("nan"),) * 3))
        row["Pareto"] = "✓" if bool(pts.at[ck.name, "pareto"]) else ""
        rows.append(row)
    return pd.DataFrame(rows)


def subclass_table(a: Analysis, setting: str, diff: str) -> pd.DataFrame:
    t = a.table[(a.table["setting"] == setting) & (a.table["difficulty"] == diff) & a.table["metric"].str.startswith("rate_")]
    wide = t.pivot(index="checkpoint", columns="metric", values="value")
    wide = wide.reindex([ck.name for ck in a.cks if ck.name in wide.index])
    wide.columns = [c.removeprefix("rate_") for c in wide.columns]
    order = ["correctness", *CORRECTNESS_SUBS, "optimization", *OPTIMIZATION_SUBS]
    out = wide[[c for c in order if c in wide.columns]].map(lambda v: f"{v:.3f}")
    out.insert(0, "checkpoint", [a.label(n) for n in out.index])
    return out.reset_index(drop=True)


def ensemble_display(a: Analysis, setting: str, diff: str) -> pd.DataFrame:
    ens = a.ensembles
    sub = ens[(ens["setting"] == setting) & (ens["difficulty"] == diff)] if not ens.empty else ens
    if sub.empty or sub["kind"].nunique() < 2:
        return pd.DataFrame()  # nothing to compare the best single with
    sub = sub[sub["k"] == sub["k"].max()]
    return pd.DataFrame({
        "": sub["kind"], "k": sub["k"], "members": sub["members"], "budgets": sub["budgets"],
        "pass@k": [ci(v, lo, hi) for v, lo, hi in sub[["value", "lo", "hi"]].itertuples(index=False)],
        "Δ vs best single": [ci(v, lo, hi, 3) for v, lo, hi in
                             sub[["vs_single", "vs_single_lo", "vs_single_hi"]].itertuples(index=False)],
    })


def csv_tables(a: Analysis) -> dict[str, pd.DataFrame]:
    jac = pd.concat([m.rename_axis("a").reset_index().melt(id_vars="a", var_name="b", value_name="jaccard")
                     .assign(setting=s) for s, m in a.jaccard.items()], ignore_index=True)
    rates = pd.concat([m.rename_axis("problem_id").reset_index().melt(id_vars="problem_id", var_name="checkpoint",
                      value_name="solve_rate").assign(setting=s) for s, m in a.rates.items()], ignore_index=True)
    return {
        "solve_rates.csv": select(a.table, "solve_rate", "solve_rate"),
        "pass_at_k.csv": select(a.table, "pass@k", "pass_at_k"),
        "failure_rates.csv": select(a.table, "rate_", "rate"),
        "frontier.csv": a.frontier,
        "unique_solved.csv": a.unique,
        "jaccard.csv": jac[["setting", "a", "b", "jaccard"]],
        "frontier_change.csv": a.change,
        "problem_solve_rates.csv": rates[["setting", "problem_id", "checkpoint", "solve_rate"]],
        "ensembles.csv": a.ensembles,
        "world_check.csv": a.world,
    }


def figures(a: Analysis, setting: str) -> list[tuple[str, Figure, str]]:
    line = [ck for ck in a.cks if ck.on_line and ck.name in a.rates[setting].columns]
    cols = line or [ck for ck in a.cks if ck.name in a.rates[setting].columns]
    pts = {d: a.frontier[(a.frontier["setting"] == setting) & (a.frontier["difficulty"] == d)] for d in a.diffs}
    diff_of = a.counts.groupby("problem_id")["difficulty"].first()
    rates = problems.sort_for_heatmap(a.rates[setting][[ck.name for ck in cols]], diff_of)
    labels = [ck.label for ck in a.cks if ck.name in a.rates[setting].columns]
    out = [
        (f"frontier_{setting}.png", frontier.frontier_figure(pts, setting),
         "Correctness- vs optimization-failure rate, one point per checkpoint; the weight line joined in λ order "
         "(solid inside [0,1], dashed when extrapolating), trained checkpoints as red squares, the Pareto set ringed."),
        (f"heatmap_{setting}.png", problems.heatmap_figure(rates, diff_of, [ck.label for ck in cols], setting),
         "Solve rate of every problem along the line; rows sorted by difficulty, then by the λ where each is best solved."),
        (f"jaccard_{setting}.png", problems.jaccard_figure(a.jaccard[setting], labels, setting),
         "Jaccard overlap |A∩B|/|A∪B| of the sets of problems each checkpoint solves (c>0)."),
    ]
    if line:
        out.insert(1, (f"solve_rate_{setting}.png", frontier.solve_rate_figure(a.table, a.cks, setting, a.diffs),
                       "Solve rate along the weight line with 95% paired bootstrap bands over problems."))
    ens = a.ensembles
    sub = ens[(ens["setting"] == setting) & (ens["difficulty"] == a.focus)] if not ens.empty else ens
    if not sub.empty and sub["kind"].nunique() > 1:  # some ensemble exists to compare with
        tab = a.table
        singles = tab[(tab["setting"] == setting) & (tab["difficulty"] == a.focus) & (tab["metric"] == "pass@k")]
        out.append((f"ensembles_{setting}.png", ensembles.ensemble_figure(sub, f"{setting} · {a.focus}", singles),
                    "pass@k against the matched total budget k: every single checkpoint (grey), the best single one, "
                    "and the best ensemble from each pool."))
    return out


def _short(v: Any) -> str:
    text = v if isinstance(v, str) else json.dumps(v, sort_keys=True, default=str)
    return text if len(text) <= 160 else text[:157] + "..."


def _provenance(metadata: dict[str, Any]) -> pd.DataFrame:
    """field/value rows; a dict value is spread one level (config.n, config.seed, ...)."""
    rows = []
    for key, value in metadata.items():
        if key == "checkpoints" and isinstance(value, list):
            continue  # its own table
        if isinstance(value, dict) and value:
            rows += [(f"{key}.{sub}", _short(v)) for sub, v in value.items()]
        else:
            rows.append((key, _short(value)))
    return pd.DataFrame(rows, columns=["field", "value"])


def _checkpoint_provenance(metadata: dict[str, Any]) -> pd.DataFrame:
    ckpts = metadata.get("checkpoints")
    if not isinstance(ckpts, list) or not ckpts or not all(isinstance(c, dict) for c in ckpts):
        return pd.DataFrame()
    cols = [c for c in ("label", "path", "lam", "coverage_level", "is_trained") if c in ckpts[0]]
    return pd.DataFrame([{c: _short(ck.get(c)) for c in cols} for ck in ckpts])


def blocks(a: Analysis, metadata: dict[str, Any], figs: dict[str, list[tuple[str, bytes, str]]]) -> list[render.Block]:
    out: list[render.Block] = []
    if is_toy(metadata):
        out.append(("banner", "TOY SCALE: produced by the built-in world (tiny model, built-in problems). "
                              "The numbers exercise the pipeline; they are not evidence about real models."))
        out.append(("p", "Reproducibility: the same seed gives the same suite, training and per-sample seeds from the "
                         "same shipped init, with torch's thread count pinned. What can still move: every sample is "
                         "drawn from its own seed, but the batch it was generated in (its sampling worker, a resumed "
                         "run, another batch size) sets the shapes of the float kernels, so samples can differ in "
                         "rare near-ties; a sampled program whose CPU time lands near a time limit can flip between "
                         "TLE and AC under load; float kernels may differ across CPU instruction sets."))
    samples = int(a.counts["n"].sum())
    out.append(("p", f"{len(a.cks)} checkpoints × {len(a.settings)} setting{'s' if len(a.settings) > 1 else ''} "
                     f"({', '.join(a.settings)}) × "
                     f"{a.counts['problem_id'].nunique()} problems; {samples} judged samples "
                     f"({a.excluded_internal} internal-error samples excluded). Intervals: {a.config.level:.0%} "
                     f"percentile bootstrap over problems, {a.config.reps} replicates, seed {a.config.seed}, paired "
                     f"across checkpoints. Headline claims use difficulty '{a.focus}'."))
    out += [("h2", "Summary"), ("list", findings(a) or ["Not enough checkpoints for any comparison."])]
    out += world_check_blocks(a)
    for s in a.settings:
        out.append(("h2", f"Setting: {s}"))
        for name, png, caption in figs[s]:
            out.append(("fig", name, png, caption))
        for d in dict.fromkeys(["all", a.focus]):
            out.append(("table", f"{s} · {d}: per checkpoint (value [95% CI])", checkpoint_table(a, s, d),
                        "tables/solve_rates.csv, tables/pass_at_k.csv, tables/failure_rates.csv"))
        out.append(("table", f"{s} · all: failure classes and sub-classes (per-problem fractions, mean over problems)",
                    subclass_table(a, s, "all"), "tables/failure_rates.csv"))
        for d in dict.fromkeys(["all", a.focus]):
            ens = ensemble_display(a, s, d)
            if not ens.empty:
                out.append(("table", f"{s} · {d}: best single vs best ensembles at matched budget",
                            ens, "tables/ensembles.csv"))
        uniq = a.unique[a.unique["setting"] == s][["checkpoint", "solved", "unique", "unique_problems"]]
        out.append(("table", f"{s}: problems solved (c>0) and solved uniquely by each checkpoint",
                    uniq.assign(checkpoint=[a.label(n) for n in uniq["checkpoint"]]), "tables/unique_solved.csv"))
    out += [("h2", "Moving along the frontier changes which problems are solved"),
            ("p", "adjacent_jaccard_distance: mean over neighbouring λ of 1 − Jaccard of solved sets. "
                  "off_endpoint_share: share of problems solved on the line whose best solve rate strictly beats "
                  "both trained endpoints at another λ. extrapolation_best_share: best only at an extrapolated λ. "
                  "rescued_by_non_endpoint: problems neither endpoint solves but another λ does."),
            ("table", "per setting", a.change.round(3), "tables/frontier_change.csv"),
            ("h2", "Run provenance"), ("table", "run_metadata of the results store", _provenance(metadata), "")]
    ck_table = _checkpoint_provenance(metadata)
    if not ck_table.empty:
        out.append(("table", "checkpoints recorded in the store", ck_table, ""))
    out += [("h2", "Analysis settings"),
            ("table", "settings.json", _provenance({**asdict(a.config), "pass@k grid": a.ks}), "settings.json"),
            ("p", "Method: pass@k is the unbiased estimator 1 − C(n−c,k)/C(n,k) (product form); a table cell is "
                  "blank (n/a) when some problem has fewer than k samples. Ensembles split the budget k over "
                  "members as k//M each, the remainder to the strongest members; members are selected on the same "
                  "problems that score them, like the best single, so both are optimistic.")]
    return out


def world_check_blocks(a: Analysis) -> list[render.Block]:
    """The paper's findings a-e as verdicts per setting (analysis/worldcheck.py), then each cell in words."""
    from codefrontier.analysis.worldcheck import FINDINGS

    wc = a.world
    table = pd.DataFrame({"finding": list(FINDINGS)})
    for s in dict.fromkeys(wc["setting"]):
        sub = wc[wc["setting"] == s].set_index("finding")
        table[s] = [f"{sub.loc[f, 'verdict']}" + ("" if pd.isna(sub.loc[f, "support"]) else
                                                   f" ({sub.loc[f, 'support']:.0%})") for f in FINDINGS]
    words = [f"{r.setting} / {r.finding}: {r.verdict} — {r.detail}." for r in wc.itertuples(index=False)]
    return [("h2", "World check: the paper's findings"),
            ("p", "holds: true on the data and in at least 80% of the paired bootstrap replicates over problems "
                  "(the share in brackets); weak: true on the data only; n/a: not measurable here, with the reason."),
            ("table", "verdict per finding and setting", table, ""), ("list", words)]


def load_run(run_dir: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The results table and run metadata of RUN_DIR/results.sqlite, through the sampling store."""
    db = Path(run_dir) / "results.sqlite"
    if not db.is_file():
        raise StoreError(f"no results store at {db}; run `codefrontier sample` (or `codefrontier demo`) first.")
    try:
        from codefrontier.sample.store import results_frame, run_metadata
    except ImportError as err:
        raise StoreError(f"cannot read {db}: the sampling store module is unavailable ({err}).") from err
    return results_frame(db), dict(run_metadata(db))


def build_report(frame: pd.DataFrame, metadata: dict[str, Any], out_dir: str | Path,
                 config: ReportConfig | None = None) -> Path:
    """Write the report files into out_dir and return the path of report.html."""
    config = config or ReportConfig()
    out = Path(out_dir)
    a = analyse(frame, config)
    for name, table in csv_tables(a).items():
        atomic_write_text(out / "tables" / name, table.to_csv(index=False))
    figs: dict[str, list[tuple[str, bytes, str]]] = {}
    for s in a.settings:
        figs[s] = []
        for name, fig, caption in figures(a, s):
            png = _png(fig, config.figure_dpi)
            atomic_write_bytes(out / name, png)
            figs[s].append((name, png, caption))
    atomic_write_json(out / "settings.json", {**asdict(config), "pass_at_k_grid": a.ks})
    title = "codefrontier report" + (" (toy scale)" if is_toy(metadata) else "")
    content = blocks(a, metadata, figs)
    atomic_write_text(out / "report.md", render.to_markdown(title, content))
    atomic_write_text(out / "report.html", render.to_html(title, content))
    return out / "report.html"
