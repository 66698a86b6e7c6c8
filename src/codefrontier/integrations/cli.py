"""`codefrontier problems export-verl`: problems as another framework's RL dataset.

Registered into the `problems` group by the root CLI: the integrations sit above the
problems package, so `problems/` cannot register them itself.
"""

from __future__ import annotations

from pathlib import Path

import typer


def export_verl(
    problems: str = typer.Option(..., "--problems", help="A problems file, or 'builtin'."),
    coverage: int = typer.Option(..., "--coverage", help="Coverage level c: reward on T_c."),
    out: Path = typer.Option(..., "--out", help="Output .parquet file."),
    data_source: str = typer.Option("codefrontier", "--data-source", help="verl's data_source column."),
    split: str = typer.Option("train", "--split", help="Recorded in extra_info.split."),
    tiers: int = typer.Option(4, "--tiers", help="K for problems without declared tiers."),
    seed: int = typer.Option(1, "--seed", help="builtin only: hidden-test seed (1 = training; 0 is evaluation's)."),
) -> None:
    """Write a verl RL dataset (Parquet): prompt, reward_model.ground_truth, extra_info.coverage."""
    from codefrontier.integrations.verl_export import ExportConfig, export_verl_file

    cfg = ExportConfig(coverage=coverage, data_source=data_source, split=split, num_tiers=tiers,
                       builtin_seed=seed)
    n = export_verl_file(problems, out, cfg)
    typer.echo(f"wrote {n} rows to {out} (coverage {coverage})", err=True)
