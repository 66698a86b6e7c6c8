"""A spy on a model's forward() for the decoding-loop tests: kv_loop calls the model itself only to
prefill (each step runs the layers directly), so the batch sizes it records are the prefill rows."""

from __future__ import annotations

from typing import Any

import pytest


def prefill_rows(monkeypatch: pytest.MonkeyPatch, model: Any) -> list[int]:
    """The rows of every forward() call on `model`'s class from now on (undone with the monkeypatch)."""
    rows: list[int] = []
    forward = type(model).forward

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        rows.append(int(kwargs["input_ids"].shape[0]))
        return forward(self, *args, **kwargs)

    monkeypatch.setattr(type(model), "forward", spy)
    return rows
