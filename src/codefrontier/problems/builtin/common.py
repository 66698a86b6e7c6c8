"""Small helpers shared by the family modules: standard tiers and input formatting."""

from __future__ import annotations

import random
from collections.abc import Iterable

from codefrontier.problems.builtin.spec import TierSpec


def tiers(*sizes: int, top_count: int = 2, count: int = 3) -> tuple[TierSpec, ...]:
    """One TierSpec per size; the top tier gets fewer tests (they dominate build time and file size)."""
    return tuple(TierSpec(s, top_count if i == len(sizes) - 1 else count) for i, s in enumerate(sizes))


# n = 10, 300, 3000, 10^5: four tiers spanning four orders of magnitude.
STD_TIERS = tiers(10, 300, 3000, 100_000)


def line(xs: Iterable[object]) -> str:
    """Space-separated values, no newline."""
    return " ".join(map(str, xs))


def lines(*rows: str) -> str:
    """Join rows into one test input ending in a newline."""
    return "\n".join(rows) + "\n"


def ints(rng: random.Random, lo: int, hi: int, k: int) -> list[int]:
    """k uniform integers in [lo, hi]; rng.choices on a range is ~3x faster than k calls to randint."""
    return rng.choices(range(lo, hi + 1), k=k)


def ranges(rng: random.Random, n: int, q: int) -> list[str]:
    """q random 1-based ranges "l r" with 1 <= l <= r <= n."""
    xs = ints(rng, 1, n, 2 * q)
    return [f"{min(a, b)} {max(a, b)}" for a, b in zip(xs[::2], xs[1::2], strict=True)]
