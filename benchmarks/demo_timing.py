"""Time the demo per stage: `python benchmarks/demo_timing.py [--quick] [--out DIR] [--fresh] [--tokens]`.

Runs `codefrontier demo` (or reads an existing run directory with --read-only) and prints each
stage's wall time from its `.done.json` marker, plus the total, against issue 17's targets
(full demo <= 10 min, quick < 3 min on a 2-core machine), and the machine load (uptime).

--tokens also measures sampling speed on the run's init checkpoint, both ways in this same run:
  baseline  a plain `model.generate` loop over batches of 32 (the HF backend's old default width),
            dynamic KV cache;
  generate  HFBackend with max_batch = DemoConfig.batch_size and a static KV cache, once as one
            generate() call per batch and turn (phases=()), once with its default phases (rows that
            ended leave the batch after each phase; the rest go on in a smaller batch);
  loop      the demo's backend: HFBackend(decoder="loop"), our decoding loop (episodes/kv_loop.py) over
            length-sorted groups of 16 rows; the tokens must equal generate()'s (printed). Once with
            every row prefilled on its own, once with each distinct prompt prefilled once (the demo's;
            --rows prompts cycle through the run's problems, so 96 rows hold each of 24 prompts 4 times).
Same prompts (the reasoning openings of the run's problems), same seed and max_new_tokens; tokens
are counted up to each row's EOS.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

STAGES = ("suite", "init", "rl", "sample", "report")


def stage_times(run_dir: Path) -> dict[str, float]:
    out = {}
    for stage in STAGES:
        marker = run_dir / stage / ".done.json"
        if marker.is_file():
            out[stage] = float(json.loads(marker.read_text())["seconds"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--read-only", action="store_true", help="only read the stage markers of --out")
    ap.add_argument("--out", default=None)
    ap.add_argument("--tokens", action="store_true", help="also measure tokens/s (plain loop vs the demo's backend)")
    ap.add_argument("--rows", type=int, default=96, help="prompts for --tokens")
    args = ap.parse_args()
    out = Path(args.out or ("runs/demo-quick" if args.quick else "runs/demo"))
    wall = None
    if not args.read_only:
        cmd = [sys.executable, "-m", "codefrontier.cli", "demo", "--out", str(out)]
        cmd += ["--quick"] * args.quick + ["--fresh"] * args.fresh
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True)
        wall = time.perf_counter() - t0
    times = stage_times(out)
    for stage, seconds in times.items():
        print(f"{stage:<8} {seconds:8.1f} s")
    target = 180 if args.quick else 600
    total = sum(times.values())
    print(f"{'stages':<8} {total:8.1f} s   (target {target} s: {'met' if total <= target else 'NOT met'})")
    if wall is not None:
        print(f"{'command':<8} {wall:8.1f} s   (includes start-up and cached stages)")
    print(f"load     {load()}")
    if args.tokens:
        token_rates(out, args.rows)


def load() -> str:
    import os

    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def _prompts(out: Path, rows: int) -> list[list[dict[str, str]]]:
    from codefrontier.episodes.prompts import problem_messages
    from codefrontier.problems import load_problems

    problems = load_problems(out / "suite" / "problems.jsonl")
    return [problem_messages(problems[i % len(problems)]) for i in range(rows)]


def _count(ids: list[int], eos: int) -> int:
    return ids.index(eos) + 1 if eos in ids else len(ids)


def plain_loop(model: object, tok: object, prompts: list, max_new: int, width: int = 32) -> tuple[int, float]:
    """(tokens, seconds) of model.generate over batches of `width`, dynamic cache."""
    import torch

    tokens, t0 = 0, time.perf_counter()
    tok.padding_side = "left"  # type: ignore[attr-defined]
    for b in range(0, len(prompts), width):
        texts = [tok.apply_chat_template(m, tokenize=False, add_generation_prompt=True)  # type: ignore[attr-defined]
                 for m in prompts[b:b + width]]
        enc = tok(texts, return_tensors="pt", padding=True, add_special_tokens=False)  # type: ignore[operator]
        torch.manual_seed(0)
        with torch.inference_mode():
            gen = model.generate(**enc, max_new_tokens=max_new, do_sample=True, temperature=0.7,  # type: ignore[attr-defined]
                                 pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id)  # type: ignore[attr-defined]
        tokens += sum(_count(row, tok.eos_token_id) for row in gen[:, enc["input_ids"].shape[1]:].tolist())  # type: ignore[attr-defined]
    return tokens, time.perf_counter() - t0


@contextlib.contextmanager
def _prefill_shared(share: bool) -> Iterator[None]:
    """kv_loop.decode with share_prefill=`share` while inside (the backend calls it through the module)."""
    from codefrontier.episodes import kv_loop

    decode = kv_loop.decode
    kv_loop.decode = functools.partial(decode, share_prefill=share)  # type: ignore[assignment]
    try:
        yield
    finally:
        kv_loop.decode = decode  # type: ignore[assignment]


def token_rates(out: Path, rows: int) -> None:

    import torch

    from codefrontier.demo.config import DemoConfig
    from codefrontier.episodes.backend import SamplingParams
    from codefrontier.episodes.hf_backend import HFBackend

    cfg = DemoConfig()
    torch.set_num_threads(cfg.threads)
    init = str(out / "init" / "model")
    prompts = _prompts(out, rows)
    base = HFBackend.load(init)
    tokens, secs = plain_loop(base.model, base.tokenizer, prompts, cfg.max_tokens)
    print(f"tokens/s baseline (plain generate, batch 32, dynamic cache): {tokens / secs:8.0f} ({tokens} tokens, {secs:.1f} s)")
    rate0 = tokens / secs
    texts: dict[str, list[str]] = {}
    for how, kw in ((f"generate, batch {cfg.batch_size}, static cache, one call per batch", {"phases": ()}),
                    (f"generate, batch {cfg.batch_size}, static cache, ended rows leave after {HFBackend.phases} tokens", {}),
                    ("loop, length-sorted groups of 16, every row prefilled", {"decoder": "loop", "share": False}),
                    ("loop, length-sorted groups of 16, each prompt prefilled once (the demo's)", {"decoder": "loop"})):
        share = bool(kw.pop("share", True))
        demo = HFBackend.load(init, max_batch=cfg.batch_size, cache_implementation="static", **kw)
        t0 = time.perf_counter()
        with _prefill_shared(share):
            done = demo.chat(prompts, SamplingParams(max_tokens=cfg.max_tokens, temperature=cfg.temperature),
                             seeds=list(range(len(prompts))))
        secs2 = time.perf_counter() - t0
        tokens2 = sum(c.completion_tokens for c in done)
        texts[how] = [c.text for c in done]
        print(f"tokens/s {how}: {tokens2 / secs2:8.0f} ({tokens2} tokens, {secs2:.1f} s; "
              f"{tokens2 / secs2 / rate0:.2f}x the baseline)")
    first = next(iter(texts.values()))
    print("same samples in every backend row: " + ", ".join(f"{sum(a == b for a, b in zip(first, t, strict=True))}/{len(t)}"
                                                             for t in texts.values()))
    print(f"load     {load()}")


if __name__ == "__main__":
    main()
