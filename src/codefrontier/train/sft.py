"""Supervised fine-tuning of the shared initialization: corpus -> tokenizer -> tiny Llama -> SFT.

Loss on the assistant turns only (prompt, tool output and feedback tokens get label -100). A plain PyTorch loop: the model
is tiny and the loop is the clearest statement of what SFT does. The output folder is a Hugging
Face checkpoint (safetensors + tokenizer with chat template), `sft_config.json` (this frozen
config) and `corpus.jsonl` (the examples it saw). A finished folder with the same config is reused.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from codefrontier.io import atomic_write_json, atomic_write_text
from codefrontier.models.tiny import ModelConfig, n_params, tiny_llama
from codefrontier.models.tokenizer import chat_text, train_tokenizer
from codefrontier.problems.builtin.spec import BuiltinSpec
from codefrontier.train.corpus import (
    CONTEXT,
    CorpusConfig,
    Example,
    build_corpus,
    builtin_items,
    solution_builder,
)

CONFIG_NAME = "sft_config.json"


@dataclass(frozen=True)
class SFTConfig:
    out: str
    vocab_size: int = 800
    model: ModelConfig = field(default_factory=ModelConfig)
    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    problems: tuple[str, ...] = ()  # built-in problem ids; () = the whole suite
    epochs: float = 4.0
    max_steps: int = 0  # > 0 overrides epochs (tests, smoke runs)
    batch_size: int = 16
    lr: float = 2e-3
    warmup: float = 0.05  # fraction of steps
    max_len: int = 1024  # longer examples are dropped (counted in the log)
    seed: int = 0
    traces: bool = False  # issue 10: add tool-setting and agent-feedback traces (train/traces.py)
    bucket_pool: int = 0  # > 0: length-sorted batches inside pools of this many batches (epoch_batches)


def target_spans(tokenizer: Any, example: Example) -> list[tuple[int, int]]:
    """Token spans [start, end) of the example's learned assistant turns: every assistant turn
    (its content, eos and newline) unless marked context (the failing first submission of a
    feedback trace). One example per conversation, not one per turn: the shared prefix of a tool
    trace is then encoded and back-propagated once (13% fewer SFT tokens on the demo's traces corpus)."""
    def n_tokens(messages: Example, gen: bool) -> int:
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=gen)
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    return [(n_tokens(example[:i], True), n_tokens(example[: i + 1], False))
            for i, m in enumerate(example) if m["role"] == "assistant" and not m.get(CONTEXT)]


def encode_examples(tokenizer: Any, examples: Sequence[Example], max_len: int
                    ) -> list[tuple[list[int], list[tuple[int, int]]]]:
    """(token ids, target spans) per example; the loss covers the spans (target_spans)."""
    out = []
    for ex in examples:
        ids = tokenizer(chat_text(tokenizer, ex), add_special_tokens=False)["input_ids"]
        if len(ids) <= max_len:
            out.append((ids, target_spans(tokenizer, ex)))
    return out


