"""Hugging Face transformers backend: batched sampling with left padding, CPU by default.

Every row is sampled from its own seed (row_sampler.RowSampler: transformers has one generator
per batch), so a sample does not depend on the rows batched with it, nor on how a resumed run
batches; what can still differ across batch shapes is float rounding in the kernels.

Real chat models: the prompt is the model's own chat template, applied unchanged; generation
stops on every end-of-turn id the model declares (`generation_config.eos_token_id` may be a
list, e.g. Llama 3's <|eot_id|> and <|end_of_text|>). Native tool calls are used only where
they can work end to end (`hf_tools.native_tool_support`): the template renders `tools=` and the
model's tool-call output can be parsed. Elsewhere (the built-in tiny model, SmolLM2, whose
template ignores tools) the tool setting uses the plain-text protocol of the templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from codefrontier.episodes import kv_loop
from codefrontier.episodes.backend import Completion, Message, SamplingParams
from codefrontier.episodes.hf_tools import native_tool_support, parse_tool_calls, template_messages


def _cut_at_stop(text: str, stops: Sequence[str]) -> tuple[str, bool]:
    hits = [i for i in (text.find(s) for s in stops) if i >= 0]
    return (text[:min(hits)], True) if hits else (text, False)


def _ids(value: Any) -> list[int]:
    if value is None:
        return []
    return [int(v) for v in value] if isinstance(value, (list, tuple)) else [int(value)]


def end_of_turn_ids(model: Any, tokenizer: Any) -> list[int]:
    """Every id that ends a turn: the generation config's (int or list), the model config's, the tokenizer's."""
    found: list[int] = []
    for value in (getattr(getattr(model, "generation_config", None), "eos_token_id", None),
                  getattr(getattr(model, "config", None), "eos_token_id", None), tokenizer.eos_token_id):
        found += [i for i in _ids(value) if i not in found]
    return found


DECODERS = ("generate", "loop")  # HFBackend.decoder's values


