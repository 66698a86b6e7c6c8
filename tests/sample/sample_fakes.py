"""Fakes for the sampling tests: problems with secret hidden tests, a fake judge, scripted models."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from codefrontier.episodes.judging import GradeItem, JudgeFns
from codefrontier.judge.config import Isolation
from codefrontier.judge.outcome import FirstFailure, Outcome, TestResult
from codefrontier.problems.model import Problem, Test
from codefrontier.verdicts import FailureClass, Verdict, failure_class

SECRET = "HIDDEN-SECRET"  # appears in every hidden test and nowhere the model may look


def make_problem(pid: str = "p1") -> Problem:
    hidden = tuple(Test(input=f"{SECRET}-in-{t}\n", output=f"{SECRET}-out-{t}\n", tier=t, index=t)
                   for t in (1, 2, 3))
    public = (Test(input="1 2\n", output="3\n"), Test(input="5 5\n", output="10\n", index=1))
    return Problem(id=pid, title=f"Add ({pid})", statement="Print a+b.", tests=hidden, public_tests=public)


def _res(i: int, tier: int, v: Verdict, stdout: str | None = None) -> TestResult:
    return TestResult(index=i, tier=tier, verdict=v, cpu_s=0.01, wall_s=0.01, peak_mb=5.0, exit_code=0,
                      stdout=stdout)


def _outcome(tests: Sequence[Test], code: str, keep: bool) -> Outcome:
    """'# CORRECT' passes everything, '# SLOW' is TLE from tier 2 on, anything else WA on the first test."""
    results, first = [], None
    for i, t in enumerate(tests):
        v = Verdict.AC if "# CORRECT" in code else (
            Verdict.TLE if "# SLOW" in code and (t.tier or 1) >= 2 else (Verdict.AC if "# SLOW" in code else Verdict.WA))
        results.append(_res(i, t.tier or 1, v, ("wrong\n" if v is Verdict.WA else t.output) if keep else None))
        if v is not Verdict.AC:
            first = FirstFailure(i, t.tier or 1, v)
            break
    passed = max((t.tier or 1 for t in tests), default=0) if first is None else first.tier - 1
    return Outcome(verdict=first.verdict if first else Verdict.AC,
                   failure_class=failure_class(first.verdict if first else None), passed_tier=passed,
                   first_failure=first, tests=tuple(results), isolation=Isolation.NONE)  # a scripted judge: nothing ran


class FakeJudge:
    def __init__(self, ie_first: int = 0) -> None:
        self.graded: list[GradeItem] = []
        self.tool_runs: list[tuple[str, str]] = []
        self.public_runs: list[str] = []
        self.ie_left = ie_first  # the first N grades are internal errors (to test the retry)

    def fns(self) -> JudgeFns:
        return JudgeFns(run_public=self.run_public, run_tool=self.run_tool, grade=self.grade)

    def run_public(self, problem: Problem, code: str) -> Outcome:
        self.public_runs.append(code)
        return _outcome(problem.public_tests, code, keep=True)

    def run_tool(self, problem: Problem, code: str, stdin: str) -> TestResult:
        self.tool_runs.append((code, stdin))
        return _res(0, 0, Verdict.AC, stdout=f"ran on {stdin.strip()}\n")

    def grade(self, items: Sequence[GradeItem]) -> list[Outcome]:
        self.graded.extend(items)
        out = []
        for p, c in items:
            if self.ie_left > 0:
                self.ie_left -= 1
                out.append(Outcome(Verdict.IE, FailureClass.INTERNAL, 0, FirstFailure(0, 1, Verdict.IE), ()))
            else:
                out.append(_outcome(p.tests, c, keep=False))
        return out


CORRECT = "```python\nprint(sum(map(int, input().split())))  # CORRECT\n```"
WRONG = "```python\nprint(0)\n```"


class ChatHandler(BaseHTTPRequestHandler):
    """A fake OpenAI-compatible server: with tools it calls `python` once, then answers CORRECT."""

    requests: list[dict[str, Any]] = []
    fail_next = 0  # answer this many requests with HTTP 503 first

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if type(self).fail_next > 0:
            type(self).fail_next -= 1
            self.send_response(503)
            self.end_headers()
            return
        last = body["messages"][-1]
        if body.get("tools") and last["role"] != "tool":  # call the tool first
            msg = {"role": "assistant", "content": None, "tool_calls": [{
                "id": "call_1", "type": "function",
                "function": {"name": "python", "arguments": json.dumps({"code": "print(3)", "input": "1 2\n"})}}]}
            finish = "tool_calls"
        else:
            msg, finish = {"role": "assistant", "content": CORRECT}, "stop"
        reply = {"choices": [{"index": 0, "message": msg, "finish_reason": finish}],
                 "usage": {"prompt_tokens": 11, "completion_tokens": 7}}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)



@contextmanager
def chat_server() -> Iterator[str]:
    ChatHandler.requests, ChatHandler.fail_next = [], 0
    srv = ThreadingHTTPServer(("127.0.0.1", 0), ChatHandler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    finally:
        srv.shutdown()
        srv.server_close()
