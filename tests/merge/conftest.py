"""Tiny Llama checkpoint pairs built locally (no downloads) for the merge tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from merge_fixtures import build_checkpoint


@pytest.fixture
def make_pair(tmp_path: Path) -> Callable[..., tuple[Path, Path]]:
    """make_pair(dtype=..., tie=..., shard=...) -> (A, B): B = A + a small delta, same init."""

    def make(**kw: object) -> tuple[Path, Path]:
        tag = "-".join(f"{k}{v}" for k, v in sorted(kw.items())).replace("torch.", "").replace(" ", "")
        a = build_checkpoint(tmp_path / f"A{tag}", 1, **kw)  # type: ignore[arg-type]
        b = build_checkpoint(tmp_path / f"B{tag}", 2, noise_of=1, **kw)  # type: ignore[arg-type]
        return a, b

    return make


@pytest.fixture(scope="session")
def smollm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SmolLM2-135M imported from its GGUF once per run (shared with tests/models: smollm_fixture.py)."""
    import sys

    models_tests = str(Path(__file__).resolve().parents[1] / "models")
    if models_tests not in sys.path:
        sys.path.insert(0, models_tests)
    from smollm_fixture import smollm_folder

    return smollm_folder(tmp_path_factory)
