"""`codefrontier models import FILE.gguf --out DIR`: a GGUF file as a safetensors checkpoint folder.

Only typer at import time; transformers and the `gguf` package load inside the command.
"""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="A llama.cpp .gguf checkpoint (quantized tensors are dequantized to fp32)."),
    out: Path = typer.Option(..., "--out", help="Folder to write (safetensors, config, tokenizer + chat template)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out."),
) -> None:
    """Import a GGUF checkpoint: one fp32 Hugging Face folder that every command loads."""
    from codefrontier.models.gguf import import_gguf

    typer.echo(str(import_gguf(file, out, force=force)))


@app.command("resolve")
def resolve_cmd(
    checkpoint: str = typer.Argument(..., help="A Hugging Face folder or id (printed as is) or a .gguf file."),
) -> None:
    """Print the folder a checkpoint argument loads from (a .gguf file is imported into the cache once)."""
    from codefrontier.models.checkpoint import resolve_checkpoint

    typer.echo(resolve_checkpoint(checkpoint))
