"""`codefrontier demo`: the paper's experiment end to end on the built-in world."""

from __future__ import annotations

from pathlib import Path

import typer


def demo(
    out: Path = typer.Option(Path("runs/demo"), "--out", help="Run directory (stages cached inside)."),
    quick: bool = typer.Option(False, "--quick", help="A small slice: a few problems, fewer steps and samples."),
    seed: int = typer.Option(0, "--seed", help="Makes the run repeatable on one machine."),
    fresh: bool = typer.Option(False, "--fresh", help="Redo every stage instead of reusing cached ones."),
    n: int = typer.Option(0, "--n", help="Samples per problem, checkpoint and setting (0: 16, quick: 3)."),
    steps: int = typer.Option(0, "--steps", help="GRPO steps per coverage level (0: the default)."),
    traces: bool = typer.Option(False, "--traces", help="Train the init on tool and feedback traces too: "
                                "the tool and agent settings then work, the reasoning frontier fades."),
    problems: str = typer.Option("", "--problems", help="Comma-separated built-in problem ids (default: the 3 shortest per difficulty; quick: 1)."),
) -> None:
    """Build the suite, train the shared init, GRPO per coverage level, sweep the weight line in place,
    sample in three settings, judge, and write the report."""
    import os
    from dataclasses import replace

    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # the tiny model loads in ms; bars only clutter the log

    from codefrontier.analysis.report import load_run
    from codefrontier.demo.pipeline import DemoConfig, run_demo
    from codefrontier.demo.summary import print_summary, summary_table

    cfg = DemoConfig.quick_slice(str(out), seed, fresh) if quick else DemoConfig(out=str(out), seed=seed, fresh=fresh)
    if n:
        cfg = replace(cfg, n=n)
    if steps:
        cfg = replace(cfg, grpo_steps=steps)
    if traces:
        cfg = replace(cfg, traces=True)
    if problems:
        cfg = replace(cfg, problems=tuple(p.strip() for p in problems.split(",") if p.strip()))
    typer.echo(f"codefrontier demo ({'quick' if cfg.quick else 'full'}, seed {cfg.seed}) -> {out}")
    result = run_demo(cfg, log=typer.echo)
    frame, _meta = load_run(result["run_dir"])
    print_summary(summary_table(frame), "per checkpoint (toy scale; solve rate = mean over problems of c/n)")
    for st in result["stages"]:
        typer.echo(f"  {st.name:<8} {'cached' if st.cached else f'{st.seconds:7.1f} s'}")
    typer.echo(f"total {result['total_s']:.1f} s; report: {result['report']}")
