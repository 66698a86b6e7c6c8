"""`codefrontier sample`: thin typer layer over `codefrontier.sample.launch` (torch imported lazily)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from codefrontier.errors import CodefrontierError


def _floats(text: str, flag: str) -> tuple[float, ...]:
    try:
        return tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError as err:
        raise CodefrontierError(f"{flag} {text!r}: expected comma-separated numbers, e.g. 0,0.5,1,1.5") from err


def _progress_bar() -> tuple[Any, Any]:
    """A rich progress bar fed by RunStats: samples/s and the running failure-class mix."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("sampling"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.fields[rate]}"), TextColumn("{task.fields[mix]}"))
    task = bar.add_task("sample", total=None, rate="", mix="")

    def update(stats: Any) -> None:
        mix = " ".join(f"{k}:{v}" for k, v in sorted(stats.verdicts.items()))
        bar.update(task, total=stats.total, completed=stats.generated,
                   rate=f"{stats.generated / max(stats.elapsed, 1e-9):.2f} samples/s", mix=mix)

    return bar, update


def sample(
    out: Path = typer.Option(..., "--out", help="RUN_DIR; results go to RUN_DIR/results.sqlite (resumable)."),
    checkpoint: str | None = typer.Option(None, "--checkpoint", help="A model folder (or a served model name)."),
    line: tuple[str, str] | None = typer.Option(None, "--line", help="A B: sample theta(lam) = A + lam (B - A)."),
    lam: str = typer.Option("", "--lam", help="Comma-separated lambdas for --line, e.g. 0,0.5,1,1.5."),
    setting: str = typer.Option("reasoning", "--setting", help="reasoning | tool | agent (comma-separated for several)."),
    problems: str = typer.Option("builtin", "--problems", help="'builtin' or a problem file (.json/.jsonl)."),
    problem_ids: str = typer.Option("", "--problem-ids", help="Comma-separated subset of problem ids."),
    n: int = typer.Option(4, "--n", min=1, help="Samples per checkpoint, setting and problem."),
    backend: str = typer.Option("hf", "--backend", help="hf (CPU default) | vllm (GPU) | http (OpenAI-compatible)."),
    base_url: str = typer.Option("http://localhost:8000/v1", "--base-url", help="Server for --backend http."),
    device: str = typer.Option("cpu", "--device", help="torch device for --backend hf."),
    batch_size: int = typer.Option(16, "--batch-size", min=1),
    temperature: float = typer.Option(1.0, "--temperature", min=0.0),
    top_p: float = typer.Option(1.0, "--top-p"),
    seed: int = typer.Option(0, "--seed"),
    max_tokens: int = typer.Option(512, "--max-tokens", min=1, help="New tokens per model turn."),
    max_total_tokens: int = typer.Option(2048, "--max-total-tokens", min=1),
    max_turns: int = typer.Option(6, "--max-turns", min=1),
    max_tool_calls: int = typer.Option(3, "--max-tool-calls", min=0),
    max_attempts: int = typer.Option(3, "--max-attempts", min=1),
    native_tools: bool | None = typer.Option(None, "--native-tools/--plain-tools",
                                             help="Tool protocol (default: native where the backend has it)."),
    label: str | None = typer.Option(None, "--label", help="Checkpoint label (default: from its provenance)."),
    coverage_level: int | None = typer.Option(None, "--coverage-level", help="Coverage level it was trained at."),
    toy: bool | None = typer.Option(None, "--toy/--no-toy", help="Label results toy scale (default: builtin)."),
    export: bool = typer.Option(True, "--export/--no-export", help="Also write results.parquet and results.csv."),
    torch_threads: int = typer.Option(0, "--torch-threads", min=0,
                                      help="torch CPU threads (0: default; 1 is much faster on a busy CPU)."),
    executor: str = typer.Option("local", "--executor", help="Where hidden tests are judged: local | ray."),
    ray_address: str | None = typer.Option(None, "--ray-address", help="Ray cluster for --executor ray."),
) -> None:
    """Sample checkpoints in the reasoning, tool or agent setting into a resumable results store."""
    from codefrontier.episodes.settings import Setting, SettingConfig
    from codefrontier.judge.ray_executor import executor_from_flags
    from codefrontier.sample.launch import LaunchSpec, launch
    from codefrontier.sample.runner import SampleConfig
    from codefrontier.sample.store import export as export_results

    try:
        settings = tuple(Setting(s.strip()) for s in setting.split(",") if s.strip())
    except ValueError as err:
        raise CodefrontierError(f"--setting {setting!r}: use reasoning, tool or agent (comma-separated)") from err
    bounds = SettingConfig(max_tool_calls=max_tool_calls, max_attempts=max_attempts, max_turns=max_turns,
                           max_tokens_per_turn=max_tokens, max_total_tokens=max_total_tokens,
                           native_tools=native_tools)
    config = SampleConfig(n=n, settings=settings, batch_size=batch_size, seed=seed, temperature=temperature,
                          top_p=top_p, bounds=bounds, toy_scale=(problems == "builtin") if toy is None else toy)
    spec = LaunchSpec(out=str(out), checkpoint=checkpoint, line=line, lams=_floats(lam, "--lam"), problems=problems,
                      problem_ids=tuple(x for x in problem_ids.split(",") if x), backend=backend,
                      base_url=base_url, device=device, label=label, coverage_level=coverage_level)
    if torch_threads:
        import torch

        torch.set_num_threads(torch_threads)
    bar, update = _progress_bar()
    with bar:
        stats = launch(spec, config, progress=update, executor=executor_from_flags(executor, ray_address))
    typer.echo(f"{stats.generated} new samples, {stats.judged} judged in {stats.elapsed:.1f} s "
               f"({stats.judge_wait_s:.1f} s waiting for the judge) -> {out / 'results.sqlite'}")
    if export:
        paths = export_results(out, out)
        typer.echo(f"wrote {paths['parquet']} and {paths['csv']}")
