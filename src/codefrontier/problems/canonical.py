"""Canonical JSON for call-based problems' values: the one form expected outputs are stored in.

The converter writes expected outputs in this form and the judge's call-based harness
(`judge/functional.py`) prints results in it, so the ordinary token checker compares
JSON values: 2 == 2.0, (1, 2) == [1, 2], key order irrelevant. It lives in `problems/`
because the problem format owns it; the judge only mirrors it inside the sandbox.
"""

from __future__ import annotations

import json
import math
from typing import Any


def _canon(v: Any) -> Any:
    """The value the harness prints for `v` (mirror of `_cf_canon` in the epilogue)."""
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return int(v) if math.isfinite(v) and v.is_integer() and abs(v) < 2**53 else v
    if isinstance(v, (list, tuple)):
        return [_canon(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _canon(x) for k, x in v.items()}
    raise TypeError(f"a {type(v).__name__} is not a JSON value")


def canonical_json(value: Any) -> str:
    """Canonical JSON of a plain value: what the harness prints (without the newline)."""
    return json.dumps(_canon(value), sort_keys=True, separators=(",", ":"))


def canonical_output(text: str) -> str:
    """Re-encode an expected output given as JSON text (e.g. "2.00", "[1, 2]") canonically."""
    return canonical_json(json.loads(text))
