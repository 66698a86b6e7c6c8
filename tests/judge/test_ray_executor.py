"""RayExecutor on a local Ray instance: same outcomes as the local executor, problems shipped once."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from codefrontier.errors import JudgeError
from codefrontier.judge.ray_executor import RayConfig, RayExecutor, executor_from_flags
from codefrontier.problems.io import problem_from_dict
from codefrontier.problems.model import Problem

ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'ray[default]')")

pytestmark = pytest.mark.slow  # starting Ray takes several seconds


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    # Ship this test module by value: Ray workers cannot import it by name.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@dataclass(frozen=True)
class FakeSub:
    problem: Any
    code: str


class FakeLocal:
    """Stands in for the LocalExecutor: a deterministic function of (problem, code)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers

    def map_judge(self, subs: Sequence[FakeSub], config: Any = None) -> list[tuple[str, int, str]]:
        return [(s.problem.id, len(s.problem.tests), f"{s.code}|{config}") for s in subs]


def fake_factory(workers: int | None) -> FakeLocal:
    return FakeLocal(workers)


def _problems(n: int) -> list[Problem]:
    return [problem_from_dict({"id": f"p{k}", "tests": [{"input": "x" * i, "output": "y"} for i in range(1, k + 2)]})
            for k in range(n)]


def test_ray_executor_returns_outcomes_in_order_and_ships_each_problem_once(local_ray: Any) -> None:
    problems = _problems(3)
    subs = [FakeSub(problems[i % 3], f"code{i}") for i in range(40)]
    with RayExecutor(config=RayConfig(chunk_size=3), local_factory=fake_factory) as ex:
        got = ex.map_judge(subs, "cfg")
        assert got == FakeLocal().map_judge(subs, "cfg")
        assert ex.num_nodes == 1
        assert len(ex._refs) == 3  # one object-store entry per problem, not per submission
        again = ex.map_judge(subs[:5], None)
        assert again == FakeLocal().map_judge(subs[:5], None) and len(ex._refs) == 3
        assert ex.map_judge([], None) == []


def test_chunks_of_a_dead_node_are_judged_by_another(local_ray: Any) -> None:
    problems = _problems(2)
    subs = [FakeSub(problems[i % 2], f"code{i}") for i in range(12)]
    with RayExecutor(config=RayConfig(chunk_size=2), local_factory=fake_factory) as ex:
        ex._start()
        ex._actors.append(ex._actors[0])  # a second handle: stands for a second node ...
        from codefrontier.judge import ray_executor

        doomed = local_ray.remote(num_cpus=0)(ray_executor._NodeJudge).remote(None, fake_factory)
        ex._actors[0] = doomed
        local_ray.kill(doomed)  # ... while the first node is gone
        assert ex.map_judge(subs, "cfg") == FakeLocal().map_judge(subs, "cfg")
        ex._actors = [doomed]
        with pytest.raises(JudgeError, match="every Ray judge node failed"):
            ex.map_judge(subs, "cfg")


def test_executor_from_flags() -> None:
    assert executor_from_flags("local") is None
    assert isinstance(executor_from_flags("ray", "127.0.0.1:6379"), RayExecutor)
    with pytest.raises(JudgeError, match="local or ray"):
        executor_from_flags("dask")


def _judge_api() -> Any:
    try:
        judge = importlib.import_module("codefrontier.judge")
        executor = importlib.import_module("codefrontier.judge.executor")
        return judge.Submission, judge.judge_many, executor.LocalExecutor
    except (ImportError, AttributeError):
        pytest.skip("the judge (issue 3) has not landed: judge_many / LocalExecutor are missing")


def _summary(outcome: Any) -> tuple[Any, ...]:
    ff = outcome.first_failure
    return (outcome.verdict, outcome.passed_tier, ff and (ff.index, ff.tier, ff.verdict),
            tuple((t.index, t.tier, t.verdict) for t in outcome.tests))


def test_ray_executor_agrees_with_the_local_executor(local_ray: Any) -> None:
    Submission, judge_many, LocalExecutor = _judge_api()
    problem = problem_from_dict({
        "id": "double", "time_limit_s": 0.5,
        "tests": [{"input": f"{n}\n", "output": f"{2 * n}\n"} for n in (1, 22, 333, 4444, 55555, 666666)],
    })
    codes = ["print(2 * int(input()))",  # AC
             "n = int(input())\nprint(2 * n if n < 1000 else n)",  # WA on a late tier
             "n = int(input())\nwhile n > 100:\n    pass\nprint(2 * n)",  # TLE from tier 2
             "print(undefined)"]  # RE
    subs = [Submission(problem=problem, code=c, lang="python") for c in codes * 2]
    local = judge_many(subs, executor=LocalExecutor(workers=2))
    with RayExecutor(config=RayConfig(workers_per_node=2, chunk_size=2)) as ex:
        remote = judge_many(subs, executor=ex)
    assert [_summary(o) for o in remote] == [_summary(o) for o in local]
    assert [o.cached for o in remote] == [o.cached for o in local] == [False] * 4 + [True] * 4
    assert {o.verdict.value for o in local} == {"AC", "WA", "TLE", "RE"}
