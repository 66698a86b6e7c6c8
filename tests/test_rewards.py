"""The coverage reward on hand-written completions, judged by a stub (see tests/train/cf_fakes.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "train"))
from cf_fakes import fake_problem, stub_judge  # noqa: E402

from codefrontier.errors import CodefrontierError  # noqa: E402
from codefrontier.rewards import coverage_reward
from codefrontier.verdicts import NOCODE  # noqa: E402

CODE = "```python\nprint(sum(map(int, open(0).read().split()[1:])))\n{tag}\n```"
CASES = {  # name -> completion; the stub judge reads the marker comment
    "ac": CODE.format(tag=""),
    "wa2": CODE.format(tag="# WA2"),
    "tle4": CODE.format(tag="# TLE4"),
    "nocode": "I am not sure how to solve this.",
    "ie": CODE.format(tag="# IE"),
}
# (level, mode) -> expected reward per case; fake problem: one test per tier, 4 tiers.
EXPECTED = {
    (1, "binary"): {"ac": 1.0, "wa2": 1.0, "tle4": 1.0, "nocode": 0.0, "ie": None},
    (2, "binary"): {"ac": 1.0, "wa2": 0.0, "tle4": 1.0, "nocode": 0.0, "ie": None},
    (4, "binary"): {"ac": 1.0, "wa2": 0.0, "tle4": 0.0, "nocode": 0.0, "ie": None},
    (2, "partial"): {"ac": 1.0, "wa2": 0.5, "tle4": 1.0, "nocode": 0.0, "ie": None},
    (4, "partial"): {"ac": 1.0, "wa2": 0.25, "tle4": 0.75, "nocode": 0.0, "ie": None},
    (9, "binary"): {"ac": 1.0, "wa2": 0.0, "tle4": 0.0, "nocode": 0.0, "ie": None},  # clipped to K=4
}


@pytest.mark.parametrize(("level", "mode"), list(EXPECTED))
def test_reward_modes_on_hand_written_completions(level: int, mode: str) -> None:
    reward = coverage_reward(level, mode, problems=[fake_problem()], judge_batch=stub_judge)
    names = list(CASES)
    got = reward([""] * len(names), [CASES[n] for n in names], problem_id=["sum-01"] * len(names))
    assert dict(zip(names, got, strict=True)) == EXPECTED[(level, mode)]


def test_reward_logs_verdict_mix_and_tier_histogram_and_reads_conversational_completions() -> None:
    logged: dict[str, float] = {}
    reward = coverage_reward(4, problems=[fake_problem()], judge_batch=stub_judge)
    completions = [[{"role": "assistant", "content": CASES[n]}] for n in ("ac", "wa2", "tle4", "nocode")]
    got = reward([[]] * 4, completions, problem_id=["sum-01"] * 4, log_metric=logged.__setitem__)
    assert got == [1.0, 0.0, 0.0, 0.0]
    assert logged["verdict/AC"] == 0.25 and logged["verdict/WA"] == 0.25 and logged[f"verdict/{NOCODE}"] == 0.25
    assert [logged[f"passed_tier/{t}"] for t in (0, 1, 3, 4)] == [0.25] * 4  # nocode, WA2, TLE4, AC
    assert reward.history[-1].mean() == 0.25


def test_reward_never_judges_a_completion_without_code() -> None:
    def judge_nothing(problems, codes, level):  # type: ignore[no-untyped-def]
        raise AssertionError("the judge must not be called when no code was extracted")

    reward = coverage_reward(2, problems=[fake_problem()], judge_batch=judge_nothing)
    assert reward([""], ["no code here"], problem_id=["sum-01"]) == [0.0]


def test_reward_errors_are_one_line() -> None:
    reward = coverage_reward(2, problems=[fake_problem()], judge_batch=stub_judge)
    with pytest.raises(CodefrontierError, match="problem_id"):
        reward([""], [CASES["ac"]])
    with pytest.raises(CodefrontierError, match="not in the reward's problem set"):
        reward([""], [CASES["ac"]], problem_id=["nope"])
    with pytest.raises(CodefrontierError, match="unknown reward mode"):
        coverage_reward(2, "fuzzy", problems=[fake_problem()])
    with pytest.raises(CodefrontierError, match="coverage level"):
        coverage_reward(0, problems=[fake_problem()])


def test_syntax_errors_score_zero_as_ce_without_the_judge() -> None:
    def judge_only_valid(problems, codes, level):  # type: ignore[no-untyped-def]
        assert all("def (" not in c for c in codes)
        return stub_judge(problems, codes, level)

    reward = coverage_reward(1, problems=[fake_problem()], judge_batch=judge_only_valid)
    got = reward(["", ""], ["```python\ndef (:\n```", CASES["ac"]], problem_id=["sum-01"] * 2)
    assert got == [0.0, 1.0] and reward.history[-1].verdicts["CE"] == 1
