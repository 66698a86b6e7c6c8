"""RayExecutor: judge batches across a Ray cluster, each node with its own sandboxed pool.

    ex = RayExecutor(address="10.0.0.1:6379")      # or None: a local Ray instance
    outcomes = judge_many(subs, executor=ex)        # same verdicts as the LocalExecutor

Layout: one actor per alive node (pinned there with a hard node-affinity strategy); each
actor wraps the node's own `LocalExecutor`, so every run is sandboxed by the node that runs
it, exactly as locally. The judge process only schedules.

Shipping tests once: a problem (tests and all, possibly MBs) is `ray.put` once and each
submission travels as (its index, a ref to its problem, the submission without the problem).
Actors resolve a ref once and keep the Problem, so a node deserializes each problem once
however many submissions it judges for it. Problem refs are kept across `map_judge` calls
(keyed by the Problem object, so an RL loop re-judging the same problems ships nothing new).

Balancing: submissions are grouped by problem, cut into chunks, and handed to the least
busy actor, at most `inflight` chunks per actor; results come back in input order.
"""

from __future__ import annotations

import dataclasses
import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from codefrontier.errors import JudgeError

# Problems whose refs are kept between calls (a problem set for RL is usually a few thousand).
_PROBLEM_CACHE = 4096


@dataclass(frozen=True)
class RayConfig:
    address: str | None = None  # Ray cluster address ("HOST:6379", "auto", "ray://HOST:10001"); None: local
    workers_per_node: int | None = None  # sandboxed workers on each node; None: the node's CPUs
    chunk_size: int = 16  # submissions per actor call
    inflight: int = 2  # chunks queued per actor (keeps nodes busy while results travel)
    init_kwargs: tuple[tuple[str, Any], ...] = ()  # extra ray.init arguments when this starts Ray


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise JudgeError("--executor ray needs the 'ray' package (fix: pip install 'ray[default]')") from None
    return ray


def _default_local_factory(workers: int | None) -> Any:
    from codefrontier.judge.executor import LocalExecutor

    return LocalExecutor(workers=workers) if workers else LocalExecutor()


class _NodeJudge:
    """Lives on one node: a local sandboxed pool plus the problems it has already resolved."""

    def __init__(self, workers: int | None, factory: Callable[[int | None], Any] | None) -> None:
        self.local = (factory or _default_local_factory)(workers)
        self.problems: dict[str, Any] = {}

    def judge(self, chunk: list[tuple[int, Any, Any]], config: Any) -> list[tuple[int, Any]]:
        import ray

        subs = []
        for _i, ref, stub in chunk:
            key = ref.hex()
            if key not in self.problems:
                self.problems[key] = ray.get(ref)
            subs.append(dataclasses.replace(stub, problem=self.problems[key]))
        outcomes = self.local.map_judge(subs, config)
        return [(i, o) for (i, _ref, _stub), o in zip(chunk, outcomes, strict=True)]

    def close(self) -> None:
        close = getattr(self.local, "close", None)
        if close is not None:
            close()


