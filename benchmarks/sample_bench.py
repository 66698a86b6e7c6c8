"""Sampling throughput per setting on the built-in suite, with and without judge overlap.

    .venv/bin/python benchmarks/sample_bench.py [--model PATH] [--n 2] [--problems 8] [--fake-judge-ms 0]

Prints, per setting: samples/s with generation and grading overlapped (the default of
`run_sampling`) against a baseline measured in the same run with grading done synchronously
after each batch, and the share of wall time the generator spent waiting for the judge.
Without --model it uses a freshly initialised tiny Llama and a locally trained tokenizer: it
emits noise (mostly no code, so the judge is nearly idle); rerun with the world's trained
model for figures that mean something. --fake-judge-ms N replaces the real judge with a
stand-in that sleeps N ms per hidden test (labelled as such in the output).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Sequence
from typing import Any

from codefrontier.episodes.judging import GradeItem, JudgeFns, real_judge
from codefrontier.episodes.settings import Setting, SettingConfig
from codefrontier.judge.outcome import Outcome
from codefrontier.problems.model import Problem
from codefrontier.sample.runner import SampleConfig, run_sampling
from codefrontier.sample.store import CheckpointInfo, Store
from codefrontier.verdicts import FailureClass, Verdict


def sleeping_judge(ms: float, base: JudgeFns | None) -> JudgeFns:
    """Grades every submission WA after sleeping `ms` per hidden test (a latency stand-in, not a judge)."""
    def grade(items: Sequence[GradeItem]) -> list[Outcome]:
        time.sleep(ms / 1000 * sum(len(p.tests) for p, _c in items))
        return [Outcome(Verdict.WA, FailureClass.CORRECTNESS, 0, None, ()) for _ in items]

    def run_public(p: Problem, c: str) -> Outcome:
        time.sleep(ms / 1000 * len(p.public_tests))
        return Outcome(Verdict.AC, FailureClass.SOLVED, 0, None, ())

    def run_tool(p: Problem, c: str, stdin: str) -> Any:
        from codefrontier.judge.outcome import TestResult

        time.sleep(ms / 1000)
        return TestResult(0, 0, Verdict.AC, 0.0, 0.0, 0.0, 0, stdout="")

    return JudgeFns(run_public=run_public, run_tool=run_tool, grade=grade)


class SubstituteSolutions:
    """Wraps a backend: after generating (so generation costs stay real), each completion's text is
    replaced by one of the problem's built-in solutions (reference, brute force or a wrong one,
    picked by seed), so the judge does the work a model that writes code would cause."""

    def __init__(self, inner: Any, problems: list[Problem]):
        from codefrontier.episodes.protocol import problem_message
        from codefrontier.problems.builtin import get_spec

        self.inner, self.name, self.native_tools = inner, inner.name + "+substituted", False
        self.codes: dict[str, list[str]] = {}
        for p in problems:
            spec = get_spec(p.id)
            self.codes[problem_message(p)] = [spec.reference, spec.brute, *(w.code for w in spec.wrong)]

    def chat(self, batch: Sequence[Any], params: Any, seeds: Sequence[int] | None = None) -> list[Any]:
        import random

        from codefrontier.episodes.backend import Completion

        out = []
        for i, (msgs, c) in enumerate(zip(batch, self.inner.chat(batch, params, seeds), strict=True)):
            code = random.Random((seeds or [0] * len(batch))[i]).choice(self.codes[msgs[1]["content"]])
            out.append(Completion(f"```python\n{code.strip()}\n```", c.completion_tokens, c.prompt_tokens))
        return out


def load_backend(model_path: str | None, problems: list[Problem]) -> Any:
    from codefrontier.episodes.hf_backend import HFBackend

    if model_path:
        return HFBackend.load(model_path), f"model {model_path}"
    from codefrontier.episodes.protocol import problem_message
    from codefrontier.models.fresh import fresh_tiny_model

    corpus = [problem_message(p) for p in problems] + [p.statement for p in problems]
    model, tok = fresh_tiny_model(corpus, hidden=128, layers=4, max_positions=4096, vocab_size=1024)
    return HFBackend(model, tok), "fresh untrained tiny Llama (hidden 128, 4 layers)"


def one(setting: Setting, overlap: bool, backend: Any, problems: list[Problem], judge: JudgeFns,
        args: argparse.Namespace) -> tuple[float, float, int]:
    bounds = SettingConfig(max_tokens_per_turn=args.max_tokens, max_total_tokens=3 * args.max_tokens)
    cfg = SampleConfig(n=args.n, settings=(setting,), batch_size=args.batch_size, bounds=bounds,
                       max_inflight=1 if overlap else 0, seed=args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        stats = run_sampling(cfg, backend, problems, [CheckpointInfo("bench", "bench")], Store(tmp), judge=judge)
    return stats.generated / stats.elapsed, stats.judge_wait_s / stats.elapsed, stats.generated


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--model", default=None)
    ap.add_argument("--n", type=int, default=2)
    ap.add_argument("--problems", type=int, default=8, help="first K built-in problems")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fake-judge-ms", type=float, default=0.0)
    ap.add_argument("--substitute-solutions", action="store_true",
                    help="grade built-in solutions in place of the generated text (judge load of a model that codes)")
    ap.add_argument("--settings", default="reasoning,tool,agent")
    ap.add_argument("--torch-threads", type=int, default=0,
                    help="torch intra-op threads (0: torch's default; 1 is far faster on an oversubscribed CPU)")
    args = ap.parse_args()
    import torch

    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)

    from codefrontier.problems.builtin import builtin_problems

    problems = builtin_problems(seed=0)[: args.problems]
    from codefrontier.judge import JudgeConfig

    # No result cache: the second run of a pair would otherwise get every verdict for free.
    judge = sleeping_judge(args.fake_judge_ms, None) if args.fake_judge_ms else real_judge(JudgeConfig(cache=False))
    backend, what = load_backend(args.model, problems)
    if args.substitute_solutions:
        backend, what = SubstituteSolutions(backend, problems), what + ", text SUBSTITUTED by built-in solutions"
    print(f"# {what}; {len(problems)} built-in problems x n={args.n}; batch {args.batch_size}; "
          f"max {args.max_tokens} tokens/turn; judge: "
          f"{f'STAND-IN sleeping {args.fake_judge_ms} ms/test' if args.fake_judge_ms else 'real'}; "
          f"torch threads {torch.get_num_threads()}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'setting':10} {'samples':>7} {'seq s/s':>8} {'overlap s/s':>11} {'speed-up':>8} {'judge wait':>10}")
    for name in args.settings.split(","):
        setting = Setting(name)
        seq, seq_wait, count = one(setting, False, backend, problems, judge, args)
        ovl, ovl_wait, _ = one(setting, True, backend, problems, judge, args)
        print(f"{name:10} {count:7d} {seq:8.2f} {ovl:11.2f} {ovl / seq:7.2f}x "
              f"{ovl_wait:9.0%} (sequential {seq_wait:.0%})")


if __name__ == "__main__":
    main()
