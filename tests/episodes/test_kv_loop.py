"""Our decoding loop (kv_loop.py) against transformers' generate(): the same tokens, row for row."""

from __future__ import annotations

from typing import Any

import pytest

from codefrontier.episodes import kv_loop
from codefrontier.episodes.backend import SamplingParams
from codefrontier.episodes.hf_backend import HFBackend
from codefrontier.models.fresh import fresh_tiny_model
from prefill_spy import prefill_rows

pytestmark = pytest.mark.slow  # importing transformers and building models takes ~20 s on a loaded CPU

PROMPTS = ["hi", "a much longer question about sums " * 3, "x", "sum it", "count the pairs " * 5, "y", "min", "ab " * 9]


def _conv(text: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": "Be brief."}, {"role": "user", "content": text}]


def _gqa_llama() -> tuple[Any, Any]:
    """A random tiny Llama whose attention groups 4 query heads over 2 key/value heads."""
    from transformers import LlamaConfig, LlamaForCausalLM

    _model, tok = fresh_tiny_model(hidden=32, layers=1, max_positions=256)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                      pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id, bos_token_id=tok.bos_token_id)
    import torch

    torch.manual_seed(3)
    return LlamaForCausalLM(cfg).eval(), tok


@pytest.fixture(scope="module")
def models() -> dict[str, tuple[Any, Any]]:
    from codefrontier.demo.prebuilt import PREBUILT

    init = HFBackend.load(str(PREBUILT))  # the demo's shipped init: trained, its rows end on their own
    return {"init": (init.model, init.tokenizer), "gqa": _gqa_llama(), "mha": fresh_tiny_model(hidden=32, layers=2, max_positions=256)}


@pytest.mark.parametrize("arch", ["init", "gqa"])
@pytest.mark.parametrize("temperature", [0.0, 0.7])
def test_loop_gives_generates_tokens(models: dict[str, tuple[Any, Any]], arch: str, temperature: float,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    model, tok = models[arch]
    assert kv_loop.supports(model)
    ref = HFBackend(model, tok, max_batch=8, phases=())
    batch, params, seeds = [_conv(p) for p in PROMPTS], SamplingParams(max_tokens=200 if arch == "init" else 40, temperature=temperature), list(range(8))
    if arch == "gqa" and temperature > 0:  # random weights never write end-of-turn: ids they do write end rows
        ids = [tok(c.text, add_special_tokens=False)["input_ids"] for c in ref.chat(batch, params, seeds=seeds)]
        ref.eos_ids = [*ref.eos_ids, ids[0][4], ids[3][12], ids[6][20]]
    want = ref.chat(batch, params, seeds=seeds)
    kept: list[int] = []
    keep = kv_loop.FilledCache.keep

    def spy(self: kv_loop.FilledCache, rows: Any) -> None:
        kept.append(len(rows))
        keep(self, rows)

    monkeypatch.setattr(kv_loop.FilledCache, "keep", spy)
    for group in (8, 3):
        loop = HFBackend(model, tok, max_batch=8, decoder="loop", group=group, eos_ids=ref.eos_ids)
        got = loop.chat(batch, params, seeds=seeds)
        assert [c.text for c in got] == [c.text for c in want]
        assert [c.completion_tokens for c in got] == [c.completion_tokens for c in want]
    if arch == "init" or temperature > 0:
        assert len({c.completion_tokens for c in want}) > 2  # rows really ended at different steps
        assert kept  # and the batch shrank mid-run


def test_rows_that_share_a_prompt_share_its_prefill(models: dict[str, tuple[Any, Any]],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # the sampler's batches: several samples of each problem, each with its own random stream
    model, tok = models["init"]
    ref = HFBackend(model, tok, max_batch=8, phases=())
    batch, params, seeds = [_conv(PROMPTS[1])] * 4 + [_conv(PROMPTS[4])] * 4, SamplingParams(max_tokens=80, temperature=0.9), list(range(8))
    want = ref.chat(batch, params, seeds=seeds)
    prefill = prefill_rows(monkeypatch, model)
    got = HFBackend(model, tok, max_batch=8, decoder="loop", eos_ids=ref.eos_ids).chat(batch, params, seeds=seeds)
    assert [c.text for c in got] == [c.text for c in want]
    assert len({c.text for c in got[:4]}) > 1  # the rows of one prompt really went their own ways after it
    assert prefill == [2]  # one prefill row per distinct prompt, not one per sample


def test_distinct_prompts_map_each_row_to_its_prefill() -> None:
    assert kv_loop._distinct([[1, 2], [3], [1, 2], [3, 1]], share=True) == ([[1, 2], [3], [3, 1]], [0, 1, 0, 2])
    assert kv_loop._distinct([[1, 2], [3], [1, 2]], share=False) == ([[1, 2], [3], [1, 2]], [0, 1, 2])


def test_loop_keeps_each_rows_room(models: dict[str, tuple[Any, Any]]) -> None:
    # 256 positions: a long prompt leaves ~20 tokens of room, the short row beside it gets all 40
    model, tok = models["mha"]
    loop = HFBackend(model, tok, decoder="loop", eos_ids=[10**9])  # never ends early
    words = 1
    while len(tok(loop.render(_conv("word " * (words + 1)), SamplingParams()), add_special_tokens=False)["input_ids"]) <= 236:
        words += 1
    out = loop.chat([_conv("word " * words), _conv("x"), _conv("word " * 400)], SamplingParams(max_tokens=40), seeds=[1, 2, 3])
    assert 20 <= out[0].completion_tokens < 40 and out[0].finish_reason == "length"
    assert out[1].completion_tokens == 40
    assert out[2].text == "" and out[2].completion_tokens == 0  # no room at all: nothing generated


def test_supports_only_llama_family_models() -> None:
    from transformers import GPT2Config, GPT2LMHeadModel

    assert not kv_loop.supports(GPT2LMHeadModel(GPT2Config(n_layer=1, n_embd=32, n_head=2, vocab_size=64)))
    assert not kv_loop.supports(object())


def test_unknown_decoder_is_refused(models: dict[str, tuple[Any, Any]]) -> None:
    model, tok = models["mha"]
    with pytest.raises(ValueError, match="decoder 'fast'"):
        HFBackend(model, tok, decoder="fast")


def test_a_model_off_the_cpu_is_left_to_generate(models: dict[str, tuple[Any, Any]]) -> None:
    from types import SimpleNamespace

    model, _tok = models["mha"]
    on_gpu = SimpleNamespace(device=SimpleNamespace(type="cuda"), config=model.config, model=model.model,
                             lm_head=model.lm_head)
    assert kv_loop.supports(model) and not kv_loop.supports(on_gpu)
