"""Tiny Llama checkpoints built locally (no downloads) for the merge tests (a uniquely named module:
`conftest` names clash across test folders when the whole suite runs)."""

from __future__ import annotations

from pathlib import Path

import torch


def build_checkpoint(path: Path, seed: int, *, dtype: torch.dtype = torch.float32, tie: bool = False,
                     shard: str | None = None, noise_of: int | None = None) -> Path:
    """Save a tiny LlamaForCausalLM; noise_of=seed0 makes it seed0's weights plus a small RL-like delta."""
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                      tie_word_embeddings=tie)
    torch.manual_seed(noise_of if noise_of is not None else seed)
    model = LlamaForCausalLM(cfg).to(dtype)
    if noise_of is not None:
        gen = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for p in model.parameters():
                p.add_((torch.randn(p.shape, generator=gen) * 0.01 * p.float().abs().mean()).to(dtype))
    model.save_pretrained(path, max_shard_size=shard) if shard else model.save_pretrained(path)
    (path / "tokenizer_config.json").write_text('{"model_max_length": 64}\n')
    (path / "chat_template.jinja").write_text("{{ messages }}\n")
    return path
