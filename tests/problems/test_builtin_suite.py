"""The built-in suite: registry, generators, tiers, limits, and every solution cross-checked.

Solutions run as fresh `python -I -S` processes (the builder's runner), never imported. The built
suite comes from the on-disk cache (`builtin_problems`), so it is built at most once per change.
"""

from __future__ import annotations

import json
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from codefrontier.errors import CodefrontierError
from codefrontier.problems.builtin import all_specs, build_problem, builtin_problems, get_spec
from codefrontier.problems.builtin import build as build_mod
from codefrontier.problems.builtin.build import FACTOR, FLOOR_S, tier_rng, time_limit
from codefrontier.problems.builtin.runner import run_python
from codefrontier.problems.builtin.spec import BuiltinSpec, SolutionKind
from codefrontier.problems.io import problem_to_dict
from codefrontier.problems.model import Difficulty, Problem
from codefrontier.problems.tiers import check_nested

SPECS = all_specs()
IDS = [s.id for s in SPECS]
MY_FAMILIES = {"prefix sums", "sorting and greedy", "two pointers", "binary search", "hashing and counting",
               "1D dynamic programming", "2D dynamic programming"}


@pytest.fixture(scope="session")
def suite() -> dict[str, Problem]:
    return {p.id: p for p in builtin_problems(seed=0)}


def test_registry_sizes() -> None:
    assert len(IDS) == len(set(IDS))
    assert len(SPECS) >= 30, f"only {len(SPECS)} built-in problems registered"
    assert sum(s.difficulty is Difficulty.HARD for s in SPECS) >= 8
    mine = [s for s in SPECS if s.family in MY_FAMILIES]
    assert len(mine) >= 16 and sum(s.difficulty is Difficulty.HARD for s in mine) >= 4
    assert len({s.family for s in mine}) == 7


def test_unknown_id_names_it_and_how_to_list() -> None:
    with pytest.raises(CodefrontierError, match=r"'no-such-problem'.*problems list"):
        get_spec("no-such-problem")
    with pytest.raises(CodefrontierError, match="no-such-problem"):
        builtin_problems(ids=["no-such-problem"])


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_spec_shape(spec: BuiltinSpec) -> None:
    sizes = [t.size for t in spec.tiers]
    assert len(sizes) >= 4 and sizes == sorted(set(sizes))
    # a lenient problem's tiers stop where brute force is still fast (world.py): 2 orders suffice there
    assert sizes[-1] >= (100 if spec.lenient else 1000) * sizes[0], "tier sizes must span 3 orders of magnitude"
    assert all(t.count >= 1 for t in spec.tiers)
    assert spec.wrong and all(w.kind in (SolutionKind.BUGGY_EFFICIENT, SolutionKind.BUGGY_BRUTE) for w in spec.wrong)
    for word in ("Input", "Output", "Constraints"):
        assert word in spec.statement
    assert len(spec.examples) == 2 and all(x.endswith("\n") for x in (*spec.examples, *spec.edge_cases))


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_generator_deterministic_per_seed_and_differs_across_seeds(spec: BuiltinSpec) -> None:
    for tier, ts in enumerate(spec.tiers[:3], start=1):  # the top tier is the same code, only slower
        a = spec.generate(tier_rng(0, spec.id, tier, 0), ts.size)
        assert a == spec.generate(tier_rng(0, spec.id, tier, 0), ts.size)
        assert a.endswith("\n")
    ts = spec.tiers[1]
    seed0 = [spec.generate(tier_rng(0, spec.id, 2, i), ts.size) for i in range(3)]
    seed1 = [spec.generate(tier_rng(1, spec.id, 2, i), ts.size) for i in range(3)]
    assert seed0 != seed1


def test_time_limit_rule() -> None:
    assert time_limit(0.0) == FLOOR_S and time_limit(0.1) == FLOOR_S
    assert time_limit(0.2) == pytest.approx(0.6)
    assert time_limit(0.201) == pytest.approx(0.7)  # rounded up to 0.1 s
    assert time_limit(1.0) == pytest.approx(FACTOR)


