"""`codefrontier sample`: thin typer layer over `codefrontier.sample.launch` (torch imported lazily)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from codefrontier.episodes.backend import BackendName
from codefrontier.errors import CodefrontierError


def _floats(text: str, flag: str) -> tuple[float, ...]:
    try:
        return tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError as err:
        raise CodefrontierError(f"{flag} {text!r} is not a list of numbers (fix: give comma-separated numbers, e.g. 0,0.5,1,1.5).") from err


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


def _opt(cls_name: str, name: str, *flags: str, **kw: Any) -> Any:
    """An option whose default (None) and help come from a config field (LaunchSpec, SampleConfig, SettingConfig)."""
    from codefrontier.episodes.settings import SettingConfig
    from codefrontier.options import config_option
    from codefrontier.sample.launch import LaunchSpec
    from codefrontier.sample.runner import SampleConfig

    cls = {"launch": LaunchSpec, "sample": SampleConfig, "bounds": SettingConfig}[cls_name]
    return config_option(cls, name, *flags, **kw)


def _settings(text: str | None) -> tuple[Any, ...] | None:
    from codefrontier.episodes.settings import Setting

    if text is None:
        return None
    try:
        return tuple(Setting(s.strip()) for s in text.split(",") if s.strip())
    except ValueError as err:
        raise CodefrontierError(f"--setting {text!r} is not a setting (fix: use reasoning, tool or agent, comma-separated).") from err


def sample(
    out: Path = typer.Option(..., "--out", help="RUN_DIR; results go to RUN_DIR/results.sqlite (resumable)."),
    checkpoint: str | None = _opt("launch", "checkpoint"),
    line: tuple[str, str] | None = _opt("launch", "line"),
    lam: str | None = _opt("launch", "lams", "--lam"),
    setting: str | None = _opt("sample", "settings", "--setting"),
    problems: str | None = _opt("launch", "problems"),
    problem_ids: str | None = _opt("launch", "problem_ids"),
    n: int | None = _opt("sample", "n", min=1),
    backend: BackendName | None = _opt("launch", "backend"),
    base_url: str | None = _opt("launch", "base_url"),
    device: str | None = _opt("launch", "device"),
    cache_implementation: str | None = _opt("launch", "cache_implementation"),
    decoder: str | None = _opt("launch", "decoder"),
    batch_size: int | None = _opt("sample", "batch_size", min=1),
    temperature: float | None = _opt("sample", "temperature", min=0.0),
    top_p: float | None = _opt("sample", "top_p"),
    seed: int | None = _opt("sample", "seed"),
    max_tokens: int | None = _opt("bounds", "max_tokens_per_turn", "--max-tokens", min=1),
    max_total_tokens: int | None = _opt("bounds", "max_total_tokens", min=1),
    max_turns: int | None = _opt("bounds", "max_turns", min=1),
    max_tool_calls: int | None = _opt("bounds", "max_tool_calls", min=0),
    max_attempts: int | None = _opt("bounds", "max_attempts", min=1),
    native_tools: bool | None = _opt("bounds", "native_tools", "--native-tools/--plain-tools"),
    label: str | None = _opt("launch", "label"),
    coverage_level: int | None = _opt("launch", "coverage_level"),
    toy: bool | None = typer.Option(None, "--toy/--no-toy", help="Label results toy scale (default: builtin)."),
    export: bool = typer.Option(True, "--export/--no-export", help="Also write results.parquet and results.csv."),
    torch_threads: int = typer.Option(0, "--torch-threads", min=0,
                                      help="torch CPU threads (0: default; 1 is much faster on a busy CPU)."),
    executor: str = typer.Option("local", "--executor", help="Where hidden tests are judged: local | ray."),
    ray_address: str | None = typer.Option(None, "--ray-address", help="Ray cluster for --executor ray."),
) -> None:
    """Sample checkpoints in the reasoning, tool or agent setting into a resumable results store."""
    from dataclasses import replace

    from codefrontier.episodes.problem_set import BUILTIN, split_ids
    from codefrontier.episodes.settings import SettingConfig
    from codefrontier.judge.ray_executor import executor_from_flags
    from codefrontier.options import given
    from codefrontier.sample.launch import LaunchSpec, launch
    from codefrontier.sample.runner import SampleConfig
    from codefrontier.sample.store import export as export_results

    bounds = replace(SettingConfig(), **given(
        max_tool_calls=max_tool_calls, max_attempts=max_attempts, max_turns=max_turns, max_tokens_per_turn=max_tokens,
        max_total_tokens=max_total_tokens, native_tools=native_tools))
    spec = LaunchSpec(out=str(out), **given(
        checkpoint=checkpoint, line=line, lams=None if lam is None else _floats(lam, "--lam"), problems=problems,
        problem_ids=None if problem_ids is None else split_ids(problem_ids), backend=backend, base_url=base_url,
        device=device, label=label, coverage_level=coverage_level, cache_implementation=cache_implementation,
        decoder=decoder))
    toy_scale = spec.problems == BUILTIN if toy is None else toy
    config = replace(SampleConfig(), bounds=bounds, toy_scale=toy_scale, **given(
        n=n, settings=_settings(setting), batch_size=batch_size, seed=seed, temperature=temperature, top_p=top_p))
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
