"""Prompts and the plain-text tool-call protocol (see templates/README.md for the formats).

Public on purpose: a later issue generates SFT traces with `format_tool_call`,
`format_tool_result` and `format_agent_feedback`, so the tiny model learns exactly
the text the sampler parses (`parse_tool_call`) and writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

from codefrontier.extract import extract_code
from codefrontier.judge.outcome import Outcome, TestResult
from codefrontier.problems.model import Problem
from codefrontier.verdicts import Verdict

RUN_TAG = "python-run"
INPUT_MARKER = "# input:"
# A final tool-setting turn with no answer block but this word on a line of its own answers with the
# last program the model ran: a model that checked its program need not copy it out again (the tiny
# model garbled 27% of such copies into syntax errors; a real one wastes the tokens).
SUBMIT = "SUBMIT"
_SUBMIT_LINE = re.compile(r"^[ \t]*" + SUBMIT + r"[ \t.]*$", re.MULTILINE)
TOOL_NAME = "python"
# The native tool spec (OpenAI "tools" format) mirroring the plain-text protocol.
PYTHON_TOOL = {
    "type": "function",
    "function": {
        "name": TOOL_NAME,
        "description": "Run a Python 3 program in a sandbox under the problem's limits; returns stdout, stderr and verdict.",
        "parameters": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "the complete program"},
                "input": {"type": "string", "description": "text given to the program on stdin"},
            },
            "required": ["code"],
        },
    },
}

# First ```python-run block; the closing fence must start a line.
_RUN_BLOCK = re.compile(r"```" + re.escape(RUN_TAG) + r"[ \t]*\n(.*?)^[ \t]*```[ \t]*$", re.DOTALL | re.MULTILINE)


@cache
def template(name: str) -> Template:
    """A template file of `codefrontier/episodes/templates/` (name without the .md suffix)."""
    text = resources.files("codefrontier.episodes").joinpath("templates", f"{name}.md").read_text("utf-8")
    return Template(text)


def render(name: str, **values: object) -> str:
    """Render a whole-message template (trailing newline of the file dropped)."""
    return template(name).substitute(**values).rstrip("\n")


def _nl(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"


def truncate(text: str, limit: int) -> tuple[str, bool]:
    """At most `limit` characters (head kept); True when something was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit] + f"\n... [{len(text) - limit} more characters truncated]", True


# ---------------------------------------------------------------------------- the first prompt

def call_target(problem: Problem) -> str:
    """How a call-based problem's answer is called: `Solution().fn` when the starter code has the class."""
    starter = str(problem.extra.get("starter_code") or "")
    return f"Solution().{problem.fn_name}" if "class Solution" in starter else str(problem.fn_name)


def _starter_section(problem: Problem) -> str:
    """Call-based problems: the starter code and what to complete (the harness of judge/functional.py
    calls `Solution().<fn_name>` when the code defines the class, else the function `fn_name`)."""
    starter = str(problem.extra.get("starter_code") or "").rstrip() or f"def {problem.fn_name}(...):"
    target = call_target(problem)
    what = (f"complete the method `{problem.fn_name}` of `class Solution`" if target.startswith("Solution(")
            else f"define the function `{problem.fn_name}`")
    return template("starter").substitute(what=what, starter=starter)


def problem_message(problem: Problem) -> str:
    """The first user message: title, statement, the public examples unless the statement has them, and
    for call-based problems (`fn_name`) the examples as call arguments and the starter code to complete."""
    examples = ""
    shown = all(t.input.strip() in problem.statement for t in problem.public_tests)
    example = "example_call" if problem.fn_name else "example"
    if problem.public_tests and not shown:
        examples = "".join(
            template(example).substitute(number=i + 1, input=_nl(t.input), output=_nl(t.output))
            for i, t in enumerate(problem.public_tests))
    if problem.fn_name:
        examples += _starter_section(problem)
    return render("problem", title=problem.title, statement=problem.statement.rstrip("\n"), examples=examples)


# ---------------------------------------------------------------------------- tool protocol

@dataclass(frozen=True)
class PlainToolCall:
    code: str  # the program (ends with "\n")
    stdin: str  # text after the `# input:` line ("" when there is none)
    end: int  # offset in the completion just after the closing fence; later text is discarded


def parse_tool_call(text: str) -> PlainToolCall | None:
    """The first ```python-run block of a completion, or None (an unclosed block is no call)."""
    m = _RUN_BLOCK.search(text)
    if m is None:
        return None
    lines = m.group(1).split("\n")
    marks = [i for i, line in enumerate(lines) if line.strip() == INPUT_MARKER]
    cut = marks[-1] if marks else len(lines)
    code = "\n".join(lines[:cut]).strip("\n")
    stdin = "\n".join(lines[cut + 1:]).strip("\n") if marks else ""
    return PlainToolCall(code=_nl(code), stdin=_nl(stdin), end=m.end())


def format_tool_call(code: str, stdin: str = "") -> str:
    """The inverse of `parse_tool_call`: the block a model should write to run `code` on `stdin`."""
    body = _nl(code.strip("\n")) + (f"{INPUT_MARKER}\n{_nl(stdin)}" if stdin else "")
    return f"```{RUN_TAG}\n{body}```"


def strip_tool_calls(text: str) -> str:
    """The completion without its python-run blocks (the answer is the last other code block)."""
    return _RUN_BLOCK.sub("", text)


def answer_code(text: str, lang: str = "python") -> str | None:
    """The final answer's code: the last fenced block not tagged python-run (extract.extract_code)."""
    return extract_code(strip_tool_calls(text), lang)


def tool_answer(text: str, last_run: str | None, lang: str = "python") -> str | None:
    """A tool-setting final answer: its code (`answer_code`); with none, the last program run when the
    turn says SUBMIT on a line of its own; else None."""
    code = answer_code(text, lang)
    if code is None and last_run is not None and _SUBMIT_LINE.search(strip_tool_calls(text)):
        return last_run
    return code


def format_tool_result(result: TestResult, limit: int = 1000) -> str:
    """What the model sees after a tool run: verdict, exit code, stdout and stderr (truncated)."""
    stdout, cut_out = truncate(result.stdout or "", limit)
    stderr, cut_err = truncate(result.stderr or "", limit)
    notes = "\n(output truncated)" if cut_out or cut_err else ""
    verdict = "OK" if result.verdict is Verdict.AC else result.verdict.value
    return render("tool_result", verdict=verdict, exit_code=result.exit_code, stdout=stdout.rstrip("\n"),
                  stderr=stderr.rstrip("\n"), notes=notes)


# ---------------------------------------------------------------------------- agent feedback

def format_agent_feedback(problem: Problem, outcome: Outcome, attempts_left: int, limit: int = 600) -> str:
    """Feedback on a submission judged on the PUBLIC tests: the first failing public test's input,
    expected and actual output (truncated). Only `problem.public_tests` is ever read here."""
    ff = outcome.first_failure
    if ff is None or not 0 <= ff.index < len(problem.public_tests):
        raise ValueError("agent feedback needs a failure on a public test")
    test = problem.public_tests[ff.index]
    actual = next((t.stdout for t in outcome.tests if t.index == ff.index), None) or ""
    err = next((t.stderr for t in outcome.tests if t.index == ff.index), "") or (outcome.compile_error or "")
    return render(
        "agent_feedback", verdict=ff.verdict.value, number=ff.index + 1,
        input=_nl(truncate(test.input, limit)[0]), expected=_nl(truncate(test.output, limit)[0]),
        actual=_nl(truncate(actual, limit)[0]), stderr=_nl(truncate(err, limit)[0]),
        attempts_left=attempts_left)
