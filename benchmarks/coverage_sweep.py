"""The coverage-sweep experiment on the built-in world (issue 5, item 9).

Trains low- and full-coverage GRPO checkpoints from one shared SFT initialization, samples
held-out completions (evaluation tests: seed 0; training reward: seed 1), judges them on the
full suite and prints, per checkpoint, solve rate and correctness / optimization failure rates
with percentile-bootstrap CIs over problems (paired across checkpoints), overall and on hard
problems. Also prints each run's wall time, steps/s and the reward's share of step time
(target: <= 2 min per run, reward <= 15%).

The world is right when the frontier shows: full coverage has fewer optimization failures,
low coverage fewer correctness failures.

Defaults are the demo's world (DemoConfig): its 24-problem slice, SFT recipe, GRPO steps,
temperature, completion length and traces (on by default since world v2; --traces forces them on).

    .venv/bin/python benchmarks/coverage_sweep.py --work /tmp/cf_sweep
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from codefrontier.analysis.bootstrap import mean_ci, resample_weights
from codefrontier.demo.pipeline import DemoConfig, select_problems
from codefrontier.episodes.prompts import problem_messages
from codefrontier.extract import extract_code
from codefrontier.judge import JudgeConfig, Submission, judge_many
from codefrontier.problems.builtin import builtin_problems
from codefrontier.problems.model import Difficulty, Problem
from codefrontier.train.grpo import STATS_NAME, GRPORunConfig, train_grpo
from codefrontier.train.sft import SFTConfig, train_sft
from codefrontier.verdicts import FailureClass

CLASSES = (FailureClass.SOLVED, FailureClass.CORRECTNESS, FailureClass.OPTIMIZATION)


def sample(model_dir: Path, problems: list[Problem], n: int, max_new_tokens: int, temperature: float,
           seed: int) -> dict[str, list[str]]:
    """n completions per problem with HF generate and the chat template (left padding, batched)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(seed)
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForCausalLM.from_pretrained(str(model_dir)).eval()
    out: dict[str, list[str]] = {}
    for start in range(0, len(problems), 4):  # 4 prompts x n samples per generate call
        chunk = problems[start:start + 4]
        texts = [tok.apply_chat_template(problem_messages(p), tokenize=False, add_generation_prompt=True)
                 for p in chunk]
        enc = tok(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        with torch.no_grad():
            gen = model.generate(**enc, do_sample=True, temperature=temperature, max_new_tokens=max_new_tokens,
                                 num_return_sequences=n, pad_token_id=tok.pad_token_id)
        done = tok.batch_decode(gen[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)
        for i, p in enumerate(chunk):
            out[p.id] = done[i * n:(i + 1) * n]
    return out


def classify(problems: list[Problem], completions: dict[str, list[str]]) -> np.ndarray:
    """(P, 3) per-problem fractions of solved / correctness / optimization (IE samples excluded)."""
    subs, owners, counts = [], [], np.zeros((len(problems), 3))
    for pi, p in enumerate(problems):
        for text in completions[p.id]:
            code = extract_code(text)
            if code is None:
                counts[pi, 1] += 1  # no code: a correctness failure
            else:
                subs.append(Submission(problem=p, code=code))
                owners.append(pi)
    for pi, outcome in zip(owners, judge_many(subs, JudgeConfig()), strict=True):
        if outcome.failure_class in CLASSES:
            counts[pi, CLASSES.index(outcome.failure_class)] += 1
    totals = counts.sum(axis=1, keepdims=True)
    return np.where(totals > 0, counts / np.maximum(totals, 1), np.nan)


def report(rates: dict[str, np.ndarray], problems: list[Problem], seed: int) -> None:
    """Print mean [95% CI] per checkpoint and class, overall and on hard problems (paired bootstrap)."""
    subsets = {"all": list(range(len(problems))),
               "hard": [i for i, p in enumerate(problems) if p.difficulty is Difficulty.HARD]}
    for name, idx in subsets.items():
        weights = resample_weights(len(idx), 2000, seed)
        print(f"\n{name} problems (n={len(idx)}): mean [95% bootstrap CI over problems]")
        print(f"{'checkpoint':<12}" + "".join(f"{c.value:>26}" for c in CLASSES))
        for ckpt, table in rates.items():
            point, lo, hi = mean_ci(table[idx], weights)
            cells = "".join(f"{point[j]:>10.3f} [{lo[j]:.3f},{hi[j]:.3f}]" for j in range(3))
            print(f"{ckpt:<12}{cells}")


def frontier_verdict(rates: dict[str, np.ndarray], low: str, high: str, idx: list[int]) -> str:
    lo, hi = np.nanmean(rates[low][idx], axis=0), np.nanmean(rates[high][idx], axis=0)
    opt_ok, corr_ok = hi[2] < lo[2], lo[1] < hi[1]
    return (f"optimization failures {low} {lo[2]:.3f} vs {high} {hi[2]:.3f} ({'ok' if opt_ok else 'NOT ok'}); "
            f"correctness failures {low} {lo[1]:.3f} vs {high} {hi[1]:.3f} ({'ok' if corr_ok else 'NOT ok'})")


def main() -> None:
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # the tiny model loads in ms
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    world = DemoConfig()  # the demo's world settings are the defaults: one source of truth
    ap.add_argument("--work", type=Path, default=Path("/tmp/cf_sweep"))
    ap.add_argument("--steps", type=int, default=world.grpo_steps)
    ap.add_argument("--low", type=int, default=1)
    ap.add_argument("--high", type=int, default=4)
    ap.add_argument("--n", type=int, default=world.n, help="held-out samples per problem and checkpoint")
    ap.add_argument("--sft-epochs", type=float, default=world.sft_epochs)
    ap.add_argument("--sft-lr", type=float, default=world.sft_lr)
    ap.add_argument("--max-new-tokens", type=int, default=world.max_tokens)
    ap.add_argument("--temperature", type=float, default=world.temperature, help="GRPO rollouts and held-out samples")
    ap.add_argument("--seed", type=int, default=world.seed)
    ap.add_argument("--problems", default="", help="comma-separated ids (default: the demo's slice of "
                    f"{world.per_difficulty} problems per difficulty; 'all' for the whole suite)")
    ap.add_argument("--traces", action="store_true", help="SFT on the tool and feedback traces too (issue 10)")
    ap.add_argument("--init", type=Path, default=None, help="reuse this SFT checkpoint instead of training one")
    args = ap.parse_args()
    listed = tuple(x for x in args.problems.split(",") if x)  # checked against the suite like the demo's --problems
    ids = () if args.problems == "all" else tuple(select_problems(replace(world, problems=listed)))

    sft_cfg = SFTConfig(out=str(args.work / "init"), epochs=args.sft_epochs, lr=args.sft_lr, seed=args.seed,
                        problems=ids, traces=args.traces or world.traces)
    init = args.init or train_sft(sft_cfg)
    ckpts: dict[str, Path] = {"init": init}
    for level in (args.low, args.high):
        cfg = GRPORunConfig(init=str(init), coverage=level, steps=args.steps, out=str(args.work / f"c{level}"),
                            seed=args.seed, max_completion_length=args.max_new_tokens, problems=ids,
                            temperature=args.temperature, quiet=True)
        ckpts[f"c{level}"] = train_grpo(cfg)
        stats: dict[str, Any] = json.loads((ckpts[f"c{level}"] / STATS_NAME).read_text())
        print(f"run c{level}: {stats['wall_s']:.1f}s for {stats['steps']} steps, {stats['steps_per_s']:.3f} steps/s, "
              f"reward {stats['reward_s']:.1f}s = {100 * stats['reward_share']:.1f}% of step time, "
              f"train reward {stats['reward_first']:.3f} -> {stats['reward_final']:.3f}")
    problems = builtin_problems(seed=0, ids=list(ids) or None)  # held-out evaluation tests (training reward used seed 1)
    rates = {}
    for name, path in ckpts.items():
        start = time.perf_counter()
        completions = sample(path, problems, args.n, args.max_new_tokens, args.temperature, args.seed + 1)
        rates[name] = classify(problems, completions)
        print(f"sampled+judged {name}: {time.perf_counter() - start:.1f}s")
    report(rates, problems, args.seed)
    hard = [i for i, p in enumerate(problems) if p.difficulty is Difficulty.HARD]
    print("\nfrontier (all): " + frontier_verdict(rates, f"c{args.low}", f"c{args.high}", list(range(len(problems)))))
    print("frontier (hard): " + frontier_verdict(rates, f"c{args.low}", f"c{args.high}", hard))


if __name__ == "__main__":
    from codefrontier.errors import CodefrontierError

    try:
        main()
    except CodefrontierError as err:  # bad ids and the like: one line, no traceback
        raise SystemExit(f"error: {err}") from None
