"""Memory and pids cgroups for the runs of one sandbox (cgroup v1 or v2).

One cgroup set per sandbox, created under the judge's own cgroup (the only place a
container may write). Each run's child joins it by writing "0" to `cgroup.procs` through
file descriptors the judge opened and passed down, so the sandbox never needs /sys.
The fork server joins the group once (a migration per run would cost an RCU sync, ~10 ms);
its runs are forked inside it. The server's own pages stay charged where they were, so the
group's usage before a run is small; limit and peak are taken relative to it. Per run: the
peak is reset before and read after; an OOM kill in the group means MLE.
v1 (hybrid hosts): separate `memory` and `pids` hierarchies, `memory.max_usage_in_bytes`,
`oom_kill` in `memory.oom_control`. v2: one directory, `memory.peak`, `memory.events`.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
_counter = itertools.count()


def _own_paths() -> dict[str, str]:
    """Controller name -> our cgroup path, from /proc/self/cgroup ('' key = the v2 path)."""
    paths: dict[str, str] = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for c in controllers.split(",") if controllers else [""]:
            paths[c] = path
    return paths


def _write(path: Path, value: str) -> None:
    with open(path, "w") as f:
        f.write(value)


def _parse_kv(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in text.splitlines():
        k, _, v = line.partition(" ")
        with contextlib.suppress(ValueError):
            out[k] = int(v)
    return out


class Cgroups:
    """The cgroup directories of one sandbox. Use `create()`; None means no cgroup support."""

    def __init__(self, version: int, memory: Path, pids: Path | None):
        self.version, self.memory, self.pids = version, memory, pids
        self._oom_before = 0
        self._usage_before = 0
        self._limit = -1
        self._fds: dict[str, int] = {}  # per-run files stay open: pread/pwrite, no open() per run

    def _fd(self, name: str, write: bool = False) -> int:
        fd = self._fds.get(name)
        if fd is None:
            fd = self._fds[name] = os.open(self.memory / name, os.O_RDWR if write else os.O_RDONLY)
        return fd

    def _read(self, name: str) -> str:
        return os.pread(self._fd(name), 4096, 0).decode()

    def _write(self, name: str, value: str) -> None:
        os.pwrite(self._fd(name, write=True), value.encode(), 0)

    @classmethod
    def create(cls, pids_max: int = 64) -> Cgroups | None:
        try:
            own = _own_paths()
            name = f"codefrontier-{os.getpid()}-{next(_counter)}"
            if "memory" in own and (ROOT / "memory").is_dir():
                mem = ROOT / "memory" / own["memory"].lstrip("/") / name
                mem.mkdir()
                pids = None
                if "pids" in own and (ROOT / "pids").is_dir():
                    pids = ROOT / "pids" / own["pids"].lstrip("/") / name
                    pids.mkdir()
                    _write(pids / "pids.max", str(pids_max))
                group = cls(1, mem, pids)
            elif "memory" in (ROOT / "cgroup.controllers").read_text().split():
                base = ROOT / own.get("", "/").lstrip("/")
                with contextlib.suppress(OSError):
                    _write(base / "cgroup.subtree_control", "+memory +pids")
                mem = base / name
                mem.mkdir()
                group = cls(2, mem, None)
                _write(mem / "pids.max", str(pids_max))
                _write(mem / "memory.swap.max", "0")
            else:
                return None
            group.set_memory_limit(256 << 20)
            return group
        except OSError:
            return None

    def procs_files(self) -> list[Path]:
        return [d / "cgroup.procs" for d in (self.memory, self.pids) if d is not None]

    def set_memory_limit(self, limit: int) -> None:
        limit = -(-limit // (1 << 20)) << 20  # whole MB, so per-run jitter does not rewrite it
        if limit == self._limit:
            return
        if self.version == 1:
            # memsw must stay >= the memory limit: try both orders.
            names = ["memory.limit_in_bytes"]
            if (self.memory / "memory.memsw.limit_in_bytes").exists():
                names.append("memory.memsw.limit_in_bytes")
            for order in (names, names[::-1]):
                try:
                    for name in order:
                        self._write(name, str(limit))
                    break
                except OSError:
                    continue
        else:
            self._write("memory.max", str(limit))
        self._limit = limit

    def _oom_kills(self) -> int:
        try:
            text = self._read("memory.oom_control" if self.version == 1 else "memory.events")
        except OSError:
            return 0
        return _parse_kv(text).get("oom_kill", 0)

    def usage(self) -> int:
        try:
            return int(self._read("memory.usage_in_bytes" if self.version == 1 else "memory.current"))
        except (OSError, ValueError):
            return 0

    def before_run(self, limit: int) -> None:
        """Reset the peak; the limit counts from what the group holds now (the server's share)."""
        self._usage_before = self.usage()
        self.set_memory_limit(limit + self._usage_before)
        if self.version == 1:
            self._write("memory.max_usage_in_bytes", "0")
        else:
            with contextlib.suppress(OSError):  # resettable from kernel 6.12 on
                self._write("memory.peak", "reset")
        self._oom_before = self._oom_kills()

    def after_run(self) -> tuple[int | None, bool]:
        """(peak bytes of this run or None, whether the group had an OOM kill during the run)."""
        name = "memory.max_usage_in_bytes" if self.version == 1 else "memory.peak"
        try:
            peak: int | None = max(0, int(self._read(name)) - self._usage_before)
        except (OSError, ValueError):
            peak = None
        return peak, self._oom_kills() > self._oom_before

    def close(self) -> None:
        for fd in self._fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds.clear()
        for d in (self.memory, self.pids):
            if d is None:
                continue
            for _ in range(50):
                try:
                    pids = [int(p) for p in (d / "cgroup.procs").read_text().split()]
                except OSError:
                    break
                for p in pids:
                    with contextlib.suppress(OSError):
                        os.kill(p, signal.SIGKILL)
                try:
                    d.rmdir()
                    break
                except OSError:
                    import time
                    time.sleep(0.01)
