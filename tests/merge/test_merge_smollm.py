"""Merging two real checkpoints: SmolLM2-135M (tied embeddings: no lm_head tensor) and a "trained" copy.

B = A's weights plus a small deterministic delta, with config.json's eos/pad ids rewritten the way
transformers/TRL rewrite them during GRPO (2 -> 1). Slow: the GGUF import happens once per run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from codefrontier.merge import PROVENANCE, WeightLine, line_plan, run_merge

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained(smollm: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    b = tmp_path_factory.mktemp("smollm_b") / "B"
    shutil.copytree(smollm, b)
    sd = load_file(smollm / "model.safetensors")
    gen = torch.Generator().manual_seed(0)
    for name, t in sd.items():
        sd[name] = t + (torch.randn(t.shape, generator=gen) * 1e-3 * t.abs().mean())
    save_file(sd, str(b / "model.safetensors"), metadata={"format": "pt"})
    config = json.loads((b / "config.json").read_text())
    assert config["eos_token_id"] == 2 and config["pad_token_id"] == 2  # as the GGUF import writes them
    config.update(eos_token_id=1, pad_token_id=1)
    (b / "config.json").write_text(json.dumps(config))
    return b


def bits(t: torch.Tensor) -> torch.Tensor:
    return t.contiguous().view(torch.int32)  # fp32 tensors compared bit for bit (NaN and -0.0 included)


def test_tied_merge_endpoints_exact_and_midpoint_loadable(smollm, trained, tmp_path):
    from transformers import AutoModelForCausalLM

    lines: list[str] = []
    outs = run_merge(line_plan(str(smollm), str(trained), [0.0, 1.0, 0.5]), tmp_path / "line", log=lines.append)
    assert len(lines) == 1 and "eos_token_id: 2 vs 1" in lines[0]
    A, B = load_file(smollm / "model.safetensors"), load_file(trained / "model.safetensors")
    assert "lm_head.weight" not in A
    for out, src in zip(outs[:2], (A, B), strict=True):
        O = load_file(out / "model.safetensors")
        assert set(O) == set(src) and all(torch.equal(bits(O[k]), bits(src[k])) for k in src)
    mid = load_file(outs[2] / "model.safetensors")
    assert not torch.equal(mid["model.norm.weight"], A["model.norm.weight"])
    model = AutoModelForCausalLM.from_pretrained(outs[2], dtype=torch.float32)
    assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()  # still tied
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([[1, 9690, 198]])).logits
    assert torch.isfinite(logits).all()
    prov = json.loads((outs[2] / PROVENANCE).read_text())
    assert {d["key"] for d in prov["config_differences"]} == {"eos_token_id", "pad_token_id"}
    assert (outs[2] / "chat_template.jinja").exists() or "chat_template" in json.loads(
        (outs[2] / "tokenizer_config.json").read_text())


def test_weight_line_apply_matches_the_streamed_merge(smollm, trained, tmp_path):
    from transformers import AutoModelForCausalLM

    lams = [0.5, 1.5]  # interpolation and extrapolation
    outs = run_merge(line_plan(str(smollm), str(trained), lams), tmp_path / "m")
    model = AutoModelForCausalLM.from_pretrained(smollm, dtype=torch.float32)
    line = WeightLine(smollm, trained)
    assert {n["key"] for n in line.config_notes} == {"eos_token_id", "pad_token_id"}
    for lam, out in zip(lams, outs, strict=True):
        merged = load_file(out / "model.safetensors")
        line.apply(model, lam)
        state = model.state_dict()
        assert all(torch.equal(bits(state[k]), bits(merged[k])) for k in merged), lam
        assert torch.equal(bits(state["lm_head.weight"]), bits(merged["model.embed_tokens.weight"]))
