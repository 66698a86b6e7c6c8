"""GGUF checkpoints (llama.cpp's single-file format) imported into a normal safetensors folder.

    import_gguf("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2/")   # ~20-40 s for 135M params on 2 cores
    cached_import("SmolLM2-135M-Instruct.Q4_1.gguf")            # once per file, then a folder path

transformers reads a GGUF file itself (`from_pretrained(dir, gguf_file=name)`, with the `gguf`
package) and dequantizes every tensor to float32, but it marks the model as GGUF-quantized and
`save_pretrained` refuses it. So the weights are copied into a model built from the same config
(without the quantization marker) and that one is saved: fp32 safetensors (tied embeddings stay
tied: no lm_head tensor), config, generation config, and the tokenizer with its chat template.
The folder is written under a hidden temporary name beside the target and renamed into place,
so a reader never sees half an import.

Cache (`cached_import`): `$CODEFRONTIER_CACHE/gguf/`, else `$XDG_CACHE_HOME/codefrontier/gguf/`,
else `~/.cache/codefrontier/gguf/`; one folder `<stem>-<key>` per file, the key hashing the file's
size, mtime and first 4 MiB. Two runs importing the same file at once take turns on a lock file
(the second finds the first's folder and returns it), so the import is paid once.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from codefrontier.errors import CodefrontierError

GGUF_MAGIC = b"GGUF"
IMPORT_NOTE = "gguf_import.json"  # provenance of an imported folder: source file, key, architecture
PREFIX_BYTES = 4 << 20  # bytes of the file hashed into the cache key


def check_gguf_file(file: str | os.PathLike[str]) -> Path:
    """The path, if it is a readable GGUF file; else a one-line error naming it."""
    path = Path(file)
    if not path.is_file():
        raise CodefrontierError(f"{path} does not exist or is not a file (fix: pass the path of a .gguf file).")
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic != GGUF_MAGIC:
        raise CodefrontierError(f"{path} is not a GGUF file (it does not start with b'GGUF') "
                                "(fix: pass a llama.cpp .gguf checkpoint, or a Hugging Face folder instead).")
    return path


# GGUF metadata key -> tokenizer attribute, for the special tokens llama.cpp itself uses
SPECIAL_TOKENS = {"tokenizer.ggml.bos_token_id": "bos_token", "tokenizer.ggml.eos_token_id": "eos_token",
                  "tokenizer.ggml.padding_token_id": "pad_token", "tokenizer.ggml.unknown_token_id": "unk_token"}


def gguf_metadata(path: Path) -> dict[str, Any]:
    """`general.architecture` and the special-token ids of the file (memory-mapped: no tensor is read)."""
    try:
        from gguf import GGUFReader
    except ImportError as err:
        raise CodefrontierError(f"reading {path} needs the `gguf` package (fix: pip install 'gguf>=0.10').") from err
    try:
        fields = GGUFReader(path).fields
        meta: dict[str, Any] = {"general.architecture": str(fields["general.architecture"].contents())}
        meta.update({k: int(fields[k].contents()) for k in SPECIAL_TOKENS if k in fields})
        return meta
    except (KeyError, ValueError, IndexError, TypeError, OSError) as err:
        raise CodefrontierError(f"{path} has unreadable GGUF metadata ({type(err).__name__}: {_line(err)}) "
                                "(fix: re-download or re-convert the file).") from err


def gguf_architecture(path: Path) -> str:
    return str(gguf_metadata(path)["general.architecture"])


def align_special_tokens(tokenizer: Any, meta: dict[str, Any]) -> dict[str, list[Any]]:
    """Set bos/eos/pad/unk from the GGUF metadata where transformers' conversion lost them.

    transformers 5.17 turns SmolLM2's GGUF (eos 2 = <|im_end|>, pad 2) into a tokenizer with eos
    <|im_start|> (id 1) and no pad token: generation then runs past the end of a turn, batches cannot be
    padded, and training rewrites config.json's eos/pad ids to 1. Returns {attribute: [old, new]}."""
    changed: dict[str, list[Any]] = {}
    for key, attr in SPECIAL_TOKENS.items():
        tid = meta.get(key)
        if tid is None or not 0 <= tid < len(tokenizer) or getattr(tokenizer, f"{attr}_id") == tid:
            continue
        changed[attr] = [getattr(tokenizer, f"{attr}_id"), tid]
        setattr(tokenizer, attr, tokenizer.convert_ids_to_tokens(tid))
    return changed


def _line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0][:160] if text else type(err).__name__


