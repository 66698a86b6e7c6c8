"""A checkpoint argument, resolved: a Hugging Face folder or id as given, or a `.gguf` file imported once.

Every command that takes a checkpoint (`sample --checkpoint/--line`, `train --init`, `merge`,
`demo --model`) passes it through `resolve_checkpoint`, so a GGUF file works everywhere and
its dequantization (~40 s for a 135M model on 2 cores) is paid once per file, not per run.
"""

from __future__ import annotations

import os
from pathlib import Path


def is_gguf(arg: str | os.PathLike[str]) -> bool:
    return os.fspath(arg).lower().endswith(".gguf")


def resolve_checkpoint(arg: str | os.PathLike[str]) -> str:
    """A path or id that `from_pretrained` loads: `arg` itself, or the imported folder of a `.gguf` file."""
    if not is_gguf(arg):
        return os.fspath(arg)
    from codefrontier.models.gguf import cached_import

    return str(cached_import(Path(arg)))
