"""codefrontier: train, blend and judge code models along correctness-efficiency frontiers.

The public API, one name per step of the data flow (README, "Python API"):

    problems = load_problems(path) | builtin_problems(ids=[...])
    outcomes = judge_many([Submission(problem, code), ...])         # sandboxed, per-test verdicts
    reward   = coverage_reward(level, problems=problems)            # a TRL reward function on T_c
    ckpt     = train_grpo(GRPORunConfig(init=..., coverage=c, steps=..., out=...), problems)
    paths    = run_merge(line_plan(A, B, [0.5, 1.5]), out)          # streamed, exact
    WeightLine(A, B).apply(model, lam)                              # the same line, in memory
    stats    = launch(LaunchSpec(out=run, line=(A, B), lams=...), SampleConfig(n=...))
    frame, meta = load_run(run); build_report(frame, meta, out)
    pass_at_k(n, c, k), ensemble_pass_at_k([(n_i, c_i, k_i), ...])

Names load on first use (PEP 562), so `import codefrontier` stays cheap and the command line's
start-up does not pay for torch, pandas or the judge.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Verdict": "codefrontier.verdicts",
    "FailureClass": "codefrontier.verdicts",
    "CodefrontierError": "codefrontier.errors",
    "pass_at_k": "codefrontier.metrics",
    "ensemble_pass_at_k": "codefrontier.metrics",
    "Problem": "codefrontier.problems",
    "load_problems": "codefrontier.problems",
    "save_problems": "codefrontier.problems",
    "builtin_problems": "codefrontier.problems.builtin",
    "fresh_tiny_model": "codefrontier.models.fresh",
    "JudgeConfig": "codefrontier.judge",
    "Lang": "codefrontier.judge",
    "Outcome": "codefrontier.judge",
    "Submission": "codefrontier.judge",
    "judge": "codefrontier.judge",
    "judge_many": "codefrontier.judge",
    "RewardMode": "codefrontier.rewards",
    "coverage_reward": "codefrontier.rewards",
    "MergeOptions": "codefrontier.merge",
    "WeightLine": "codefrontier.merge",
    "line_plan": "codefrontier.merge",
    "affine_plan": "codefrontier.merge",
    "run_merge": "codefrontier.merge",
    "Setting": "codefrontier.episodes.settings",
    "SettingConfig": "codefrontier.episodes.settings",
    "SampleConfig": "codefrontier.sample.runner",
    "LaunchSpec": "codefrontier.sample.launch",
    "launch": "codefrontier.sample.launch",
    "GRPORunConfig": "codefrontier.train.grpo",
    "train_grpo": "codefrontier.train.grpo",
    "load_run": "codefrontier.analysis.report",
    "build_report": "codefrontier.analysis.report",
}

__all__ = [
    "__version__", "CodefrontierError", "FailureClass", "GRPORunConfig", "JudgeConfig", "Lang",
    "LaunchSpec", "MergeOptions", "Outcome", "Problem", "RewardMode", "SampleConfig", "Setting",
    "SettingConfig", "Submission", "Verdict", "WeightLine", "affine_plan", "build_report",
    "builtin_problems", "coverage_reward", "ensemble_pass_at_k", "fresh_tiny_model", "judge", "judge_many",
    "launch", "line_plan", "load_problems", "load_run", "pass_at_k", "run_merge", "save_problems",
    "train_grpo",
]

if TYPE_CHECKING:  # what type checkers and editors see; at run time __getattr__ loads these
    from codefrontier.analysis.report import build_report, load_run
    from codefrontier.episodes.settings import Setting, SettingConfig
    from codefrontier.errors import CodefrontierError
    from codefrontier.judge import JudgeConfig, Lang, Outcome, Submission, judge, judge_many
    from codefrontier.merge import MergeOptions, WeightLine, affine_plan, line_plan, run_merge
    from codefrontier.metrics import ensemble_pass_at_k, pass_at_k
    from codefrontier.models.fresh import fresh_tiny_model
    from codefrontier.problems import Problem, load_problems, save_problems
    from codefrontier.problems.builtin import builtin_problems
    from codefrontier.rewards import RewardMode, coverage_reward
    from codefrontier.sample.launch import LaunchSpec, launch
    from codefrontier.sample.runner import SampleConfig
    from codefrontier.train.grpo import GRPORunConfig, train_grpo
    from codefrontier.verdicts import FailureClass, Verdict


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'codefrontier' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
