"""Native tool calls for local transformers models: can this model do them, and what did it call.

A model can use native tool calls through the HF backend only when both ends work:
  in:  its chat template renders `tools=` (many do not: SmolLM2's and the built-in tiny model's
       templates ignore them, so the model would never see the tool) and renders the assistant
       `tool_calls` / `tool` messages of a conversation;
  out: its tool-call text can be parsed: the tokenizer's own `response_template` (transformers 5,
       `tokenizer.parse_response`) where it ships one, else the Hermes / Qwen2.5 format
       `<tool_call>{"name": ..., "arguments": {...}}</tool_call>` when the template writes that tag.
Anything else uses the plain-text protocol (`protocol.parse_tool_call`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from codefrontier.episodes.backend import ToolCall
from codefrontier.episodes.protocol import PYTHON_TOOL, TOOL_NAME

HERMES_OPEN, HERMES_CLOSE = "<tool_call>", "</tool_call>"
_HERMES = re.compile(re.escape(HERMES_OPEN) + r"\s*(.*?)\s*" + re.escape(HERMES_CLOSE), re.DOTALL)

_PROBE_CALL = {"id": "call_0", "type": "function",
               "function": {"name": TOOL_NAME, "arguments": {"code": "print(1)", "input": ""}}}
_PROBE: list[dict[str, Any]] = [{"role": "user", "content": "probe"},
          {"role": "assistant", "content": "", "tool_calls": [_PROBE_CALL]},
          {"role": "tool", "tool_call_id": "call_0", "content": "1"}]


def _render(tokenizer: Any, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None) -> str:
    extra = {"tools": tools} if tools else {}
    return str(tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True, **extra))


def _parser_kind(tokenizer: Any, rendered: str) -> str | None:
    template = getattr(tokenizer, "response_template", None)
    if isinstance(template, dict) and "tool_calls" in template.get("fields", {}):
        return "response_template"
    return "hermes" if HERMES_OPEN in rendered else None


def native_tool_support(tokenizer: Any) -> bool:
    """True when the template renders tools and tool turns, and the model's tool calls can be parsed."""
    if not getattr(tokenizer, "chat_template", None):
        return False
    try:
        plain = _render(tokenizer, _PROBE[:1], None)
        with_tools = _render(tokenizer, _PROBE[:1], [PYTHON_TOOL])
        turns = _render(tokenizer, _PROBE, [PYTHON_TOOL])
    except Exception:  # noqa: BLE001 - a template that cannot render tool turns has no native tools
        return False
    return with_tools != plain and _parser_kind(tokenizer, with_tools + turns) is not None


def template_messages(messages: Any) -> list[dict[str, Any]]:
    """Messages as chat templates expect them: tool-call arguments as dicts (the OpenAI wire format
    the episodes keep has JSON strings, which templates would encode twice)."""
    out = []
    for m in messages:
        calls = m.get("tool_calls")
        if calls:
            m = {**m, "tool_calls": [{**c, "function": {**c["function"], "arguments": _args(c["function"])}}
                                     for c in calls]}
        out.append(dict(m))
    return out


def _args(fn: dict[str, Any]) -> Any:
    args = fn.get("arguments", {})
    if isinstance(args, str):
        try:
            return json.loads(args)
        except json.JSONDecodeError:
            return {"code": args}
    return args


def _tool_call(k: int, raw: Any) -> ToolCall | None:
    fn = raw.get("function", raw) if isinstance(raw, dict) else None
    if not isinstance(fn, dict) or not isinstance(fn.get("name"), str):
        return None
    args = fn.get("arguments", fn.get("parameters", {}))
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except json.JSONDecodeError:
            args = {"code": args}  # raw code instead of JSON: run it as the program
    return ToolCall(id=f"call_{k}", name=fn["name"], arguments=args if isinstance(args, dict) else {"code": str(args)})


def _strip_special(text: str, tokenizer: Any) -> str:
    for tok in getattr(tokenizer, "all_special_tokens", ()):
        text = text.replace(tok, "")
    return text.strip()


def parse_tool_calls(raw: str, text: str, tokenizer: Any) -> tuple[str, tuple[ToolCall, ...]]:
    """(content, tool calls) of one generated turn; `raw` keeps special tokens, `text` does not.

    No parsable call: (text, ()) — the turn is then an answer (or a plain-text tool call)."""
    template = getattr(tokenizer, "response_template", None)
    if isinstance(template, dict) and "tool_calls" in template.get("fields", {}):
        try:
            parsed = tokenizer.parse_response(raw, prefix="")
        except Exception:  # noqa: BLE001 - unparsable output is an answer, not a crash
            return text, ()
        found = [_tool_call(k, c) for k, c in enumerate(parsed.get("tool_calls") or [])]
        calls = tuple(c for c in found if c is not None)
        return (str(parsed.get("content") or ""), calls) if calls else (text, ())
    calls_list: list[ToolCall] = []
    for k, m in enumerate(_HERMES.finditer(raw)):
        try:
            call = _tool_call(k, json.loads(m.group(1)))
        except json.JSONDecodeError:
            call = None
        if call is not None:
            calls_list.append(call)
    if not calls_list:
        return text, ()
    return _strip_special(_HERMES.sub("", raw), tokenizer), tuple(calls_list)