@dataclass
class HFBackend:
    model: Any  # a loaded transformers causal LM (θ(λ) may be set into it in place between calls)
    tokenizer: Any  # with a chat template
    max_batch: int = 32  # rows per generate() call
    name: str = "hf"
    native_tools: bool = False  # `load` turns it on where the template and a parser support it
    # transformers' KV cache kind for generate ("static": ~2x tokens/s for the tiny model at wide batches,
    # measured: 4.3k vs 2.2k tokens/s at batch 192 on 2 cores); None = transformers' default dynamic cache.
    cache_implementation: str | None = None
    eos_ids: list[int] = field(default_factory=list)  # [] = end_of_turn_ids(model, tokenizer)
    # New-token counts after which the rows that ended leave the batch (see _generate); () = one call.
    phases: tuple[int, ...] = (128,)
    # "generate": transformers' generate(). "loop": our own decoding loop (kv_loop.py: the same tokens,
    # 2.6x the tokens/s of a static-cache generate() on the demo's init) over length-sorted groups of
    # `group` rows, for the models kv_loop.supports; the others still use generate().
    decoder: str = "generate"
    group: int = 16

    def __post_init__(self) -> None:
        from transformers.utils import logging as hf_logging

        if not self.eos_ids:
            self.eos_ids = end_of_turn_ids(self.model, self.tokenizer)
        if self.decoder not in DECODERS or self.group < 1:
            raise ValueError(f"HFBackend: decoder {self.decoder!r} with group {self.group}: use decoder 'generate' "
                             "or 'loop' and a group of 1 row or more.")
        # rows with room to spare run past the widest row's context (each row is cut at its own room):
        # transformers' warning about it would print on every generate call
        hf_logging.get_logger("transformers.generation.stopping_criteria").setLevel(hf_logging.ERROR)

    @classmethod
    def load(cls, path: str, device: str = "cpu", dtype: str = "float32", **kw: Any) -> HFBackend:
        """Load a checkpoint (a `.gguf` file is imported once, models.checkpoint.resolve_checkpoint)."""
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from codefrontier.models.checkpoint import resolve_checkpoint

        path = resolve_checkpoint(path)
        tok = AutoTokenizer.from_pretrained(path)
        model: Any = AutoModelForCausalLM.from_pretrained(path, dtype=getattr(torch, dtype))
        model = model.to(device).eval()
        kw.setdefault("native_tools", native_tool_support(tok))
        return cls(model, tok, **kw)

    def chat(self, batch: Sequence[Sequence[Message]], params: SamplingParams,
             seeds: Sequence[int] | None = None) -> list[Completion]:
        seeds = list(seeds) if seeds else list(range(len(batch)))  # unseeded: rows still draw apart
        out: list[Completion] = []
        for b in range(0, len(batch), self.max_batch):
            out += self._generate(batch[b:b + self.max_batch], params, seeds[b:b + self.max_batch])
        return out

    def render(self, messages: Sequence[Message], params: SamplingParams) -> str:
        """The prompt text: the model's chat template, unchanged (+ `tools=` when native)."""
        tools = list(params.tools) if params.tools and self.native_tools else None
        extra = {"tools": tools} if tools else {}
        return str(self.tokenizer.apply_chat_template(template_messages(messages), tokenize=False,
                                                      add_generation_prompt=True, **extra))

    def _generate(self, batch: Sequence[Sequence[Message]], params: SamplingParams,
                  seeds: Sequence[int]) -> list[Completion]:
        rows, outs = self.token_ids(batch, params, seeds)
        return [self._decode(out, len(row), params) for out, row in zip(outs, rows, strict=True)]

    def token_ids(self, batch: Sequence[Sequence[Message]], params: SamplingParams,
                  seeds: Sequence[int]) -> tuple[list[list[int]], list[list[int]]]:
        """(prompt ids, new ids) per conversation: the new ids run through the first end-of-turn id (kept)
        or up to the row's room. GRPO rollouts (train/grpo.py) take these as they are."""
        from codefrontier.episodes.row_sampler import RowSampler

        tok = self.tokenizer
        prompts = [self.render(m, params) for m in batch]
        if tok.pad_token is None:  # base models and some GGUF tokenizers declare none: pad with end-of-turn
            tok.pad_token = tok.convert_ids_to_tokens(self.eos_ids[0])
        rows = [list(ids) for ids in tok(prompts, add_special_tokens=False)["input_ids"]]
        # Each row's room is the context left after ITS prompt, not after the batch's widest: a tool
        # conversation at its third turn must not cut a fresh reasoning row beside it short (left padding:
        # a row's positions start at its first real token). A row is cut at its own room.
        context = int(getattr(self.model.config, "max_position_embeddings", 1 << 30))
        rooms = [min(params.max_tokens, context - len(r)) for r in rows]
        max_new = max(rooms)
        if max_new <= 0:  # no conversation fits the context any more: nothing can be generated
            return rows, [[] for _ in rows]
        sampler = RowSampler(seeds, params.temperature, params.top_p) if params.temperature > 0 else None
        if self.decoder == "loop" and kv_loop.supports(self.model):
            return rows, self._loop(rows, rooms, sampler)
        outs: list[list[int]] = [[] for _ in rows]
        active, done = list(range(len(rows))), 0
        # Phases: every row's step costs the same at these sizes (measured: 2,386 tokens/s at batch 96, 2,144
        # at 24), and generate() steps a batch until its LAST row ends. So after each phase the rows that
        # ended leave; the rest go on from their tokens so far (re-encoded in one prefill, their own
        # random streams continuing), instead of ~half the rows idling in every step. Measured on the
        # demo's init and its c4 checkpoint (96 reasoning prompts, rows of 123-132 tokens on average, the
        # longest 200-243): one split at 128 tokens, 1.25-1.28x the tokens/s of one call; (96, 160) 1.1-1.2x;
        # four splits no gain (each split costs a prefill and a new static cache).
        for stop in [*(p for p in self.phases if p < max_new), max_new]:
            new = self._step([rows[i] + outs[i] for i in active], stop - done,
                             sampler.subset(active) if sampler else None)
            still = []
            for i, ids in zip(active, new, strict=True):
                ends = [j for j, t in enumerate(ids) if t in self.eos_ids]
                outs[i] += ids[:ends[0] + 1] if ends else ids
                if not ends and len(outs[i]) < rooms[i]:
                    still.append(i)
            active, done = still, stop
            if not active:
                break
        return rows, [out[:max(room, 0)] for out, room in zip(outs, rooms, strict=True)]  # each cut at its end already

    def _loop(self, rows: list[list[int]], rooms: list[int], sampler: Any) -> list[list[int]]:
        """kv_loop.decode over groups of `group` rows of similar prompt length (shortest first): little
        padding, and a group's KV cache small enough to stay in the CPU's caches. A row that has no room
        left gets nothing."""
        outs: list[list[int]] = [[] for _ in rows]
        order = sorted((i for i in range(len(rows)) if rooms[i] > 0), key=lambda i: len(rows[i]))
        for g in range(0, len(order), self.group):
            part = order[g:g + self.group]
            new = kv_loop.decode(self.model, [rows[i] for i in part], [rooms[i] for i in part],
                                 sampler.subset(part) if sampler else None, self.eos_ids, self.tokenizer.pad_token_id)
            for i, ids in zip(part, new, strict=True):
                outs[i] = ids
        return outs

    def _step(self, rows: list[list[int]], max_new: int, sampler: Any) -> list[list[int]]:
        """One generate() call over left-padded `rows`: up to max_new new ids per row (the pad after an
        end-of-turn id included; the caller cuts there)."""
        import torch

        width = max(len(r) for r in rows)
        pad_id = self.tokenizer.pad_token_id
        ids = torch.tensor([[pad_id] * (width - len(r)) + r for r in rows], device=self.model.device)
        mask = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows], device=self.model.device)
        kw: dict[str, Any] = {"logits_processor": [sampler]} if sampler is not None else {}
        if self.cache_implementation is not None:
            kw["cache_implementation"] = self.cache_implementation
        with torch.inference_mode():  # sampled through the per-row sampler; generate itself decodes greedily
            gen = self.model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new, do_sample=False,
                                      pad_token_id=pad_id, eos_token_id=self.eos_ids, **kw)
        return [list(r) for r in gen[:, width:].tolist()]

    def _decode(self, ids: list[int], prompt_tokens: int, params: SamplingParams) -> Completion:
        ends = [i for i, t in enumerate(ids) if t in self.eos_ids]
        n = ends[0] + 1 if ends else len(ids)  # tokens generated, the end-of-turn token included
        text = self.tokenizer.decode(ids[:n], skip_special_tokens=True)
        text, stopped = _cut_at_stop(text, params.stop)
        finish = "stop" if (ends or stopped) else "length"
        if params.tools and self.native_tools:
            raw = self.tokenizer.decode(ids[:n], skip_special_tokens=False)
            content, calls = parse_tool_calls(raw, text, self.tokenizer)
            if calls:
                return Completion(text=content, completion_tokens=n, prompt_tokens=prompt_tokens,
                                  tool_calls=calls, finish_reason="tool_calls")
        return Completion(text=text, completion_tokens=n, prompt_tokens=prompt_tokens, finish_reason=finish)