@pytest.mark.slow
def test_cache_builds_once_and_seeds_differ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEFRONTIER_CACHE", str(tmp_path))
    stale = tmp_path / "suites" / "hashing-03-seed0-0123456789abcdef.jsonl"  # built by older code
    stale.parent.mkdir()
    stale.write_text("{}\n")
    (p0,) = builtin_problems(seed=0, ids=["hashing-03"])
    assert not stale.exists()
    assert len(list((tmp_path / "suites").glob("hashing-03-seed0-*.jsonl"))) == 1

    def no_build(*_: object, **__: object) -> list[Problem]:
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(build_mod, "build_suite", no_build)
    assert builtin_problems(seed=0, ids=["hashing-03"]) == [p0]
    monkeypatch.undo()
    monkeypatch.setenv("CODEFRONTIER_CACHE", str(tmp_path))
    (p1,) = builtin_problems(seed=1, ids=["hashing-03"])
    assert [t.input for t in p0.tests] != [t.input for t in p1.tests]
    assert p0.public_tests == p1.public_tests  # the examples are hand-written


@pytest.mark.slow
def test_build_problem_matches_cache(suite: dict[str, Problem]) -> None:
    fresh = build_problem(get_spec("dp2d-01"), seed=0)
    assert [(t.input, t.output) for t in fresh.tests] == [(t.input, t.output) for t in suite["dp2d-01"].tests]


@pytest.mark.slow
@pytest.mark.parametrize("pid", IDS)
def test_built_problem(suite: dict[str, Problem], pid: str) -> None:
    p, spec = suite[pid], get_spec(pid)
    check_nested(p.tests)
    assert p.num_tiers == len(spec.tiers) >= 4
    sizes = [t.effective_size for t in p.tests]
    assert sizes == sorted(sizes), "run order must be by size"
    assert [len(p.tier_tests(c)) for c in range(1, p.num_tiers + 1)] == [
        ts.count + (len(spec.edge_cases) if i == 0 else 0) for i, ts in enumerate(spec.tiers)]
    assert p.coverage_set(p.num_tiers) == p.tests
    assert len(p.public_tests) == 2 and all(t.output.strip() for t in (*p.public_tests, *p.tests))
    assert all(t.output.strip() in p.statement for t in p.public_tests)
    calib = p.extra["calibration"]
    assert p.time_limit_s == time_limit(calib["reference_cpu_s"]) or math.isclose(
        p.time_limit_s, max(FLOOR_S, math.ceil(FACTOR * calib["reference_cpu_s"] * 10) / 10))
    assert p.extra["family"] == spec.family
    text = json.dumps(problem_to_dict(p))
    assert spec.reference not in text and spec.brute not in text  # solutions stay in the specs


def _outputs(code: str, inputs: list[str], timeout_s: float = 120) -> list[list[str]]:
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda x: run_python(code, x, timeout_s), inputs))
    for r in runs:
        assert r.returncode == 0 and not r.timed_out, r.stderr[-300:]
    return [r.stdout.split() for r in runs]


@pytest.mark.slow
@pytest.mark.parametrize("pid", IDS)
def test_brute_and_variants_agree_with_reference_on_tiers_1_2(suite: dict[str, Problem], pid: str) -> None:
    p, spec = suite[pid], get_spec(pid)
    tests = [*p.public_tests, *p.coverage_set(min(2, spec.brute_tier - 1))]  # tiers where brute force is fast
    expected = [t.output.split() for t in tests]
    for code in (spec.brute, *(v.code for v in spec.variants)):
        assert _outputs(code, [t.input for t in tests]) == expected


@pytest.mark.slow
@pytest.mark.parametrize("pid", IDS)
def test_every_wrong_solution_fails_a_hidden_test(suite: dict[str, Problem], pid: str) -> None:
    p, spec = suite[pid], get_spec(pid)
    for wrong in spec.wrong:
        for t in p.tests:  # run order; stop at the first test it gets wrong
            r = run_python(wrong.code, t.input, 30)
            if not r.timed_out and (r.returncode != 0 or r.stdout.split() != t.output.split()):
                break
        else:
            pytest.fail(f"{pid}: wrong solution ({wrong.note}) passes every hidden test")


@pytest.mark.slow
@pytest.mark.parametrize("pid", [s.id for s in SPECS if not s.lenient])  # (lenient: test_builtin_world.py)
def test_brute_exceeds_time_limit_on_top_tier(suite: dict[str, Problem], pid: str) -> None:
    p, spec = suite[pid], get_spec(pid)
    largest = max(p.tests, key=lambda t: (t.effective_size, len(t.input)))
    r = run_python(spec.brute, largest.input, p.time_limit_s)
    assert r.timed_out or r.cpu_s > p.time_limit_s, f"brute finished in {r.cpu_s:.2f} s CPU"
