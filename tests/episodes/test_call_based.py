"""Call-based (LeetCode-style) problems in every setting: LiveCodeBench's LeetCode 2727 `countSeniors`.

The real row (shared/real/lcb_rows.jsonl beside the checkout) is converted with the project's converter; its
known accepted and wrong submissions (lcb_submissions.jsonl) go through the reasoning, tool and
agent settings with a scripted model and the real sandboxed judge (the harness of
judge/functional.py), into a results store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from codefrontier.episodes.backend import Message, ScriptedBackend
from codefrontier.episodes.judging import real_judge
from codefrontier.episodes.protocol import format_tool_call
from codefrontier.episodes.settings import Setting, SettingConfig, opening_messages
from codefrontier.problems.model import Problem
from codefrontier.sample.runner import SampleConfig, run_sampling
from codefrontier.sample.store import CheckpointInfo, Store, results_frame
from real_data import REAL_DIR

REAL = REAL_DIR
QID = "leetcode_2727"


def _lcb_problem() -> Problem:
    from codefrontier.problems.convert import ConvertConfig, ConvertReport, convert_rows, read_rows

    if not (REAL / "lcb_rows.jsonl").is_file():
        pytest.skip(f"{REAL}/lcb_rows.jsonl is absent (the shared real data of this project)")
    problems = list(convert_rows(read_rows(REAL / "lcb_rows.jsonl"), ConvertConfig(fmt="lcb"), "lcb_rows.jsonl",
                                 ConvertReport()))
    return next(p for p in problems if p.fn_name == "countSeniors")


def _submissions() -> dict[str, str]:
    rows = [json.loads(line) for line in (REAL / "lcb_submissions.jsonl").read_text().splitlines() if line.strip()]
    return {r["expected"]: r["code"] for r in rows if r["question_id"] == QID}


@pytest.fixture(scope="module")
def lcb() -> tuple[Problem, dict[str, str]]:
    problem = _lcb_problem()
    subs = _submissions()
    assert set(subs) == {"AC", "WA"}
    return problem, subs


def _fenced(code: str) -> str:
    return f"Here is my solution.\n```python\n{code.rstrip()}\n```"


@pytest.mark.parametrize("setting", list(Setting))
def test_every_setting_shows_the_starter_code_and_what_to_complete(lcb: tuple[Problem, dict[str, str]],
                                                                  setting: Setting) -> None:
    problem, _subs = lcb
    system, user = opening_messages(problem, setting, SettingConfig())
    starter = str(problem.extra["starter_code"]).rstrip()
    assert starter in user["content"] and "complete the method `countSeniors` of `class Solution`" in user["content"]
    assert "standard input" not in system["content"] and "return value" in system["content"]
    public = problem.public_tests[0]
    assert public.input.strip() in user["content"]  # the example as call arguments (JSON, one per line)
    hidden = [t.input.strip() for t in problem.tests if t.input.strip() != public.input.strip()]
    assert hidden and not any(h in system["content"] + user["content"] for h in hidden)  # hidden tests never shown


def test_stdin_problems_keep_their_prompt() -> None:
    from codefrontier.episodes import protocol as P
    from codefrontier.problems.model import Test

    p = Problem(id="x", title="X", statement="Print a+b.", tests=(Test("1 2\n", "3\n", tier=1),),
                public_tests=(Test("1 2\n", "3\n"),))
    system, user = opening_messages(p, Setting.REASONING)
    assert system["content"] == P.render("reasoning_system") and "Starter code" not in user["content"]


def _script(setting: Setting, first: str, final: str, problem: Problem):  # type: ignore[no-untyped-def]
    """reasoning: answer `final`. tool: run `final` on the public example's arguments, then answer it.
    agent: submit `first`, then (after feedback) `final`."""
    def script(messages: Sequence[Message]) -> str:
        turn = sum(m["role"] == "assistant" for m in messages)
        if setting is Setting.TOOL and turn == 0:
            return "Let me test it.\n" + format_tool_call(final, problem.public_tests[0].input)
        if setting is Setting.AGENT and turn == 0:
            return _fenced(first)
        return _fenced(final)

    return script


@pytest.mark.slow
@pytest.mark.parametrize("setting", list(Setting))
def test_known_submissions_are_judged_through_every_setting(lcb: tuple[Problem, dict[str, str]], setting: Setting,
                                                            tmp_path: Path) -> None:
    problem, subs = lcb
    judge = real_judge()
    for expected, first, final in (("AC", subs["WA"], subs["AC"]), ("WA", subs["WA"], subs["WA"])):
        backend = ScriptedBackend(_script(setting, first, final, problem))
        run = tmp_path / expected
        store = Store(run)
        run_sampling(SampleConfig(n=1, settings=(setting,), toy_scale=False), backend, [problem],
                     [CheckpointInfo("scripted", "scripted")], store, judge=judge)
        store.close()
        row = results_frame(run).iloc[0]
        assert row.verdict == expected, (setting, expected, row.verdict)
        opening = backend.seen[0]
        assert str(problem.extra["starter_code"]).rstrip() in opening[1]["content"]
        later = [str(m["content"]) for m in backend.seen[-1][2:] if m["role"] == "user"]
        if setting is Setting.TOOL:  # the tool ran the call-based code through the judge's harness
            assert row.tool_calls == 1 and "verdict: OK" in later[0]
            want = problem.public_tests[0].output.strip() if expected == "AC" else None
            if want is not None:
                assert f"stdout:\n{want}\n" in later[0]
        if setting is Setting.AGENT:  # the wrong first submission got public-test feedback
            assert "failed example test 1 with verdict WA" in later[0]
            assert problem.public_tests[0].input.strip() in later[0]
            assert bool(row.first_attempt_solved) is False
