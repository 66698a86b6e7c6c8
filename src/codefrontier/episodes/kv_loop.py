"""Our own decoding loop for Llama-family models on the CPU: a preallocated KV cache read only as far
as it is filled, rows that ended leave the batch, and rows that share a prompt share its prefill.

Why not transformers' generate(): at the demo's sizes (the ~1M-parameter Llama, prompts of 200-400
tokens, 320 new tokens) a decoding step is bound by reading the KV cache, not by the matmuls.
generate() with a static cache attends over the whole preallocated length every step, and every
row stays in the batch until the last one ends. Here step t reads columns [0, width + t) only, and
the rows that ended are dropped once an eighth of the batch has. Measured on the demo's init (96
reasoning prompts, 1 thread, quiet 2-core machine): 1,230 tokens/s for generate() with a static
cache, 2,000 for this loop over the same 96 rows, 3,250 over length-sorted groups of 16 (the
backend's grouping: a group's cache stays in the CPU's caches, and rows of one length pad little).
Same tokens in every case (benchmarks/demo_timing.py --tokens prints it per run). Running each distinct
prompt once (the sampler's batches hold several samples per problem, GRPO's several generations per
prompt) took the full demo from 9 min 47 s to 8 min 31 s. A prefill of 2 rows and one of 16 differ in
the last bits of their float sums (the matmuls block differently), too little to move a sampled token:
all 6,912 of the demo's samples came out the same to the character.

The model's own modules do the work (embedding, rotary embedding, each decoder layer, norm, head),
so the arithmetic is transformers' own; only the cache (`FilledCache`: duck-typed, its `update`
is what an attention layer calls) and the loop are ours. `supports` says which models qualify;
the backend uses generate() for the rest.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Sequence
from typing import Any

# Decoder-only families whose layers take (hidden, attention_mask, position_ids, past_key_values,
# position_embeddings) and whose attention calls past_key_values.update(k, v, layer_idx) once per step.
# Sliding-window models are left out (their masks differ per layer).
FAMILIES = ("llama", "qwen2", "mistral")


def supports(model: Any) -> bool:
    """Whether `decode` can run this model: a Llama-family causal LM without sliding-window attention,
    on the CPU (on a GPU, generate() or vLLM is the fast path, and the loop's per-step host work would
    cost more than it saves)."""
    device = getattr(model, "device", None)
    if device is not None and getattr(device, "type", "cpu") != "cpu":
        return False
    cfg = getattr(model, "config", None)
    inner = getattr(model, "model", None)
    if cfg is None or inner is None or getattr(cfg, "model_type", "") not in FAMILIES:
        return False
    if getattr(cfg, "sliding_window", None) and getattr(cfg, "use_sliding_window", True):
        return False
    needed = ("embed_tokens", "rotary_emb", "layers", "norm")
    if not all(hasattr(inner, n) for n in needed) or not hasattr(model, "lm_head"):
        return False
    return _takes_position_embeddings(inner.layers[0].__class__)


@functools.cache
def _takes_position_embeddings(layer_class: Any) -> bool:
    """Whether a decoder layer takes the rotary (cos, sin) from its caller, as the loop passes them; once
    per class (inspect.signature is slow next to a call that runs every chat())."""
    return "position_embeddings" in inspect.signature(layer_class.forward).parameters


class FilledCache:
    """Per layer K and V of shape (batch, kv_heads, capacity, head_dim), filled to column `t`.

    `update` (called by each attention layer with the step's new k, v of length 1) writes column t
    and returns columns [0, t + 1): the attention reads only what is filled."""

    def __init__(self, prefill: Any, capacity: int, owner: Any) -> None:
        """prefill: the prompts' cache, one row per distinct prompt; owner: (batch,) the prompt of each row."""
        self.keys: list[Any] = []
        self.values: list[Any] = []
        for layer in prefill.layers:
            for src, dst in ((layer.keys, self.keys), (layer.values, self.values)):
                buf = src.new_empty(len(owner), src.shape[1], capacity, src.shape[3])
                buf[:, :, :src.shape[2]] = src[owner]
                dst.append(buf)
        self.t = int(prefill.layers[0].keys.shape[2])

    def update(self, key: Any, value: Any, layer_idx: int, *_: Any, **__: Any) -> tuple[Any, Any]:
        t = self.t
        self.keys[layer_idx][:, :, t:t + 1] = key
        self.values[layer_idx][:, :, t:t + 1] = value
        return self.keys[layer_idx][:, :, :t + 1], self.values[layer_idx][:, :, :t + 1]

    def keep(self, rows: Any) -> None:
        """Only these rows from now on (copies the filled columns, not the empty ones)."""
        def pick(buf: Any) -> Any:
            out = buf.new_empty(len(rows), *buf.shape[1:])
            out[:, :, :self.t] = buf[rows, :, :self.t]
            return out
        self.keys = [pick(b) for b in self.keys]
        self.values = [pick(b) for b in self.values]


def decode(model: Any, rows: Sequence[Sequence[int]], limits: Sequence[int], sampler: Any,
           eos_ids: Sequence[int], pad_id: int, share_prefill: bool = True) -> list[list[int]]:
    """New token ids per row, each up to its limit or through its first end-of-turn id (included).

    rows: prompt ids (left-padded here); limits: new tokens allowed per row (>= 1); sampler: a
    RowSampler (one random stream per row) or None for greedy decoding; share_prefill=False prefills
    every row on its own (the loop before prefill sharing: benchmarks/demo_timing.py compares)."""
    import torch

    width, most = max(len(r) for r in rows), max(limits)
    prompts, owner = _distinct(rows, share_prefill)
    with torch.inference_mode():
        ids = torch.tensor([[pad_id] * (width - len(r)) + list(r) for r in prompts])
        real = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in prompts])
        pos = (real.cumsum(-1) - 1).masked_fill(real == 0, 1)  # as generate(): left padding, own positions
        out = model(input_ids=ids, attention_mask=real, position_ids=pos, use_cache=True, logits_to_keep=1)
        own = torch.tensor(owner)
        cache = FilledCache(out.past_key_values, width + most, own)
        seen = torch.zeros(len(rows), width + most, dtype=torch.bool)  # which columns a row attends to
        seen[:, :width] = real.bool()[own]
        return _steps(model, out.logits[own, -1], cache, seen, pos[own, -1:] + 1, list(limits), sampler,
                      torch.tensor(list(eos_ids)))


