"""Shared fixtures for the judge's tests: a judge without cache (helpers live in judge_fixtures.py)."""

from __future__ import annotations

import pytest

from codefrontier.judge import JudgeConfig


@pytest.fixture
def cfg() -> JudgeConfig:
    return JudgeConfig(cache=False, workers=2)
