"""The coverage reward r_c of DESIGN.md, and a TRL-compatible factory for it.

r_c = 1.0 when every hidden test of T_c (tiers <= c) passes, else 0.0; `partial` mode gives
the fraction of T_c passed in run order (tests before the first failure). No extractable code
-> 0.0 (a correctness failure). A judge internal error (IE) -> None: TRL masks the sample.

Judging goes through one swap point, a `JudgeBatch` callable (problems, codes, level) ->
outcomes, so tests can stub the judge (including an IE) without a sandbox. The default calls
`codefrontier.judge.judge_many` with `max_tier=level`: only T_c runs, fail-fast, cached.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from codefrontier.enums import StrEnum
from codefrontier.errors import CodefrontierError
from codefrontier.extract import extract_code
from codefrontier.judge.outcome import Outcome
from codefrontier.problems.model import Problem
from codefrontier.verdicts import NOCODE, Verdict

# (problems, codes, coverage level) -> one Outcome per (problem, code) pair, judged on T_level only.
JudgeBatch = Callable[[Sequence[Problem], Sequence[str], int], list[Outcome]]



class RewardMode(StrEnum):
    BINARY = "binary"  # 1.0 iff all of T_c passes
    PARTIAL = "partial"  # fraction of T_c passed before the first failure


def effective_level(problem: Problem, level: int) -> int:
    """Coverage level clipped to the problem's tiers (level >= K means the full suite)."""
    if level < 1:
        raise CodefrontierError(f"coverage level must be >= 1, got {level} (fix: pass --coverage 1 or more).")
    return min(level, max(problem.num_tiers, 1))


def score_outcome(problem: Problem, outcome: Outcome, level: int, mode: RewardMode | str) -> float | None:
    """r_c of one judged submission; None for an internal error (masked, never 0)."""
    if outcome.verdict is Verdict.IE:
        return None
    c = effective_level(problem, level)
    if RewardMode(mode) is RewardMode.BINARY:
        return 1.0 if outcome.passed_tier >= c else 0.0
    total = len(problem.coverage_set(c))
    if total == 0:
        return 1.0 if outcome.verdict is Verdict.AC else 0.0
    passed = 0
    for result in outcome.tests:  # run order; stop at the first failure
        if result.tier > c or result.verdict is not Verdict.AC:
            break
        passed += 1
    return passed / total


