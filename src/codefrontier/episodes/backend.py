"""The backend interface: a batch of chat conversations in, one completion per conversation out.

Every backend (transformers, vLLM, an OpenAI-compatible server, the scripted fake of the
tests) implements `Backend.chat`. Messages are OpenAI-style dicts:
  {"role": "system" | "user" | "assistant" | "tool", "content": str,
   "tool_calls": [...] (assistant, native tools only), "tool_call_id": str (tool only)}
Torch-free on purpose: the settings and the store import this module only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from codefrontier.enums import StrEnum

Message = dict[str, Any]


class BackendName(StrEnum):
    HF = "hf"  # transformers on this machine (CPU by default)
    VLLM = "vllm"  # vLLM offline engine (GPU)
    HTTP = "http"  # any OpenAI-compatible chat-completions server


@dataclass(frozen=True)
class SamplingParams:
    max_tokens: int = 512  # new tokens for this turn
    temperature: float = 1.0  # 0 = greedy
    top_p: float = 1.0
    stop: tuple[str, ...] = ()
    # OpenAI "tools" specs; sent only to backends with native tool calling (see tool setting).
    tools: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Completion:
    text: str
    completion_tokens: int
    prompt_tokens: int = 0
    tool_calls: tuple[ToolCall, ...] = ()  # native tool calls (empty for plain-text models)
    finish_reason: str = "stop"  # stop | length | tool_calls


@runtime_checkable
class Backend(Protocol):
    """`chat` returns len(batch) completions, in order. `seeds[i]` seeds row i where the backend can
    (transformers through row_sampler.RowSampler, vLLM, HTTP)."""

    name: str
    native_tools: bool

    def chat(
        self, batch: Sequence[Sequence[Message]], params: SamplingParams, seeds: Sequence[int] | None = None
    ) -> list[Completion]: ...


Script = Callable[[Sequence[Message]], "str | Completion"]


@dataclass
class ScriptedBackend:
    """A fake model for tests: `script(messages)` returns the next assistant text (or a Completion).

    Token counts are whitespace words. It records every conversation it was shown in `seen`,
    so tests can assert what reached the model (e.g. that no hidden test ever did).
    """

    script: Script
    name: str = "scripted"
    native_tools: bool = False
    seen: list[list[Message]] = field(default_factory=list)

    def chat(
        self, batch: Sequence[Sequence[Message]], params: SamplingParams, seeds: Sequence[int] | None = None
    ) -> list[Completion]:
        out: list[Completion] = []
        for messages in batch:
            self.seen.append([dict(m) for m in messages])
            reply = self.script(messages)
            if isinstance(reply, str):
                words = reply.split()[: params.max_tokens]
                finish = "length" if len(reply.split()) > params.max_tokens else "stop"
                reply = Completion(text=reply if finish == "stop" else " ".join(words),
                                   completion_tokens=len(words), finish_reason=finish)
            out.append(reply)
        return out
