"""Everything around the tensors of a merged checkpoint: target folder, index, config, provenance.

The target is only ever created by one `rename` of a hidden `.NAME.partial-PID-XXXX` folder that
already holds the finished checkpoint(s). Partial folders left by a killed merge (their PID is
gone) are removed by the next merge into the same target.
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import codefrontier
from codefrontier.errors import MergeError
from codefrontier.io import atomic_write_json
from codefrontier.merge.checkpoint import ST_INDEX, ST_SINGLE, Checkpoint
from codefrontier.merge.plan import MergeOptions, MergePlan
from codefrontier.merge.st_format import FLOAT_CODES, ITEMSIZE

PROVENANCE = "merge_provenance.json"
# files copied from A as they are: generation settings, tokenizer, chat template
AUX_EXACT = {"generation_config.json", "special_tokens_map.json", "added_tokens.json", "vocab.json", "vocab.txt",
             "merges.txt", "chat_template.json", "chat_template.jinja", "preprocessor_config.json",
             "processor_config.json"}
AUX_PREFIX = ("tokenizer",)  # tokenizer.json, tokenizer_config.json, tokenizer.model
CODE_NAMES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16"}


def lam_dirname(lam: float) -> str:
    """Subfolder of one λ in a sweep: lam_0, lam_0.5, lam_-1, lam_1.25 (shortest exact repr)."""
    s = repr(float(lam))
    return "lam_" + (s[:-2] if s.endswith(".0") else s)


def prepare_target(target: Path, force: bool, need_bytes: int) -> Path:
    """Refuse an existing target (unless force) or too little space; return a fresh hidden work folder."""
    if target.exists() and not force:
        raise MergeError(f"{target} already exists (fix: choose another --out or pass --force to replace it).")
    parent = target.parent
    if not parent.is_dir():
        raise MergeError(f"the folder {parent} for --out does not exist (fix: create it first).")
    _remove_stale_partials(target)
    free = shutil.disk_usage(parent).free
    if free < need_bytes:
        raise MergeError(f"{parent} has {free / 2**30:.2f} GiB free but the merge writes {need_bytes / 2**30:.2f} GiB (fix: free space first).")
    tmp = parent / f".{target.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    return tmp


def _remove_stale_partials(target: Path) -> None:
    for p in target.parent.glob(f".{target.name}.partial-*"):
        try:
            pid = int(p.name.rsplit(".partial-", 1)[1].split("-")[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(p, ignore_errors=True)
        except (ValueError, IndexError, PermissionError):
            continue


def publish(tmp: Path, target: Path, force: bool) -> None:
    """Move the finished work folder into place (replacing an old target only with force)."""
    old = None
    if target.exists():
        if not force:
            raise MergeError(f"{target} appeared during the merge (fix: pass --force to replace it).")
        old = target.parent / f".{target.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
        os.rename(target, old)
    os.rename(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()


def finish_checkpoint(d: Path, ckpts: Sequence[Checkpoint], plan: MergePlan, row: Sequence[float],
                      lam: float | None, opts: MergeOptions, out_code: str | None,
                      notes: Sequence[dict[str, Any]] = ()) -> None:
    """Write index (if A had shards), config (dtype updated), A's tokenizer files and the provenance."""
    base = ckpts[0]
    names = sorted(n for n in os.listdir(d) if n.endswith(".safetensors"))
    if len(names) > 1 or not (d / ST_SINGLE).exists():
        total = sum(i.numel * ITEMSIZE[_code(i.dtype, out_code)] for i in base.tensors.values())
        weight_map = {t: fname for fname in names for t in _header_names(d / fname)}
        atomic_write_json(d / ST_INDEX, {"metadata": {"total_size": total}, "weight_map": weight_map})
    if base.config is not None:
        atomic_write_json(d / "config.json", _config(base.config, out_code))
    for f in sorted(base.root.iterdir()):
        if f.is_file() and (f.name in AUX_EXACT or f.name.startswith(AUX_PREFIX)):
            shutil.copy2(f, d / f.name)
    atomic_write_json(d / PROVENANCE, {**_provenance(ckpts, plan, row, lam, opts, out_code),
                                       "config_differences": list(notes)})


def _code(in_code: str, out_code: str | None) -> str:
    return out_code if (out_code and in_code in FLOAT_CODES) else in_code


def _header_names(path: Path) -> list[str]:
    with open(path, "rb") as fh:
        n = int.from_bytes(fh.read(8), "little")
        return [k for k in json.loads(fh.read(n)) if k != "__metadata__"]


def _config(config: dict[str, Any], out_code: str | None) -> dict[str, Any]:
    new = dict(config)
    if out_code is not None:
        name = CODE_NAMES[out_code]
        for key in ("dtype", "torch_dtype"):
            if key in new:
                new[key] = name
        if "dtype" not in new and "torch_dtype" not in new:
            new["dtype"] = name
    return new


def _describe(c: Checkpoint) -> dict[str, Any]:
    files = []
    for f in c.weight_files():
        st = f.stat()
        mtime = datetime.datetime.fromtimestamp(st.st_mtime, datetime.timezone.utc).isoformat()
        files.append({"name": f.name, "bytes": st.st_size, "mtime_utc": mtime})
    return {"path": str(c.root.resolve()), "files": files}


def _provenance(ckpts: Sequence[Checkpoint], plan: MergePlan, row: Sequence[float], lam: float | None,
                opts: MergeOptions, out_code: str | None) -> dict[str, Any]:
    return {
        "kind": plan.kind,
        "formula": plan.formula,
        "lam": lam,
        "base": _describe(ckpts[0]),
        "models": [{**_describe(c), "weight": w} for c, w in zip(ckpts[1:], row, strict=True)],
        "compute_dtype": opts.compute,
        "output_dtype": CODE_NAMES[out_code] if out_code else "input",
        "codefrontier_version": codefrontier.__version__,
        "created_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(),
    }
