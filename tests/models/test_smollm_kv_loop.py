"""Our decoding loop (episodes/kv_loop.py) on a pretrained model and real problems: SmolLM2-135M (grouped
key/value heads, its own chat template) on LiveCodeBench statements from shared/real gives the tokens
transformers' generate() gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from codefrontier.episodes.backend import SamplingParams
from codefrontier.episodes.hf_backend import HFBackend
from codefrontier.episodes.prompts import problem_messages
from prefill_spy import prefill_rows
from real_data import REAL_DIR

pytestmark = pytest.mark.slow


def _real_prompts(count: int) -> list[list[dict[str, str]]]:
    from codefrontier.problems.convert import ConvertConfig, ConvertReport, convert_rows, read_rows

    rows = REAL_DIR / "lcb_rows.jsonl"
    if not rows.is_file():
        pytest.skip(f"{rows} is absent (the shared real data of this project)")
    problems = list(convert_rows(read_rows(rows), ConvertConfig(fmt="lcb"), rows.name, ConvertReport()))
    return [problem_messages(p) for p in problems[:count]]


@pytest.mark.parametrize("temperature", [0.0, 0.7])
def test_loop_gives_generates_tokens_on_smollm2(smollm: Path, temperature: float) -> None:
    ref = HFBackend.load(str(smollm), max_batch=6, phases=())
    assert ref.model.config.num_key_value_heads < ref.model.config.num_attention_heads  # grouped K/V heads
    loop = HFBackend(ref.model, ref.tokenizer, max_batch=6, decoder="loop", group=4)
    prompts = _real_prompts(6)
    params = SamplingParams(max_tokens=48, temperature=temperature)
    want = ref.chat(prompts, params, seeds=list(range(6)))
    got = loop.chat(prompts, params, seeds=list(range(6)))
    assert [c.text for c in got] == [c.text for c in want]
    assert [c.completion_tokens for c in got] == [c.completion_tokens for c in want]
    assert len({c.prompt_tokens for c in want}) > 1  # statements of different lengths: the groups pad


def test_loop_shares_a_real_prompts_prefill_and_keeps_generates_tokens(smollm: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # as the sampler batches them: several samples of each statement, each with its own random stream
    ref = HFBackend.load(str(smollm), max_batch=6, phases=())
    loop = HFBackend(ref.model, ref.tokenizer, max_batch=6, decoder="loop", group=6)
    prompts = [p for p in _real_prompts(2) for _ in range(3)]
    params = SamplingParams(max_tokens=48, temperature=0.7)
    want = ref.chat(prompts, params, seeds=list(range(6)))
    prefill = prefill_rows(monkeypatch, ref.model)
    got = loop.chat(prompts, params, seeds=list(range(6)))
    assert [c.text for c in got] == [c.text for c in want]
    assert prefill == [2]  # each statement prefilled once for its three samples
    assert len({c.text for c in got[:3]}) > 1  # one statement's samples went their own ways after it