def completion_text(completion: Any) -> str:
    """TRL passes a string (standard) or a list of messages (conversational): take the last assistant text."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Sequence) and completion and isinstance(completion[-1], Mapping):
        return str(completion[-1].get("content", ""))
    return ""


def default_judge_batch(problems: Sequence[Problem], codes: Sequence[str], level: int) -> list[Outcome]:
    """The real judge: parallel pool + cache, only tiers <= level run (imported lazily)."""
    from codefrontier.judge import Lang, Submission, judge_many

    subs = [Submission(problem=p, code=c, lang=Lang.PYTHON, max_tier=effective_level(p, level))
            for p, c in zip(problems, codes, strict=True)]
    return judge_many(subs, _judge_config())


@cache
def _judge_config() -> Any:
    """One JudgeConfig for the whole run, so its result cache is shared across steps."""
    from codefrontier.judge import JudgeConfig

    return JudgeConfig()


@dataclass(frozen=True)
class Scored:
    """One graded completion: its reward and what the judge said (outcome None when no code)."""

    reward: float | None
    verdict: str  # a Verdict value, or NOCODE
    passed_tier: int
    outcome: Outcome | None


def compiles(code: str) -> bool:
    """Python syntax check in-process (compiling runs nothing): a syntax error is a CE the judge need not see.

    Early in RL most samples of a small model are syntax errors; skipping the sandbox for them
    keeps the reward's share of step time low.
    """
    try:
        with warnings.catch_warnings():  # SyntaxWarnings of sampled code would clutter the training log
            warnings.simplefilter("ignore", SyntaxWarning)
            compile(code, "<submission>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def score_completions(problems: Sequence[Problem], completions: Sequence[Any], level: int,
                      mode: RewardMode | str, judge_batch: JudgeBatch) -> list[Scored]:
    """Extract code from each completion and judge the batch at once on T_level.

    No code -> 0 (NOCODE) and a Python syntax error -> 0 (CE), both without a judge call.
    """
    codes = [extract_code(completion_text(c)) for c in completions]
    scored = [Scored(0.0, NOCODE if code is None else Verdict.CE.value, 0, None) for code in codes]
    todo = [i for i, code in enumerate(codes) if code is not None and compiles(code)]
    if todo:
        outcomes = judge_batch([problems[i] for i in todo], [codes[i] or "" for i in todo], level)
        for i, out in zip(todo, outcomes, strict=True):
            reward = score_outcome(problems[i], out, level, mode)
            scored[i] = Scored(reward, out.verdict.value, out.passed_tier, out)
    return scored


@dataclass
class RewardStats:
    """One reward call (one generation batch): what the judge said, how long it took."""

    rewards: list[float | None]
    verdicts: Counter[str]
    passed_tiers: Counter[int]
    seconds: float

    def tiers_sorted(self) -> list[tuple[int, int]]:
        return sorted(self.passed_tiers.items())

    def mean(self) -> float:
        vals = [r for r in self.rewards if r is not None]
        return sum(vals) / len(vals) if vals else 0.0


@dataclass
class CoverageReward:
    """A TRL reward function: `(prompts, completions, problem_id=[...], **kwargs) -> list[float | None]`."""

    level: int
    mode: RewardMode
    problems: Mapping[str, Problem]
    judge_batch: JudgeBatch = default_judge_batch
    history: list[RewardStats] = field(default_factory=list)  # one entry per call, for manifests/benchmarks

    def __post_init__(self) -> None:
        self.__name__ = f"coverage_c{self.level}_{self.mode.value}"  # TRL names reward columns after it

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any) -> list[float | None]:
        start = time.perf_counter()
        ids = kwargs.get("problem_id")
        if ids is None or len(ids) != len(completions):
            raise CodefrontierError("the training dataset needs a 'problem_id' column with one id per prompt "
                                    "(fix: build it with codefrontier.train.grpo.prompt_dataset).")
        problems = [self._problem(str(pid)) for pid in ids]
        scored = score_completions(problems, completions, self.level, self.mode, self.judge_batch)
        rewards = [sc.reward for sc in scored]
        verdicts = Counter(sc.verdict for sc in scored)
        tiers = Counter(sc.passed_tier for sc in scored)
        stats = RewardStats(rewards, verdicts, tiers, time.perf_counter() - start)
        self.history.append(stats)
        _log(stats, kwargs.get("log_metric"))
        return rewards

    def _problem(self, pid: str) -> Problem:
        if pid not in self.problems:
            raise CodefrontierError(f"problem id '{pid}' in the training dataset is not in the reward's problem set "
                                    "(fix: build the dataset and the reward from the same problems).")
        return self.problems[pid]


def _log(stats: RewardStats, log_metric: Callable[[str, float], None] | None) -> None:
    """Verdict mix and passed-tier histogram as fractions of the batch, through TRL's `log_metric`."""
    if log_metric is None:
        return
    n = max(len(stats.rewards), 1)
    for verdict, count in stats.verdicts.items():
        log_metric(f"verdict/{verdict}", count / n)
    for tier, count in stats.tiers_sorted():
        log_metric(f"passed_tier/{tier}", count / n)
    log_metric("reward_seconds", stats.seconds)


def coverage_reward(level: int, mode: RewardMode | str = RewardMode.BINARY, *,
                    problems: Sequence[Problem] | Mapping[str, Problem] | None = None,
                    judge_batch: JudgeBatch | None = None, seed: int = 1) -> CoverageReward:
    """The TRL reward function for coverage level `level`.

    `problems` defaults to the built-in suite with hidden tests generated from `seed` (1, not the
    evaluation seed 0, so training never sees the tests the evaluation grades on).
    """
    try:
        mode = RewardMode(mode)
    except ValueError:
        raise CodefrontierError(f"unknown reward mode '{mode}' (fix: use 'binary' or 'partial').") from None
    if level < 1:
        raise CodefrontierError(f"coverage level must be >= 1, got {level} (fix: pass --coverage 1 or more).")
    if problems is None:
        from codefrontier.problems.builtin import builtin_problems

        problems = builtin_problems(seed=seed)
    table = dict(problems) if isinstance(problems, Mapping) else {p.id: p for p in problems}
    return CoverageReward(level=level, mode=mode, problems=table,
                          judge_batch=judge_batch or default_judge_batch)
