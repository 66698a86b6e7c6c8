"""Turn built-in specs into Problems: seeded hidden tests per tier, expected outputs, calibrated limits.

For each spec and seed:
  1. inputs: tier 1 starts with the hand-written edge cases, then every tier gets `count` inputs from
     `generate(rng, size)` with an rng seeded from (seed, problem id, tier, index) - stable across runs
     (random.Random hashes a str seed with SHA-512; Python's hash() is never used);
  2. outputs: the reference runs in a subprocess (`python -I -S`), 2 at a time over the whole suite;
  3. time limit: max(FLOOR_S, FACTOR * reference CPU on the largest test), rounded up to 0.1 s,
     recorded with how it was calibrated in `extra["calibration"]`.
Solutions stay in the specs; the built problem carries only the statement, limits and tests.

Built problems are cached on disk, one JSON file per (problem, seed, hash of the code that made it),
so `builtin_problems()` is fast after the first call and a changed spec rebuilds only its own family.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import platform
import random
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from codefrontier.errors import CodefrontierError
from codefrontier.problems.builtin import registry
from codefrontier.problems.builtin.runner import RunResult, run_python
from codefrontier.problems.builtin.spec import BuiltinSpec
from codefrontier.problems.io import load_problems, save_problems
from codefrontier.problems.model import Problem, Test
from codefrontier.problems.tiers import assign_tiers

FLOOR_S = 0.5  # the time limit never goes below this (start-up noise dominates tiny tests)
FACTOR = 3.0  # time limit = FACTOR x the reference's CPU time on the largest test
WORKERS = 2  # reference runs in parallel (the machine has 2 cores)
REFERENCE_TIMEOUT_S = 60.0  # a reference slower than this is a bug in the spec
BUILD_VERSION = 1  # bump when the built format changes, to invalidate caches


def tier_rng(seed: int, problem_id: str, tier: int, index: int) -> random.Random:
    """The rng of one hidden test: stable across Python runs and machines."""
    return random.Random(f"codefrontier:{seed}:{problem_id}:{tier}:{index}")


def hidden_inputs(spec: BuiltinSpec, seed: int) -> list[Test]:
    """Hidden test inputs (outputs still empty), tier by tier; size = the generator's n."""
    tests: list[Test] = []
    first = spec.tiers[0].size
    for edge in spec.edge_cases:
        tests.append(Test(input=edge, output="", size=first, tier=1, index=len(tests)))
    for tier, ts in enumerate(spec.tiers, start=1):
        for i in range(ts.count):
            tests.append(Test(input=spec.generate(tier_rng(seed, spec.id, tier, i), ts.size), output="", size=ts.size, tier=tier,
                              index=len(tests)))
    return tests


hidden_inputs.__test__ = False  # type: ignore[attr-defined]  # pytest: not a test when imported
test_inputs = hidden_inputs  # the earlier name, used by tests/problems/test_families_part2.py


def _statement(spec: BuiltinSpec, examples: list[Test]) -> str:
    parts = [spec.statement.rstrip()]
    for i, t in enumerate(examples, start=1):
        parts.append(f"### Example {i}\nInput:\n```\n{t.input.rstrip()}\n```\nOutput:\n```\n{t.output.rstrip()}\n```")
    return "\n\n".join(parts) + "\n"


def _check(spec: BuiltinSpec, what: str, res: RunResult) -> RunResult:
    if res.returncode != 0 or res.timed_out:
        last = res.stderr.strip().splitlines()[-1:] or ["no error output"]
        raise CodefrontierError(f"built-in problem '{spec.id}': the reference failed on {what} "
                                f"(exit {res.returncode}, timed out {res.timed_out}): {last[0]} (fix: the spec)")
    return res


def time_limit(cpu_s: float) -> float:
    """max(FLOOR_S, FACTOR * cpu_s), rounded up to a tenth of a second."""
    return max(FLOOR_S, math.ceil(round(FACTOR * cpu_s * 10, 6)) / 10)


