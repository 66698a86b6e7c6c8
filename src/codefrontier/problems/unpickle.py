"""Decode LiveCodeBench's compressed test cases without ever running a pickle.

LiveCodeBench ships large private test lists as base64 -> zlib -> pickle of a
JSON *string*. A pickle is a program: GLOBAL/STACK_GLOBAL name any callable and
REDUCE calls it (the classic `os.system` payload). We accept only the data
opcodes, in two independent layers:

1. a scan of the opcode stream (`pickletools.genops`, which parses and never
   executes) that refuses every opcode able to name, build or call an object;
2. the pure-Python unpickler with `find_class` refusing everything, so even an
   opcode the scan missed could not reach a class or function.

Then the result must be a string (or plain str/list/dict data) and is parsed as JSON.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import pickle
import pickletools
import zlib
from typing import Any

# Opcodes that name a global, call something, build an object or look up an extension.
_REFUSED = frozenset({
    "GLOBAL", "STACK_GLOBAL", "REDUCE", "BUILD", "INST", "OBJ", "NEWOBJ", "NEWOBJ_EX",
    "EXT1", "EXT2", "EXT4", "PERSID", "BINPERSID",
})
# Decompressed size cap: LiveCodeBench's largest private test list is tens of MB.
MAX_DECOMPRESSED_BYTES = 1 << 30


class UnsafePickleError(ValueError):
    """The payload is not plain data (it names a class or function, or calls one)."""


class _NothingUnpickler(pickle._Unpickler):  # type: ignore[name-defined,misc]
    # The pure-Python unpickler always routes names through find_class (the C one is
    # not guaranteed to for extension codes), and here find_class refuses everything.
    def find_class(self, module: str, name: str) -> Any:
        raise UnsafePickleError(f"the pickle names {module}.{name}; only plain strings are accepted")

    def persistent_load(self, pid: Any) -> Any:
        raise UnsafePickleError("the pickle uses a persistent id; only plain strings are accepted")


def _scan(data: bytes) -> None:
    """Refuse before unpickling if any opcode could name or call an object."""
    names: list[str] = []
    try:
        for op, arg, _pos in pickletools.genops(data):
            if op.name in _REFUSED:
                detail = f" {arg}" if op.name == "GLOBAL" and arg else ""
                if op.name == "STACK_GLOBAL" and len(names) >= 2:
                    detail = f" {names[-2]}.{names[-1]}"
                raise UnsafePickleError(f"the pickle uses opcode {op.name}{detail}; only plain strings are accepted")
            if isinstance(arg, str):
                names.append(arg)
    except UnsafePickleError:
        raise
    except Exception as err:  # genops raises ValueError and friends on malformed streams
        raise UnsafePickleError(f"the pickle is malformed: {err}") from None


def _plain(value: Any) -> bool:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def safe_unpickle(data: bytes) -> Any:
    """Unpickle plain data only (strings, numbers, lists, dicts); anything else is refused."""
    _scan(data)
    try:
        value = _NothingUnpickler(io.BytesIO(data)).load()
    except UnsafePickleError:
        raise
    except Exception as err:
        raise UnsafePickleError(f"the pickle is malformed: {err}") from None
    if not _plain(value):
        raise UnsafePickleError(f"the pickle holds a {type(value).__name__}, not plain data")
    return value


def _inflate(data: bytes, limit: int) -> bytes:
    d = zlib.decompressobj()
    out = d.decompress(data, limit)
    if d.unconsumed_tail:
        raise ValueError(f"the zlib stream inflates past {limit} bytes")
    return out + d.flush()


def decode_lcb_tests(text: str, limit: int = MAX_DECOMPRESSED_BYTES) -> Any:
    """LiveCodeBench test cases: plain JSON, or base64 -> zlib -> pickle -> JSON string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    try:
        raw = _inflate(base64.b64decode(text.encode("ascii"), validate=False), limit)
    except (binascii.Error, zlib.error, UnicodeEncodeError, ValueError) as err:
        raise ValueError(f"the test cases are neither JSON nor base64/zlib data ({err})") from None
    value = safe_unpickle(raw)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as err:
            raise ValueError(f"the decompressed test cases are not JSON ({err.msg})") from None
    return value
