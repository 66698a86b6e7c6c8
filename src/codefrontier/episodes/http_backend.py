"""Any OpenAI-compatible chat-completions server (vLLM / SGLang servers, hosted APIs), stdlib only.

One POST /chat/completions per conversation, `concurrency` requests in flight. Native tool
calls: `params.tools` is sent as "tools"; the reply's "tool_calls" come back as ToolCall.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from codefrontier.episodes.backend import Completion, Message, SamplingParams, ToolCall
from codefrontier.errors import CodefrontierError


@dataclass
class HTTPBackend:
    base_url: str  # e.g. http://localhost:8000/v1
    model: str
    api_key_env: str = "OPENAI_API_KEY"  # name of the environment variable holding the key (may be unset)
    native_tools: bool = True
    concurrency: int = 8
    timeout_s: float = 300.0
    retries: int = 3
    name: str = "http"

    def chat(self, batch: Sequence[Sequence[Message]], params: SamplingParams,
             seeds: Sequence[int] | None = None) -> list[Completion]:
        seeds = seeds or [None] * len(batch)  # type: ignore[list-item]
        with ThreadPoolExecutor(max(1, min(self.concurrency, len(batch)))) as pool:
            return list(pool.map(lambda ms: self._one(ms[0], params, ms[1]), zip(batch, seeds, strict=True)))

    def _body(self, messages: Sequence[Message], params: SamplingParams, seed: int | None) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "messages": list(messages), "max_tokens": params.max_tokens,
                                "temperature": params.temperature, "top_p": params.top_p, "n": 1}
        if seed is not None:
            body["seed"] = seed
        if params.stop:
            body["stop"] = list(params.stop)
        if params.tools and self.native_tools:
            body["tools"] = list(params.tools)
        return body

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        url = self.base_url.rstrip("/") + "/chat/completions"
        req = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
        for attempt in range(self.retries + 1):
            try:
                with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
                    data: dict[str, Any] = json.loads(resp.read())
                    return data
            except urllib.error.HTTPError as err:  # 4xx other than 429 will not get better
                if (err.code < 500 and err.code != 429) or attempt == self.retries:
                    detail = err.read()[:300].decode("utf-8", "replace")
                    raise CodefrontierError(f"the server at {url} answered HTTP {err.code}: {detail}") from err
            except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
                if attempt == self.retries:
                    raise CodefrontierError(f"cannot reach the chat server at {url} ({err}) (fix: start the server or check --base-url).") from err
            time.sleep(min(8.0, 0.5 * 2**attempt))
        raise AssertionError("unreachable")

    def _one(self, messages: Sequence[Message], params: SamplingParams, seed: int | None) -> Completion:
        data = self._post(self._body(messages, params, seed))
        try:
            choice = data["choices"][0]
            msg = choice["message"]
            calls = tuple(_tool_call(c) for c in msg.get("tool_calls") or ())
            usage = data.get("usage") or {}
            text = msg.get("content") or ""
            return Completion(text=text, completion_tokens=int(usage.get("completion_tokens", len(text.split()))),
                              prompt_tokens=int(usage.get("prompt_tokens", 0)), tool_calls=calls,
                              finish_reason=str(choice.get("finish_reason") or "stop"))
        except (KeyError, IndexError, TypeError, ValueError) as err:
            raise CodefrontierError(f"the chat server at {self.base_url} sent a malformed reply ({err!r})") from err


def _tool_call(raw: dict[str, Any]) -> ToolCall:
    fn = raw["function"]
    args = fn.get("arguments") or "{}"
    try:
        parsed = json.loads(args) if isinstance(args, str) else dict(args)
    except json.JSONDecodeError:
        parsed = {"code": args}  # a model that wrote raw code instead of JSON: run it as the program
    if not isinstance(parsed, dict):
        parsed = {"code": str(parsed)}
    return ToolCall(id=str(raw.get("id") or "call"), name=str(fn["name"]), arguments=parsed)
