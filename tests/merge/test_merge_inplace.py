"""WeightLine.apply (in place, no disk) and the vLLM weight stream, on CPU."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from codefrontier.errors import MergeError
from codefrontier.merge import WeightLine, line_plan, run_merge


def model_of(path):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(path)


def state(model) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float32])
def test_apply_is_exact_at_endpoints_and_matches_the_disk_merge(make_pair, tmp_path, dtype):
    a, b = make_pair(dtype=dtype, tie=True, shard="20KB")
    model, model_b = model_of(a), model_of(b)
    want_a, want_b = state(model), state(model_b)
    line = WeightLine(a, b)
    for lam in (1.0, 0.37, -0.5, 0.0):  # ends at 0: sweeping must not drift
        line.apply(model, lam)
        got = state(model)
        if lam in (0.0, 1.0):
            want = want_a if lam == 0.0 else want_b
            assert all(torch.equal(got[k].view(torch.uint8), want[k].view(torch.uint8)) for k in want)
        else:
            (out,) = run_merge(line_plan(str(a), str(b), [lam]), tmp_path / f"m{lam}")
            disk = {}
            for f in out.glob("*.safetensors"):
                disk.update(load_file(f))
            assert all(torch.equal(got[k], disk[k]) for k in disk), "in-memory and streamed merges differ"
        assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()
        assert torch.equal(model.lm_head.weight, model.model.embed_tokens.weight)


def test_apply_changes_the_models_outputs_along_the_line(make_pair):
    a, b = make_pair()
    model, model_b = model_of(a), model_of(b)
    ids = torch.tensor([[1, 5, 9, 3]])
    line = WeightLine(a, b)
    with torch.no_grad():
        line.apply(model, 1.0)
        assert torch.equal(model(ids).logits, model_b(ids).logits)
        line.apply(model, 0.5)
        assert not torch.equal(model(ids).logits, model_b(ids).logits)


def test_apply_into_a_model_of_another_dtype_rounds_once(make_pair):
    a, b = make_pair(dtype=torch.float32)
    model = model_of(a).to(torch.bfloat16)
    line = WeightLine(a, b)
    line.apply(model, 0.0)
    sd = load_file(a / "model.safetensors")
    assert torch.equal(model.model.norm.weight, sd["model.norm.weight"].to(torch.bfloat16))


def test_apply_refuses_a_mismatched_model_and_bad_lambda(make_pair, tmp_path):
    from transformers import LlamaConfig, LlamaForCausalLM

    a, b = make_pair()
    line = WeightLine(a, b)
    other = LlamaForCausalLM(LlamaConfig(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=3,
                                         num_attention_heads=4, num_key_value_heads=2))
    with pytest.raises(MergeError, match="does not match the checkpoints.*layers.2"):
        line.apply(other, 0.5)
    with pytest.raises(MergeError, match="not finite"):
        line.apply(model_of(a), float("nan"))
    with pytest.raises(MergeError, match="given twice"):
        WeightLine(a, a)


def test_vllm_weight_stream_without_vllm(make_pair):
    from codefrontier.merge import vllm_ext

    probe = "import sys, codefrontier.merge.vllm_ext; assert 'vllm' not in sys.modules"
    subprocess.run([sys.executable, "-c", probe], check=True)  # vLLM is imported only inside make_llm
    a, b = make_pair(dtype=torch.float32, tie=True)
    line = WeightLine(a, b)
    sd_b = load_file(b / "model.safetensors")
    pairs = dict(vllm_ext.stream_weights(line, 1.0, torch.bfloat16))
    assert set(pairs) == set(sd_b) and "lm_head.weight" not in pairs  # HF names; tied head not repeated
    assert all(pairs[k].dtype == torch.bfloat16 and torch.equal(pairs[k], sd_b[k].to(torch.bfloat16)) for k in sd_b)
    half = dict(vllm_ext.stream_weights(line, 0.5))
    assert all(half[k].dtype == torch.float32 for k in half)
    assert vllm_ext.EXTENSION.endswith("vllm_ext.WeightLineExtension")
    assert hasattr(vllm_ext.WeightLineExtension, "cf_set_lambda")
