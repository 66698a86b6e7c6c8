"""`codefrontier demo`: the paper's experiment end to end on the built-in world.

Every flag's default and help come from DemoConfig (demo/config.py): a flag left out is None here
and keeps the config's value (the quick slice's with --quick).
"""

from __future__ import annotations

from pathlib import Path

import typer

from codefrontier.demo.config import default_help as h


def demo(
    out: Path = typer.Option(None, "--out", help=h("out")),
    quick: bool = typer.Option(False, "--quick", help=h("quick")),
    seed: int = typer.Option(None, "--seed", help=h("seed")),
    fresh: bool = typer.Option(None, "--fresh", help=h("fresh")),
    n: int = typer.Option(None, "--n", help=h("n")),
    steps: int = typer.Option(None, "--steps", help=h("grpo_steps")),
    grpo_lr: float = typer.Option(None, "--grpo-lr", help=h("grpo_lr")),
    loop_rollouts: bool = typer.Option(None, "--loop-rollouts/--no-loop-rollouts", help=h("loop_rollouts")),
    rl_workers: int = typer.Option(None, "--rl-workers", help=h("rl_workers")),
    num_generations: int = typer.Option(None, "--num-generations", help=h("num_generations")),
    traces: bool = typer.Option(None, "--traces/--no-traces", help=h("traces")),
    heldout: bool = typer.Option(None, "--heldout/--no-heldout", help=h("heldout")),
    problems: str = typer.Option(None, "--problems", help=h("problems")),
    levels: str = typer.Option(None, "--levels", help=h("levels")),
    lams: str = typer.Option(None, "--lams", help=h("lams")),
    settings: str = typer.Option(None, "--settings", help=h("settings")),
    per_difficulty: int = typer.Option(None, "--per-difficulty", help=h("per_difficulty")),
    batch_size: int = typer.Option(None, "--batch-size", help=h("batch_size")),
    sample_workers: int = typer.Option(None, "--sample-workers", help=h("sample_workers")),
    model: str = typer.Option(None, "--model", help=h("model")),
    max_tokens: int = typer.Option(None, "--max-tokens", help=h("max_tokens")),
    max_turns: int = typer.Option(None, "--max-turns", help=h("max_turns")),
    sft_epochs: float = typer.Option(None, "--sft-epochs", help=h("sft_epochs")),
    train_init: bool = typer.Option(None, "--train-init", help=h("train_init")),
    init_seed: int = typer.Option(None, "--init-seed", help=h("init_seed")),
    sft_lr: float = typer.Option(None, "--sft-lr", help=h("sft_lr")),
    temperature: float = typer.Option(None, "--temperature", help=h("temperature")),
    threads: int = typer.Option(None, "--threads", help=h("threads")),
) -> None:
    """Build the suite, train the shared init, GRPO per coverage level, sweep the weight line in place,
    sample in three settings, judge, and write the report."""
    import os

    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # the tiny model loads in ms; bars only clutter the log
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # and a GGUF init's tensor conversion (2 s) would print 272 bar updates

    from codefrontier.analysis.report import load_run
    from codefrontier.demo.config import DemoConfig
    from codefrontier.demo.pipeline import run_demo
    from codefrontier.demo.summary import print_summary, summary_table

    base = DemoConfig.quick_slice() if quick else DemoConfig()
    cfg = base.with_flags(out=None if out is None else str(out), seed=seed, fresh=fresh, n=n, grpo_steps=steps, grpo_lr=grpo_lr,
                          rl_workers=rl_workers, loop_rollouts=loop_rollouts,
                          num_generations=num_generations,
                          traces=traces, heldout=heldout, problems=problems, levels=levels, lams=lams, settings=settings,
                          per_difficulty=per_difficulty, batch_size=batch_size, sample_workers=sample_workers, model=model,
                          max_tokens=max_tokens, max_turns=max_turns, sft_epochs=sft_epochs,
                          train_init=train_init, init_seed=init_seed, sft_lr=sft_lr, temperature=temperature,
                          threads=threads)
    typer.echo(f"codefrontier demo ({'quick' if cfg.quick else 'full'}, seed {cfg.seed}) -> {cfg.out}")
    result = run_demo(cfg, log=typer.echo)
    frame, _meta = load_run(result["run_dir"])
    print_summary(summary_table(frame), "per checkpoint (toy scale; solve rate = mean over problems of c/n)")
    for st in result["stages"]:
        typer.echo(f"  {st.name:<8} {'cached' if st.cached else f'{st.seconds:7.1f} s'}")
    typer.echo(f"total {result['total_s']:.1f} s; report: {result['report']}")
