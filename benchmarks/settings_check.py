"""Do the three inference settings differ for real? Tool use and revision after feedback, measured.

    .venv/bin/python benchmarks/settings_check.py [--init PATH] [--trained PATH | --only-init] [--n 8]
        [--ids a,b,c | --ids all] [--problems N] [--epochs E] [--steps 10] [--work DIR] [--reps 1000]

For the shared initialization (--init) and a trained checkpoint (--trained), on the built-in suite
(evaluation seed 0), with the sampler's own episodes (`episodes.settings`) and the real judge:
  tool setting:  share of samples with >= 1 well-formed tool call (a call the sampler parsed and ran),
                 mean tool calls per sample;
  agent setting: share of samples that revise after feedback (of those that got feedback on a failed
                 public test, the share whose next submission differs), first-attempt vs final solve
                 rate on the hidden tests (full suite).
Each figure is a mean over problems of the per-problem share, with a 95% percentile bootstrap
interval over problems (`analysis.bootstrap`; samples inside a problem are never resampled).
Without --init, the demo's shared init is trained here (DemoConfig: its 24-problem slice, SFT
epochs and learning rate, tool and feedback traces); without --trained, a
short multi-turn GRPO run in the agent setting is trained from the init.
Targets: tool-call share >= 0.5; agent final solve rate clearly above first-attempt.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from codefrontier.demo.pipeline import DemoConfig, select_problems
from codefrontier.episodes.backend import SamplingParams
from codefrontier.episodes.judging import JudgeFns, real_judge
from codefrontier.episodes.settings import Episode, Setting, SettingConfig, run_episodes, start_episode
from codefrontier.problems.model import Problem
from codefrontier.verdicts import Verdict

METRICS = ("tool_call_share", "tool_calls_mean", "feedback_share", "revise_share", "first_solve", "final_solve")


def train_init(work: Path, epochs: float, ids: Sequence[str]) -> Path:
    """The demo's shared init (its SFT recipe with the tool and feedback traces) on `ids`."""
    from codefrontier.train.sft import SFTConfig, train_sft

    world = DemoConfig()
    return train_sft(SFTConfig(out=str(work / "init"), epochs=epochs, lr=world.sft_lr, problems=tuple(ids),
                               seed=world.seed, traces=True, bucket_pool=8))


def train_trained(init: Path, work: Path, steps: int, ids: Sequence[str]) -> Path:
    """A short multi-turn GRPO run in the agent setting (coverage: the full suite)."""
    from codefrontier.train.grpo import GRPORunConfig
    from codefrontier.train.multiturn import MultiTurnConfig, train_grpo_multiturn

    run = GRPORunConfig(init=str(init), coverage=99, steps=steps, out=str(work / "trained"), lr=1e-4,
                        num_generations=8, prompts_per_step=1, problems=tuple(ids))
    return train_grpo_multiturn(MultiTurnConfig(run=run, setting=Setting.AGENT))


def play(path: Path, problems: Sequence[Problem], setting: Setting, n: int, cfg: SettingConfig,
         judge: JudgeFns, seed: int = 0, temperature: float = 0.7) -> list[Episode]:
    """n episodes per problem of `setting` with the checkpoint at `path` (transformers, CPU)."""
    from codefrontier.episodes.hf_backend import HFBackend

    backend = HFBackend.load(str(path))
    episodes = [start_episode(p, setting, cfg) for p in problems for _ in range(n)]
    run_episodes(episodes, backend, SamplingParams(max_tokens=cfg.max_tokens_per_turn, temperature=temperature), cfg,
                 judge, [seed + i for i in range(len(episodes))])
    return episodes


def revised(ep: Episode) -> bool | None:
    """None when the first submission got no public-test feedback; else whether a next submission was
    made and differs from the first (the sampler's transcript: system, problem, turn, feedback, turn...)."""
    m = ep.messages
    if ep.first_code is None or len(m) < 4 or m[3]["role"] != "user":
        return None
    return ep.attempts >= 2 and ep.code is not None and ep.code.strip() != ep.first_code.strip()


def solved(judge: JudgeFns, items: Sequence[tuple[Problem, str | None]]) -> list[bool]:
    """Hidden-test verdict (full suite) per (problem, code); no code is unsolved."""
    todo = [(i, p, c) for i, (p, c) in enumerate(items) if c]
    out = [False] * len(items)
    for (i, _p, _c), o in zip(todo, judge.grade([(p, c or "") for _i, p, c in todo]), strict=True):
        out[i] = o.verdict is Verdict.AC
    return out


