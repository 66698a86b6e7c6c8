"""Everything a merge checks before any arithmetic and before any output folder exists.

All inputs must be one architecture: same tensor names, shapes and dtypes (from
the safetensors headers alone), identical non-float tensors (these are
compared byte for byte: usually a few small integer buffers), configs equal in
every architecture field (token ids, generation defaults and bookkeeping may
differ: returned as notes), no input given twice, and finite coefficients.
Each refusal is one MergeError listing the first few differences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from codefrontier.errors import MergeError
from codefrontier.merge.checkpoint import Checkpoint
from codefrontier.merge.st_format import FLOAT_CODES, ITEMSIZE

# config.json keys that say nothing about the weights' architecture: bookkeeping, token ids and
# generation defaults. They may differ between checkpoints of one model (transformers/TRL rewrite
# eos_token_id/pad_token_id during training); a difference is reported as a note, not refused.
# Every other key (model_type, architectures, sizes, heads, rope, norm eps, tie_word_embeddings,
# activation, anything unknown) must be equal: refusing an unknown key errs on the safe side.
BOOKKEEPING = frozenset({"_name_or_path", "_model_name_or_path", "transformers_version", "torch_dtype", "dtype",
                         "use_cache", "_commit_hash", "output_attentions", "output_hidden_states", "return_dict",
                         "torchscript", "task_specific_params", "finetuning_task", "problem_type"})
GENERATION = frozenset({"max_length", "min_length", "do_sample", "early_stopping", "num_beams", "num_beam_groups",
                        "diversity_penalty", "temperature", "top_k", "top_p", "typical_p", "repetition_penalty",
                        "length_penalty", "no_repeat_ngram_size", "encoder_no_repeat_ngram_size", "bad_words_ids",
                        "num_return_sequences", "output_scores", "return_dict_in_generate", "remove_invalid_values",
                        "exponential_decay_length_penalty", "suppress_tokens", "begin_suppress_tokens",
                        "forced_bos_token_id", "forced_eos_token_id", "chunk_size_feed_forward",
                        "tf_legacy_loss", "prefix", "decoder_start_token_id", "sep_token_id"})
SHOW = 3  # how many differences an error lists
COMPARE_CHUNK = 8 << 20  # bytes per read when comparing non-float tensors


def check_distinct(ckpts: Sequence[Checkpoint]) -> None:
    """Refuse the same folder given twice (by path or by inode, so symlinks count too)."""
    seen: dict[tuple[int, int], str] = {}
    for c in ckpts:
        st = c.root.stat()
        key = (st.st_dev, st.st_ino)
        if key in seen:
            raise MergeError(f"{c.root} is given twice (also as {seen[key]}) (fix: pass two different checkpoints).")
        seen[key] = str(c.root)


def check_coefficients(values: Sequence[float], what: str) -> None:
    for v in values:
        if not math.isfinite(v):
            raise MergeError(f"{what} {v} is not finite (fix: pass finite numbers).")
    if len(set(values)) != len(values):
        raise MergeError(f"{what} values {list(values)} contain duplicates (fix: list each value once).")


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
            raise MergeError(f"{base.root}: tensor {name} is {info.dtype} (fix: dequantize the checkpoints before merging).")
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


def incidental(key: str) -> bool:
    """A (dotted, possibly nested) config key that may differ: bookkeeping, a token id, a generation default."""
    leaf = key.rsplit(".", 1)[-1]
    return leaf in BOOKKEEPING or leaf in GENERATION or leaf.endswith(("_token_id", "_token_ids"))


def _flat(config: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"text_config.hidden_size": 576, ...}: nested sub-configs (multimodal models) compared key by key."""
    out: dict[str, Any] = {}
    for k, v in config.items():
        if isinstance(v, dict) and k.endswith("_config") and k != "quantization_config":
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def check_configs(base: Checkpoint, other: Checkpoint) -> list[dict[str, Any]]:
    """Refuse different architectures; return the other differences ({key, base, other, path}) as notes."""
    ca, cb = base.config, other.config
    if (ca is None) != (cb is None):
        missing = base.root if ca is None else other.root
        raise MergeError(f"{missing} has no config.json but the other input has one (fix: copy the config over).")
    if ca is None or cb is None:
        return []
    fa, fb = _flat(ca), _flat(cb)
    keys = [k for k in sorted(set(fa) | set(fb)) if fa.get(k) != fb.get(k)]
    diffs = [f"{k}: {_short(fa.get(k))} vs {_short(fb.get(k))}" for k in keys if not incidental(k)]
    if diffs:
        raise MergeError(
            f"config.json of {base.root} and {other.root} differ in architecture: {_fmt(diffs[:SHOW], len(diffs))} "
            "(fix: merge only checkpoints of one architecture, e.g. a trained model and its own init)."
        )
    return [{"key": k, "base": fa.get(k), "other": fb.get(k), "path": str(other.root)} for k in keys
            if k.rsplit(".", 1)[-1] not in BOOKKEEPING]


def note_line(notes: Sequence[dict[str, Any]], base: Checkpoint) -> str:
    """One line for the user: which non-architecture config fields differ, and whose are kept."""
    items = [f"{n['key']}: {_short(n['base'])} vs {_short(n['other'])}" for n in notes]
    return (f"note: config.json differs outside the architecture ({_fmt(items[:SHOW * 2], len(items))}); "
            f"the output keeps {base.root}'s values.")


def _short(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


def validate_inputs(ckpts: Sequence[Checkpoint]) -> list[dict[str, Any]]:
    """All checks between the base (first) and every other input; returns the config notes."""
    check_distinct(ckpts)
    base, notes = ckpts[0], []
    for other in ckpts[1:]:
        notes += check_configs(base, other)
        check_tensors(base, other)
        check_non_float_equal(base, other)
    return notes
