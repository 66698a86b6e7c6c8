"""Built-in families, part 2 (BFS/DFS, shortest paths, union-find, number theory, strings, data structures).

Every solution runs as a fresh `python -I -S` process, input on stdin (the builder's runner), on the
hidden inputs the builder generates (`build.hidden_inputs`).
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from codefrontier.problems.builtin import build
from codefrontier.problems.builtin.families import (
    data_structures,
    graphs,
    number_theory,
    shortest_paths,
    strings,
    union_find,
)
from codefrontier.problems.builtin.runner import run_python
from codefrontier.problems.builtin.spec import BuiltinSpec, SolutionKind
from codefrontier.problems.model import Difficulty

MODULES = (graphs, shortest_paths, union_find, number_theory, strings, data_structures)
SPECS = [spec for module in MODULES for spec in module.PROBLEMS]
IDS = [spec.id for spec in SPECS]


def run_all(code: str, inputs: list[str]) -> list[list[str]]:
    """Output tokens of `code` on each input, two processes at a time."""

    def one(stdin: str) -> list[str]:
        res = run_python(code, stdin, timeout_s=120)
        assert res.returncode == 0 and not res.timed_out, f"failed on {stdin[:80]!r}: {res.stderr[-400:]}"
        return res.stdout.split()

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, inputs))


def hidden(spec: BuiltinSpec, seed: int, tiers: tuple[int, ...]) -> list[str]:
    """The builder's hidden inputs of these tiers (edge cases are in tier 1)."""
    return [t.input for t in build.hidden_inputs(spec, seed) if t.tier in tiers]


def test_part2_suite_shape() -> None:
    assert len(SPECS) >= 15
    assert len(set(IDS)) == len(IDS)
    assert sum(spec.difficulty == Difficulty.HARD for spec in SPECS) >= 5
    for module in MODULES:
        assert 2 <= len(module.PROBLEMS) <= 3, module.__name__


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_spec_is_complete(spec: BuiltinSpec) -> None:
    for section in ("## Input", "## Output", "## Constraints"):
        assert section in spec.statement
    sizes = [tier.size for tier in spec.tiers]
    assert len(sizes) >= 4 and sizes == sorted(set(sizes))
    assert sizes[-1] >= 1000 * sizes[0], "tier sizes must span 3 orders of magnitude"
    assert spec.wrong and all(
        w.kind in (SolutionKind.BUGGY_EFFICIENT, SolutionKind.BUGGY_BRUTE) for w in spec.wrong
    )
    assert all(w.code not in (spec.reference, spec.brute) for w in spec.wrong)
    assert len(spec.examples) == 2
    assert all(text.endswith("\n") for text in (*spec.examples, *spec.edge_cases))


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_generator_is_deterministic(spec: BuiltinSpec) -> None:
    for tier in spec.tiers:
        first = spec.generate(random.Random(7), tier.size)
        assert first == spec.generate(random.Random(7), tier.size)
        assert first.endswith("\n")
    size = spec.tiers[1].size
    assert spec.generate(random.Random(0), size) != spec.generate(random.Random(1), size)


@pytest.mark.slow
@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_reference_and_brute_agree_on_small_tiers(spec: BuiltinSpec) -> None:
    inputs = [*spec.examples, *hidden(spec, 0, (1, 2)), *hidden(spec, 1, (1, 2))]
    expected = run_all(spec.reference, inputs)
    assert all(expected), "the reference printed nothing"
    for stdin, want, got in zip(inputs, expected, run_all(spec.brute, inputs), strict=True):
        assert got == want, f"brute force disagrees on {stdin[:200]!r}"


@pytest.mark.slow
@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_wrong_solutions_fail_a_seed0_test(spec: BuiltinSpec) -> None:
    # The hidden tests the builder makes at seed 0, tiers 1..3 in order: stop at the first failure.
    tests = build.hidden_inputs(spec, 0)
    batches = [[t.input for t in tests if t.tier == tier] for tier in (1, 2, 3)]
    expected: dict[int, list[list[str]]] = {}
    for wrong in spec.wrong:
        for k, batch in enumerate(batches):
            if k not in expected:
                expected[k] = run_all(spec.reference, batch)
            if run_all(wrong.code, batch) != expected[k]:
                break
        else:
            pytest.fail(f"{spec.id}: wrong solution ({wrong.note}) passes tiers 1-3 at seed 0")
