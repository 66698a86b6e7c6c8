"""Everything a merge checks before any arithmetic and before any output folder exists.

All inputs must be one architecture: same tensor names, shapes and dtypes (from
the safetensors headers alone), identical non-float tensors (these are
compared byte for byte: usually a few small integer buffers), configs equal
except for a short whitelist of bookkeeping keys, no input given twice, and
finite coefficients. Each refusal is one MergeError listing the first few
differences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from codefrontier.errors import MergeError
from codefrontier.merge.checkpoint import Checkpoint
from codefrontier.merge.st_format import FLOAT_CODES, ITEMSIZE

# config keys that may differ between checkpoints of one model (bookkeeping, not architecture)
CONFIG_WHITELIST = frozenset({"_name_or_path", "transformers_version", "torch_dtype", "dtype", "use_cache", "_commit_hash"})
SHOW = 3  # how many differences an error lists
COMPARE_CHUNK = 8 << 20  # bytes per read when comparing non-float tensors


def check_distinct(ckpts: Sequence[Checkpoint]) -> None:
    """Refuse the same folder given twice (by path or by inode, so symlinks count too)."""
    seen: dict[tuple[int, int], str] = {}
    for c in ckpts:
        st = c.root.stat()
        key = (st.st_dev, st.st_ino)
        if key in seen:
            raise MergeError(f"{c.root} is given twice (also as {seen[key]}); pass two different checkpoints.")
        seen[key] = str(c.root)


def check_coefficients(values: Sequence[float], what: str) -> None:
    for v in values:
        if not math.isfinite(v):
            raise MergeError(f"{what} {v} is not finite; pass finite numbers.")
    if len(set(values)) != len(values):
        raise MergeError(f"{what} values {list(values)} contain duplicates; list each value once.")


def _fmt(items: list[str], total: int) -> str:
    more = f" and {total - len(items)} more" if total > len(items) else ""
    return "; ".join(items) + more


def check_tensors(base: Checkpoint, other: Checkpoint) -> None:
    """Same names, shapes, dtypes as the base, from headers only."""
    a, b = base.tensors, other.tensors
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    if only_a or only_b:
        diffs = [f"{n} only in {base.root}" for n in only_a] + [f"{n} only in {other.root}" for n in only_b]
        raise MergeError(
            f"{base.root} and {other.root} have different tensors: {_fmt(diffs[:SHOW], len(diffs))}; "
            "merge only checkpoints of one architecture."
        )
    diffs = [
        f"{n}: {a[n].dtype}{list(a[n].shape)} vs {b[n].dtype}{list(b[n].shape)}"
        for n in sorted(a)
        if (a[n].shape, a[n].dtype) != (b[n].shape, b[n].dtype)
    ]
    if diffs:
        raise MergeError(
            f"{base.root} and {other.root} differ in shape or dtype: {_fmt(diffs[:SHOW], len(diffs))}; "
            "merge only checkpoints of one architecture and dtype."
        )


def check_non_float_equal(base: Checkpoint, other: Checkpoint) -> None:
    """Integer/bool tensors (position ids, masks) cannot be blended: they must be identical."""
    for name, info in base.tensors.items():
        if info.dtype in FLOAT_CODES:
            continue
        if info.dtype.startswith("F8"):
            raise MergeError(f"{base.root}: tensor {name} is {info.dtype}; dequantize the checkpoints before merging.")
        step = COMPARE_CHUNK // ITEMSIZE[info.dtype]
        for start in range(0, info.numel, step):
            n = min(step, info.numel - start) * ITEMSIZE[info.dtype]
            x, y = bytearray(n), bytearray(n)
            base.read_into(name, start, memoryview(x))
            other.read_into(name, start, memoryview(y))
            if x != y:
                raise MergeError(
                    f"non-float tensor {name} ({info.dtype}) differs between {base.root} and {other.root}; "
                    "integer tensors cannot be averaged, so both checkpoints must share them."
                )


def check_configs(base: Checkpoint, other: Checkpoint) -> None:
    ca, cb = base.config, other.config
    if (ca is None) != (cb is None):
        missing = base.root if ca is None else other.root
        raise MergeError(f"{missing} has no config.json but the other input has one; copy the config over.")
    if ca is None or cb is None:
        return
    keys = sorted((set(ca) | set(cb)) - CONFIG_WHITELIST)
    diffs = [f"{k}: {_short(ca.get(k))} vs {_short(cb.get(k))}" for k in keys if ca.get(k) != cb.get(k)]
    if diffs:
        raise MergeError(
            f"config.json of {base.root} and {other.root} differ: {_fmt(diffs[:SHOW], len(diffs))}; "
            "merge only checkpoints of one architecture."
        )


def _short(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


def validate_inputs(ckpts: Sequence[Checkpoint]) -> None:
    """All checks between the base (first) and every other input."""
    check_distinct(ckpts)
    base = ckpts[0]
    for other in ckpts[1:]:
        check_configs(base, other)
        check_tensors(base, other)
        check_non_float_equal(base, other)