def _distinct(rows: Sequence[Sequence[int]], share: bool) -> tuple[list[Sequence[int]], list[int]]:
    """The prompts to prefill, and for each row the index of its prompt among them.

    Samples of one problem share their prompt: each distinct prompt is run once and its cache copied
    to its rows (the demo's groups hold 2 prompts x 8 samples: an eighth of the prefill work)."""
    first: dict[tuple[int, ...], int] = {}
    prompts: list[Sequence[int]] = []
    owner: list[int] = []
    for i, row in enumerate(rows):
        key = tuple(row) if share else (i,)
        if key not in first:
            first[key] = len(prompts)
            prompts.append(row)
        owner.append(first[key])
    return prompts, owner


def _steps(model: Any, logits: Any, cache: FilledCache, seen: Any, pos: Any, limits: list[int],
           sampler: Any, eos: Any) -> list[list[int]]:
    """Sample, append, drop the ended rows now and then, run one step of every layer; repeat."""
    import torch

    inner = model.model
    out: list[list[int]] = [[] for _ in limits]
    alive = list(range(len(limits)))  # original row of each batch row
    ended = torch.zeros(len(limits), dtype=torch.bool)
    while True:
        tok = (sampler(None, logits) if sampler is not None else logits).argmax(-1)  # (B,)
        for j, i in enumerate(alive):
            if not ended[j]:
                out[i].append(int(tok[j]))
        ended |= torch.isin(tok, eos) | torch.tensor([len(out[i]) >= limits[i] for i in alive])
        live = (~ended).nonzero().flatten()
        if len(live) == 0:
            return out
        if len(alive) - len(live) >= max(4, len(alive) // 8):  # an eighth ended: copy the rest into a smaller batch
            alive, ended = [alive[j] for j in live.tolist()], ended[live]
            cache.keep(live)
            seen, pos, tok = seen[live], pos[live], tok[live]
            sampler = sampler.subset(live.tolist()) if sampler is not None else None
        t = cache.t
        seen[:, t] = True
        h = inner.embed_tokens(tok[:, None])  # (B, 1, hidden)
        rope = inner.rotary_emb(h, pos)
        mask = seen[:, None, None, :t + 1]  # (B, 1, 1, t + 1): True = attend
        for layer in inner.layers:
            h = layer(h, attention_mask=mask, position_ids=pos, past_key_values=cache, use_cache=True,
                      position_embeddings=rope)
            h = h[0] if isinstance(h, tuple) else h
        logits = model.lm_head(inner.norm(h))[:, -1]
        cache.t += 1
        pos = pos + 1
