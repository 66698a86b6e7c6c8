# mypy: ignore-errors
# (standalone, untyped stdlib code that runs inside the sandbox; checked by the judge's tests)
"""A run's child of the fork server: its setup (what must happen in the child: setsid, rlimits,
uid) and the Python solution's run. A sibling module of `_server.py`, loaded by path.

What the server sets up once, or just before the fork, and every child inherits: its stdio on fds
0-2, the "setup done" pipe on fd 4, the cwd (the runs' /tmp), no_new_privs and seccomp, the
fixed rlimits, the text streams (`make_stdio`).
"""

import _signal as signal
import builtins
import os
import resource
import sys
import time

from _server_wire import suppress

SETUP_FAILED = 121  # exit status of a child whose sandbox setup failed (judge fault: IE)


def make_stdio():
    """Text streams on fds 0, 1, 2, made once here rather than in each run (~0.2 ms of page faults
    a run): a child dup2s its run's fds onto 0-2 and then uses these, still empty, through COW."""
    import io
    stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8",
                             errors="replace")
    stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False), 1 << 16), encoding="utf-8")
    stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False), 1 << 12), encoding="utf-8",
                              errors="backslashreplace", line_buffering=True)
    return stdin, stdout, stderr


def child_setup(st, msg):
    """In the child: its stdio is on fds 0-2 already (placed by the server before the fork), fd 4
    is the server's "setup done" pipe, the cwd is the runs' /tmp (both set once, inherited)."""
    if st.in_cgroup:  # in the shared group, the OOM killer must pick the run, never the server
        fd = os.open("/proc/self/oom_score_adj", os.O_WRONLY)  # os-level: open() costs ~0.25 ms here
        os.write(fd, b"1000")
        os.close(fd)
    os.setsid()
    if st.exe_fd is not None and msg.get("mode") == "exe":  # on fd 3, closed by its exec
        if st.exe_fd != 3:
            os.dup2(st.exe_fd, 3)
        os.set_inheritable(3, False)
    else:
        os.closerange(3, 4)
    os.closerange(5, 1 << 16)  # every other fd of the server's
    if msg.get("mode") in ("exe", "argv"):  # a program exec'd normally starts with default signals
        for sig in (signal.SIGPIPE, signal.SIGXCPU, signal.SIGXFSZ):
            signal.signal(sig, signal.SIG_DFL)
    lim = msg["limits"]
    cpu = int(lim["cpu_s"]) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_STACK, (lim["stack_bytes"], lim["stack_bytes"]))
    if lim.get("as_bytes"):  # (core, file size and open files: fixed, set on the server once)
        resource.setrlimit(resource.RLIMIT_AS, (lim["as_bytes"], lim["as_bytes"]))
    if lim.get("nproc") and os.geteuid() != 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (lim["nproc"], lim["nproc"]))
    if st.uid is not None:
        os.setgroups([])
        os.setresgid(st.uid, st.uid, st.uid)
        os.setresuid(st.uid, st.uid, st.uid)
    # no_new_privs and seccomp: inherited from the server (confine_self)
    os.write(4, b"1" + time.monotonic_ns().to_bytes(8, "little"))  # setup done, and when (timing)
    os.close(4)


def child_python(st):
    if "random" in sys.modules:  # what os.fork's after-fork hook would do: fresh randomness per run
        sys.modules["random"].seed()
    sys.stdin, sys.stdout, sys.stderr = st.stdio
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = st.stdio
    code = 0
    try:
        exec(st.code, {"__name__": "__main__", "__builtins__": builtins})
        if "threading" in sys.modules:  # wait for non-daemon threads, as a normal interpreter exit does
            sys.modules["threading"]._shutdown()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if not isinstance(e.code, (int, type(None))):
            print(e.code, file=sys.stderr)
    except MemoryError:
        code = 1
        os.write(2, b"\nMemoryError\n")
    except BaseException:
        code = 1
        try:  # from the solution's frames on: the server's own frame is noise (and names a judge path)
            import traceback  # only failing runs pay for it
            etype, err, tb = sys.exc_info()
            traceback.print_exception(etype, err, tb.tb_next if tb is not None else None)
        except BaseException:
            os.write(2, b"\nerror while printing the traceback\n")
    try:
        sys.stdout.flush()
    except MemoryError:
        code = 1
        os.write(2, b"\nMemoryError\n")
    except BaseException:
        code = code or 1
    with suppress(BaseException):
        sys.stderr.flush()
    os._exit(code & 0xFF)


def child(st, msg):
    try:
        child_setup(st, msg)
    except BaseException:
        os._exit(SETUP_FAILED)
    try:
        if msg.get("mode") == "exe":
            os.execve(3, ["solution"], {})
        if msg.get("mode") == "argv":
            os.execve(msg["argv"][0], msg["argv"], msg.get("env") or {})
        child_python(st)
    except BaseException:
        os._exit(SETUP_FAILED)
