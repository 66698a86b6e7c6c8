"""Hugging Face transformers backend: batched sampling with left padding, CPU by default.

The whole batch is sampled with one torch generator state seeded from seeds[0] (transformers
has no per-row generator), so a sample is reproducible given the same batch composition.
Native tool calls are off: small local models use the plain-text protocol of the templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from codefrontier.episodes.backend import Completion, Message, SamplingParams


def _cut_at_stop(text: str, stops: Sequence[str]) -> tuple[str, bool]:
    hits = [i for i in (text.find(s) for s in stops) if i >= 0]
    return (text[:min(hits)], True) if hits else (text, False)


@dataclass
class HFBackend:
    model: Any  # a loaded transformers causal LM (θ(λ) may be set into it in place between calls)
    tokenizer: Any  # with a chat template
    max_batch: int = 32  # rows per generate() call
    name: str = "hf"
    native_tools: bool = False

    @classmethod
    def load(cls, path: str, device: str = "cpu", dtype: str = "float32", **kw: Any) -> HFBackend:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        tok = AutoTokenizer.from_pretrained(path)
        model: Any = AutoModelForCausalLM.from_pretrained(path, dtype=getattr(torch, dtype))
        model = model.to(device).eval()
        return cls(model, tok, **kw)

    def chat(self, batch: Sequence[Sequence[Message]], params: SamplingParams,
             seeds: Sequence[int] | None = None) -> list[Completion]:
        out: list[Completion] = []
        for b in range(0, len(batch), self.max_batch):
            rows = batch[b:b + self.max_batch]
            out += self._generate(rows, params, (seeds or [0])[b] if seeds else 0)
        return out

    def _generate(self, batch: Sequence[Sequence[Message]], params: SamplingParams, seed: int) -> list[Completion]:
        import torch

        tok = self.tokenizer
        prompts = [tok.apply_chat_template(list(m), tokenize=False, add_generation_prompt=True) for m in batch]
        tok.padding_side = "left"  # decoder-only: pad on the left so every row ends at the same column
        pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        enc = tok(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.model.device)
        width = enc["input_ids"].shape[1]  # (B, width) prompt ids
        room = int(getattr(self.model.config, "max_position_embeddings", 1 << 30)) - width
        max_new = min(params.max_tokens, room)
        if max_new <= 0:  # the conversation no longer fits the context: nothing can be generated
            return [Completion("", 0, width, finish_reason="length") for _ in batch]
        torch.manual_seed(seed)
        sample = params.temperature > 0
        with torch.inference_mode():
            gen = self.model.generate(
                **enc, max_new_tokens=max_new, do_sample=sample, pad_token_id=pad_id, eos_token_id=tok.eos_token_id,
                **({"temperature": params.temperature, "top_p": params.top_p} if sample else {}))
        return [self._decode(row, int(mask.sum()), params) for row, mask in
                zip(gen[:, width:].tolist(), enc["attention_mask"], strict=True)]

    def _decode(self, ids: list[int], prompt_tokens: int, params: SamplingParams) -> Completion:
        eos = self.tokenizer.eos_token_id
        n = ids.index(eos) + 1 if eos in ids else len(ids)  # tokens generated, EOS included
        text = self.tokenizer.decode(ids[:n], skip_special_tokens=True)
        text, stopped = _cut_at_stop(text, params.stop)
        finish = "stop" if (eos in ids or stopped) else "length"
        return Completion(text=text, completion_tokens=n, prompt_tokens=prompt_tokens, finish_reason=finish)
