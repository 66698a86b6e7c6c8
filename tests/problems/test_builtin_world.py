"""World v2 (problems/builtin/world.py): bugs hide from the public examples, brute force fails at its tier.

Every program runs as a fresh `python -I -S` process (the builder's runner), never imported; a
verdict is the problem's own checker on the built (cached) suite.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from codefrontier.judge.checkers import check
from codefrontier.problems.builtin import all_specs, builtin_problems, get_spec
from codefrontier.problems.builtin.runner import RunResult, run_python
from codefrontier.problems.builtin.spec import SolutionKind
from codefrontier.problems.builtin.world import NEVER, WORLD, mutate
from codefrontier.problems.model import Problem
from codefrontier.problems.model import Test as Case  # not "Test": pytest would try to collect it
from codefrontier.verdicts import Verdict

SPECS = all_specs()
IDS = [s.id for s in SPECS]
BELOW = 0.5  # below its tier the brute force must use at most this share of the limit (margin)
AT = 1.5  # at its tier it must use more than this multiple of the limit


@pytest.fixture(scope="module")
def suite() -> dict[str, Problem]:
    return {p.id: p for p in builtin_problems(seed=0)}


def right(p: Problem, t: Case, r: RunResult) -> bool:
    return r.returncode == 0 and not r.timed_out and check(p.checker, t.input, t.output, r.stdout.encode()) is Verdict.AC


def test_every_problem_declares_a_brute_tier_and_has_hidden_bugs() -> None:
    assert set(WORLD) == set(IDS)
    tiers = {s.brute_tier for s in SPECS}
    assert tiers == {2, 3, 4, NEVER}, "the brute force must first fail at different tiers across problems"
    for s in SPECS:
        assert 2 <= s.brute_tier <= len(s.tiers) or s.lenient, s.id
        assert any(w.hidden and w.kind is SolutionKind.BUGGY_EFFICIENT for w in s.wrong), s.id


def test_mutate_changes_exactly_one_occurrence() -> None:
    assert mutate("a < b < c", "<", "<=", 1) == "a < b <= c"
    with pytest.raises(ValueError, match="fewer than 3"):
        mutate("a < b < c", "<", "<=", 2)


@pytest.mark.slow
@pytest.mark.parametrize("pid", IDS)
def test_hidden_bugs_pass_the_examples_and_fail_a_hidden_test(suite: dict[str, Problem], pid: str) -> None:
    p, spec = suite[pid], get_spec(pid)
    for w in spec.wrong:
        passes_public = all(right(p, t, run_python(w.code, t.input, 10)) for t in p.public_tests)
        assert passes_public is w.hidden, f"{pid}: '{w.note}' hidden={w.hidden} but passes the examples: {passes_public}"
        if not w.hidden:
            continue
        for t in p.tests:  # run order, stop at the first wrong answer
            r = run_python(w.code, t.input, 2 * p.time_limit_s + 1)
            assert not r.timed_out and r.cpu_s <= p.time_limit_s, f"{pid}: '{w.note}' is too slow on test {t.index}"
            if not right(p, t, r):
                break
        else:
            pytest.fail(f"{pid}: hidden bug '{w.note}' passes every hidden test")


@pytest.mark.slow
@pytest.mark.parametrize("pid", IDS)
def test_brute_force_passes_below_its_tier_and_exceeds_the_limit_at_it(suite: dict[str, Problem], pid: str) -> None:
    p, spec = suite[pid], get_spec(pid)
    limit = p.time_limit_s
    below = [t for t in p.tests if t.tier < spec.brute_tier]
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda t: run_python(spec.brute, t.input, 10 * limit), below))
    for t, r in zip(below, runs, strict=True):
        assert right(p, t, r), f"{pid}: brute force wrong on test {t.index} (tier {t.tier})"
        assert r.cpu_s <= BELOW * limit, f"{pid}: brute force {r.cpu_s:.2f} s CPU on tier {t.tier}, limit {limit} s"
    if spec.lenient:  # every tier was checked above: brute force passes the whole suite
        assert len(below) == len(p.tests)
        return
    first = next(t for t in p.tests if t.tier == spec.brute_tier)  # where a fail-fast judge stops
    r = run_python(spec.brute, first.input, AT * limit + 0.5)
    assert r.timed_out or r.cpu_s > AT * limit, f"{pid}: brute force only {r.cpu_s:.2f} s CPU at tier {spec.brute_tier}"
