"""The OpenAI-compatible HTTP backend against a small local fake server (http.server in a thread)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sample_fakes import CORRECT, SECRET, ChatHandler, FakeJudge, chat_server, make_problem

from codefrontier.episodes.backend import SamplingParams
from codefrontier.episodes.http_backend import HTTPBackend
from codefrontier.episodes.protocol import PYTHON_TOOL
from codefrontier.episodes.settings import Setting
from codefrontier.errors import CodefrontierError
from codefrontier.sample.runner import SampleConfig, run_sampling
from codefrontier.sample.store import CheckpointInfo, Store, results_frame


@pytest.fixture()
def server() -> Iterator[str]:
    with chat_server() as url:
        yield url


def test_chat_sends_openai_body_and_parses_reply(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CF_TEST_KEY", "sk-test")
    backend = HTTPBackend(server, "tiny", api_key_env="CF_TEST_KEY")
    out = backend.chat([[{"role": "user", "content": "hi"}]] * 3, SamplingParams(max_tokens=9, temperature=0.5),
                       seeds=[1, 2, 3])
    assert [c.text for c in out] == [CORRECT] * 3 and all(c.completion_tokens == 7 for c in out)
    bodies = [r["body"] for r in ChatHandler.requests]
    assert {r["path"] for r in ChatHandler.requests} == {"/v1/chat/completions"}
    assert sorted(b["seed"] for b in bodies) == [1, 2, 3] and bodies[0]["max_tokens"] == 9
    assert ChatHandler.requests[0]["auth"] == "Bearer sk-test" and "tools" not in bodies[0]


def test_native_tool_calls_and_retry(server: str) -> None:
    ChatHandler.fail_next = 1
    backend = HTTPBackend(server, "tiny", retries=2)
    out = backend.chat([[{"role": "user", "content": "x"}]], SamplingParams(tools=(PYTHON_TOOL,)))
    assert out[0].tool_calls[0].name == "python" and out[0].tool_calls[0].arguments["input"] == "1 2\n"
    assert out[0].finish_reason == "tool_calls" and len(ChatHandler.requests) == 2


def test_unreachable_server_is_one_line_error() -> None:
    backend = HTTPBackend("http://127.0.0.1:9/v1", "tiny", retries=0, timeout_s=2)
    with pytest.raises(CodefrontierError, match="cannot reach"):
        backend.chat([[{"role": "user", "content": "x"}]], SamplingParams())


def test_tool_setting_over_http(server: str, tmp_path: Path) -> None:
    judge = FakeJudge()
    cfg = SampleConfig(n=2, settings=(Setting.TOOL,))
    run_sampling(cfg, HTTPBackend(server, "tiny"), [make_problem()], [CheckpointInfo("m", "tiny")],
                 Store(tmp_path), judge=judge.fns())
    df = results_frame(tmp_path)
    assert (df.failure_class == "solved").all() and (df.tool_calls == 1).all() and (df.tokens == 14).all()
    second = next(r["body"] for r in ChatHandler.requests if r["body"]["messages"][-1]["role"] == "tool")
    assert second["messages"][-2]["tool_calls"][0]["id"] == "call_1"
    assert second["messages"][-1]["tool_call_id"] == "call_1" and "ran on 1 2" in second["messages"][-1]["content"]
    assert SECRET not in json.dumps(ChatHandler.requests)
