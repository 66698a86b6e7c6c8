"""`codefrontier merge`: thin typer layer over `codefrontier.merge.engine` (torch is imported lazily).

    codefrontier merge A B --lam 0.5 --out DIR                 θ = A + 0.5 (B − A) into DIR
    codefrontier merge A B --lam -0.5,0,0.5,1,1.5 --out DIR    one pass; DIR/lam_-0.5, DIR/lam_0, ...
    codefrontier merge --base A --model B:0.7 --model C:0.3 --out DIR    θ = A + Σ w_i (θ_i − A)
    codefrontier merge A B C --uniform --out DIR               θ = (A + B + C) / 3
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from codefrontier.errors import MergeError


def merge(
    checkpoints: Annotated[list[str] | None, typer.Argument(help="Checkpoint folders: A B for --lam; two or more for --uniform.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (a single λ) or parent of lam_<λ> folders.")] = None,
    lam: Annotated[str | None, typer.Option("--lam", help="λ or comma-separated λs: θ = A + λ (B − A); <0 or >1 extrapolates.")] = None,
    base: Annotated[str | None, typer.Option("--base", help="Affine form: the base checkpoint θ_base.")] = None,
    model: Annotated[list[str] | None, typer.Option("--model", help="Affine form: PATH:WEIGHT, repeated.")] = None,
    uniform: Annotated[bool, typer.Option("--uniform", help="Uniform average of the positional checkpoints.")] = False,
    dtype: Annotated[str | None, typer.Option("--dtype", help="Output float dtype: float32|bfloat16|float16|float64 (default: the input's).")] = None,
    float64: Annotated[bool, typer.Option("--float64", help="Compute in float64 instead of float32.")] = False,
    threads: Annotated[int, typer.Option("--threads", help="Worker threads (0 = up to 4).")] = 0,
    chunk_mb: Annotated[float, typer.Option("--chunk-mb", help="MiB of float32 per chunk per input.")] = 4,
    allow_pickle: Annotated[bool, typer.Option("--allow-pickle", help="Accept pickled .bin weights (can run code!).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out.")] = False,
    fsync: Annotated[bool, typer.Option("--fsync", help="fsync the output before the final rename.")] = False,
) -> None:
    """Merge checkpoints, streamed and exact: the weight line, the affine form or a uniform average."""
    from codefrontier.merge.engine import MergeOptions, affine_plan, line_plan, run_merge, uniform_plan

    if out is None:
        raise MergeError("--out is required: the folder to write the merged checkpoint(s) to.")
    paths = checkpoints or []
    if base is not None:
        if paths or lam is not None or uniform:
            raise MergeError("--base/--model cannot be combined with positional checkpoints, --lam or --uniform.")
        plan = affine_plan(base, [_parse_model(m) for m in model or []])
    elif uniform:
        if lam is not None:
            raise MergeError("--uniform takes no --lam; use --lam with exactly two checkpoints instead.")
        plan = uniform_plan(paths)
    else:
        if len(paths) != 2 or lam is None:
            raise MergeError("give two checkpoints A B and --lam L[,L2,...] (or --base/--model, or --uniform).")
        plan = line_plan(paths[0], paths[1], _parse_floats(lam, "--lam"))
    opts = MergeOptions(dtype=dtype, compute="float64" if float64 else "float32", threads=threads,
                        chunk_mb=chunk_mb, allow_pickle=allow_pickle, force=force, fsync=fsync)
    for written in run_merge(plan, out, opts):
        typer.echo(str(written))


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