class RayExecutor:
    """Judge Submissions on a Ray cluster: the `Executor` protocol of judge/executor.py (`map_judge`)."""

    def __init__(self, address: str | None = None, *, config: RayConfig | None = None,
                 local_factory: Callable[[int | None], Any] | None = None) -> None:
        self.cfg = config or RayConfig(address=address)
        if address is not None and self.cfg.address != address:
            self.cfg = dataclasses.replace(self.cfg, address=address)
        self._factory = local_factory  # tests inject a factory; None: the node's LocalExecutor
        self._ray: Any = None
        self._actors: list[Any] = []
        self._refs: OrderedDict[int, tuple[Any, Any]] = OrderedDict()  # id(problem) -> (problem, ref)

    # -- cluster ------------------------------------------------------------------------------

    def _start(self) -> None:
        if self._actors:
            return
        ray = self._ray = _import_ray()
        if not ray.is_initialized():
            kwargs = dict(self.cfg.init_kwargs)
            kwargs.setdefault("include_dashboard", False)
            kwargs.setdefault("log_to_driver", False)
            # The judge package must be importable on every node (installed there, or shipped).
            try:
                ray.init(address=self.cfg.address, **kwargs)
            except (ConnectionError, RuntimeError, ValueError) as err:
                first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
                raise JudgeError(f"cannot connect to the Ray cluster at {self.cfg.address}: {first} "
                                 "(fix: check --ray-address, or start one with 'ray start --head')") from None
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        actor_cls = ray.remote(num_cpus=0)(_NodeJudge)
        for node in ray.nodes():
            if not node.get("Alive") or node.get("Resources", {}).get("CPU", 0) < 1:
                continue
            workers = self.cfg.workers_per_node or int(node["Resources"]["CPU"])
            strategy = NodeAffinitySchedulingStrategy(node_id=node["NodeID"], soft=False)
            self._actors.append(actor_cls.options(scheduling_strategy=strategy).remote(workers, self._factory))
        if not self._actors:
            raise JudgeError(f"the Ray cluster at {self.cfg.address or 'local'} has no alive node with a CPU "
                             "(fix: start workers with 'ray start --address HEAD:6379')")

    @property
    def num_nodes(self) -> int:
        self._start()
        return len(self._actors)

    def _problem_ref(self, problem: Any) -> Any:
        key = id(problem)
        hit = self._refs.get(key)
        if hit is not None and hit[0] is problem:
            self._refs.move_to_end(key)
            return hit[1]
        ref = self._ray.put(problem)
        self._refs[key] = (problem, ref)  # keeping the problem alive keeps id() unique
        if len(self._refs) > _PROBLEM_CACHE:
            self._refs.popitem(last=False)
        return ref

    # -- judging ------------------------------------------------------------------------------

    def _chunks(self, subs: Sequence[Any]) -> list[list[tuple[int, Any, Any]]]:
        order = sorted(range(len(subs)), key=lambda i: (id(subs[i].problem), i))  # group by problem
        items = [(i, self._problem_ref(subs[i].problem), dataclasses.replace(subs[i], problem=None))
                 for i in order]
        size = max(1, self.cfg.chunk_size)
        return [items[k:k + size] for k in range(0, len(items), size)]

    def map_judge(self, subs: Sequence[Any], config: Any = None) -> list[Any]:
        """One Outcome per Submission, in input order (`config`: the JudgeConfig every node uses).

        As the LocalExecutor does, identical submissions of the batch are judged once and the
        repeats get `cached=True` copies, so the two executors return the same outcomes.
        """
        if not subs:
            return []
        if self._factory is not None:  # an injected pool judges whatever it is given
            return self._distribute(subs, config)
        from codefrontier.judge.config import JudgeConfig
        from codefrontier.judge.executor import batch_key

        config = config or JudgeConfig()
        first: dict[str, int] = {}
        keys = [batch_key(s, config) for s in subs]
        for i, k in enumerate(keys):
            first.setdefault(k, i)
        unique = list(first.values())
        judged = dict(zip(unique, self._distribute([subs[i] for i in unique], config), strict=True))
        return [judged[i] if first[k] == i else dataclasses.replace(judged[first[k]], cached=True)
                for i, k in enumerate(keys)]

    def _distribute(self, subs: Sequence[Any], config: Any) -> list[Any]:
        """Chunks to the least busy live actor; a chunk whose node died goes to another node."""
        self._start()
        ray = self._ray
        from ray.exceptions import RayActorError

        pending = self._chunks(subs)
        pending.reverse()  # pop() from the end = hand out in order
        busy: dict[Any, tuple[int, list[tuple[int, Any, Any]]]] = {}  # future -> (actor, its chunk)
        load = [0] * len(self._actors)
        dead: set[int] = set()
        results: list[Any] = [None] * len(subs)
        while pending or busy:
            while pending and len(dead) < len(load):
                a = min((i for i in range(len(load)) if i not in dead), key=load.__getitem__)
                if load[a] >= self.cfg.inflight:
                    break
                chunk = pending.pop()
                busy[self._actors[a].judge.remote(chunk, config)] = (a, chunk)
                load[a] += 1
            if not busy:
                raise JudgeError(f"every Ray judge node failed ({len(dead)} of {len(load)}) "
                                 "(fix: check the nodes with 'ray status' and the judge on one node)")
            done, _ = ray.wait(list(busy), num_returns=1)
            for fut in done:
                a, chunk = busy.pop(fut)
                load[a] -= 1
                try:
                    pairs = ray.get(fut)
                except RayActorError:  # the node (or its actor) died: judge the chunk elsewhere
                    dead.add(a)
                    pending.append(chunk)
                    continue
                for i, outcome in pairs:
                    results[i] = outcome
        return results

    def close(self) -> None:
        """Stop the node actors (their pools shut down with them); Ray itself stays up."""
        if self._ray is not None:
            from ray.exceptions import RayActorError

            for actor in self._actors:
                try:
                    self._ray.get(actor.close.remote())
                except RayActorError:
                    pass  # already gone with its node
                finally:
                    self._ray.kill(actor)
        self._actors = []
        self._refs.clear()

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def executor_from_flags(executor: str, ray_address: str | None = None, workers: int | None = None) -> Any:
    """The CLI surface: `--executor local|ray --ray-address ADDR` -> an executor (None: the default)."""
    if executor == "local":
        return None
    if executor == "ray":
        return RayExecutor(config=RayConfig(address=ray_address or os.environ.get("RAY_ADDRESS"),
                                            workers_per_node=workers))
    raise JudgeError(f"--executor is '{executor}' (fix: use local or ray)")
