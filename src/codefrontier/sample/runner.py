"""run_sampling: checkpoints x settings x problems x n samples into a results store.

A batch mixes the settings of a checkpoint (wide batches: one generate() call per turn for all
of them). Generation and grading overlap: a batch's hidden-test grading runs in a judge thread while the
next batch is generated (at most `max_inflight` batches wait). Resumable: stored samples are
skipped; stored but unjudged (or IE) samples are graded again without regenerating.
`prepare(checkpoint)` is called before a checkpoint's first generated batch: the place to set
theta(lam) in place (WeightLine.apply) so nothing is loaded twice.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from codefrontier import __version__
from codefrontier.episodes.backend import Backend, SamplingParams
from codefrontier.episodes.judging import JudgeFns, real_judge
from codefrontier.episodes.settings import Episode, Setting, SettingConfig, run_episodes, start_episode
from codefrontier.errors import CodefrontierError
from codefrontier.options import opt
from codefrontier.problems.model import Problem
from codefrontier.sample.store import CheckpointInfo, Judgement, SampleRecord, Store
from codefrontier.verdicts import FailureClass


@dataclass(frozen=True)
class SampleConfig:
    n: int = opt("Samples per checkpoint, setting and problem.", 4)
    settings: tuple[Setting, ...] = opt("reasoning | tool | agent (comma-separated for several).",
                                       (Setting.REASONING,))
    batch_size: int = opt("Episodes generated together.", 16)
    seed: int = opt("Run seed (every sample's seed derives from it, stable across reruns).", 0)
    temperature: float = opt("Sampling temperature (0 = greedy).", 1.0)
    top_p: float = opt("Nucleus sampling p.", 1.0)
    bounds: SettingConfig = field(default_factory=SettingConfig)  # per-setting bounds (their own flags)
    feedback_workers: int = opt("Parallel tool runs / public judging inside a turn.", 2)
    max_inflight: int = opt("Batches graded while the next one is generated (0: grade synchronously).", 1)
    toy_scale: bool = opt("Label the results toy scale (the built-in world).", True)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "settings", tuple(Setting(s) for s in self.settings))
        except ValueError:
            raise CodefrontierError(f"--setting {','.join(map(str, self.settings))}: use reasoning, tool or agent "
                                    "(comma-separated).") from None
        if not self.settings:
            raise CodefrontierError("no setting to sample (fix: give --setting reasoning, tool or agent).")
        for name, low in (("n", 1), ("batch_size", 1), ("feedback_workers", 1), ("max_inflight", 0)):
            if getattr(self, name) < low:
                raise CodefrontierError(f"sampling {name} is {getattr(self, name)} "
                                        f"(fix: give --{name.replace('_', '-')} >= {low}).")
        if self.temperature < 0 or not 0 < self.top_p <= 1:
            raise CodefrontierError(f"temperature {self.temperature}, top-p {self.top_p} "
                                    "(fix: temperature >= 0 and 0 < top-p <= 1).")

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["settings"] = [s.value for s in self.settings]
        return d


@dataclass
class RunStats:
    total: int = 0  # samples this call must produce (stored ones excluded)
    generated: int = 0
    judged: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)  # failure classes of graded samples
    gen_s: float = 0.0  # time in generation (incl. tool runs / public judging)
    judge_wait_s: float = 0.0  # time the generator waited for the judge
    started: float = field(default_factory=time.perf_counter)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


Progress = Callable[[RunStats], None]


def sample_seed(run_seed: int, checkpoint: str, setting: str, problem_id: str, index: int) -> int:
    """A stable per-sample seed (the same across reruns, batch sizes and machines)."""
    key = f"{checkpoint}|{setting}|{problem_id}|{index}".encode()
    return (run_seed * 1_000_003 + zlib.crc32(key)) % (2**31 - 1)


def _record(ep: Episode, ckpt: CheckpointInfo, index: int, seed: int) -> SampleRecord:
    return SampleRecord(
        checkpoint=ckpt.label, setting=ep.setting.value, problem_id=ep.problem.id,
        difficulty=ep.problem.difficulty.value, num_tiers=ep.problem.num_tiers, sample_index=index, seed=seed,
        completion=ep.last_text, transcript=ep.transcript_json(), code=ep.code, first_code=ep.first_code,
        tokens=ep.tokens, turns=ep.turns, tool_calls=ep.tool_calls)


GradeJob = tuple[int, Problem, str, "str | None", "str | None"]  # sample id, problem, setting, code, first code


def grade_and_store(jobs: Sequence[GradeJob], judge: JudgeFns, store: Store, stats: RunStats,
                    lock: threading.Lock) -> None:
    """Grade final submissions (and differing agent first attempts) on the hidden tests; store them."""
    items: list[tuple[Problem, str]] = []
    for _sid, problem, setting, code, first in jobs:
        if code is not None:
            items.append((problem, code))
        if setting == Setting.AGENT.value and first is not None and first != code:
            items.append((problem, first))
    graded = judge.grade(items)
    again = [i for i, o in enumerate(graded) if o.failure_class is FailureClass.INTERNAL]
    if again:  # an internal error is never the submission's fault: retry once now (and on every rerun)
        for i, o in zip(again, judge.grade([items[i] for i in again]), strict=True):
            graded[i] = o
    outcomes = iter(graded)
    results: list[tuple[int, Judgement]] = []
    for sid, _problem, setting, code, first in jobs:
        final = next(outcomes) if code is not None else None
        first_solved: bool | None = None
        if setting == Setting.AGENT.value:
            first_out = final if first == code else (next(outcomes) if first is not None else None)
            first_solved = first_out is not None and first_out.failure_class is FailureClass.SOLVED
        results.append((sid, Judgement.from_outcome(final, first_solved)))
    store.add_judgements(results)
    with lock:
        stats.judged += len(results)
        stats.verdicts.update(j.failure_class for _sid, j in results)


class _Overlap:
    """The judge thread and its queue of in-flight grading batches."""

    def __init__(self, judge: JudgeFns, store: Store, stats: RunStats, max_inflight: int):
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="grade")
        self.pending: deque[Future[None]] = deque()
        self.judge, self.store, self.stats, self.max_inflight = judge, store, stats, max_inflight
        self.lock = threading.Lock()

    def submit(self, jobs: Sequence[GradeJob]) -> None:
        if not jobs:
            return
        while self.pending and len(self.pending) >= self.max_inflight:
            self.wait_one()
        self.pending.append(self.pool.submit(grade_and_store, jobs, self.judge, self.store, self.stats, self.lock))
        if self.max_inflight == 0:  # no overlap: the baseline of the benchmark
            self.wait_one()

    def wait_one(self) -> None:
        t0 = time.perf_counter()
        self.pending.popleft().result()
        self.stats.judge_wait_s += time.perf_counter() - t0

    def drain(self) -> None:
        while self.pending:
            self.wait_one()
        self.pool.shutdown()


Todo = list[tuple[Setting, Problem, int]]  # (setting, problem, sample index) still to generate


def _todo(store: Store, ckpt: CheckpointInfo, settings: Sequence[Setting], problems: Sequence[Problem],
          indices: Sequence[int]) -> Todo:
    """A checkpoint's missing samples in every setting: one batch may mix settings (a reasoning episode
    ends after its first turn, a tool or agent one goes on), so batches stay wide."""
    out: Todo = []
    for setting in settings:
        have = store.stored_indices(ckpt.label, setting.value)
        out += [(setting, p, i) for i in indices for p in problems if (p.id, i) not in have]
    return out


def _generate(chunk: Todo, ckpt: CheckpointInfo, config: SampleConfig, backend: Backend, params: SamplingParams,
              judge: JudgeFns, feedback: ThreadPoolExecutor) -> tuple[list[Episode], list[SampleRecord]]:
    """One batch of episodes (any mix of settings) stepped to completion, and their records."""
    seeds = [sample_seed(config.seed, ckpt.label, s.value, p.id, i) for s, p, i in chunk]
    eps = [start_episode(p, s, config.bounds, backend.native_tools) for s, p, _i in chunk]
    run_episodes(eps, backend, params, config.bounds, judge, seeds, feedback)
    return eps, [_record(e, ckpt, i, seed) for e, (_s, _p, i), seed in zip(eps, chunk, seeds, strict=True)]


def record_run(store: Store, config: SampleConfig, backend_name: str, problems: Sequence[Problem],
               checkpoints: Sequence[CheckpointInfo]) -> None:
    """The run's row in the store: its config, backend, problems and checkpoints."""
    store.add_run(config.to_json() | {"backend": backend_name, "problems": sorted(p.id for p in problems),
                                      "checkpoints": [c.label for c in checkpoints]}, __version__, config.toy_scale)


