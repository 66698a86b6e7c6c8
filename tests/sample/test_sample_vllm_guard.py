"""vLLM is optional: without it the backend refuses with one line (the GPU path is not run here)."""

import importlib.util

import pytest

from codefrontier.episodes.vllm_backend import VLLMBackend
from codefrontier.errors import CodefrontierError


@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vLLM is installed: the guard does not apply")
def test_missing_vllm_is_one_line_error() -> None:
    with pytest.raises(CodefrontierError, match="vLLM is not installed"):
        VLLMBackend("/some/model")
