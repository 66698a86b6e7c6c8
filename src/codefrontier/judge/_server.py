# mypy: ignore-errors
# (a standalone, untyped stdlib script that runs inside the sandbox; checked by its tests)
"""The sandbox fork server: a standalone stdlib-only program (never imported by the judge).

Started by `sandbox.Sandbox` as `python -I -S -X utf8 _server.py SOCKFD`. It
  1. reads a hello message (runtime paths to show, seccomp program, uid) from the socket,
  2. enters new mount/pid/net/ipc/uts namespaces: the process forks once more so the server
     is pid 1 of its own pid namespace (the outer process only waits),
  3. builds a fresh root: tmpfs with read-only binds of the runtime paths, a new /proc, a
     minimal /dev, a private /tmp; pivot_root; the host filesystem is gone,
  4. pre-imports common modules and then serves requests: `load` (compile the Python
     solution, or keep a binary fd), `run` (fork one child per test: join cgroups, setsid,
     rlimits, drop to uid nobody, no_new_privs, seccomp, then exec the solution), `take`.

Each run is supervised here: CPU time polled from /proc, a wall-clock backstop that is
extended only while the run is runnable but starved of CPU, and afterwards `kill(-1)` from
pid 1 kills every process the run left behind, and all of them are reaped. The server never
receives expected outputs; a run's only inputs are its stdin fd and the solution.
Messages are JSON over a SOCK_SEQPACKET socket; file descriptors travel as SCM_RIGHTS.
"""

import contextlib
import ctypes
import fcntl
import json
import os
import platform
import resource
import select
import signal
import socket
import sys
import time

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x20000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
PIVOT_ROOT_NR = {"x86_64": 155, "aarch64": 41}.get(platform.machine())
SECCOMP_NR = {"x86_64": 317, "aarch64": 277}.get(platform.machine())
SETUP_FAILED = 121  # exit status of a child whose sandbox setup failed (judge fault: IE)
CLK_TCK = os.sysconf("SC_CLK_TCK")
PREIMPORT = ("math", "collections", "itertools", "heapq", "bisect", "functools", "re", "string",
             "random", "operator", "array", "fractions", "decimal", "copy", "typing", "io",
             "threading", "traceback", "atexit", "builtins", "statistics", "dataclasses", "enum")


