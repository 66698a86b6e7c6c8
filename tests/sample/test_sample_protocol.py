from sample_fakes import SECRET, _outcome, make_problem

from codefrontier.episodes import protocol as P
from codefrontier.judge.outcome import TestResult as TR
from codefrontier.verdicts import Verdict


def test_tool_call_round_trip() -> None:
    block = P.format_tool_call("n = int(input())\nprint(n * 2)", "21\n")
    text = "Let me test.\n" + block + "\nIt prints 42, surely.\n```python\nprint(1)\n```"
    call = P.parse_tool_call(text)
    assert call is not None
    assert call.code == "n = int(input())\nprint(n * 2)\n" and call.stdin == "21\n"
    assert text[:call.end].endswith("```") and "surely" not in text[:call.end]
    assert P.answer_code(text) == "print(1)\n"


def test_tool_call_without_input_and_unclosed_block() -> None:
    call = P.parse_tool_call("```python-run\nprint(5)\n```")
    assert call is not None and call.stdin == "" and call.code == "print(5)\n"
    assert P.parse_tool_call("```python-run\nprint(5)\n") is None  # unclosed: no call
    assert P.parse_tool_call("```python\nprint(5)\n```") is None  # an answer, not a call
    assert P.answer_code("```python-run\nprint(5)\n```") is None  # a run block is not an answer


def test_tool_result_is_truncated() -> None:
    r = TR(0, 0, Verdict.RE, 0.0, 0.0, 1.0, 1, stderr="boom", stdout="x" * 5000)
    msg = P.format_tool_result(r, limit=100)
    assert "verdict: RE" in msg and "boom" in msg and "truncated" in msg and len(msg) < 400


def test_agent_feedback_reads_public_tests_only() -> None:
    problem = make_problem()
    msg = P.format_agent_feedback(problem, _outcome(problem.public_tests, "print(0)", keep=True), 2)
    assert "1 2" in msg and "3" in msg and "wrong" in msg and "2 submissions left" in msg
    assert SECRET not in msg


def test_problem_message_has_examples_not_hidden_tests() -> None:
    msg = P.problem_message(make_problem())
    assert "Print a+b." in msg and "5 5" in msg and SECRET not in msg


def test_tool_answer_prefers_a_written_program_and_submit_takes_the_last_run() -> None:
    from codefrontier.episodes.protocol import SUBMIT, tool_answer

    assert tool_answer("```python\nprint(1)\n```\nSUBMIT", "print(2)\n") == "print(1)\n"
    assert tool_answer(f"It works.\n{SUBMIT}", "print(2)\n") == "print(2)\n"
    assert tool_answer(f"{SUBMIT}.", "print(2)\n") == "print(2)\n"
    assert tool_answer(f"{SUBMIT}", None) is None  # nothing was run
    assert tool_answer("I will SUBMIT it later", "print(2)\n") is None  # not on a line of its own
