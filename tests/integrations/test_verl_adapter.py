"""verl's compute_score on the same hand-written cases as the TRL reward (stub judge, no verl)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "train"))
from cf_fakes import fake_problem, stub_judge  # noqa: E402

from codefrontier.errors import CodefrontierError  # noqa: E402
from codefrontier.integrations.verl import compute_score  # noqa: E402
from codefrontier.problems.io import problem_to_dict  # noqa: E402

CODE = "```python\nprint(sum(map(int, open(0).read().split()[1:])))\n{tag}\n```"
GT = json.dumps(problem_to_dict(fake_problem()))


@pytest.mark.parametrize(("completion", "level", "score", "verdict", "cls", "masked"), [
    (CODE.format(tag=""), 4, 1.0, "AC", "solved", False),
    (CODE.format(tag="# WA2"), 2, 0.0, "WA", "correctness", False),
    (CODE.format(tag="# WA2"), 1, 1.0, "AC", "solved", False),
    (CODE.format(tag="# TLE4"), 4, 0.0, "TLE", "optimization", False),
    (CODE.format(tag="# TLE4"), 3, 1.0, "AC", "solved", False),
    ("no code at all", 4, 0.0, "NOCODE", "correctness", False),
    ("```python\nprint((1\n```", 4, 0.0, "CE", "correctness", False),
    (CODE.format(tag="# IE"), 4, 0.0, "IE", "internal", True),
])
def test_compute_score_cases(completion: str, level: int, score: float, verdict: str, cls: str,
                             masked: bool) -> None:
    got = compute_score("codefrontier", completion, GT, coverage=level, judge_batch=stub_judge)
    assert (got["score"], got["verdict"], got["failure_class"], got["masked"]) == (score, verdict, cls, masked)


def test_coverage_from_extra_info_and_partial_mode_and_dict_ground_truth() -> None:
    wa2 = CODE.format(tag="# WA2")
    got = compute_score("cf", wa2, json.loads(GT), extra_info={"coverage": 4, "mode": "partial"},
                        judge_batch=stub_judge)
    assert got["score"] == 0.25 and got["coverage"] == 4 and got["passed_tier"] == 1
    # kwargs win over extra_info; no level at all means the full suite
    assert compute_score("cf", wa2, GT, extra_info={"coverage": 4}, coverage=1, judge_batch=stub_judge)["score"] == 1.0
    assert compute_score("cf", CODE.format(tag="# TLE4"), GT, judge_batch=stub_judge)["score"] == 0.0


def test_bad_ground_truth_is_one_line() -> None:
    with pytest.raises(CodefrontierError, match="not valid problem JSON"):
        compute_score("cf", "x", "{broken", judge_batch=stub_judge)
    with pytest.raises(CodefrontierError, match="must be problem JSON"):
        compute_score("cf", "x", 42, judge_batch=stub_judge)