def _batch(rows: Sequence[tuple[list[int], list[tuple[int, int]]]], pad_id: int) -> dict[str, Any]:
    """Right-padded (B, T) input_ids / attention_mask / labels (-100 outside the target spans)."""
    import torch

    width = max(len(ids) for ids, _ in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros_like(ids)
    labels = torch.full_like(ids, -100)
    for i, (row, spans) in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
        for a, b in spans:
            labels[i, a:b] = ids[i, a:b]
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def epoch_batches(lengths: Sequence[int], batch_size: int, rng: random.Random, pool: int = 0) -> list[list[int]]:
    """One epoch of batches (row indices), every row once. pool = 0: consecutive slices of a shuffled
    order. pool > 0: sorted by length inside pools of `pool` batches, then the batches shuffled, so a
    batch pads far less on a corpus that mixes 300- and 800-token examples (the traces): 1.6x the
    tokens/s there. Off by default: on the plain corpus, length-sorted batches group a problem's
    examples together and the 1M model ended SFT at loss 0.29 instead of 0.19, writing almost no
    working program (benchmarks/coverage_sweep.py)."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    if pool <= 0:
        return [order[j:j + batch_size] for j in range(0, len(order), batch_size)]
    batches: list[list[int]] = []
    for first in range(0, len(order), batch_size * pool):
        chunk = sorted(order[first:first + batch_size * pool], key=lambda i: lengths[i])
        batches += [chunk[j:j + batch_size] for j in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def target_loss(model: Any, batch: dict[str, Any]) -> Any:
    """Mean next-token cross-entropy over the labelled positions, as `model(**batch).loss`, but with
    the LM head and log-softmax on those positions only: ~70% of the tokens are prompt, tool output
    or feedback, and the (tokens, vocab) logits and their softmax backward were a third of a step."""
    import torch

    hidden = model.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
    targets = batch["labels"][:, 1:]  # position t predicts token t + 1
    keep = targets != -100
    logits = model.lm_head(hidden[:, :-1][keep])  # (labelled tokens, vocab)
    return torch.nn.functional.cross_entropy(logits.float(), targets[keep])


def sft_loop(model: Any, rows: Sequence[tuple[list[int], list[tuple[int, int]]]], cfg: SFTConfig, pad_id: int,
             log: Callable[[str], None] = print) -> list[float]:
    """AdamW with linear warmup and cosine decay; returns the loss of every step."""
    import torch

    steps_per_epoch = max(1, math.ceil(len(rows) / cfg.batch_size))
    total = cfg.max_steps or max(1, int(cfg.epochs * steps_per_epoch))
    warm = max(1, int(cfg.warmup * total))
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, 0.5 * (1 + math.cos(math.pi * min(s, total) / total))))
    rng, queue, losses = random.Random(cfg.seed), list[list[int]](), list[float]()
    lengths = [len(ids) for ids, _ in rows]
    model.train()
    start, tokens = time.perf_counter(), 0
    for step in range(total):
        if not queue:
            queue = epoch_batches(lengths, cfg.batch_size, rng, cfg.bucket_pool)[::-1]  # popped from the end
        batch = _batch([rows[i] for i in queue.pop()], pad_id)
        loss = target_loss(model, batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        losses.append(float(loss.detach()))
        tokens += int(batch["attention_mask"].sum())
        if step % 25 == 0 or step == total - 1:
            rate = tokens / (time.perf_counter() - start)
            log(f"sft step {step + 1}/{total} loss {losses[-1]:.3f} ({rate:,.0f} tokens/s)")
    model.eval()
    return losses


def train_sft(cfg: SFTConfig, items: Sequence[tuple[BuiltinSpec, str]] | None = None,
              log: Callable[[str], None] = print) -> Path:
    """Build the corpus, train the tokenizer and the tiny Llama on it, save the shared init to cfg.out."""
    out = Path(cfg.out)
    if _finished(out, cfg):
        log(f"sft: {out} already holds this configuration; reusing it")
        return out
    import torch

    torch.manual_seed(cfg.seed)
    t0 = time.perf_counter()
    items = items if items is not None else builtin_items(cfg.problems or None)
    examples = sft_corpus(cfg, items)
    texts = [m["content"] for ex in examples for m in ex]
    tokenizer = train_tokenizer(texts, cfg.vocab_size)
    rows = encode_examples(tokenizer, examples, cfg.max_len)
    model = tiny_llama(cfg.model, tokenizer, seed=cfg.seed)
    tokens = sum(len(ids) for ids, _ in rows)
    log(f"sft: {len(items)} problems, {len(rows)}/{len(examples)} examples ({tokens:,} tokens), vocab "
        f"{len(tokenizer)}, {n_params(model) / 1e6:.2f}M params; corpus and tokenizer in {time.perf_counter() - t0:.1f} s")
    losses = sft_loop(model, rows, cfg, tokenizer.pad_token_id, log)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    atomic_write_text(out / "corpus.jsonl", "".join(json.dumps(ex) + "\n" for ex in examples))
    atomic_write_json(out / "sft_losses.json", {"first": losses[:5], "last": losses[-5:], "steps": len(losses),
                                               "corpus_sha256": corpus_digest(examples),
                                               "seconds": round(time.perf_counter() - t0, 1)})
    atomic_write_json(out / CONFIG_NAME, asdict(cfg))  # written last: marks the folder finished
    return out


def sft_corpus(cfg: SFTConfig, items: Sequence[tuple[BuiltinSpec, str]] | None = None) -> list[Example]:
    """The examples `train_sft` trains on: plain answers, plus (cfg.traces) tool and feedback traces
    whose tool output and feedback come from real sandbox runs made now."""
    items = items if items is not None else builtin_items(cfg.problems or None)
    builders = [solution_builder(cfg.corpus)]
    if cfg.traces:  # real sandbox runs at build time (train/traces.py)
        from codefrontier.train.traces import TraceConfig, trace_builders

        builders += trace_builders(TraceConfig(surface=cfg.corpus.surface))
    return build_corpus(items, builders, seed=cfg.corpus.seed)


def corpus_digest(examples: Sequence[Example]) -> str:
    """sha256 of the corpus as canonical JSON: the same examples, in the same order, give the same digest."""
    import hashlib

    return hashlib.sha256(json.dumps(list(examples), sort_keys=True).encode()).hexdigest()


def _finished(out: Path, cfg: SFTConfig) -> bool:
    path = out / CONFIG_NAME
    if not path.exists() or not (out / "model.safetensors").exists():
        return False
    return bool(json.loads(path.read_text()) == json.loads(json.dumps(asdict(cfg))))
