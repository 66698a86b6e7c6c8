"""GGUF import round trip on a real model: SmolLM2-135M-Instruct (slow: one ~30 s load per run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from smollm_fixture import PROMPT, smollm_reference

pytestmark = pytest.mark.slow


def test_imported_folder_gives_the_gguf_models_logits(smollm: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    ref = smollm_reference(tmp_path_factory)
    model = AutoModelForCausalLM.from_pretrained(smollm, dtype=torch.float32).eval()
    with torch.no_grad():
        logits = model(input_ids=ref["input_ids"]).logits
    assert logits.shape == ref["logits"].shape
    assert torch.allclose(logits, ref["logits"], rtol=0, atol=1e-5), (logits - ref["logits"]).abs().max()


def test_imported_folder_is_a_plain_tied_fp32_checkpoint(smollm: Path) -> None:
    from safetensors import safe_open

    config = json.loads((smollm / "config.json").read_text())
    assert "quantization_config" not in config  # else from_pretrained would treat it as GGUF again
    assert config["tie_word_embeddings"] is True and config["model_type"] == "llama"
    with safe_open(smollm / "model.safetensors", "pt") as fh:
        names = set(fh.keys())
        dtypes = {fh.get_slice(n).get_dtype() for n in names}
    assert "lm_head.weight" not in names and "model.embed_tokens.weight" in names
    assert dtypes == {"F32"}
    note = json.loads((smollm / "gguf_import.json").read_text())
    assert note["architecture"] == "llama" and note["parameters"] > 100_000_000


def test_tokenizer_keeps_its_chat_template_and_the_gguf_special_tokens(smollm: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(smollm)
    config = json.loads((smollm / "config.json").read_text())
    # the GGUF says eos = pad = 2 (<|im_end|>, where the chat template ends a turn); transformers'
    # own conversion gives eos <|im_start|> and no pad token, which the import corrects
    assert tok.eos_token == "<|im_end|>" and tok.eos_token_id == config["eos_token_id"] == 2
    assert tok.pad_token_id == config["pad_token_id"] == 2
    note = json.loads((smollm / "gguf_import.json").read_text())
    assert note["special_tokens_set_from_gguf"] == {"eos_token": [1, 2], "pad_token": [None, 2]}
    assert tok.chat_template
    text = tok.apply_chat_template(PROMPT, tokenize=False, add_generation_prompt=True)
    assert PROMPT[0]["content"] in text and "<|im_start|>assistant" in text
