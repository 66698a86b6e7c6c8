"""One sandbox: a long-lived fork server (`_server.py`) plus its cgroups, and one run at a time.

The judge side of the protocol. A `Sandbox` starts the server once and reuses it for many
submissions: the solution only ever runs in children forked per test, which are killed and
reaped after each run, and /tmp is wiped, so nothing carries over between runs.
Per run the judge passes three fds: stdin (a read-only memfd holding the input), the write
ends of the stdout and stderr pipes. It drains both pipes itself, never buffering more than
the caps: past the stdout cap it tells the server to kill the run (OLE).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codefrontier.judge.cgroup import Cgroups
from codefrontier.judge.config import Isolation, JudgeConfig
from codefrontier.judge.packages import THREAD_PINS, resolve
from codefrontier.judge.seccomp import filter_program

SERVER = Path(__file__).with_name("_server.py")
SETUP_FAILED = 121
USE_NAMESPACES = True  # tests turn this off to exercise the unsafe (no namespaces) level
NOBODY = 65534
F_SETPIPE_SZ = 1031
# All a Python run's os.environ holds, but LD_BIND_NOW, which the server drops once started: with
# every symbol bound at start-up, no run pays the dynamic linker's lazy binding (symbol lookups and
# a copy-on-write fault of the GOT page) for each libc call the server itself never made.
SERVER_ENV = {"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "LD_BIND_NOW": "1", **THREAD_PINS}


@dataclass(frozen=True)
class Pending:
    """A run sent to the server, not yet collected."""

    id: int
    out_r: int
    err_r: int
    timeout_s: float  # how long the judge waits for it before calling the sandbox broken
    stderr_head: bool


class SandboxError(Exception):
    """The sandbox itself failed (a judge fault: the run's verdict is IE)."""


@dataclass(frozen=True)
class Limits:
    cpu_s: float
    memory_bytes: int
    wall_factor: float = 3.0
    wall_hard_factor: float = 10.0


@dataclass(frozen=True)
class RawRun:
    """What one run did, before any verdict: the runner turns this into a TestResult."""

    exit_code: int | None  # exit status, or -signal
    why: str  # 'exit', 'cpu' (CPU limit), 'wall' (wall backstop), 'judge' (killed for output)
    cpu_s: float
    wall_s: float
    peak_bytes: int
    oom: bool  # the memory cgroup OOM-killed something in this run
    stdout: bytes
    stdout_over: bool  # stdout exceeded the cap (OLE)
    stderr: bytes  # the tail
    phases: dict[str, float] | None = None  # server-side phase durations in ms, when timing was asked
    faults: tuple[int, int] | None = None  # page faults (the server's since its last run, the run's), timing


def python_interpreter() -> str:
    """The base interpreter (not a venv wrapper): its prefix is what the sandbox shows."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


def runtime_paths() -> list[str]:
    """Host paths a run may see (read-only): the system's /usr and the Python prefix."""
    paths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
             "/etc/ld.so.cache", "/etc/alternatives", os.path.realpath(sys.base_prefix)]
    return [p for p in dict.fromkeys(paths) if os.path.lexists(p)]


