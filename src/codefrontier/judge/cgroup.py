"""Memory and pids cgroups for the runs of one sandbox (cgroup v1 or v2).

One cgroup set per sandbox, created under the judge's own cgroup (the only place a
container may write). Each run's child joins it by writing "0" to `cgroup.procs` through
file descriptors the judge opened and passed down, so the sandbox never needs /sys.
The fork server joins the group once (a migration per run would cost an RCU sync, ~10 ms);
its runs are forked inside it. The server's own pages stay charged where they were, so the
group's usage before a run is small. Per run the *server* (`_server_limits.py`, class Memory) sets
the limit relative to that usage, resets the peak before and reads it after, and counts OOM
kills (an OOM kill means MLE), through file descriptors opened here: it cannot see /sys.
v1 (hybrid hosts): separate `memory` and `pids` hierarchies, `memory.max_usage_in_bytes`,
`oom_kill` in `memory.oom_control`. v2: one directory, `memory.peak`, `memory.events`.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
from pathlib import Path
from typing import Any

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


def _reap_stale(parent: Path) -> None:
    """Remove groups left by judge processes that died without cleaning up (empty ones only)."""
    with contextlib.suppress(OSError):
        for d in parent.glob("codefrontier-*-*"):
            pid = d.name.split("-")[1]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                with contextlib.suppress(OSError):
                    d.rmdir()


class Cgroups:
    """The cgroup directories of one sandbox. Use `create()`; None means no cgroup support."""

    def __init__(self, version: int, memory: Path, pids: Path | None):
        self.version, self.memory, self.pids = version, memory, pids

    @classmethod
    def create(cls, pids_max: int = 64) -> Cgroups | None:
        try:
            own = _own_paths()
            name = f"codefrontier-{os.getpid()}-{next(_counter)}"
            if "memory" in own and (ROOT / "memory").is_dir():
                mem = ROOT / "memory" / own["memory"].lstrip("/") / name
                _reap_stale(mem.parent)
                mem.mkdir()
                pids = None
                if "pids" in own and (ROOT / "pids").is_dir():
                    pids = ROOT / "pids" / own["pids"].lstrip("/") / name
                    _reap_stale(pids.parent)
                    pids.mkdir()
                    _write(pids / "pids.max", str(pids_max))
                group = cls(1, mem, pids)
            elif "memory" in (ROOT / "cgroup.controllers").read_text().split():
                base = ROOT / own.get("", "/").lstrip("/")
                with contextlib.suppress(OSError):
                    _write(base / "cgroup.subtree_control", "+memory +pids")
                mem = base / name
                _reap_stale(base)
                mem.mkdir()
                group = cls(2, mem, None)
                try:  # fails when our group cannot delegate memory (processes in it): no cgroup then
                    _write(mem / "pids.max", str(pids_max))
                    with contextlib.suppress(OSError):
                        _write(mem / "memory.swap.max", "0")
                    if not (mem / "memory.max").exists():
                        raise OSError("memory controller not enabled for our groups")
                except OSError:
                    group.close()
                    raise
            else:
                return None
            return group
        except OSError:
            return None

    def server_files(self) -> tuple[dict[str, Any], list[int]]:
        """Open the files the fork server needs (it cannot see /sys): (spec, fds; the caller closes them).

        spec = {"version", "procs": [i...] (join once), "roles": {"usage"|"peak"|"events": i},
        "limits": [i...]} where each i indexes the fd list.
        """
        v1 = self.version == 1
        names = {"usage": "memory.usage_in_bytes" if v1 else "memory.current",
                 "peak": "memory.max_usage_in_bytes" if v1 else "memory.peak",
                 "events": "memory.oom_control" if v1 else "memory.events"}
        limits = ["memory.limit_in_bytes", "memory.memsw.limit_in_bytes"] if v1 else ["memory.max"]
        fds: list[int] = []

        def add(path: Path, flags: int) -> int:
            fds.append(os.open(path, flags | os.O_CLOEXEC))
            return len(fds) - 1

        try:
            spec: dict[str, Any] = {
                "version": self.version,
                "procs": [add(d / "cgroup.procs", os.O_WRONLY) for d in (self.memory, self.pids) if d is not None],
                "roles": {role: add(self.memory / name, os.O_RDWR if role == "peak" else os.O_RDONLY)
                          for role, name in names.items()},
                "limits": [add(self.memory / n, os.O_WRONLY) for n in limits if (self.memory / n).exists()],
            }
        except OSError:
            for fd in fds:
                os.close(fd)
            raise
        return spec, fds

    def close(self) -> None:
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
