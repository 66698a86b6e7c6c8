"""Result cache: duplicate submissions (common in RL sampling) are judged once.

Key = sha256 of (normalized source hash, language, problem id, hash of the judged tests and
checker, time and memory limits, judging mode). Outcomes with IE are never cached. Entries
live in memory (LRU) and, when a cache directory is given, as JSON files there.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from codefrontier.io import atomic_write_json
from codefrontier.judge.config import Isolation
from codefrontier.judge.outcome import FailureDetail, FirstFailure, Outcome, TestResult
from codefrontier.problems.model import Checker, Test
from codefrontier.verdicts import FailureClass, Verdict

MAX_ENTRIES = 100_000
_TESTS_HASHES: OrderedDict[int, tuple[Sequence[Test], str]] = OrderedDict()
_LOCK = threading.Lock()


def tests_hash(tests: Sequence[Test], checker: Checker) -> str:
    """Hash of the tests' data and the checker (memoized per tests object: big tests hash once)."""
    with _LOCK:
        hit = _TESTS_HASHES.get(id(tests))
        if hit is not None and hit[0] is tests:
            return hit[1]
    h = hashlib.sha256()
    h.update(repr((checker.kind.value, checker.abs_tol, checker.rel_tol, checker.program)).encode())
    for t in tests:
        for part in (t.input, t.output, str(t.tier), str(t.index)):
            data = part.encode("utf-8", "surrogateescape")
            h.update(len(data).to_bytes(8, "little"))
            h.update(data)
    digest = h.hexdigest()
    with _LOCK:
        _TESTS_HASHES[id(tests)] = (tests, digest)
        while len(_TESTS_HASHES) > 256:
            _TESTS_HASHES.popitem(last=False)
    return digest


def cache_key(parts: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def outcome_to_dict(o: Outcome) -> dict[str, Any]:
    d = o.to_json()
    d["compile_error"] = o.compile_error
    d["extra"] = o.extra
    for t, full in zip(d["tests"], o.tests, strict=True):
        t["stderr"], t["stdout"] = full.stderr, full.stdout
    return d


def outcome_from_dict(d: dict[str, Any]) -> Outcome:
    ff = d.get("first_failure")
    return Outcome(
        verdict=Verdict(d["verdict"]), failure_class=FailureClass(d["failure_class"]),
        passed_tier=int(d["passed_tier"]),
        first_failure=FirstFailure(ff["index"], ff["tier"], Verdict(ff["verdict"])) if ff else None,
        tests=tuple(TestResult(t["index"], t["tier"], Verdict(t["verdict"]), t["cpu_s"], t["wall_s"],
                               t["peak_mb"], t["exit_code"], t.get("stderr", ""), t.get("stdout"))
                    for t in d["tests"]),
        isolation=Isolation(d["isolation"]) if d.get("isolation") else None, compile_error=d.get("compile_error"), extra=d.get("extra") or {},
        packages=tuple(d.get("packages") or ()),
        detail=FailureDetail(ff.get("exit_code"), ff.get("signal"), ff["stderr"]) if ff and "stderr" in ff else None)


class ResultCache:
    def __init__(self, directory: str | None = None, max_entries: int = MAX_ENTRIES):
        self.dir = Path(directory) / "results" if directory else None
        self.max_entries = max_entries
        self._mem: OrderedDict[str, Outcome] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Outcome | None:
        with self._lock:
            hit = self._mem.get(key)
            if hit is not None:
                self._mem.move_to_end(key)
                return hit
        if self.dir is not None:
            path = self.dir / key[:2] / f"{key}.json"
            try:
                outcome = outcome_from_dict(json.loads(path.read_text()))
            except (OSError, ValueError, KeyError, TypeError):
                return None
            self._remember(key, outcome)
            return outcome
        return None

    def put(self, key: str, outcome: Outcome) -> None:
        if outcome.verdict is Verdict.IE:
            return
        self._remember(key, outcome)
        if self.dir is not None:
            atomic_write_json(self.dir / key[:2] / f"{key}.json", outcome_to_dict(outcome))

    def _remember(self, key: str, outcome: Outcome) -> None:
        with self._lock:
            self._mem[key] = outcome
            self._mem.move_to_end(key)
            while len(self._mem) > self.max_entries:
                self._mem.popitem(last=False)


_CACHES: dict[str | None, ResultCache] = {}


def cache_for(directory: str | None) -> ResultCache:
    with _LOCK:
        if directory not in _CACHES:
            _CACHES[directory] = ResultCache(directory)
        return _CACHES[directory]
