"""`codefrontier merge`: thin typer layer over `codefrontier.merge.engine` (torch is imported lazily).

    codefrontier merge A B --lam 0.5 --out DIR                 θ = A + 0.5 (B − A) into DIR
    codefrontier merge A B --lam -0.5,0,0.5,1,1.5 --out DIR    one pass; DIR/lam_-0.5, DIR/lam_0, ...
    codefrontier merge --base A --model B:0.7 --model C:0.3 --out DIR    θ = A + Σ w_i (θ_i − A)
    codefrontier merge A B C --uniform --out DIR               θ = (A + B + C) / 3

A or B may be a `.gguf` file (imported once into the cache: codefrontier.models.gguf). Config
fields outside the architecture (token ids, generation defaults) may differ: one note line on
stderr names them, and each output's provenance JSON lists them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any

import typer

from codefrontier.errors import MergeError
from codefrontier.merge.plan import OPTION_HELP, MergeOptions, MergePlan

_DEFAULTS = MergeOptions()


def _help(field: str) -> str:
    """The option's help (written once, in plan.py) with MergeOptions' default appended."""
    default = getattr(_DEFAULTS, field)
    if isinstance(default, bool):
        return OPTION_HELP[field]  # a flag: off unless given
    shown = "the input's" if default is None else default
    return f"{OPTION_HELP[field]} (default: {shown})"


def merge(
    checkpoints: Annotated[list[str] | None, typer.Argument(help="Checkpoint folders or .gguf files: A B for --lam; two or more for --uniform.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (a single λ) or parent of lam_<λ> folders.")] = None,
    lam: Annotated[str | None, typer.Option("--lam", help="λ or comma-separated λs: θ = A + λ (B − A); <0 or >1 extrapolates.")] = None,
    base: Annotated[str | None, typer.Option("--base", help="Affine form: the base checkpoint θ_base.")] = None,
    model: Annotated[list[str] | None, typer.Option("--model", help="Affine form: PATH:WEIGHT, repeated.")] = None,
    uniform: Annotated[bool, typer.Option("--uniform", help="Uniform average of the positional checkpoints.")] = False,
    dtype: Annotated[str | None, typer.Option("--dtype", help=_help("dtype"), show_default=False)] = None,
    compute: Annotated[str | None, typer.Option("--compute", help=_help("compute"), show_default=False)] = None,
    threads: Annotated[int | None, typer.Option("--threads", help=_help("threads"), show_default=False)] = None,
    chunk_mb: Annotated[float | None, typer.Option("--chunk-mb", help=_help("chunk_mb"), show_default=False)] = None,
    allow_pickle: Annotated[bool | None, typer.Option("--allow-pickle", help=_help("allow_pickle"), show_default=False)] = None,
    force: Annotated[bool | None, typer.Option("--force", help=_help("force"), show_default=False)] = None,
    fsync: Annotated[bool | None, typer.Option("--fsync", help=_help("fsync"), show_default=False)] = None,
) -> None:
    """Merge checkpoints, streamed and exact: the weight line, the affine form or a uniform average."""
    from codefrontier.merge.engine import run_merge

    if out is None:
        raise MergeError("--out is required: the folder to write the merged checkpoint(s) to.")
    given: dict[str, Any] = {"dtype": dtype, "compute": compute, "threads": threads, "chunk_mb": chunk_mb,
             "allow_pickle": allow_pickle, "force": force, "fsync": fsync}
    opts = dataclasses.replace(_DEFAULTS, **{k: v for k, v in given.items() if v is not None})
    plan = _plan(checkpoints or [], lam, base, model or [], uniform)
    for written in run_merge(plan, out, opts, log=lambda line: typer.echo(line, err=True)):
        typer.echo(str(written))


def _plan(paths: list[str], lam: str | None, base: str | None, models: list[str], uniform: bool) -> MergePlan:
    from codefrontier.merge.engine import affine_plan, line_plan, uniform_plan

    if base is not None:
        if paths or lam is not None or uniform:
            raise MergeError("--base/--model cannot be combined with positional checkpoints, --lam or --uniform.")
        return affine_plan(base, [_parse_model(m) for m in models])
    if uniform:
        if lam is not None:
            raise MergeError("--uniform takes no --lam (fix: use --lam with exactly two checkpoints instead).")
        return uniform_plan(paths)
    if len(paths) != 2 or lam is None:
        raise MergeError("give two checkpoints A B and --lam L[,L2,...] (or --base/--model, or --uniform).")
    return line_plan(paths[0], paths[1], _parse_floats(lam, "--lam"))


def _parse_floats(text: str, flag: str) -> list[float]:
    try:
        return [float(x) for x in text.split(",") if x.strip()]
    except ValueError as err:
        raise MergeError(f"{flag} {text!r} is not a comma-separated list of numbers.") from err


def _parse_model(spec: str) -> tuple[str, float]:
    """PATH:WEIGHT (split at the last colon, so paths may contain colons)."""
    path, sep, weight = spec.rpartition(":")
    if not sep or not path or not weight.strip():
        raise MergeError(f"--model {spec!r} must be PATH:WEIGHT, for example ckpt_b:0.5.")
    return path, _parse_floats(weight, "--model weight")[0]