def load_gguf(file: str | os.PathLike[str]) -> tuple[Any, Any]:
    """(model, tokenizer) of a GGUF file, dequantized to float32, as transformers loads it."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = check_gguf_file(file)
    arch = gguf_architecture(path)
    try:
        model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    except (ValueError, KeyError, OSError, RuntimeError, NotImplementedError) as err:
        raise CodefrontierError(
            f"transformers cannot load {path} (GGUF architecture '{arch}': {_line(err)}) "
            "(fix: use a GGUF of an architecture transformers supports, e.g. llama, qwen2, mistral, "
            "or the model's Hugging Face folder).") from err
    return model, tokenizer


def plain_copy(gguf_model: Any) -> Any:
    """The same weights in a model built from its config without the GGUF marker (saveable)."""
    import torch
    from transformers import AutoModelForCausalLM

    config = copy.deepcopy(gguf_model.config)  # the GGUF-loaded model stays as it was
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # the weights are already dequantized fp32 tensors
    config.dtype = torch.float32
    # not on the meta device: non-persistent buffers (rotary inv_freq) are not in the state dict
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.load_state_dict(gguf_model.state_dict(), strict=True)
    model.tie_weights()
    model.generation_config = gguf_model.generation_config
    return model.eval()


def write_folder(model: Any, tokenizer: Any, out: Path, note: dict[str, Any]) -> Path:
    """save_pretrained model + tokenizer into a hidden folder beside `out`, then rename it to `out`.

    An existing `out` (the caller allowed replacing it) is moved aside only once the new folder is
    complete, and removed after the rename."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tag = f"{os.getpid()}-{secrets.token_hex(4)}"
    tmp, old = out.parent / f".{out.name}.partial-{tag}", out.parent / f".{out.name}.old-{tag}"
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (tmp / IMPORT_NOTE).write_text(json.dumps(note, indent=2, sort_keys=True) + "\n")
        if out.exists():
            os.rename(out, old)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return out


def import_gguf(file: str | os.PathLike[str], out_dir: str | os.PathLike[str], force: bool = False) -> Path:
    """Write `out_dir`: a safetensors checkpoint folder (fp32) with tokenizer and chat template."""
    path, out = check_gguf_file(file), Path(out_dir)
    _check_free(out, force)
    model, tokenizer = load_gguf(path)
    return import_loaded(path, model, tokenizer, out, force)


def _check_free(out: Path, force: bool) -> None:
    if out.exists() and not force:
        raise CodefrontierError(f"{out} already exists (fix: choose another --out or pass --force to replace it).")


def import_loaded(path: Path, gguf_model: Any, tokenizer: Any, out: Path, force: bool = False) -> Path:
    """`import_gguf` after `load_gguf(path)`: for callers that also use the GGUF-loaded model."""
    import transformers

    _check_free(out, force)
    model = plain_copy(gguf_model)
    meta = gguf_metadata(path)
    note = {"source": str(path.resolve()), "bytes": path.stat().st_size, "key": cache_key(path),
            "architecture": meta["general.architecture"], "parameters": sum(p.numel() for p in model.parameters()),
            "special_tokens_set_from_gguf": align_special_tokens(tokenizer, meta),
            "chat_template": bool(getattr(tokenizer, "chat_template", None)),
            "transformers_version": transformers.__version__}
    return write_folder(model, tokenizer, out, note)


def cache_root() -> Path:
    if os.environ.get("CODEFRONTIER_CACHE"):
        return Path(os.environ["CODEFRONTIER_CACHE"]) / "gguf"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "codefrontier" / "gguf"


def cache_key(path: Path) -> str:
    """16 hex digits over (size, mtime in ns, first 4 MiB): a changed or replaced file gets a new key."""
    st = path.stat()
    h = hashlib.sha256(f"{st.st_size}:{st.st_mtime_ns}:".encode())
    with open(path, "rb") as fh:
        h.update(fh.read(PREFIX_BYTES))
    return h.hexdigest()[:16]


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    """An exclusive advisory lock held while the block runs (released if the process dies)."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing drops the lock


def cached_import(file: str | os.PathLike[str]) -> Path:
    """The imported folder of a GGUF file, importing it into the cache the first time."""
    path = check_gguf_file(file)
    root = cache_root()
    out = root / f"{path.stem}-{cache_key(path)}"
    if (out / IMPORT_NOTE).exists():
        return out
    with _locked(root / f".{out.name}.lock"):
        if not (out / IMPORT_NOTE).exists():  # another run may have finished it while we waited
            import_gguf(path, out, force=out.exists())  # an existing folder without the note is debris
    return out
