"""Call-based problems: the harness of judge/functional.py, run directly and through the judge."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from codefrontier.judge.functional import canonical_json, canonical_output, wrap
from codefrontier.problems.io import problem_from_dict
from codefrontier.problems.model import Problem


def _problem(fn_name: str = "twoSum", time_limit_s: float = 1.0) -> Problem:
    tests = [
        {"input": "[2,7,11,15]\n9", "output": canonical_output("[0, 1]")},
        {"input": "[3,2,4]\n6", "output": canonical_output("[1,2]")},
        {"input": "[3,3]\n6", "output": canonical_output("[0, 1]")},
    ]
    return problem_from_dict({"id": "two-sum", "tests": tests, "fn_name": fn_name,
                              "time_limit_s": time_limit_s, "source": "lcb"})


def _run(program: str, stdin: str) -> subprocess.CompletedProcess[str]:
    # Trusted test code only: these programs are written in this file.
    return subprocess.run([sys.executable, "-I", "-c", program], input=stdin, capture_output=True,
                          text=True, timeout=60)


SOLUTION_CLASS = """\
class Solution:
    def twoSum(self, nums: List[int], target: int) -> List[int]:
        seen = {}
        print("debug output that must not reach stdout")
        for i, x in enumerate(nums):
            if target - x in seen:
                return (seen[target - x], i)
            seen[x] = i
"""

TOP_LEVEL_FUNCTION = """\
from __future__ import annotations

def twoSum(nums: list[int], target: int) -> list[int]:
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            if nums[i] + nums[j] == target:
                return [i, j]
"""

WRONG = "class Solution:\n    def twoSum(self, nums, target):\n        return [0, 0]\n"
SLOW = "class Solution:\n    def twoSum(self, nums, target):\n        while True:\n            pass\n"


def test_canonical_json_compares_values_not_spellings() -> None:
    assert canonical_output("[1, 2.0, 3.5]") == "[1,2,3.5]"
    assert canonical_output('{"b": 1, "a": [true, null]}') == '{"a":[true,null],"b":1}'
    assert canonical_json((1, (2, 3))) == "[1,[2,3]]"
    assert canonical_output('"a b"') == '"a b"'
    with pytest.raises(TypeError):
        canonical_json({1, 2})


@pytest.mark.parametrize("code", [SOLUTION_CLASS, TOP_LEVEL_FUNCTION])
def test_harness_calls_class_method_or_function_and_prints_canonical_json(code: str) -> None:
    problem = _problem()
    for t in problem.tests:
        run = _run(wrap(problem, code), t.input)
        assert run.returncode == 0, run.stderr
        assert run.stdout == t.output + "\n"


def test_harness_reports_missing_function_as_a_failed_run() -> None:
    run = _run(wrap(_problem("otherName"), SOLUTION_CLASS), "[1]\n1")
    assert run.returncode != 0
    assert "otherName" in run.stderr
    assert run.stdout == ""


def test_module_level_input_cannot_steal_the_arguments() -> None:
    code = "try:\n    input()\nexcept EOFError:\n    pass\n" + SOLUTION_CLASS
    problem = _problem()
    run = _run(wrap(problem, code), problem.tests[0].input)
    assert run.stdout == problem.tests[0].output + "\n", run.stderr


def test_wrap_refuses_a_problem_without_fn_name() -> None:
    problem = problem_from_dict({"id": "p", "tests": [{"input": "1", "output": "1"}]})
    with pytest.raises(ValueError, match="fn_name"):
        wrap(problem, SOLUTION_CLASS)


def _judge_or_skip():  # type: ignore[no-untyped-def]
    try:
        from codefrontier.judge import judge  # type: ignore[attr-defined]
    except ImportError:
        pytest.skip("the judge (issue 3) has not landed: codefrontier.judge.judge is missing")
    return judge


@pytest.mark.parametrize(("code", "verdict"), [(SOLUTION_CLASS, "AC"), (TOP_LEVEL_FUNCTION, "AC"),
                                               (WRONG, "WA"), (SLOW, "TLE")])
def test_functional_problem_judged(code: str, verdict: str) -> None:
    judge = _judge_or_skip()
    outcome = judge(_problem(time_limit_s=0.5), code, "python")
    assert outcome.verdict.value == verdict


def test_converted_livecodebench_functional_problem_is_judged() -> None:
    judge = _judge_or_skip()
    from codefrontier.problems.convert import ConvertConfig, convert_dataset

    tests = [{"input": "[1, 2, 3]\n2", "output": "[3, 4, 5]", "testtype": "functional"},
             {"input": "[]\n7", "output": "[]", "testtype": "functional"}]
    row = {"question_title": "Shift", "question_content": "Add k to each.", "platform": "leetcode",
           "question_id": "9001", "difficulty": "easy", "starter_code": "class Solution:\n    def shift(self, a, k):\n",
           "public_test_cases": json.dumps(tests[:1]), "private_test_cases": json.dumps(tests[1:]),
           "metadata": json.dumps({"func_name": "shift"})}
    (problem,), _ = convert_dataset([row], ConvertConfig("lcb", time_limit_s=1.0))
    good = "class Solution:\n    def shift(self, a: List[int], k: int) -> List[int]:\n        return [x + k for x in a]\n"
    assert judge(problem, good, "python").verdict.value == "AC"
    assert judge(problem, good.replace("x + k", "x - k"), "python").verdict.value == "WA"
