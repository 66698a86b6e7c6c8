# mypy: ignore-errors
# (standalone, untyped stdlib code that runs inside the sandbox; checked by the judge's tests)
"""The fork server's limits: per-run memory accounting on cgroup files, and its own confinement.

A sibling module of `_server.py`, loaded by path before the judge's directory leaves sys.path.
"""

import ctypes
import os

from _server_wire import suppress

libc = ctypes.CDLL(None, use_errno=True)
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
SECCOMP_NR = {"x86_64": 317, "aarch64": 277}.get(os.uname().machine)


def check(ret, what):
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class Memory:
    """Per-run memory accounting on cgroup files the judge opened for us (we cannot see /sys).

    Limit and peak are relative to the group's usage just before the run (the server's own
    share); `oom_kill` counts from memory.oom_control (v1) or memory.events (v2).
    """

    def __init__(self, spec, fds):
        self.version = spec["version"]
        self.fd = {role: fds[i] for role, i in spec["roles"].items()}
        self.limits = [fds[i] for i in spec["limits"]]
        self.limit = -1
        self.usage0 = 0
        self.oom0 = 0

    def read(self, role):
        return os.pread(self.fd[role], 4096, 0).decode()

    def oom_kills(self):
        for line in self.read("events").splitlines():
            k, _, v = line.partition(" ")
            if k == "oom_kill":
                return int(v)
        return 0

    def before(self, limit):
        self.usage0 = int(self.read("usage"))
        limit = -(-(limit + self.usage0) // (1 << 20)) << 20
        if limit != self.limit:
            for order in (self.limits, self.limits[::-1]):  # v1 memsw must stay >= the limit
                try:
                    for fd in order:
                        os.pwrite(fd, str(limit).encode(), 0)
                    break
                except OSError:
                    continue
            self.limit = limit
        with suppress(OSError):  # v2 memory.peak is resettable from kernel 6.12 on
            os.pwrite(self.fd["peak"], b"0" if self.version == 1 else b"reset", 0)
        self.oom0 = self.oom_kills()

    def after(self):
        return max(0, int(self.read("peak")) - self.usage0), self.oom_kills() > self.oom0


def confine_self(hello):
    """no_new_privs and the seccomp filter on the server itself, once: every run inherits both
    (they survive fork and exec and cannot be undone), instead of installing them per run (~0.2 ms).
    After setup the server needs none of the denied calls. Returns whether a filter is in place."""
    check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    bpf = bytes.fromhex(hello.get("seccomp") or "")
    if not bpf:
        return False
    buf = ctypes.create_string_buffer(bpf, len(bpf))
    prog = SockFprog(len(bpf) // 8, ctypes.addressof(buf))
    # seccomp(2) with SPEC_ALLOW: without it the kernel also turns on speculative-store-bypass
    # mitigation for every run, which costs CPU; fall back to prctl where missing.
    if SECCOMP_NR is None or libc.syscall(SECCOMP_NR, 1, 4, ctypes.byref(prog)) != 0:
        check(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0), "seccomp")
    return True
