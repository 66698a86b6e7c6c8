# mypy: ignore-errors
# (standalone, untyped stdlib code that runs inside the sandbox; checked by the judge's tests)
"""The fork server's namespaces and filesystem view (a sibling module of `_server.py`, loaded by path).

`enter_namespaces` makes the server pid 1 of new mount/pid/net/ipc/uts namespaces; `build_root`
gives it a tmpfs root holding read-only binds of the runtime paths and of the configured
third-party packages (each package directory alone, under /packages), a new /proc, a minimal
/dev and a private /tmp, then pivot_root: the host filesystem, the judge's files and the
tests are gone. `link_packages` is the fallback without a mount view (the unsafe level).
"""

import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x20000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PIVOT_ROOT_NR = {"x86_64": 155, "aarch64": 41}.get(os.uname().machine)
PACKAGES_DIR = "/packages"  # what sys.path gets: a directory holding only the configured packages


def check(ret, what):
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def mount(src, dst, fstype, flags, data=None):
    def enc(s):
        return (s.encode() if s is not None else None)
    check(libc.mount(enc(src), enc(dst), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {dst}")


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


def build_root(paths, tmp_mb, packages=()):
    """A tmpfs root holding read-only binds of `paths` and of `packages` ((host path, name) pairs,
    under /packages), /proc, /dev, /tmp; then pivot_root."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = pick_root([*paths, *(src for src, _ in packages)])
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=16m")
    for p in paths:
        if os.path.islink(p):
            os.makedirs(os.path.dirname(root + p), exist_ok=True)
            os.symlink(os.readlink(p), root + p)
        elif os.path.exists(p):
            bind_ro(p, root + p)
    os.makedirs(root + PACKAGES_DIR)
    for src, name in packages:
        bind_ro(src, f"{root}{PACKAGES_DIR}/{name}")
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


def link_packages(packages, parent):
    """Without a mount view: a fresh directory of symlinks to just the package paths (its path)."""
    import tempfile
    d = tempfile.mkdtemp(prefix="cf-packages-", dir=parent)
    for src, name in packages:
        os.symlink(src, os.path.join(d, name))
    os.chmod(d, 0o755)
    return d