def _assemble(spec: BuiltinSpec, seed: int, examples: list[Test], hidden: list[Test],
              ex_runs: list[RunResult], runs: list[RunResult]) -> Problem:
    examples = [replace(t, output=_check(spec, f"example {i + 1}", r).stdout)
                for i, (t, r) in enumerate(zip(examples, ex_runs, strict=True))]
    hidden = [replace(t, output=_check(spec, f"hidden test {t.index} (tier {t.tier})", r).stdout)
              for t, r in zip(hidden, runs, strict=True)]
    largest = max(t.effective_size for t in hidden)
    cpu = max(r.cpu_s for t, r in zip(hidden, runs, strict=True) if t.effective_size == largest)
    return Problem(
        id=spec.id, title=spec.title, statement=_statement(spec, examples), tests=tuple(assign_tiers(hidden)),
        public_tests=tuple(examples), difficulty=spec.difficulty, time_limit_s=time_limit(cpu),
        memory_limit_mb=spec.memory_limit_mb, checker=spec.checker, source="builtin",
        extra={
            "family": spec.family,
            "seed": seed,
            "tier_sizes": [ts.size for ts in spec.tiers],
            "calibration": {
                "rule": "max(floor_s, factor * reference_cpu_s), rounded up to 0.1 s",
                "floor_s": FLOOR_S, "factor": FACTOR, "reference_cpu_s": round(cpu, 4),
                "largest_size": largest, "python": platform.python_version(),
                "machine": platform.machine(), "cpus": os.cpu_count(),
            },
        },
    )


def build_suite(seed: int = 0, ids: list[str] | None = None) -> list[Problem]:
    """Build the problems for `ids` (all by default) from scratch: no cache.

    Inputs are generated here while the pool's 2 workers already run the reference on earlier ones.
    """
    plans = []
    with ThreadPoolExecutor(WORKERS) as pool:
        for spec in registry.select_specs(ids):
            examples = [Test(input=x, output="", index=i) for i, x in enumerate(spec.examples)]
            hidden = hidden_inputs(spec, seed)
            futs = [pool.submit(run_python, spec.reference, t.input, REFERENCE_TIMEOUT_S) for t in examples + hidden]
            plans.append((spec, examples, hidden, futs))
        problems = []
        for spec, examples, hidden, futs in plans:
            res = [f.result() for f in futs]
            problems.append(_assemble(spec, seed, examples, hidden, res[:len(examples)], res[len(examples):]))
    return problems


def build_problem(spec: BuiltinSpec, seed: int = 0) -> Problem:
    """Build one problem from its spec (no cache); the spec need not be registered."""
    examples = [Test(input=x, output="", index=i) for i, x in enumerate(spec.examples)]
    hidden = hidden_inputs(spec, seed)
    with ThreadPoolExecutor(WORKERS) as pool:
        res = list(pool.map(lambda t: run_python(spec.reference, t.input, REFERENCE_TIMEOUT_S), examples + hidden))
    return _assemble(spec, seed, examples, hidden, res[:len(examples)], res[len(examples):])


# ---- on-disk cache -------------------------------------------------------------------------------

def cache_dir() -> Path:
    root = os.environ.get("CODEFRONTIER_CACHE")
    return (Path(root) if root else Path.home() / ".cache" / "codefrontier") / "suites"


def spec_hash(spec: BuiltinSpec) -> str:
    """Hash of everything that determines the built problem: the family module, helpers, this builder."""
    h = hashlib.sha256(f"v{BUILD_VERSION}:{spec.id}:{registry.source_digest(spec.id)}".encode())
    for name in (__name__, "codefrontier.problems.builtin.common", "codefrontier.problems.builtin.spec",
                 "codefrontier.problems.builtin.world"):
        h.update(Path(str(sys.modules[name].__file__)).read_bytes())
    return h.hexdigest()[:16]


def _cache_path(spec: BuiltinSpec, seed: int) -> Path:
    return cache_dir() / f"{spec.id}-seed{seed}-{spec_hash(spec)}.jsonl"


def builtin_problems(seed: int = 0, ids: list[str] | None = None) -> list[Problem]:
    """The built problems for `ids` (all by default), from the cache, building only the missing ones."""
    specs = registry.select_specs(ids)
    found: dict[str, Problem] = {}
    for spec in specs:
        path = _cache_path(spec, seed)
        if path.exists():
            with contextlib.suppress(CodefrontierError):  # a corrupt cache entry is rebuilt
                found[spec.id] = load_problems(path)[0]
    missing = [s.id for s in specs if s.id not in found]
    if missing:
        for prob in build_suite(seed, missing):
            path = _cache_path(registry.get_spec(prob.id), seed)
            save_problems([prob], path)  # atomic
            for stale in path.parent.glob(f"{prob.id}-seed{seed}-*.json*"):  # built from older code
                if stale != path:
                    stale.unlink(missing_ok=True)
            found[prob.id] = prob
    return [found[s.id] for s in specs]
