"""Session fixtures of the models tests: SmolLM2 imported once per run (see smollm_fixture.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from smollm_fixture import smollm_folder


@pytest.fixture(scope="session")
def smollm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return smollm_folder(tmp_path_factory)
