"""Batch judging: `Submission`, the `Executor` protocol and the local worker pool.

An executor judges a batch of submissions and returns their outcomes in order. The
protocol is one method, `map_judge(subs, config) -> list[Outcome]`, so another backend
(Ray, in `ray_executor.py`) can spread a batch over machines; each of its workers just
calls `judge_submission` per item.

`LocalExecutor` runs `workers` threads, each holding its own sandbox (a fork-server
process) for a submission at a time: the untrusted work runs in those processes in
parallel over the cores, while the threads only feed inputs and check outputs.
Identical submissions in a batch are judged once (the rest get `cached=True` copies).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Protocol

from codefrontier.judge.config import JudgeConfig
from codefrontier.judge.outcome import Lang, Outcome
from codefrontier.judge.runner import judge, prepare_code, submission_key
from codefrontier.problems.model import Problem, Test


@dataclass(frozen=True)
class Submission:
    problem: Problem
    code: str
    lang: Lang = Lang.PYTHON
    all_tests: bool = False
    max_tier: int | None = None
    tests: tuple[Test, ...] | None = None
    keep_stdout: bool = False


def judge_submission(sub: Submission, config: JudgeConfig | None = None) -> Outcome:
    return judge(sub.problem, sub.code, sub.lang, all_tests=sub.all_tests, max_tier=sub.max_tier,
                 tests=sub.tests, keep_stdout=sub.keep_stdout, config=config)


def batch_key(sub: Submission, config: JudgeConfig) -> str:
    lang = Lang(sub.lang)
    stop = config.fail_fast and not sub.all_tests
    return submission_key(sub.problem, prepare_code(sub.problem, sub.code, lang), lang, sub.max_tier,
                          sub.tests, stop, sub.keep_stdout, config)


class Executor(Protocol):
    """Judges a batch: `outcomes[i]` is the outcome of `subs[i]`."""

    def map_judge(self, subs: Sequence[Submission], config: JudgeConfig) -> list[Outcome]: ...


class LocalExecutor:
    def __init__(self, workers: int | None = None):
        self.workers = workers

    def map_judge(self, subs: Sequence[Submission], config: JudgeConfig) -> list[Outcome]:
        keys = [batch_key(s, config) for s in subs]
        first: dict[str, int] = {}
        for i, k in enumerate(keys):
            first.setdefault(k, i)
        unique = list(first.values())
        workers = max(1, min(self.workers or config.workers, len(unique)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="judge") as pool:
            outcomes = dict(zip(unique, pool.map(lambda i: judge_submission(subs[i], config), unique), strict=True))
        return [outcomes[i] if first[k] == i else replace(outcomes[first[k]], cached=True)
                for i, k in enumerate(keys)]


def judge_many(subs: Sequence[Submission], config: JudgeConfig | None = None,
               executor: Executor | None = None) -> list[Outcome]:
    """Judge a batch over a worker pool (LocalExecutor over the cores by default)."""
    config = config or JudgeConfig()
    return (executor or LocalExecutor(config.workers)).map_judge(list(subs), config)
