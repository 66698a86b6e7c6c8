"""Synthetic Llama-shaped checkpoint pairs of any size, written with our own streaming writer.

For tests and the benchmark: real LlamaForCausalLM tensor names and shapes (so other tools such as
mergekit recognize the architecture), random weights, B = A + a small deterministic delta, shards
of about `shard_bytes` with an index and a config.json. Only one tensor is in memory at a time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from codefrontier.merge.st_format import DTYPE_NAMES, ITEMSIZE, byte_view, plan_layout, pwrite_all

HIDDEN, INTER, VOCAB = 1024, 2816, 32000


def llama_tensors(layers: int, hidden: int = HIDDEN, inter: int = INTER, vocab: int = VOCAB) -> list[tuple[str, tuple[int, ...]]]:
    """(name, shape) of an untied LlamaForCausalLM with full multi-head attention."""
    out: list[tuple[str, tuple[int, ...]]] = [("model.embed_tokens.weight", (vocab, hidden))]
    for i in range(layers):
        p = f"model.layers.{i}."
        out += [(p + f"self_attn.{x}_proj.weight", (hidden, hidden)) for x in "qkvo"]
        out += [(p + "mlp.gate_proj.weight", (inter, hidden)), (p + "mlp.up_proj.weight", (inter, hidden)),
                (p + "mlp.down_proj.weight", (hidden, inter)),
                (p + "input_layernorm.weight", (hidden,)), (p + "post_attention_layernorm.weight", (hidden,))]
    return out + [("model.norm.weight", (hidden,)), ("lm_head.weight", (vocab, hidden))]


def layers_for(total_bytes: int, itemsize: int) -> int:
    fixed = 2 * VOCAB * HIDDEN + HIDDEN
    per_layer = 4 * HIDDEN * HIDDEN + 3 * HIDDEN * INTER + 2 * HIDDEN
    return max(1, round((total_bytes / itemsize - fixed) / per_layer))


def write_pair(root: Path, total_bytes: int, *, dtype: str = "float32", shard_bytes: int = 256 << 20,
               seed: int = 0) -> tuple[Path, Path]:
    """Write root/A and root/B (each about `total_bytes` of weights); returns their paths."""
    import torch

    code = DTYPE_NAMES[dtype]
    layers = layers_for(total_bytes, ITEMSIZE[code])
    tensors = llama_tensors(layers)
    shards: list[list[tuple[str, tuple[int, ...]]]] = [[]]
    size = 0
    for name, shape in tensors:
        nbytes = ITEMSIZE[code] * (shape[0] * (shape[1] if len(shape) > 1 else 1))
        if shards[-1] and size + nbytes > shard_bytes:
            shards.append([])
            size = 0
        shards[-1].append((name, shape))
        size += nbytes
    fnames = [f"model-{k + 1:05d}-of-{len(shards):05d}.safetensors" for k in range(len(shards))]
    paths = (root / "A", root / "B")
    for p in paths:
        _write_meta(p, fnames, shards, layers, dtype)
    gen = torch.Generator().manual_seed(seed)
    for fname, group in zip(fnames, shards, strict=True):
        prefix, offsets = plan_layout([(n, code, s) for n, s in group], {"format": "pt"})
        fds = [os.open(p / fname, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644) for p in paths]
        try:
            for fd in fds:
                pwrite_all(fd, memoryview(prefix), 0)
            for n, shape in group:
                a = torch.randn(shape, generator=gen) * 0.02
                b = a + 0.01 * a.roll(1, dims=-1)  # a small, cheap, deterministic "RL" delta
                for fd, t in zip(fds, (a, b), strict=True):
                    pwrite_all(fd, byte_view(t.to(getattr(torch, dtype)).view(torch.uint8).reshape(-1)), offsets[n])
        finally:
            for fd in fds:
                os.close(fd)
    return paths


def _write_meta(p: Path, fnames: list[str], shards: list[list[tuple[str, tuple[int, ...]]]], layers: int, dtype: str) -> None:
    p.mkdir(parents=True)
    weight_map = {n: f for f, group in zip(fnames, shards, strict=True) for n, _ in group}
    (p / "model.safetensors.index.json").write_text(json.dumps({"metadata": {}, "weight_map": weight_map}))
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": HIDDEN,
              "intermediate_size": INTER, "num_hidden_layers": layers, "num_attention_heads": 16,
              "num_key_value_heads": 16, "vocab_size": VOCAB, "max_position_embeddings": 2048,
              "rms_norm_eps": 1e-5, "tie_word_embeddings": False, "dtype": dtype}
    (p / "config.json").write_text(json.dumps(config, indent=2))
