"""The judge: sandboxed runs of untrusted solutions with per-test verdicts.

Layers, one file each: `sandbox` (+ `_server`, `_server_fs`, `_server_limits`, `seccomp`,
`cgroup`: isolation, limits, one run; `packages`: the third-party packages runs may import) /
`compile` (Python in the fork server, C++ with g++ in the sandbox) / `checkers` / `runner`
(order, fail-fast, verdicts, Outcome) / `diagnose` (the first failure's exit code, signal and
stderr excerpt, for people) / `cache` / `pool` (reused sandboxes) / `executor` (batches) /
`grade` (files of other tools' generations) / `cli`.
"""

from codefrontier.judge.config import Isolation, JudgeConfig
from codefrontier.judge.executor import Executor, LocalExecutor, Submission, judge_many
from codefrontier.judge.outcome import FirstFailure, Lang, Outcome, TestResult
from codefrontier.judge.runner import judge, run_program

__all__ = [
    "Executor", "FirstFailure", "Isolation", "JudgeConfig", "Lang", "LocalExecutor", "Outcome",
    "Submission", "TestResult", "judge", "judge_many", "run_program",
]
