# mypy: ignore-errors
# (standalone, untyped stdlib code that runs inside the sandbox; checked by the judge's tests)
"""A run's child of the fork server: its setup (what must happen in the child: setsid, rlimits,
uid) and the Python solution's run. A sibling module of `_server.py`, loaded by path.

What the server sets up once, or just before the fork, and every child inherits: its stdio on fds
0-2, the "setup done" pipe on fd 4, the cwd (the runs' /tmp), no_new_privs and seccomp, the
fixed rlimits, the text streams (`make_stdio`, installed as sys.stdin/stdout/stderr for good), and
the arguments of the child's setup calls (`plan`).

Every page a child writes costs it a copy-on-write fault (~1-2 us here), and its code runs cold
(the interpreter's type-attribute cache misses each lookup the server never made, and writes the
entry): so the child's code takes its functions from this module's globals (no `os.x` lookups)
and only makes the calls.
"""

import _signal as signal
import builtins
import sys
from os import (
    O_WRONLY,
    _exit,
    close,
    closerange,
    dup2,
    execve,
    set_inheritable,
    setgroups,
    setresgid,
    setresuid,
    setsid,
    write,
)
from os import open as os_open
from resource import RLIMIT_AS, RLIMIT_CPU, RLIMIT_NPROC, RLIMIT_STACK, setrlimit
from time import monotonic_ns

from _server_wire import suppress

SETUP_FAILED = 121  # exit status of a child whose sandbox setup failed (judge fault: IE)
MODULES = sys.modules
DEFAULT_SIGNALS = (signal.SIGPIPE, signal.SIGXCPU, signal.SIGXFSZ)


def make_stdio(fds=(0, 1, 2)):
    """Text streams on fds 0, 1, 2, made once here rather than in each run (~0.2 ms of page faults
    a run): a child dup2s its run's fds onto 0-2 and then uses these, still empty, through COW."""
    import io
    stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(fds[0], "r", closefd=False)), encoding="utf-8",
                             errors="replace")
    stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(fds[1], "w", closefd=False), 1 << 16), encoding="utf-8")
    stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(fds[2], "w", closefd=False), 1 << 12), encoding="utf-8",
                              errors="backslashreplace", line_buffering=True)
    return stdin, stdout, stderr


def plan(st, msg, euid):
    """What a child's setup does, worked out by the server before the fork: in the child every
    object it touches costs a copy-on-write page fault, and its code runs cold (no type-attribute
    cache entries, no specialised bytecode), so the child only makes the calls."""
    lim, mode = msg["limits"], msg.get("mode")
    cpu = int(lim["cpu_s"]) + 1
    limits = [(RLIMIT_CPU, (cpu, cpu + 1)), (RLIMIT_STACK, (lim["stack_bytes"], lim["stack_bytes"]))]
    if lim.get("as_bytes"):  # (core, file size and open files: fixed, set on the server once)
        limits.append((RLIMIT_AS, (lim["as_bytes"], lim["as_bytes"])))
    if lim.get("nproc") and euid != 0:
        limits.append((RLIMIT_NPROC, (lim["nproc"], lim["nproc"])))
    exe_fd = st.exe_fd if st.exe_fd is not None and mode == "exe" else None
    return st.in_cgroup, exe_fd, mode in ("exe", "argv"), limits, st.uid


def child_setup(oom, exe_fd, default_signals, limits, uid):
    """In the child: its stdio is on fds 0-2 already (placed by the server before the fork), fd 4
    is the server's "setup done" pipe, the cwd is the runs' /tmp (both set once, inherited)."""
    if oom:  # in the shared group, the OOM killer must pick the run, never the server
        fd = os_open(b"/proc/self/oom_score_adj", O_WRONLY)
        write(fd, b"1000")
        close(fd)
    setsid()
    if exe_fd is None:
        closerange(3, 4)
    elif exe_fd != 3:  # on fd 3, closed by its exec
        dup2(exe_fd, 3, False)
    else:
        set_inheritable(3, False)
    closerange(5, 65536)  # every other fd of the server's
    if default_signals:  # a program exec'd normally starts with default signals
        for sig in DEFAULT_SIGNALS:
            signal.signal(sig, signal.SIG_DFL)
    for resource, pair in limits:
        setrlimit(resource, pair)
    if uid is not None:
        setgroups(())
        setresgid(uid, uid, uid)
        setresuid(uid, uid, uid)
    # no_new_privs and seccomp: inherited from the server (confine_self)
    write(4, b"1%d" % monotonic_ns())  # setup done, and when (timing)
    close(4)


def child_python(st):
    if "random" in MODULES:  # what os.fork's after-fork hook would do: fresh randomness per run
        MODULES["random"].seed()
    code = 0
    try:
        exec(st.code, {"__name__": "__main__", "__builtins__": builtins})
        if "threading" in MODULES:  # wait for non-daemon threads, as a normal interpreter exit does
            MODULES["threading"]._shutdown()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if not isinstance(e.code, (int, type(None))):
            print(e.code, file=sys.stderr)
    except MemoryError:
        code = 1
        write(2, b"\nMemoryError\n")
    except BaseException:
        code = 1
        try:  # from the solution's frames on: the server's own frame is noise (and names a judge path)
            import traceback  # only failing runs pay for it
            etype, err, tb = sys.exc_info()
            traceback.print_exception(etype, err, tb.tb_next if tb is not None else None)
        except BaseException:
            write(2, b"\nerror while printing the traceback\n")
    try:
        sys.stdout.flush()
    except MemoryError:
        code = 1
        write(2, b"\nMemoryError\n")
    except BaseException:
        code = code or 1
    with suppress(BaseException):
        sys.stderr.flush()
    _exit(code & 0xFF)


def child(st, msg, setup):
    try:
        child_setup(*setup)
    except BaseException:
        _exit(SETUP_FAILED)
    try:
        mode = msg.get("mode")
        if mode == "exe":
            execve(3, ["solution"], {})
        if mode == "argv":
            execve(msg["argv"][0], msg["argv"], msg.get("env") or {})
        child_python(st)
    except BaseException:
        _exit(SETUP_FAILED)