def check(ret, what):
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def mount(src, dst, fstype, flags, data=None):
    def enc(s):
        return (s.encode() if s is not None else None)
    check(libc.mount(enc(src), enc(dst), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {dst}")


def send(sock, obj, fds=()):
    socket.send_fds(sock, [json.dumps(obj).encode()], list(fds))


# ---------------------------------------------------------------- namespaces and filesystem

def enter_namespaces(sock):
    """unshare, then fork so that the server is pid 1 of the new pid namespace."""
    flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
    if os.geteuid() != 0:
        flags |= CLONE_NEWUSER
    uid, gid = os.getuid(), os.getgid()
    check(libc.unshare(flags), "unshare")
    if flags & CLONE_NEWUSER:  # map ourselves to root inside, so mounts work
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as f:
            f.write(f"0 {gid} 1")
    pid = os.fork()
    if pid:  # the outer process: wait for pid 1 and vanish with it
        sock.close()
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    return bool(flags & CLONE_NEWUSER)


def pick_root(paths):
    for cand in ("/mnt", "/media", "/srv", "/opt", "/tmp"):
        if os.path.isdir(cand) and not any(p == cand or p.startswith(cand + "/") for p in paths):
            return cand
    raise OSError("no directory to build the sandbox root on")


def bind_ro(src, dst):
    if os.path.isdir(src):
        os.makedirs(dst, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        open(dst, "a").close()
    mount(src, dst, None, MS_BIND | MS_REC)
    mount(None, dst, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def build_root(paths, tmp_mb):
    """A tmpfs root holding read-only binds of `paths`, /proc, /dev, /tmp; then pivot_root."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = pick_root(paths)
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=16m")
    for p in paths:
        if os.path.islink(p):
            os.makedirs(os.path.dirname(root + p), exist_ok=True)
            os.symlink(os.readlink(p), root + p)
        elif os.path.exists(p):
            bind_ro(p, root + p)
    os.makedirs(root + "/proc")
    mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.makedirs(root + "/dev")
    mount("tmpfs", root + "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k")
    for dev in ("null", "zero", "full", "random", "urandom"):
        open(root + "/dev/" + dev, "a").close()
        mount("/dev/" + dev, root + "/dev/" + dev, None, MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, root + "/dev/" + name)
    os.makedirs(root + "/tmp")
    mount("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={tmp_mb}m")
    os.chdir(root)
    if PIVOT_ROOT_NR is None:
        raise OSError("pivot_root: unknown architecture")
    check(libc.syscall(PIVOT_ROOT_NR, b".", b"."), "pivot_root")
    check(libc.umount2(b".", MNT_DETACH), "umount old root")
    os.chdir("/")
    mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


# ---------------------------------------------------------------- one run

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
        with contextlib.suppress(OSError):  # v2 memory.peak is resettable from kernel 6.12 on
            os.pwrite(self.fd["peak"], b"0" if self.version == 1 else b"reset", 0)
        self.oom0 = self.oom_kills()

    def after(self):
        return max(0, int(self.read("peak")) - self.usage0), self.oom_kills() > self.oom0


class State:
    def __init__(self, hello, ns):
        self.ns = ns  # pid 1 of our own pid namespace: kill(-1) is ours to use
        self.uid = hello.get("uid")
        self.in_cgroup = False
        self.tmp = "/tmp"  # the runs' private /tmp (a directory of our own without a mount view)
        self.backlog = []  # (message, fds) read while supervising a run
        self.cancelled = set()  # ids of queued runs the judge killed before they started
        self.memory = None  # Memory, when the judge gave us cgroup files
        self.code = None  # compiled Python solution
        self.exe_fd = None  # fd of a binary to execute
        bpf = bytes.fromhex(hello.get("seccomp") or "")
        self._bpf = ctypes.create_string_buffer(bpf, len(bpf)) if bpf else None
        self.fprog = SockFprog(len(bpf) // 8, ctypes.addressof(self._bpf)) if bpf else None


def child_setup(st, msg, fds, ok_w):
    if st.in_cgroup:  # in the shared group, the OOM killer must pick the run, never the server
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    os.setsid()
    for i, fd in enumerate(fds):
        os.dup2(fd, i)
    ok_hi = fcntl.fcntl(ok_w, fcntl.F_DUPFD, 100)  # out of the way before placing fds 3 and 4
    if st.exe_fd is not None and msg.get("mode") == "exe":
        os.dup2(fcntl.fcntl(st.exe_fd, fcntl.F_DUPFD, 100), 3)
        os.set_inheritable(3, False)
    os.dup2(ok_hi, 4)
    os.closerange(5, 1 << 16)
    if msg.get("mode") in ("exe", "argv"):  # a program exec'd normally starts with default signals
        for sig in (signal.SIGPIPE, signal.SIGXCPU, signal.SIGXFSZ):
            signal.signal(sig, signal.SIG_DFL)
    lim = msg["limits"]
    cpu = int(lim["cpu_s"]) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_STACK, (lim["stack_bytes"], lim["stack_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (lim["fsize_bytes"], lim["fsize_bytes"]))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    if lim.get("as_bytes"):
        resource.setrlimit(resource.RLIMIT_AS, (lim["as_bytes"], lim["as_bytes"]))
    if lim.get("nproc") and os.geteuid() != 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (lim["nproc"], lim["nproc"]))
    if st.uid is not None:
        os.setgroups([])
        os.setresgid(st.uid, st.uid, st.uid)
        os.setresuid(st.uid, st.uid, st.uid)
    os.chdir(st.tmp)
    check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    # seccomp(2) with SPEC_ALLOW: without it the kernel also turns on speculative-store-bypass
    # mitigation for the run, which costs CPU on every run; fall back to prctl where missing.
    if st.fprog is not None and (SECCOMP_NR is None or libc.syscall(SECCOMP_NR, 1, 4, ctypes.byref(st.fprog)) != 0):
        check(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(st.fprog), 0, 0), "seccomp")
    os.write(4, b"1")
    os.close(4)


def child_python(st):
    import io
    import threading
    import traceback
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)),
                                                 encoding="utf-8", errors="replace")
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "w", closefd=False), 1 << 16), encoding="utf-8")
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False), 1 << 12), encoding="utf-8",
        errors="backslashreplace", line_buffering=True)
    code = 0
    try:
        exec(st.code, {"__name__": "__main__", "__builtins__": __builtins__})
        threading._shutdown()  # wait for non-daemon threads, as a normal interpreter exit does
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if not isinstance(e.code, (int, type(None))):
            print(e.code, file=sys.stderr)
    except MemoryError:
        code = 1
        os.write(2, b"\nMemoryError\n")
    except BaseException:
        code = 1
        try:
            traceback.print_exc()
        except BaseException:
            os.write(2, b"\nerror while printing the traceback\n")
    try:
        sys.stdout.flush()
    except MemoryError:
        code = 1
        os.write(2, b"\nMemoryError\n")
    except BaseException:
        code = code or 1
    with contextlib.suppress(BaseException):
        sys.stderr.flush()
    os._exit(code & 0xFF)


def child(st, msg, fds, ok_w):
    try:
        child_setup(st, msg, fds, ok_w)
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


def ns_cpu_and_runnable(st, pid):
    """CPU seconds of every live process of this run (/proc ticks) and whether any is runnable."""
    pids = [p for p in os.listdir("/proc") if p.isdigit() and p != "1"] if st.ns else [str(pid)]
    total, runnable = 0, False
    for p in pids:
        try:
            with open(f"/proc/{p}/stat", "rb") as f:
                rest = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        runnable = runnable or rest[0] == b"R"
        total += int(rest[11]) + int(rest[12]) + int(rest[13]) + int(rest[14])
    return total / CLK_TCK, runnable


def supervise(st, sock, pid, lim, t0):
    """Wait for the child; returns why it ended: 'exit', 'cpu', 'wall' or 'judge'."""
    cpu_lim, wall_lim, hard = lim["cpu_s"], lim["wall_s"], lim["wall_hard_s"]
    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    poller.register(sock, select.POLLIN)
    deadline, check_at = t0 + wall_lim, t0 + cpu_lim
    try:
        while True:
            timeout = max(0.0, min(deadline, check_at) - time.monotonic())
            for fd, _ in poller.poll(timeout * 1000):
                if fd == pidfd:
                    return "exit"
                data, fds, _, _ = socket.recv_fds(sock, 65536, 8)
                if not data:  # the judge is gone: pid 1 exits and the kernel kills the run
                    kill_all(st, pid)
                    os._exit(0)
                req = json.loads(data)
                if req.get("cmd") == "kill" and req.get("id") == lim.get("id"):
                    return "judge"
                st.backlog.append((req, fds))  # the next run, queued by the judge: keep it for later
            now = time.monotonic()
            cpu, runnable = ns_cpu_and_runnable(st, pid)
            if cpu > cpu_lim:
                return "cpu"
            if now >= deadline:
                if not (runnable and now < t0 + hard):
                    return "wall"
                deadline = now + 0.05  # starved of CPU, not idle: give it more wall time
            check_at = now + max(cpu_lim - cpu, 0.01)
    finally:
        os.close(pidfd)


def kill_all(st, pid):
    """Kill and reap every process this run left behind (pid 1: kill(-1) reaches all of them)."""
    if st.ns:
        while True:
            with contextlib.suppress(ProcessLookupError):
                os.kill(-1, signal.SIGKILL)
            try:
                while os.waitpid(-1, os.WNOHANG)[0]:
                    pass
            except ChildProcessError:
                return
            time.sleep(0.0005)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def clean_tmp(path):
    import shutil
    for entry in os.scandir(path):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def do_run(st, sock, msg, fds):
    lim = msg["limits"]
    if st.memory is not None:
        st.memory.before(lim["memory_bytes"])
    ok_r, ok_w = os.pipe()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        child(st, msg, fds, ok_w)
    os.close(ok_w)
    for fd in fds:
        os.close(fd)
    why = supervise(st, sock, pid, lim, t0)
    if why != "exit":
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    kill_all(st, pid)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    setup_ok = os.read(ok_r, 1) == b"1"
    os.close(ok_r)
    if not msg.get("keep_tmp"):
        clean_tmp(st.tmp)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    peak, oom = st.memory.after() if st.memory is not None else (ru.ru_maxrss << 10, False)
    send(sock, {"id": lim.get("id"), "status": status, "why": why, "cpu": cpu, "wall": wall, "peak": peak,
                "oom": oom, "cgroup": st.memory is not None, "setup_ok": setup_ok})


def do_load(st, sock, msg, fds):
    if st.exe_fd is not None:
        os.close(st.exe_fd)
        st.exe_fd = None
    st.code = None
    if msg["lang"] == "exe":
        st.exe_fd = fds[0]
        return send(sock, {"ok": True})
    with os.fdopen(fds[0], "rb") as f:
        source = f.read()
    try:
        st.code = compile(source, "<solution>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as err:
        import traceback
        return send(sock, {"ok": False, "error": "".join(traceback.format_exception_only(type(err), err))})
    send(sock, {"ok": True})


def do_take(st, sock, msg):
    """Hand a file a run left in /tmp (the compiled binary) to the judge, then clean /tmp."""
    try:
        fd = os.open(os.path.join(st.tmp, os.path.basename(msg["name"])), os.O_RDONLY)
    except OSError as err:
        clean_tmp(st.tmp)
        return send(sock, {"ok": False, "error": str(err)})
    send(sock, {"ok": True}, [fd])
    os.close(fd)
    clean_tmp(st.tmp)


def serve(st, sock):
    while True:
        if st.backlog:  # messages that arrived while a run was supervised, in order
            msg, fds = st.backlog.pop(0)
        else:
            try:
                data, fds, _, _ = socket.recv_fds(sock, 65536, 8)
            except ConnectionResetError:
                return
            if not data:
                return
            msg = json.loads(data)
        cmd = msg.get("cmd")
        if cmd == "kill":  # for a queued run that has not started: it will not
            st.cancelled.add(msg.get("id"))
        elif cmd == "run" and msg["limits"].get("id") in st.cancelled:
            for fd in fds:
                os.close(fd)
            send(sock, {"id": msg["limits"]["id"], "status": 9, "why": "judge", "cpu": 0.0, "wall": 0.0,
                        "peak": 0, "oom": False, "setup_ok": True})
        elif cmd == "run":
            do_run(st, sock, msg, fds)
        elif cmd == "load":
            do_load(st, sock, msg, fds)
        elif cmd == "take":
            do_take(st, sock, msg)


def main():
    sock = socket.socket(fileno=int(sys.argv[1]))
    sys.argv = ["solution.py"]  # what the runs see, as for `python solution.py`
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]  # not the judge's modules
    data, fds, _, _ = socket.recv_fds(sock, 1 << 20, 8)
    hello = json.loads(data)
    report = {"ns": False, "fs": False, "userns": False, "seccomp": bool(hello.get("seccomp"))}
    if hello.get("namespaces"):
        try:
            report["userns"] = enter_namespaces(sock)
            report["ns"] = True
        except OSError as err:
            report["ns_error"] = str(err)
    if report["ns"]:
        try:
            build_root(hello["paths"], hello.get("tmp_mb", 256))
            report["fs"] = True
        except OSError as err:
            report["fs_error"] = str(err)
    st = State(hello, report["ns"])
    if not report["fs"]:  # no private /tmp: runs work in a fresh directory of their own instead
        import tempfile
        st.tmp = tempfile.mkdtemp(prefix="cf-sandbox-")
        os.chmod(st.tmp, 0o1777)
    if os.geteuid() != 0 or report["userns"]:
        st.uid = None  # cannot change uid: stay as we are
    report["uid"] = st.uid
    cg = hello.get("cgroup")
    if cg:  # join the cgroups once, here: migrating each run would cost an RCU sync (~10 ms)
        for i in cg["procs"]:
            os.write(fds[i], b"0")
            os.close(fds[i])
        st.in_cgroup = True
        st.memory = Memory(cg, fds)
    for name in PREIMPORT:
        with contextlib.suppress(ImportError):
            __import__(name)
    import builtins

    def _exit(code=None):  # what site.py would install: solutions call exit() / quit()
        raise SystemExit(code)
    builtins.exit = builtins.quit = _exit
    import gc
    gc.collect()
    gc.freeze()  # keep the forked children from copying the pre-imported objects
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    send(sock, {"ok": True, "report": report})
    serve(st, sock)
    if st.tmp != "/tmp":
        import shutil
        shutil.rmtree(st.tmp, ignore_errors=True)
    os._exit(0)


if __name__ == "__main__":
    main()
