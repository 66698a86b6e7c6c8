"""Nested coverage tiers: hidden tests sorted by size and grouped into tiers 1..K.

Declared tiers (every hidden test has one) are kept; otherwise tiers come from
size quantiles. Tests of equal size always share a tier, so a tier boundary
never splits tests that are indistinguishable by size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from codefrontier.problems.model import Test

DEFAULT_NUM_TIERS = 4


def sort_tests(tests: Sequence[Test]) -> list[Test]:
    """Run order: by (declared tier if any, size, original index)."""
    return sorted(tests, key=lambda t: (t.tier or 0, t.effective_size, t.index))


def quantile_tiers(tests: Sequence[Test], k: int = DEFAULT_NUM_TIERS) -> list[Test]:
    """Assign tiers 1..K' (K' <= k) by size rank; equal sizes share the lower tier."""
    if k < 1:
        raise ValueError(f"the number of tiers must be >= 1, got {k}")
    ordered = sorted(tests, key=lambda t: (t.effective_size, t.index))
    n = len(ordered)
    raw: list[int] = []
    for i, t in enumerate(ordered):
        tier = 1 + (i * k) // n if n else 1
        if i and t.effective_size == ordered[i - 1].effective_size:
            tier = raw[-1]  # ties stay together
        raw.append(tier)
    # Renumber so tiers are contiguous 1..K' (ties can swallow a whole tier).
    renumber = {old: new for new, old in enumerate(sorted(set(raw)), start=1)}
    return [replace(t, tier=renumber[r]) for t, r in zip(ordered, raw, strict=True)]


def assign_tiers(tests: Sequence[Test], k: int = DEFAULT_NUM_TIERS) -> list[Test]:
    """Keep declared tiers when every test has one, else compute K size-quantile tiers."""
    if tests and all(t.tier is not None for t in tests):
        declared = sorted({t.tier for t in tests if t.tier is not None})
        renumber = {old: new for new, old in enumerate(declared, start=1)}
        return sort_tests([replace(t, tier=renumber[t.tier]) for t in tests if t.tier is not None])
    return quantile_tiers([replace(t, tier=None) for t in tests], k)


def check_nested(tests: Sequence[Test]) -> None:
    """Raise ValueError unless tiers are contiguous from 1 and non-decreasing in run order."""
    tiers = [t.tier or 0 for t in tests]
    if any(b < a for a, b in zip(tiers, tiers[1:], strict=False)):
        raise ValueError("hidden tests are not in tier order")
    if tiers and sorted(set(tiers)) != list(range(1, max(tiers) + 1)):
        raise ValueError(f"tiers must be contiguous from 1, got {sorted(set(tiers))}")
