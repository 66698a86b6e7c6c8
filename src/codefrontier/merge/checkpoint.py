"""A Hugging Face checkpoint folder seen as a lazy table of tensors.

Finds the weights (one `model.safetensors`, or shards listed in
`model.safetensors.index.json`; pickled `pytorch_model*.bin` only with
`allow_pickle`), reads every header up front (names, dtypes, shapes, offsets:
no tensor data), and then reads any element range of a tensor on demand:
`pread` into a caller's buffer for safetensors (so resident memory stays one
chunk, not a memory-mapped file), a slice of a memory-mapped tensor for pickles.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codefrontier.errors import MergeError
from codefrontier.merge.st_format import ITEMSIZE, TensorInfo, pread_into, read_header

ST_INDEX = "model.safetensors.index.json"
ST_SINGLE = "model.safetensors"
BIN_INDEX = "pytorch_model.bin.index.json"
BIN_SINGLE = "pytorch_model.bin"
# torch dtype names of the safetensors codes (resolved lazily: torch is imported inside functions)
TORCH_NAMES = {
    "F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
    "F8_E4M3": "float8_e4m3fn", "F8_E5M2": "float8_e5m2", "I64": "int64", "I32": "int32",
    "I16": "int16", "I8": "int8", "U64": "uint64", "U32": "uint32", "U16": "uint16", "U8": "uint8", "BOOL": "bool",
}


def torch_dtype(code: str) -> Any:
    import torch

    return getattr(torch, TORCH_NAMES[code])


@dataclass
class Checkpoint:
    """One input folder: its shards (file name -> tensor names in file order) and tensors."""

    root: Path
    shards: dict[str, list[str]]
    tensors: dict[str, TensorInfo]
    metadata: dict[str, dict[str, str]]  # shard file -> __metadata__
    config: dict[str, Any] | None
    pickled: bool = False
    _fds: dict[Path, int] = field(default_factory=dict, repr=False)
    _pickles: dict[str, Any] = field(default_factory=dict, repr=False)
    _maps: dict[Path, mmap.mmap] = field(default_factory=dict, repr=False)

    # -- reading -------------------------------------------------------------------------------
    def read_into(self, name: str, start: int, buf: memoryview) -> None:
        """Fill `buf` with the raw bytes of tensor `name` from element `start` on."""
        info = self.tensors[name]
        if self.pickled:
            flat = self._pickle_tensor(name).reshape(-1)
            n = len(buf) // ITEMSIZE[info.dtype]
            import torch

            src = flat[start : start + n].contiguous().view(torch.uint8).numpy()
            buf[:] = memoryview(src).cast("B")
            return
        fd = self._fds.get(info.file)
        if fd is None:
            fd = self._fds.setdefault(info.file, os.open(info.file, os.O_RDONLY))
        pread_into(fd, buf, info.offset + start * ITEMSIZE[info.dtype])

    def chunk(self, name: str, start: int, count: int, scratch: Any) -> Any:
        """Raw bytes (uint8 tensor) of elements [start, start+count) of `name`.

        Safetensors: a view of a private memory map (no copy: the kernel's pages are used
        directly); call `release` afterwards so they leave this process's resident set.
        Pickles: read into `scratch` (a uint8 tensor at least that long).
        """
        import torch

        info = self.tensors[name]
        nbytes = count * ITEMSIZE[info.dtype]
        if self.pickled or nbytes == 0:
            out = scratch[:nbytes]
            self.read_into(name, start, memoryview(out.numpy()).cast("B"))
            return out
        m = self._maps.get(info.file)
        if m is None:
            with open(info.file, "rb") as fh:  # private + writable only so torch gets a writable buffer
                m = self._maps.setdefault(info.file, mmap.mmap(fh.fileno(), 0, flags=mmap.MAP_PRIVATE,
                                                                 prot=mmap.PROT_READ | mmap.PROT_WRITE))
        return torch.frombuffer(m, dtype=torch.uint8, count=nbytes, offset=info.offset + start * ITEMSIZE[info.dtype])

    def release(self, name: str, start: int, count: int) -> None:
        """Drop the mapped pages of a chunk from this process (they stay in the page cache)."""
        info = self.tensors[name]
        m = self._maps.get(info.file)
        if m is None or count == 0:
            return
        begin = info.offset + start * ITEMSIZE[info.dtype]
        page = begin - begin % mmap.PAGESIZE
        m.madvise(mmap.MADV_DONTNEED, page, begin - page + count * ITEMSIZE[info.dtype])

    def _pickle_tensor(self, name: str) -> Any:
        import torch

        shard = next(f for f, names in self.shards.items() if name in names)
        if shard not in self._pickles:
            self._pickles[shard] = torch.load(self.root / shard, map_location="cpu", mmap=True, weights_only=True)
        return self._pickles[shard][name]

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()
        for m in self._maps.values():
            with contextlib.suppress(BufferError):  # a tensor still views it: freed with that tensor
                m.close()
        self._maps.clear()
        self._pickles.clear()

    def weight_files(self) -> list[Path]:
        return [self.root / f for f in self.shards]


def open_checkpoint(path: str | os.PathLike[str], allow_pickle: bool = False) -> Checkpoint:
    """Read a checkpoint folder's headers and config; raise MergeError naming what is wrong.

    A `.gguf` file stands for its imported folder (imported into the cache the first time)."""
    from codefrontier.models.checkpoint import resolve_checkpoint

    root = Path(resolve_checkpoint(path))
    if not root.is_dir():
        raise MergeError(f"{root} is not a checkpoint folder (fix: pass a Hugging Face model directory).")
    config = _read_json(root / "config.json") if (root / "config.json").exists() else None
    if (root / ST_INDEX).exists() or (root / ST_SINGLE).exists():
        return _open_safetensors(root, config)
    if (root / BIN_INDEX).exists() or (root / BIN_SINGLE).exists():
        if not allow_pickle:
            raise MergeError(
                f"{root} holds pickled .bin weights, which can run code when loaded; "
                "convert it to safetensors or pass --allow-pickle if you trust it."
            )
        return _open_pickle(root, config)
    raise MergeError(f"{root} has no {ST_SINGLE}, {ST_INDEX} or {BIN_SINGLE} (fix: pass a checkpoint folder).")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise MergeError(f"{path} is not valid JSON ({err}) (fix: repair or re-save it).") from err


def _shard_map(root: Path, index_name: str, single: str) -> dict[str, list[str]]:
    """file name -> tensor names listed for it by the index (or {single: []} without an index)."""
    if not (root / index_name).exists():
        return {single: []}
    weight_map = _read_json(root / index_name).get("weight_map")
    if not isinstance(weight_map, dict) or not weight_map:
        raise MergeError(f"{root / index_name} has no weight_map (fix: re-save the checkpoint).")
    shards: dict[str, list[str]] = {}
    for name, fname in weight_map.items():
        if "/" in fname or fname.startswith("."):
            raise MergeError(f"{root / index_name} points {name} at {fname!r}, outside the folder (fix: correct the index).")
        shards.setdefault(fname, []).append(name)
    return shards


def _open_safetensors(root: Path, config: dict[str, Any] | None) -> Checkpoint:
    listed = _shard_map(root, ST_INDEX, ST_SINGLE)
    shards, tensors, metadata = {}, {}, {}
    for fname, names in listed.items():
        if not (root / fname).exists():
            raise MergeError(f"{root} is missing shard {fname} named by its index (fix: re-download or re-save it).")
        infos, meta = read_header(root / fname)
        if names and set(names) != set(infos):
            extra = sorted(set(names) ^ set(infos))[:3]
            raise MergeError(f"{root / fname} disagrees with {ST_INDEX} about tensors {extra} (fix: re-save it).")
        order = sorted(infos, key=lambda n: infos[n].offset)  # keep the file's own layout
        shards[fname], metadata[fname] = order, meta
        for name in order:
            if name in tensors:
                raise MergeError(f"{root}: tensor {name} appears in two shards (fix: re-save the checkpoint).")
            tensors[name] = infos[name]
    return Checkpoint(root, shards, tensors, metadata, config)


def _open_pickle(root: Path, config: dict[str, Any] | None) -> Checkpoint:
    import torch

    inverse = {v: k for k, v in TORCH_NAMES.items()}
    shards, tensors = {}, {}
    for fname in _shard_map(root, BIN_INDEX, BIN_SINGLE):
        sd = torch.load(root / fname, map_location="cpu", mmap=True, weights_only=True)
        shards[fname] = list(sd)
        for name, t in sd.items():
            code = inverse[str(t.dtype).removeprefix("torch.")]
            tensors[name] = TensorInfo(root / fname, 0, t.numel() * t.element_size(), code, tuple(t.shape))
    return Checkpoint(root, shards, tensors, {f: {"format": "pt"} for f in shards}, config, pickled=True)
