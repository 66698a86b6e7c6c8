"""The transformers backend on a freshly initialised tiny Llama (CPU)."""

from __future__ import annotations

import pytest

from codefrontier.episodes.backend import SamplingParams
from codefrontier.episodes.hf_backend import HFBackend
from codefrontier.models.fresh import fresh_tiny_model

pytestmark = pytest.mark.slow  # importing transformers and building a model takes ~20 s on a loaded CPU


@pytest.fixture(scope="module")
def backend() -> HFBackend:
    model, tok = fresh_tiny_model(hidden=32, layers=1, max_positions=256)
    return HFBackend(model, tok, max_batch=2)


def _conv(text: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": "Be brief."}, {"role": "user", "content": text}]


def test_batched_left_padded_and_seeded(backend: HFBackend) -> None:
    batch = [_conv("hi"), _conv("a much longer question about sums " * 3), _conv("x")]
    params = SamplingParams(max_tokens=12, temperature=1.0)
    a = backend.chat(batch, params, seeds=[7, 8, 9])
    b = backend.chat(batch, params, seeds=[7, 8, 9])
    assert [c.text for c in a] == [c.text for c in b]  # same seeds, same batches: same samples
    assert all(1 <= c.completion_tokens <= 12 for c in a)
    assert a[0].prompt_tokens < a[1].prompt_tokens  # padding is not counted as prompt


def test_greedy_row_does_not_depend_on_batch_padding(backend: HFBackend) -> None:
    params = SamplingParams(max_tokens=8, temperature=0.0)
    alone = backend.chat([_conv("x")], params)[0]
    padded = backend.chat([_conv("a much longer question about sums " * 3), _conv("x")], params)[1]
    assert alone.text == padded.text


def test_context_overflow_gives_empty_completion(backend: HFBackend) -> None:
    out = backend.chat([_conv("word " * 400)], SamplingParams(max_tokens=8))
    assert out[0].text == "" and out[0].finish_reason == "length"


def test_a_long_row_does_not_cut_the_rows_beside_it_short(backend: HFBackend) -> None:
    # 256 positions: the long prompt leaves ~20 tokens of room, the short one all 40 it asks for
    eos = backend.eos_ids
    backend.eos_ids = [10**9]  # never stops early: every row runs to its limit
    try:
        def width(conv: list[dict[str, str]]) -> int:
            return len(backend.tokenizer(backend.render(conv, SamplingParams()), add_special_tokens=False)["input_ids"])

        words = 1
        while width(_conv("word " * (words + 1))) <= 236:
            words += 1
        long = _conv("word " * words)
        out = backend.chat([long, _conv("x")], SamplingParams(max_tokens=40, temperature=1.0), seeds=[1, 2])
    finally:
        backend.eos_ids = eos
    assert 20 <= out[0].completion_tokens == 256 - width(long) and out[0].finish_reason == "length"
    assert out[1].completion_tokens == 40


def test_phases_drop_ended_rows_without_changing_any_sample(backend: HFBackend) -> None:
    # Rows that ended leave the batch after each phase; the others go on from their ids with their own
    # random streams: the samples are those of one long generate() call.
    batch = [_conv("hi"), _conv("a much longer question about sums " * 3), _conv("x"), _conv("sum it")]
    params = SamplingParams(max_tokens=30, temperature=1.0)
    phases, eos = backend.phases, backend.eos_ids
    try:
        backend.eos_ids = [*eos, *backend.tokenizer("a e", add_special_tokens=False)["input_ids"]]  # rows end early
        backend.phases = ()
        whole = backend.chat(batch, params, seeds=[3, 4, 5, 6])
        backend.phases = (2, 5, 9)
        phased = backend.chat(batch, params, seeds=[3, 4, 5, 6])
    finally:
        backend.phases, backend.eos_ids = phases, eos
    assert [c.text for c in phased] == [c.text for c in whole]
    assert [c.completion_tokens for c in phased] == [c.completion_tokens for c in whole]
    assert len({c.completion_tokens for c in whole}) > 1  # rows really ended at different steps


def test_line_sweep_sets_theta_in_place(tmp_path) -> None:
    import torch

    from codefrontier.sample.launch import LaunchSpec, build_backend

    for name, seed in (("A", 1), ("B", 2)):
        model, tok = fresh_tiny_model(hidden=32, layers=1, max_positions=256, seed=seed)
        model.save_pretrained(tmp_path / name)
        tok.save_pretrained(tmp_path / name)
    spec = LaunchSpec(out=str(tmp_path / "run"), line=(str(tmp_path / "A"), str(tmp_path / "B")), lams=(0.0, 0.5, 1.0))
    backend, ckpts, prepare = build_backend(spec)
    assert [c.label for c in ckpts] == ["lam=+0.00", "lam=+0.50", "lam=+1.00"] and prepare is not None
    b = fresh_tiny_model(hidden=32, layers=1, max_positions=256, seed=2)[0].state_dict()
    a = fresh_tiny_model(hidden=32, layers=1, max_positions=256, seed=1)[0].state_dict()
    name = "model.layers.0.mlp.up_proj.weight"
    prepare(ckpts[2])
    assert torch.equal(backend.model.state_dict()[name], b[name])
    prepare(ckpts[1])
    assert torch.allclose(backend.model.state_dict()[name], (a[name] + b[name]) / 2, atol=1e-6)
    out = backend.chat([_conv("hi")], SamplingParams(max_tokens=4))
    assert out[0].completion_tokens >= 1


def test_a_tokenizer_without_pad_token_pads_with_end_of_turn() -> None:
    # Base models and some GGUF tokenizers declare no pad token; a batch must still be paddable.
    model, tok = fresh_tiny_model(hidden=32, layers=1, max_positions=256)
    tok.pad_token = None
    out = HFBackend(model, tok, max_batch=2).chat([_conv("hi"), _conv("a longer question " * 4)],
                                                   SamplingParams(max_tokens=4, temperature=0.0))
    assert len(out) == 2 and tok.pad_token_id == tok.eos_token_id


def test_a_sampled_row_does_not_depend_on_the_rows_batched_with_it(backend: HFBackend) -> None:
    params = SamplingParams(max_tokens=10, temperature=1.0)
    alone = backend.chat([_conv("x")], params, seeds=[42])[0]
    mixed = backend.chat([_conv("a much longer question about sums " * 3), _conv("x")], params, seeds=[5, 42])[1]
    assert alone.text == mixed.text  # the row's own seed decides its sample (a resumed run batches differently)
    others = {backend.chat([_conv("x")], params, seeds=[s])[0].text for s in range(1, 6)}
    assert len(others) > 1  # and the seed matters


def test_unseeded_rows_of_one_prompt_draw_different_samples(backend: HFBackend) -> None:
    texts = [c.text for c in backend.chat([_conv("x")] * 4, SamplingParams(max_tokens=10, temperature=1.0))]
    assert len(set(texts)) > 1  # no seeds given: each row still has a stream of its own


def test_launch_spec_refuses_an_unknown_decoder(tmp_path) -> None:
    from codefrontier.errors import CodefrontierError
    from codefrontier.sample.launch import LaunchSpec

    assert LaunchSpec(out=str(tmp_path), checkpoint="x").decoder == "loop"
    with pytest.raises(CodefrontierError, match="--decoder fast: unknown"):
        LaunchSpec(out=str(tmp_path), checkpoint="x", decoder="fast")
