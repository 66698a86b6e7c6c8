"""`codefrontier problems export-verl`: problems as another framework's RL dataset.

Registered into the `problems` group by the root CLI: the integrations sit above the
problems package, so `problems/` cannot register them itself.
"""

from __future__ import annotations

from pathlib import Path

import typer

from codefrontier.integrations.verl_export import ExportConfig
from codefrontier.options import config_option, field_help, given


def export_verl(
    problems: str = typer.Option(..., "--problems", help="A problems file, or 'builtin'."),
    coverage: int = typer.Option(..., "--coverage", help=field_help(ExportConfig, "coverage")),
    out: Path = typer.Option(..., "--out", help="Output .parquet file."),
    data_source: str | None = config_option(ExportConfig, "data_source"),
    split: str | None = config_option(ExportConfig, "split"),
    tiers: int | None = config_option(ExportConfig, "num_tiers", "--tiers"),
    seed: int | None = config_option(ExportConfig, "builtin_seed", "--seed"),
) -> None:
    """Write a verl RL dataset (Parquet): prompt, reward_model.ground_truth, extra_info.coverage."""
    from codefrontier.integrations.verl_export import export_verl_file

    cfg = ExportConfig(coverage=coverage, **given(data_source=data_source, split=split, num_tiers=tiers,
                                                  builtin_seed=seed))
    n = export_verl_file(problems, out, cfg)
    typer.echo(f"wrote {n} rows to {out} (coverage {coverage})", err=True)
