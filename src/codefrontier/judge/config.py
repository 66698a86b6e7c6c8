"""Judge configuration (a frozen dataclass, also the CLI's flags) and isolation levels."""

from __future__ import annotations

import os
from dataclasses import dataclass

from codefrontier.enums import StrEnum
from codefrontier.judge.packages import DEFAULT_PACKAGES
from codefrontier.options import opt


class Isolation(StrEnum):
    """What a sandbox achieved on this host, weakest first."""

    NONE = "none"  # rlimits and a session only: the run sees the host (unsafe)
    NAMESPACES = "namespaces"  # net/pid/mount namespaces, read-only root, no_new_privs, seccomp, uid nobody
    FULL = "full"  # NAMESPACES + memory and pids cgroups

    @property
    def rank(self) -> int:
        return list(Isolation).index(self)


@dataclass(frozen=True)
class JudgeConfig:
    workers: int = max(1, os.cpu_count() or 1)  # sandboxes judging in parallel in judge_many
    fail_fast: bool = True  # stop at the first failing test (all_tests=True overrides per call)
    cache: bool = True  # result cache: duplicate (source, problem, tests, limits) cost nothing
    cache_dir: str | None = None  # persist results and C++ binaries here (None: in memory / temp dir)
    min_isolation: Isolation = Isolation.NAMESPACES  # refuse to run below this ...
    unsafe_isolation: bool = opt("Run even below the safe isolation minimum (trusted code only).", False)
    wall_factor: float = 3.0  # wall-clock backstop = wall_factor x time limit (>= 2)
    wall_hard_factor: float = 10.0  # a runnable-but-starved run may get up to this x the limit
    stdout_cap_mb: float = 64.0  # more stdout than this is OLE
    stderr_keep_bytes: int = 4096  # the tail of stderr kept in each result
    stdout_keep_bytes: int = 4096  # the head of stdout kept when keep_stdout is asked
    tmp_mb: int = 64  # size of the run's private /tmp (counted against its memory too)
    pids_max: int = 64  # processes + threads per run
    compile_time_s: float = 30.0  # CPU limit for g++
    compile_memory_mb: int = 2048
    cxx_flags: tuple[str, ...] = ("-std=c++17", "-O2", "-pipe", "-static")
    as_grace: float = 1.25  # without a memory cgroup: RLIMIT_AS = grace x limit + 64 MB
    io_timeout_s: float = 30.0  # a sandbox silent for this long beyond a run's limits is broken (IE)
    # third-party packages Python solutions may import (import names; see judge/packages.py)
    packages: tuple[str, ...] = opt("Third-party packages Python solutions may import, read-only (import names, "
                                    "comma-separated; 'none' for none).", DEFAULT_PACKAGES)
    preload_packages: bool = True  # import a solution's packages once in the fork server, not per run
    excerpt_chars: int = 2000  # bound of the stderr / compiler excerpt kept for the first failure

    def __post_init__(self) -> None:
        if self.wall_factor < 2:
            raise ValueError(f"wall_factor must be >= 2, got {self.wall_factor}")
        if self.workers < 1:
            raise ValueError(f"workers must be >= 1, got {self.workers}")
        if isinstance(self.packages, str):
            raise ValueError(f"packages must be a tuple of import names, got the string {self.packages!r}")
        object.__setattr__(self, "packages", tuple(self.packages))
        if isinstance(self.min_isolation, str):
            object.__setattr__(self, "min_isolation", Isolation(self.min_isolation))
