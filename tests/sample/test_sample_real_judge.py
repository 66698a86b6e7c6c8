"""The settings against the real sandboxed judge (skipped until `codefrontier.judge.judge` lands)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

import codefrontier.judge as judge_pkg
from codefrontier.episodes.backend import Message, ScriptedBackend
from codefrontier.episodes.judging import real_judge
from codefrontier.episodes.protocol import format_tool_call
from codefrontier.episodes.settings import Setting
from codefrontier.problems.model import Problem
from codefrontier.problems.model import Test as HiddenOrPublicTest
from codefrontier.sample.runner import SampleConfig, run_sampling
from codefrontier.sample.store import CheckpointInfo, Store, results_frame

pytestmark = [
    pytest.mark.skipif(not (hasattr(judge_pkg, "judge") and hasattr(judge_pkg, "run_program")),
                       reason="codefrontier.judge.judge / run_program are not available yet (judge issue)"),
    pytest.mark.slow,
]

GOOD = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
BAD = "```python\na, b = map(int, input().split())\nprint(a - b)\n```"


def _problem() -> Problem:
    hidden = tuple(HiddenOrPublicTest(input=f"{i} {7 * i}\n", output=f"{8 * i}\n", tier=1 + i // 2, index=i) for i in range(6))
    public = (HiddenOrPublicTest(input="1 2\n", output="3\n"),)
    return Problem(id="add", title="Add", statement="Read a and b, print a+b.", tests=hidden, public_tests=public)


def _last(messages: Sequence[Message]) -> str:
    return str(messages[-1]["content"]) if messages[-1]["role"] == "user" and len(messages) > 2 else ""


def _run(tmp_path: Path, script, setting: Setting):
    backend = ScriptedBackend(script)
    run_sampling(SampleConfig(n=2, settings=(setting,)), backend, [_problem()], [CheckpointInfo("m", "m")],
                 Store(tmp_path), judge=real_judge())
    return backend, results_frame(tmp_path)


def test_reasoning_real_judge(tmp_path: Path) -> None:
    _b, df = _run(tmp_path, lambda m: GOOD, Setting.REASONING)
    assert (df.failure_class == "solved").all() and (df.passed_tier == 3).all()


def test_agent_real_judge_feedback(tmp_path: Path) -> None:
    backend, df = _run(tmp_path, lambda m: GOOD if "failed example test" in _last(m) else BAD, Setting.AGENT)
    assert (df.failure_class == "solved").all() and (df.first_attempt_solved == 0.0).all()
    feedback = [_last(c) for c in backend.seen if _last(c)]
    assert feedback and "-1" in feedback[0] and "3" in feedback[0]
    hidden = [t.input.strip() for t in _problem().tests if t.input.strip() != "0 0"]
    assert not [h for c in backend.seen for h in hidden if h in repr(c)]  # no hidden input ever shown


def test_tool_real_run_program(tmp_path: Path) -> None:
    def script(m: Sequence[Message]) -> str:
        return GOOD if "40" in _last(m) else format_tool_call("a, b = map(int, input().split())\nprint(a * b)", "5 8")

    backend, df = _run(tmp_path, script, Setting.TOOL)
    assert (df.failure_class == "solved").all() and (df.tool_calls == 1).all()


def test_agent_real_judge_compile_error_feedback(tmp_path: Path) -> None:
    broken = "```python\nprint(\n```"
    backend, df = _run(tmp_path, lambda m: GOOD if "failed example test" in _last(m) else broken, Setting.AGENT)
    assert (df.failure_class == "solved").all() and (df.turns == 2).all()
    feedback = [_last(c) for c in backend.seen if _last(c)]
    assert "verdict CE" in feedback[0] and "Error" in feedback[0]