def run_sampling(config: SampleConfig, backend: Backend, problems: Sequence[Problem],
                 checkpoints: Sequence[CheckpointInfo], store: Store, *, judge: JudgeFns | None = None,
                 prepare: Callable[[CheckpointInfo], None] | None = None,
                 progress: Progress | None = None, record: bool = True,
                 indices: Sequence[int] | None = None) -> RunStats:
    """Sample and grade everything not yet in the store; returns timing and verdict counts. record=False:
    a worker doing part of a run whose row another process wrote (record_run). indices: only these
    sample indices (a shard of the run; None = 0 .. n-1)."""
    judge = judge or real_judge()
    by_id = {p.id: p for p in problems}
    if record:
        record_run(store, config, backend.name, problems, checkpoints)
    wanted = range(config.n) if indices is None else [i for i in indices if 0 <= i < config.n]
    plan = [(c, _todo(store, c, config.settings, problems, wanted)) for c in checkpoints]
    stats = RunStats(total=sum(len(t) for _c, t in plan))
    overlap = _Overlap(judge, store, stats, config.max_inflight)
    params = SamplingParams(temperature=config.temperature, top_p=config.top_p)
    feedback = ThreadPoolExecutor(max(1, config.feedback_workers), thread_name_prefix="feedback")
    prepared: str | None = None
    try:
        for ckpt, todo in plan:
            store.add_checkpoint(ckpt)
            for setting in config.settings:  # grade leftovers of a killed run
                overlap.submit([(sid, by_id[pid], setting.value, code, first)
                                for sid, pid, code, first in store.unjudged(ckpt.label, setting.value) if pid in by_id])
            if todo and prepared != ckpt.label:
                if prepare is not None:
                    prepare(ckpt)
                prepared = ckpt.label
            for b in range(0, len(todo), config.batch_size):
                t0 = time.perf_counter()
                eps, recs = _generate(todo[b:b + config.batch_size], ckpt, config, backend, params, judge, feedback)
                ids = store.add_samples(recs)
                stats.gen_s += time.perf_counter() - t0
                stats.generated += len(recs)
                overlap.submit([(sid, e.problem, e.setting.value, e.code, e.first_code)
                                for sid, e in zip(ids, eps, strict=True)])
                if progress:
                    progress(stats)
        overlap.drain()
    finally:
        feedback.shutdown()
        overlap.pool.shutdown(wait=True)
    if progress:
        progress(stats)
    return stats
