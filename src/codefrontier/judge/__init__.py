"""The judge: sandboxed runs of untrusted solutions with per-test verdicts.

Layers, one file each: `sandbox` (+ `_server`, `seccomp`, `cgroup`: isolation, limits, one
run) / `compile` (Python in the fork server, C++ with g++ in the sandbox) / `checkers` /
`runner` (order, fail-fast, verdicts, Outcome) / `cache` / `pool` (reused sandboxes) /
`executor` (batches) / `cli`.
"""

from codefrontier.judge.config import Isolation, JudgeConfig
from codefrontier.judge.executor import Executor, LocalExecutor, Submission, judge_many
from codefrontier.judge.outcome import FirstFailure, Lang, Outcome, TestResult
from codefrontier.judge.runner import judge, run_program

__all__ = [
    "Executor", "FirstFailure", "Isolation", "JudgeConfig", "Lang", "LocalExecutor", "Outcome",
    "Submission", "TestResult", "judge", "judge_many", "run_program",
]
