"""The safetensors file format, read and written by hand so tensors can be streamed.

A safetensors file is: 8 bytes (little-endian u64) = N, then N bytes of JSON
header `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}`,
then the raw little-endian tensor bytes; offsets are relative to the end of the
header. Reading only the header tells us every name, shape and dtype without
touching the data; writing the header first (all sizes are known in advance)
lets us `pwrite` each tensor's bytes at its offset, chunk by chunk, from several
threads, without ever holding a shard in memory.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codefrontier.errors import MergeError

# bytes per element of each safetensors dtype code
ITEMSIZE = {
    "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "F8_E4M3": 1, "F8_E5M2": 1,
    "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U64": 8, "U32": 4, "U16": 2, "U8": 1, "BOOL": 1,
}
# dtypes we blend (all others must be identical across inputs and are copied)
FLOAT_CODES = ("F64", "F32", "F16", "BF16")
# the --dtype names users type, and their safetensors codes
DTYPE_NAMES = {"float64": "F64", "float32": "F32", "float16": "F16", "bfloat16": "BF16"}
MAX_HEADER = 100 * 1024 * 1024  # the safetensors library's own limit


@dataclass(frozen=True)
class TensorInfo:
    """Where one tensor lives: file, absolute byte offset of its data, dtype code, shape."""

    file: Path
    offset: int
    nbytes: int
    dtype: str
    shape: tuple[int, ...]

    @property
    def numel(self) -> int:
        n = 1
        for s in self.shape:
            n *= s
        return n


def read_header(path: Path) -> tuple[dict[str, TensorInfo], dict[str, str]]:
    """Parse one file's header -> ({name: TensorInfo}, __metadata__), checking it is sane."""
    try:
        with open(path, "rb") as fh:
            raw_len = fh.read(8)
            if len(raw_len) != 8:
                raise MergeError(f"{path} is not a safetensors file (shorter than 8 bytes) (fix: re-save it).")
            (n,) = struct.unpack("<Q", raw_len)
            if n > MAX_HEADER:
                raise MergeError(f"{path} has a {n}-byte header, not a safetensors file (fix: re-save it).")
            header = json.loads(fh.read(n))
    except (OSError, ValueError) as err:
        raise MergeError(f"cannot read the safetensors header of {path} ({err}) (fix: re-save the checkpoint).") from err
    size = path.stat().st_size
    meta = header.pop("__metadata__", None) or {}
    infos: dict[str, TensorInfo] = {}
    for name, h in header.items():
        dtype, shape, (begin, end) = h["dtype"], tuple(int(s) for s in h["shape"]), h["data_offsets"]
        info = TensorInfo(path, 8 + n + begin, end - begin, dtype, shape)
        if dtype not in ITEMSIZE or info.numel * ITEMSIZE[dtype] != info.nbytes or info.offset + info.nbytes > size:
            raise MergeError(f"{path}: tensor {name} has a bad dtype/shape/offset in its header (fix: re-save it).")
        infos[name] = info
    return infos, meta


def plan_layout(tensors: list[tuple[str, str, tuple[int, ...]]], metadata: dict[str, str]) -> tuple[bytes, dict[str, int]]:
    """Build the header bytes for tensors [(name, dtype, shape)] in that order.

    Returns (the first 8 + N bytes of the file, {name: absolute data offset}).
    The header is padded with spaces to a multiple of 8 so tensor data stays aligned.
    """
    header: dict[str, Any] = {"__metadata__": metadata} if metadata else {}
    rel, pos = {}, 0
    for name, dtype, shape in tensors:
        n = ITEMSIZE[dtype]
        for s in shape:
            n *= s
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [pos, pos + n]}
        rel[name] = pos
        pos += n
    body = json.dumps(header, separators=(",", ":")).encode()
    body += b" " * (-(len(body) + 8) % 8)
    prefix = struct.pack("<Q", len(body)) + body
    return prefix, {name: len(prefix) + off for name, off in rel.items()}


def pread_into(fd: int, buf: memoryview, offset: int) -> None:
    """Fill `buf` from file `fd` at `offset` (loops over short reads; releases the GIL)."""
    done = 0
    while done < len(buf):
        got = os.preadv(fd, [buf[done:]], offset + done)
        if got == 0:
            raise MergeError(f"unexpected end of file while reading tensor data (fd {fd}); the input is truncated.")
        done += got


def pwrite_all(fd: int, data: memoryview, offset: int) -> None:
    """Write all of `data` at `offset` (loops over short writes)."""
    done = 0
    while done < len(data):
        done += os.pwrite(fd, data[done:], offset + done)


def byte_view(t: Any) -> memoryview:
    """The bytes of a contiguous CPU uint8 torch tensor, as a writable memoryview (no copy)."""
    return memoryview(t.numpy()).cast("B")
