"""The HF backend with real chat templates: end-of-turn ids, native tool calls where they can work."""

from __future__ import annotations

import json
from typing import Any

import pytest

from codefrontier.episodes.backend import SamplingParams
from codefrontier.episodes.hf_tools import native_tool_support, parse_tool_calls
from codefrontier.episodes.protocol import PYTHON_TOOL

pytestmark = pytest.mark.slow  # imports torch / transformers and trains a small tokenizer

# A Hermes / Qwen2.5-style template: renders `tools` into the system turn and tool calls as <tool_call> JSON.
HERMES = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n"
    "{% if loop.first and tools %}Tools: {% for t in tools %}{{ t | tojson }}{% endfor %}\n"
    "Call one as <tool_call>{\"name\": ..., \"arguments\": ...}</tool_call>\n{% endif %}"
    "{{ m['content'] or '' }}{% for c in m.get('tool_calls') or [] %}<tool_call>{{ c['function'] | tojson }}"
    "</tool_call>{% endfor %}{{ eos_token }}\n{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}")


@pytest.fixture(scope="module")
def tok() -> Any:
    from codefrontier.models.tokenizer import train_tokenizer

    return train_tokenizer(["<tool_call>{\"name\": \"python\"}</tool_call> print(1) tools", "hello world"], 300)


class ScriptedModel:
    """generate() returns the prompt followed by fixed text's token ids: the backend's decoding under test."""

    def __init__(self, tok: Any, text: str, eos: list[int]) -> None:
        import torch
        from transformers import GenerationConfig

        self.tok, self.ids, self.prompts = tok, tok(text, add_special_tokens=False)["input_ids"], []
        self.config = type("C", (), {"max_position_embeddings": 4096, "eos_token_id": eos[0]})()
        self.generation_config = GenerationConfig(eos_token_id=eos)
        self.device = torch.device("cpu")
        self.seen_eos: Any = None

    def generate(self, input_ids: Any, attention_mask: Any, eos_token_id: Any, **kw: Any) -> Any:
        import torch

        self.seen_eos = eos_token_id
        self.prompts += [self.tok.decode(row) for row in input_ids]
        tail = torch.tensor([self.ids] * input_ids.shape[0])
        return torch.cat([input_ids, tail], dim=1)


def test_builtin_and_smollm_style_templates_stay_on_the_plain_text_protocol(tok: Any) -> None:
    assert not native_tool_support(tok)  # the built-in tiny model's template ignores tools
    smollm = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
              "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
              "{% endif %}")  # SmolLM2-135M-Instruct's template, as its GGUF ships it
    tok.chat_template = smollm
    try:
        assert not native_tool_support(tok)
    finally:
        tok.chat_template = None
        from codefrontier.models.tokenizer import CHAT_TEMPLATE

        tok.chat_template = CHAT_TEMPLATE


def test_generation_stops_at_any_declared_end_of_turn_id(tok: Any) -> None:
    from codefrontier.episodes.hf_backend import HFBackend

    second_eos = tok.convert_tokens_to_ids(tok.tokenize("world")[-1])
    model = ScriptedModel(tok, "hello world and more", eos=[tok.eos_token_id, second_eos])
    backend = HFBackend(model, tok, phases=())  # a scripted model: one generate() call
    out = backend.chat([[{"role": "user", "content": "hi"}]], SamplingParams(max_tokens=20))[0]
    assert set(model.seen_eos) == {tok.eos_token_id, second_eos}  # every id reaches generate
    assert out.finish_reason == "stop" and "and more" not in out.text and out.text.strip().startswith("hello")


def test_native_tool_call_round_trip_with_a_hermes_template(tok: Any) -> None:
    from codefrontier.episodes.hf_backend import HFBackend

    tok.chat_template = HERMES
    try:
        assert native_tool_support(tok)
        call = json.dumps({"name": "python", "arguments": {"code": "print(2)", "input": "1\n"}})
        model = ScriptedModel(tok, f"Testing.<tool_call>{call}</tool_call>", eos=[tok.eos_token_id])
        backend = HFBackend(model, tok, native_tools=native_tool_support(tok), phases=())  # a scripted model: one call
        params = SamplingParams(max_tokens=200, tools=(PYTHON_TOOL,))
        out = backend.chat([[{"role": "user", "content": "solve"}]], params)[0]
        assert '"name": "python"' in model.prompts[0]  # the tool schema reached the prompt through the template
        assert out.finish_reason == "tool_calls" and out.text == "Testing."
        assert [(c.name, c.arguments) for c in out.tool_calls] == [("python", {"code": "print(2)", "input": "1\n"})]
        # The next turn renders the assistant tool call (arguments as a dict, not a JSON string twice).
        history = [{"role": "user", "content": "solve"},
                   {"role": "assistant", "content": "", "tool_calls": [
                       {"id": "call_0", "type": "function",
                        "function": {"name": "python", "arguments": json.dumps({"code": "print(2)"})}}]},
                   {"role": "tool", "tool_call_id": "call_0", "content": "2"}]
        assert '"arguments": {"code": "print(2)"}' in backend.render(history, params)
    finally:
        from codefrontier.models.tokenizer import CHAT_TEMPLATE

        tok.chat_template = CHAT_TEMPLATE


def test_unparsable_tool_call_is_an_answer(tok: Any) -> None:
    assert parse_tool_calls("<tool_call>{not json</tool_call>", "plain", tok) == ("plain", ())
