"""A process-wide pool of idle sandboxes, so fork servers are started once and reused.

A sandbox holds no state of a finished run (its children are dead, /tmp is wiped), so
the next submission may use it. Each thread that judges takes one sandbox for the whole
submission and gives it back; a broken one is closed instead.
A sandbox that imported packages for a solution (numpy: tens of MB) forks every later run
dearer, so `get` matches: a solution naming packages gets an idle sandbox that holds them, one
naming none gets the leanest idle sandbox.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections.abc import Iterator

from codefrontier.judge.config import JudgeConfig
from codefrontier.judge.sandbox import Sandbox


def pool_key(config: JudgeConfig) -> tuple:
    """The settings a sandbox itself uses (others, like workers or cache, may differ between users)."""
    return (config.tmp_mb, config.pids_max, config.stdout_cap_mb, config.stderr_keep_bytes,
            config.io_timeout_s, config.as_grace, config.packages, config.preload_packages)


class SandboxPool:
    def __init__(self, max_idle: int = 16):
        self._idle: dict[tuple, list[Sandbox]] = {}
        self._lock = threading.Lock()
        self.max_idle = max_idle

    def get(self, config: JudgeConfig, wants: frozenset[str] = frozenset()) -> Sandbox:
        """An idle sandbox for `config` (the best match for the packages in `wants`), or a new one."""
        with self._lock:
            idle = self._idle.get(pool_key(config), [])
            while idle:
                best = min(range(len(idle)), key=lambda i: (not wants <= idle[i].preloaded,
                                                            len(idle[i].preloaded - wants), -i))
                sb = idle.pop(best)
                if sb.alive:
                    return sb
                sb.close()
        return Sandbox(config)

    def put(self, sb: Sandbox) -> None:
        if not sb.alive:
            sb.close()
            return
        with self._lock:
            idle = self._idle.setdefault(pool_key(sb.config), [])
            if len(idle) < self.max_idle:
                idle.append(sb)
                return
        sb.close()

    @contextlib.contextmanager
    def sandbox(self, config: JudgeConfig) -> Iterator[Sandbox]:
        sb = self.get(config)
        try:
            yield sb
        except BaseException:
            sb.close()
            raise
        self.put(sb)

    def close(self) -> None:
        with self._lock:
            boxes = [sb for idle in self._idle.values() for sb in idle]
            self._idle.clear()
        for sb in boxes:
            sb.close()


POOL = SandboxPool()
atexit.register(POOL.close)
