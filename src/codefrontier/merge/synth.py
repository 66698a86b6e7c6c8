"""Synthetic checkpoint pairs of any size, written with our own streaming writer (tests, benchmark).

B = A + a small RL-like delta (1% of A's scale), tensors of `rows x cols`, grouped into shards of
about `shard_bytes`, with an index and a Llama-like config.json; nothing is held beyond one tensor.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from codefrontier.merge.st_format import DTYPE_NAMES, ITEMSIZE, byte_view, plan_layout, pwrite_all


def write_pair(root: Path, total_bytes: int, *, dtype: str = "float32", rows: int = 2048, cols: int = 1024,
               shard_bytes: int = 256 << 20, seed: int = 0) -> tuple[Path, Path]:
    """Write root/A and root/B (each about `total_bytes` of weights); returns their paths."""
    import torch

    code = DTYPE_NAMES[dtype]
    per_tensor = rows * cols * ITEMSIZE[code]
    n_tensors = max(1, total_bytes // per_tensor)
    per_shard = max(1, shard_bytes // per_tensor)
    names = [f"model.layers.{i}.weight" for i in range(n_tensors)]
    shards = [names[i : i + per_shard] for i in range(0, n_tensors, per_shard)]
    fnames = [f"model-{k + 1:05d}-of-{len(shards):05d}.safetensors" for k in range(len(shards))]
    gen = torch.Generator().manual_seed(seed)
    paths = (root / "A", root / "B")
    for p in paths:
        p.mkdir(parents=True)
        weight_map = {n: f for f, group in zip(fnames, shards, strict=True) for n in group}
        index = {"metadata": {"total_size": n_tensors * per_tensor}, "weight_map": weight_map}
        (p / "model.safetensors.index.json").write_text(json.dumps(index))
        config = {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "dtype": dtype, "num_hidden_layers": n_tensors}
        (p / "config.json").write_text(json.dumps(config))
    for fname, group in zip(fnames, shards, strict=True):
        prefix, offsets = plan_layout([(n, code, (rows, cols)) for n in group], {"format": "pt"})
        fds = [os.open(p / fname, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644) for p in paths]
        try:
            for fd in fds:
                pwrite_all(fd, memoryview(prefix), 0)
            for n in group:
                a = torch.randn(rows, cols, generator=gen) * 0.02
                b = a + torch.randn(rows, cols, generator=gen) * 2e-4
                for fd, t in zip(fds, (a, b), strict=True):
                    raw = t.to(getattr(torch, dtype)).view(torch.uint8).reshape(-1)
                    pwrite_all(fd, byte_view(raw), offsets[n])
        finally:
            for fd in fds:
                os.close(fd)
    return paths
