"""The seccomp filter of a run, compiled once per judge process with libseccomp (ctypes).

The filter allows everything except system calls that reach outside the sandbox or its
limits: namespaces and mounts, tracing other processes, kernel modules and keys, eBPF,
io_uring, clock/host changes, and sockets of any family other than AF_UNIX. Calls from a
foreign architecture (the 32-bit ABI) kill the process (libseccomp's default for bad arch).
The exported BPF program (8-byte `sock_filter`s) is handed to the fork server, which
installs it with one prctl per run: building the filter per run would cost ~2.5 ms.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os

SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_ACT_ERRNO = 0x00050000  # | errno
SCMP_CMP_NE, SCMP_CMP_MASKED_EQ = 1, 7
AF_UNIX = 1

DENIED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "mount_setattr", "move_mount",
    "open_tree", "fsopen", "fsmount", "fspick", "open_by_handle_at", "name_to_handle_at",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot",
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", "fanotify_init",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "swapon", "swapoff", "syslog", "acct",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname",
    "quotactl", "lookup_dcookie", "vhangup", "iopl", "ioperm", "personality",
)
NAMESPACE_FLAGS = (0x20000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000)


class _ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def _rule(lib: ctypes.CDLL, ctx: int, action: int, name: str, *cmps: tuple[int, int, int, int]) -> None:
    nr = lib.seccomp_syscall_resolve_name(name.encode())
    if nr < 0:  # unknown on this architecture / libseccomp version
        return
    arr = (_ArgCmp * max(1, len(cmps)))(*[_ArgCmp(*c) for c in cmps])
    if lib.seccomp_rule_add_array(ctypes.c_void_p(ctx), action, nr, len(cmps), arr) != 0:
        raise OSError(f"seccomp_rule_add({name}) failed")


@functools.lru_cache(maxsize=1)
def filter_program() -> bytes | None:
    """The BPF program as bytes, or None when libseccomp is missing (isolation drops a level)."""
    path = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(path)
    except OSError:
        return None
    lib.seccomp_init.restype = ctypes.c_void_p
    ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not ctx:
        return None
    try:
        eperm = SCMP_ACT_ERRNO | errno.EPERM
        for name in DENIED:
            _rule(lib, ctx, eperm, name)
        _rule(lib, ctx, SCMP_ACT_ERRNO | errno.ENOSYS, "clone3")  # glibc falls back to clone(2)
        for flag in NAMESPACE_FLAGS:  # clone(2) may not create namespaces
            _rule(lib, ctx, eperm, "clone", (0, SCMP_CMP_MASKED_EQ, flag, flag))
        _rule(lib, ctx, SCMP_ACT_ERRNO | errno.EACCES, "socket", (0, SCMP_CMP_NE, AF_UNIX, 0))
        fd = os.memfd_create("seccomp-bpf")
        try:
            if lib.seccomp_export_bpf(ctypes.c_void_p(ctx), fd) != 0:
                return None
            os.lseek(fd, 0, os.SEEK_SET)
            chunks = []
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)
    except OSError:
        return None
    finally:
        lib.seccomp_release(ctypes.c_void_p(ctx))
