"""Preparing a solution for runs: Python is compiled by the fork server, C++ by g++ in the sandbox.

g++ runs *inside* the sandbox like any untrusted program (as uid nobody, read-only host,
no network, memory/CPU limits): a hostile `#include "/path/to/tests"` sees nothing, and
its error messages (fed back to models) cannot leak files. The binary is taken out of the
sandbox's /tmp and cached by hash of (flags, source), so a source compiles once.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from codefrontier.judge.config import JudgeConfig
from codefrontier.judge.outcome import Lang
from codefrontier.judge.sandbox import Limits, Sandbox, SandboxError

CE_MAX_CHARS = 4000  # compiler messages are truncated to this
_BIN_DIR: Path | None = None


def source_key(code: str, lang: Lang, extra: str = "") -> str:
    """Hash of the normalized source: line endings and trailing whitespace at the end do not count."""
    norm = code.replace("\r\n", "\n").rstrip()
    return hashlib.sha256(f"{lang.value}\0{extra}\0{norm}".encode("utf-8", "surrogateescape")).hexdigest()


def _bin_dir(config: JudgeConfig) -> Path:
    global _BIN_DIR
    if config.cache_dir:
        d = Path(config.cache_dir) / "cpp-bin"
        d.mkdir(parents=True, exist_ok=True)
        return d
    if _BIN_DIR is None:
        _BIN_DIR = Path(tempfile.mkdtemp(prefix="cf-judge-bin-"))
        atexit.register(shutil.rmtree, _BIN_DIR, True)
    return _BIN_DIR


def truncate(msg: str, limit: int = CE_MAX_CHARS) -> str:
    return msg if len(msg) <= limit else msg[:limit] + f"\n... ({len(msg) - limit} more characters)"


def compile_cpp(sb: Sandbox, code: str, config: JudgeConfig) -> tuple[Path | None, str | None]:
    """(binary path, None) or (None, truncated compiler message). Raises SandboxError on judge faults."""
    flags = list(config.cxx_flags)
    target = _bin_dir(config) / f"{source_key(code, Lang.CPP, ' '.join(flags))}.bin"
    if target.exists():
        return target, None
    limits = Limits(cpu_s=config.compile_time_s, memory_bytes=config.compile_memory_mb << 20)
    raw = sb.run(code.encode("utf-8", "surrogateescape"), limits, mode="argv",
                 argv=["/usr/bin/g++", *flags, "-x", "c++", "-", "-o", "solution"],  # in the run's cwd (its /tmp)
                 env={"PATH": "/usr/bin:/bin", "LANG": "C"}, keep_tmp=True, stderr_head=True)
    if raw.why != "exit" or raw.exit_code != 0:
        with contextlib.suppress(SandboxError):
            os.close(sb.take("solution"))  # also wipes the sandbox's /tmp
        if raw.why != "exit" or raw.oom:
            return None, f"compilation exceeded its limits ({config.compile_time_s:g} s CPU, {config.compile_memory_mb} MB)"
        return None, truncate(raw.stderr.decode("utf-8", "replace"))
    fd = sb.take("solution")
    try:
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with os.fdopen(os.dup(fd), "rb") as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.chmod(tmp, 0o755)
        os.replace(tmp, target)
    finally:
        os.close(fd)
    return target, None


def load(sb: Sandbox, code: str, lang: Lang, config: JudgeConfig) -> str | None:
    """Make `code` the sandbox's current solution; returns a CE message or None."""
    key = source_key(code, lang, " ".join(config.cxx_flags) if lang is Lang.CPP else "")
    if sb.loaded == key:
        return None
    if lang is Lang.PYTHON:
        err = sb.load_python(code, key)
        return truncate(err) if err else None
    path, err = compile_cpp(sb, code, config)
    if path is None:
        return err
    sb.load_binary(str(path), key)
    return None