def per_problem(problems: Sequence[Problem], tool: Sequence[Episode], agent: Sequence[Episode],
                judge: JudgeFns) -> np.ndarray[Any, Any]:
    """(P, len(METRICS)) matrix of per-problem shares (NaN where a share has no denominator)."""
    first = solved(judge, [(e.problem, e.first_code) for e in agent])
    final = solved(judge, [(e.problem, e.code) for e in agent])
    rows = []
    for p in problems:
        t = [e for e in tool if e.problem.id == p.id]
        idx = [i for i, e in enumerate(agent) if e.problem.id == p.id]
        rev = [r for i in idx if (r := revised(agent[i])) is not None]
        rows.append([np.mean([e.tool_calls >= 1 for e in t]), np.mean([e.tool_calls for e in t]),
                     len(rev) / len(idx), np.mean(rev) if rev else np.nan,
                     np.mean([first[i] for i in idx]), np.mean([final[i] for i in idx])])
    return np.asarray(rows, dtype=np.float64)


def report(label: str, values: np.ndarray[Any, Any], reps: int, seed: int) -> None:
    from codefrontier.analysis.bootstrap import mean_ci, resample_weights

    point, lo, hi = mean_ci(values, resample_weights(values.shape[0], reps, seed))
    diff = values[:, 5] - values[:, 4]
    d_point, d_lo, d_hi = mean_ci(diff[:, None], resample_weights(values.shape[0], reps, seed))
    print(f"\n{label}")
    for name, a, b, c in zip(METRICS, point, lo, hi, strict=True):
        print(f"  {name:16s} {a:6.3f}  [{b:.3f}, {c:.3f}]")
    print(f"  {'final - first':16s} {d_point[0]:6.3f}  [{d_lo[0]:.3f}, {d_hi[0]:.3f}]  (paired over problems)")
    tool_ok = point[0] >= 0.5
    agent_ok = d_lo[0] > 0
    print(f"  targets: tool-call share >= 0.5: {'met' if tool_ok else 'NOT met'}; "
          f"final > first (interval above 0): {'met' if agent_ok else 'NOT met'}")


def main() -> None:
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # the tiny model loads in ms
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--init", type=Path, help="Shared initialization (default: train the demo's init with traces in --work).")
    ap.add_argument("--trained", type=Path, help="Trained checkpoint (default: short agent-setting GRPO from --init).")
    ap.add_argument("--work", type=Path, default=Path("runs/settings_check"))
    ap.add_argument("--n", type=int, default=8, help="Samples per problem and setting.")
    ap.add_argument("--problems", type=int, default=0, help="First N built-in problems (0 = all).")
    world = DemoConfig()
    ap.add_argument("--ids", default="", help="Comma-separated built-in problem ids (default: the demo's slice; "
                    "'all' = the whole suite).")
    ap.add_argument("--epochs", type=float, default=world.sft_epochs, help="SFT epochs when training the init here.")
    ap.add_argument("--steps", type=int, default=10, help="GRPO steps when training the checkpoint here.")
    ap.add_argument("--only-init", action="store_true", help="Measure the shared init only (no trained checkpoint).")
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--temperature", type=float, default=world.temperature, help="Sampling temperature (the demo's).")
    args = ap.parse_args()
    from codefrontier.problems.builtin import builtin_problems

    listed = tuple(x for x in args.ids.split(",") if x)  # checked against the suite like the demo's --problems
    wanted = None if args.ids == "all" else select_problems(replace(world, problems=listed))
    problems = builtin_problems(seed=0, ids=wanted)
    problems = problems[: args.problems] if args.problems else problems
    ids = [p.id for p in problems]
    init = args.init or train_init(args.work, args.epochs, ids)
    trained = None if args.only_init else args.trained or train_trained(init, args.work, args.steps, ids)
    judge, cfg = real_judge(), SettingConfig()
    print(f"settings_check: {len(problems)} problems x {args.n} samples per setting, tool budget "
          f"{cfg.max_tool_calls} runs, agent budget {cfg.max_attempts} submissions, temperature {args.temperature}; CPU, load avg "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for label, path in (("shared init", init), ("trained", trained)):
        if path is None:
            continue
        start = time.perf_counter()
        tool = play(path, problems, Setting.TOOL, args.n, cfg, judge, args.seed, args.temperature)
        agent = play(path, problems, Setting.AGENT, args.n, cfg, judge, args.seed, args.temperature)
        values = per_problem(problems, tool, agent, judge)
        report(f"{label}: {path} ({time.perf_counter() - start:.0f} s)", values, args.reps, args.seed)


if __name__ == "__main__":
    from codefrontier.errors import CodefrontierError

    try:
        main()
    except CodefrontierError as err:  # bad ids and the like: one line, no traceback
        raise SystemExit(f"error: {err}") from None
