"""Small stand-ins for the built-in suite and the judge, shared by the training, reward and verl tests."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace

import pytest

from codefrontier.judge.outcome import FirstFailure, Outcome, TestResult
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind, TierSpec
from codefrontier.problems.model import Difficulty, Problem, Test
from codefrontier.verdicts import Verdict, failure_class

REFERENCE = """n = int(input())
a = list(map(int, input().split()))
total = 0
for x in a:
    total += x
print(total)
"""
BRUTE = """n = int(input())
a = list(map(int, input().split()))
total = 0
for i in range(n):
    for j in range(n):
        if i == j:
            total += a[i]
print(total)
"""
BUGGY = """n = int(input())
a = list(map(int, input().split()))
print(sum(a[1:]))
"""


def _gen(rng: random.Random, n: int) -> str:
    return f"{n}\n" + " ".join(str(rng.randint(1, 9)) for _ in range(n)) + "\n"


def fake_spec(pid: str = "sum-01") -> BuiltinSpec:
    return BuiltinSpec(
        id=pid, title="Sum", family="sum", difficulty=Difficulty.EASY,
        statement="Print the sum of n numbers.\n\n## Input\nn, then n integers.\n\n## Output\nTheir sum.",
        generate=_gen, tiers=(TierSpec(1), TierSpec(10), TierSpec(100), TierSpec(1000)),
        examples=("2\n1 2\n", "3\n1 1 1\n"), reference=REFERENCE, brute=BRUTE,
        wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, BUGGY),),
    )


@pytest.fixture
def fake_items() -> list[tuple[BuiltinSpec, str]]:
    return [(fake_spec("sum-01"), fake_spec().statement), (fake_spec("sum-02"), "Add the numbers up.")]


def fake_problem(pid: str = "sum-01", tiers: int = 4) -> Problem:
    """A Problem with one hidden test per tier (inputs from the fake generator)."""
    rng = random.Random(1)
    tests = []
    for tier in range(1, tiers + 1):
        inp = _gen(rng, 10 ** (tier - 1))
        out = str(sum(map(int, inp.split()[1:]))) + "\n"
        tests.append(Test(input=inp, output=out, tier=tier, index=tier - 1))
    return Problem(id=pid, title="Sum", statement=fake_spec().statement, tests=tuple(tests))


def outcome(verdict: Verdict, fail_tier: int | None, tiers: int = 4) -> Outcome:
    """An Outcome as the fail-fast judge would return it: AC up to fail_tier, then `verdict` there."""
    results = []
    for tier in range(1, (fail_tier or tiers) + 1):
        v = verdict if tier == fail_tier else Verdict.AC
        results.append(TestResult(index=tier - 1, tier=tier, verdict=v, cpu_s=0.01, wall_s=0.01, peak_mb=5.0,
                                  exit_code=0))
    first = FirstFailure(fail_tier - 1, fail_tier, verdict) if fail_tier else None
    passed = (fail_tier - 1) if fail_tier else tiers
    return Outcome(verdict=verdict if fail_tier else Verdict.AC, failure_class=failure_class(first and verdict),
                   passed_tier=passed, first_failure=first, tests=tuple(results))


def stub_judge(problems: Sequence[Problem], codes: Sequence[str], level: int) -> list[Outcome]:
    """Judges by markers in the code: '# WA2' -> WA at tier 2, '# TLE4' -> TLE at tier 4, '# IE' -> IE, else AC.

    Like the real judge with max_tier=level, tiers above `level` are not run.
    """
    outs = []
    for p, code in zip(problems, codes, strict=True):
        k = min(level, p.num_tiers)
        if "# IE" in code:
            outs.append(outcome(Verdict.IE, 1))
            continue
        fail = None
        for tag, verdict in (("# WA", Verdict.WA), ("# TLE", Verdict.TLE)):
            if tag in code:
                tier = int(code.split(tag)[1][0])
                fail = (verdict, tier) if tier <= k else None
        outs.append(outcome(fail[0], fail[1], k) if fail else outcome(Verdict.AC, None, k))
    return outs


@pytest.fixture
def judge_stub() -> Callable[[Sequence[Problem], Sequence[str], int], list[Outcome]]:
    return stub_judge


def trivial_spec() -> BuiltinSpec:
    """Solutions of a few tokens, so a very small model learns to answer with a code block in seconds.

    The markers drive `stub_judge`: efficient AC, the others fail tier 1 (WA / TLE), so every
    coverage level sees reward spread inside a group of 8 samples.
    """
    return replace(fake_spec("sum-01"), reference="print(1)\n", brute="print(2)  # TLE1\n",
                   wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, "print(3)  # WA1\n"),))