class Sandbox:
    def __init__(self, config: JudgeConfig):
        self.config = config
        packages = resolve(config.packages)  # before anything starts: a missing package is a user error
        self.cgroups = Cgroups.create(config.pids_max)
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock = parent
        self.proc = subprocess.Popen(
            [python_interpreter(), "-I", "-S", "-X", "utf8", str(SERVER), str(child.fileno())],
            pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("CODEFRONTIER_JUDGE_DEBUG") else subprocess.DEVNULL, env=SERVER_ENV, cwd="/")
        child.close()
        # Kills of a run (OLE, cancel) travel on a pipe of their own: the server watches it, not the
        # socket, while a run runs, so the next run queued on the socket does not wake it.
        kill_r, self._kill_w = os.pipe2(os.O_CLOEXEC)
        self.loaded: str | None = None  # key of the solution the server holds
        self.preloaded: set[str] = set()  # packages the server has imported for its solutions
        self._next_id = 0
        self.timing = False  # ask the server for per-run phase timestamps (benchmarks/judge_bench.py)
        # stdin of the runs: two memfds used in turn (two runs may be in flight), handed over read-only
        self._stdin_rw = [os.memfd_create("stdin", os.MFD_CLOEXEC) for _ in range(2)]
        self._stdin_ro = [os.open(f"/proc/self/fd/{fd}", os.O_RDONLY | os.O_CLOEXEC) for fd in self._stdin_rw]
        cg_spec: dict[str, Any] | None = None
        cg_fds: list[int] = []
        if self.cgroups:
            try:
                cg_spec, cg_fds = self.cgroups.server_files()
            except OSError:
                self.cgroups.close()
                self.cgroups = None
        try:
            bpf = filter_program()
            hello = {"namespaces": USE_NAMESPACES, "paths": runtime_paths(), "tmp_mb": config.tmp_mb,
                     "uid": NOBODY, "seccomp": bpf.hex() if bpf else "", "cgroup": cg_spec,
                     "packages": list(packages), "preload": config.preload_packages, "kill": len(cg_fds)}
            self._send(hello, [*cg_fds, kill_r])
            reply, _ = self._recv(timeout=config.io_timeout_s)
        except BaseException:
            self.close()
            raise
        finally:
            for fd in [*cg_fds, kill_r]:
                os.close(fd)
        self.report: dict[str, Any] = reply.get("report", {})
        self.isolation = self._level()

    # ------------------------------------------------------------ protocol
    def _send(self, obj: dict[str, Any], fds: list[int] | tuple[int, ...] = ()) -> None:
        try:
            socket.send_fds(self.sock, [json.dumps(obj).encode()], list(fds))
        except OSError as err:
            raise SandboxError(f"sandbox server is gone: {err}") from None

    def _kill(self, run_id: int) -> None:
        try:
            os.write(self._kill_w, run_id.to_bytes(8, "little"))
        except OSError as err:
            raise SandboxError(f"sandbox server is gone: {err}") from None

    def _recv(self, timeout: float) -> tuple[dict[str, Any], list[int]]:
        poller = select.poll()
        poller.register(self.sock.fileno(), select.POLLIN)
        if not poller.poll(timeout * 1000):
            raise SandboxError("sandbox server did not answer in time")
        return self._read()

    def _read(self) -> tuple[dict[str, Any], list[int]]:
        """The server's next message (waits for it)."""
        data, fds, _, _ = socket.recv_fds(self.sock, 1 << 16, 4)
        if not data:
            raise SandboxError("sandbox server exited")
        return json.loads(data), fds

    def _level(self) -> Isolation:
        r = self.report
        if not (r.get("ns") and r.get("fs") and r.get("seccomp") and (r.get("uid") is not None or r.get("userns"))):
            return Isolation.NONE
        return Isolation.FULL if self.cgroups else Isolation.NAMESPACES

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    # ------------------------------------------------------------ solutions
    def load_python(self, source: str, key: str) -> str | None:
        """Compile the solution in the server; returns the syntax error text, or None."""
        fd = _memfd(source.encode("utf-8", "surrogateescape"))
        try:
            self._send({"cmd": "load", "lang": "python"}, [fd])
        finally:
            os.close(fd)
        reply, _ = self._recv(self.config.io_timeout_s)
        self.loaded = key if reply.get("ok") else None
        self.preloaded.update(reply.get("preloaded", []))
        return None if reply.get("ok") else str(reply.get("error", "syntax error"))

    def load_binary(self, path: str, key: str) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            self._send({"cmd": "load", "lang": "exe"}, [fd])
        finally:
            os.close(fd)
        reply, _ = self._recv(self.config.io_timeout_s)
        if not reply.get("ok"):
            raise SandboxError("the sandbox refused the binary")
        self.loaded = key

    def take(self, name: str) -> int:
        """An fd of a file the last run left in the sandbox's /tmp (the caller closes it)."""
        self._send({"cmd": "take", "name": name})
        reply, fds = self._recv(self.config.io_timeout_s)
        if not reply.get("ok") or not fds:
            raise SandboxError(f"no {name} in the sandbox: {reply.get('error')}")
        return fds[0]

    # ------------------------------------------------------------ runs
    def run(self, stdin: bytes, limits: Limits, mode: str = "python", argv: list[str] | None = None,
            env: dict[str, str] | None = None, keep_tmp: bool = False, stderr_head: bool = False) -> RawRun:
        """One run of the loaded solution (mode 'python' or 'exe') or of `argv` (mode 'argv')."""
        return self.finish(self.start(stdin, limits, mode, argv, env, keep_tmp, stderr_head))

    def start(self, stdin: bytes, limits: Limits, mode: str = "python", argv: list[str] | None = None,
              env: dict[str, str] | None = None, keep_tmp: bool = False, stderr_head: bool = False) -> Pending:
        """Queue a run; at most two may be in flight (the server runs them one after the other)."""
        cfg = self.config
        wall = limits.cpu_s * max(limits.wall_factor, 2.0)
        run_id = self._next_id
        self._next_id += 1
        lim = {"id": run_id, "cpu_s": limits.cpu_s, "wall_s": wall,
               "wall_hard_s": max(wall, limits.cpu_s * limits.wall_hard_factor),
               "memory_bytes": limits.memory_bytes, "stack_bytes": limits.memory_bytes,
               "fsize_bytes": cfg.tmp_mb << 20, "nproc": cfg.pids_max}
        if not self.cgroups:
            lim["as_bytes"] = int(limits.memory_bytes * cfg.as_grace) + (64 << 20)
        stdin_ro = self._set_stdin(run_id % 2, stdin)
        out_r, out_w = os.pipe2(os.O_CLOEXEC)
        err_r, err_w = os.pipe2(os.O_CLOEXEC)
        with contextlib.suppress(OSError):
            fcntl.fcntl(out_r, F_SETPIPE_SZ, 1 << 20)
        try:
            self._send({"cmd": "run", "mode": mode, "argv": argv, "env": env, "limits": lim,
                        "keep_tmp": keep_tmp, "timing": self.timing}, [stdin_ro, out_w, err_w])
        except BaseException:
            os.close(out_r)
            os.close(err_r)
            raise
        finally:
            os.close(out_w)
            os.close(err_w)
        return Pending(run_id, out_r, err_r, lim["wall_hard_s"] + cfg.io_timeout_s, stderr_head)

    def finish(self, p: Pending) -> RawRun:
        """Collect a run started with `start` (runs must be finished in the order they were started)."""
        try:
            reply, out, over, err = self._pump(p)
        finally:
            os.close(p.out_r)
            os.close(p.err_r)
        if reply.get("id") != p.id:
            raise SandboxError(f"the sandbox answered run {reply.get('id')} for run {p.id}")
        if not reply.get("setup_ok"):
            raise SandboxError("the run's sandbox setup failed")
        return RawRun(
            exit_code=os.waitstatus_to_exitcode(int(reply["status"])), why=str(reply["why"]),
            cpu_s=float(reply["cpu"]), wall_s=float(reply["wall"]), peak_bytes=int(reply["peak"]),
            oom=bool(reply["oom"]), stdout=out, stdout_over=over, stderr=err, phases=_phases(reply),
            faults=(int(reply["faults"][0]), int(reply["faults"][1])) if reply.get("faults") else None)

    def cancel(self, p: Pending) -> None:
        """Kill a started run and discard it."""
        self._kill(p.id)
        self.finish(p)

    def _set_stdin(self, slot: int, data: bytes) -> int:
        rw, ro = self._stdin_rw[slot], self._stdin_ro[slot]
        os.ftruncate(rw, 0)
        view, pos = memoryview(data), 0
        while pos < len(view):
            pos += os.pwrite(rw, view[pos:], pos)
        os.lseek(ro, 0, os.SEEK_SET)
        return ro

    def _pump(self, p: Pending) -> tuple[dict[str, Any], bytes, bool, bytes]:
        """Drain stdout (up to the cap) and stderr (keep its tail, or head) until the server replies."""
        out_r, err_r, timeout, stderr_head = p.out_r, p.err_r, p.timeout_s, p.stderr_head
        cap = int(self.config.stdout_cap_mb * (1 << 20))
        keep_err = self.config.stderr_keep_bytes
        out: list[bytes] = []
        n_out, over = 0, False
        err = bytearray()
        sock_fd = self.sock.fileno()
        waiting = 3  # the two pipes' EOFs and the reply
        reply: dict[str, Any] | None = None
        end = time.monotonic() + timeout
        poller = select.poll()  # not select(): fds of a big training process exceed 1024
        for fd in (out_r, err_r, sock_fd):
            poller.register(fd, select.POLLIN)
        while waiting:
            left = end - time.monotonic()
            if left <= 0:
                raise SandboxError("the sandbox did not finish the run in time")
            for fd, _ in poller.poll(left * 1000):
                if fd == sock_fd:
                    reply, _ = self._read()
                    poller.unregister(fd)
                    waiting -= 1
                    continue
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    poller.unregister(fd)
                    waiting -= 1
                elif fd == out_r:
                    n_out += len(chunk)
                    if n_out > cap:
                        over = True
                        out.append(chunk[: len(chunk) - (n_out - cap)])
                        poller.unregister(out_r)  # stop reading; the run is being killed
                        waiting -= 1
                        self._kill(p.id)
                    else:
                        out.append(chunk)
                elif not stderr_head:
                    err += chunk
                    if len(err) > 2 * keep_err:
                        del err[: len(err) - keep_err]
                elif len(err) < keep_err:
                    err += chunk
        assert reply is not None
        return reply, b"".join(out), over, bytes(err[:keep_err] if stderr_head else err[-keep_err:])

    def close(self) -> None:
        kill_w, self._kill_w = getattr(self, "_kill_w", -1), -1  # (closed once: close() may be called again)
        for fd in [*getattr(self, "_stdin_rw", []), *getattr(self, "_stdin_ro", []), *([kill_w] if kill_w >= 0 else [])]:
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            self.sock.close()
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        if self.cgroups:
            self.cgroups.close()


def _memfd(data: bytes) -> int:
    """A memfd holding `data`, positioned at 0."""
    fd = os.memfd_create("cf", os.MFD_CLOEXEC)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


PHASES = ("cgroup+fds", "fork (server side)", "child setup", "run + exit", "reap", "accounting")


def _phases(reply: dict[str, Any]) -> dict[str, float] | None:
    """Durations (ms) between the server's stamps; the child's setup-done stamp splits the run."""
    stamps, setup = reply.get("stamps"), reply.get("setup_done")
    if not stamps or setup is None:
        return None
    t = [stamps[0], stamps[1], stamps[2], setup, stamps[3], stamps[4], stamps[5]]
    # 'fork (server side)' is the parent's fork call; 'child setup' runs from its return in the child
    t[3] = max(setup, t[2])
    return {name: (t[i + 1] - t[i]) / 1e6 for i, name in enumerate(PHASES)}
