"""The abuse suite: each hostile program gets the right verdict AND leaves the host untouched.

Small limits (0.3 s, 64 MB) keep the suite fast. "Host untouched" is checked directly: no
process of the run survives it (marker names in /proc/*/comm), no file appears outside the
sandbox, no connection reaches a loopback listener, secrets never come back, and the judge's
own sandbox keeps working (a trivial solution is still AC afterwards).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from judge_fixtures import make_problem

from codefrontier.judge import JudgeConfig, Lang, judge
from codefrontier.judge.sandbox import Sandbox
from codefrontier.verdicts import Verdict

SUM = "a, b = map(int, input().split())\nprint(a + b)\n"


def marker() -> str:
    return "cf" + uuid.uuid4().hex[:10]  # a process name (comm holds 15 chars)


def live_with_comm(name: str) -> list[int]:
    pids = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if Path(f"/proc/{p}/comm").read_text().strip() == name:
                    pids.append(int(p))
            except OSError:
                pass
    return pids


def assert_judge_still_works(cfg: JudgeConfig) -> None:
    assert judge(make_problem(), SUM, config=cfg).verdict is Verdict.AC


def test_isolation_is_full_here(cfg):
    sb = Sandbox(cfg)
    try:
        assert sb.report["ns"] and sb.report["fs"] and sb.report["seccomp"], sb.report
        assert sb.report["uid"] == 65534
    finally:
        sb.close()


@pytest.mark.parametrize("code", [
    "while True: pass\n",
    "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\nwhile True: pass\n",
    "import resource\nfor r in (resource.RLIMIT_CPU, resource.RLIMIT_AS, resource.RLIMIT_STACK):\n"
    "    try:\n        resource.setrlimit(r, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
    "    except (ValueError, OSError):\n        pass\nwhile True: pass\n",
    "import time\ntime.sleep(30)\n",
    "import sys\nsys.stdin.read()\nimport threading\nthreading.Event().wait()\n",
], ids=["loop", "ignore-sigxcpu", "raise-limits", "sleep", "block"])
def test_time_abuse_is_tle_and_bounded(cfg, code):
    t0 = time.monotonic()
    out = judge(make_problem(tl=0.3), code, config=cfg)
    assert out.verdict is Verdict.TLE
    assert time.monotonic() - t0 < 0.3 * cfg.wall_hard_factor + 2.0
    assert out.tests[0].exit_code is None  # killed by the judge
    assert_judge_still_works(cfg)


def test_fork_bomb_is_contained(cfg):
    name = marker()
    code = (f"import os\nopen('/proc/self/comm','w').write('{name}')\n"
            "while True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n")
    out = judge(make_problem(tl=0.3), code, config=cfg)
    assert out.verdict in (Verdict.TLE, Verdict.RE)
    assert live_with_comm(name) == []
    assert_judge_still_works(cfg)


def test_daemon_does_not_outlive_the_run(cfg):
    name = marker()
    code = (f"import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
            f"        open('/proc/self/comm','w').write('{name}')\n        time.sleep(30)\n    os._exit(0)\n"
            "time.sleep(0.05)\nprint(3)\n")
    out = judge(make_problem(), code, config=cfg)
    assert out.verdict is Verdict.AC
    time.sleep(0.05)
    assert live_with_comm(name) == []


@pytest.mark.parametrize("code", [
    "x = bytearray(512 << 20)\nprint(len(x))\n",
    "x = [0] * (10 ** 10)\n",
    "xs = []\nwhile True:\n    xs.append(bytearray(1 << 20))\n",
], ids=["one-big", "huge-memoryerror", "gradual"])
def test_memory_bombs_are_mle(cfg, code):
    out = judge(make_problem(tl=2.0, ml=64), code, config=cfg)
    assert out.verdict is Verdict.MLE, out.tests[0]
    assert_judge_still_works(cfg)


def test_peak_memory_is_reported(cfg):
    out = judge(make_problem(tl=2.0, ml=128), "x = bytearray(40 << 20)\nprint(3)\n", config=cfg)
    assert out.verdict is Verdict.AC
    assert 35 <= out.tests[0].peak_mb <= 128


def test_stdout_flood_is_ole(cfg):
    small = JudgeConfig(cache=False, stdout_cap_mb=1.0)
    out = judge(make_problem(tl=2.0), "import sys\nwhile True: sys.stdout.write('x' * 65536)\n", config=small)
    assert out.verdict is Verdict.OLE


def test_stderr_flood_is_capped_and_kept(cfg):
    code = "import sys\nfor _ in range(800): sys.stderr.write('e' * 65536)\nsys.stderr.write('TAIL')\nprint(3)\n"
    out = judge(make_problem(tl=2.0), code, config=cfg)
    assert out.verdict is Verdict.AC
    err = out.tests[0].stderr
    assert err.endswith("TAIL") and len(err) <= cfg.stderr_keep_bytes


def test_no_network_even_to_loopback(cfg):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(0.5)
    port = srv.getsockname()[1]
    code = (f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
            "    print('connected')\nexcept OSError:\n    print('blocked')\n")
    try:
        out = judge(make_problem([("\n", "blocked\n")], tl=2.0), code, config=cfg)
        assert out.verdict is Verdict.AC
        with pytest.raises(TimeoutError):
            srv.accept()
    finally:
        srv.close()


def test_writes_outside_the_sandbox_do_not_land(cfg, tmp_path):
    target = tmp_path / "escaped.txt"
    host_tmp = Path("/tmp") / (marker() + ".txt")
    code = (f"import os\nok = 0\nfor p in ({str(target)!r}, {str(host_tmp)!r}, '/usr/x', '/etc/x', 'x.txt'):\n"
            "    try:\n        open(p, 'w').write('x')\n        ok += 1\n    except OSError:\n        pass\n"
            "print(ok)\n")
    out = judge(make_problem([("\n", "2\n")]), code, config=cfg, keep_stdout=True)
    assert out.verdict is Verdict.AC, out.tests[0].stdout  # only the private /tmp and cwd are writable
    assert not target.exists() and not host_tmp.exists()


def test_secrets_are_unreachable(cfg, tmp_path, monkeypatch):
    """The expected output is a secret; a solution that finds it by any route would be AC."""
    secret = "SECRET" + uuid.uuid4().hex
    problem_file = tmp_path / "problem.json"
    problem_file.write_text(f'{{"tests": [{{"output": "{secret}"}}]}}')
    monkeypatch.setenv("CF_TEST_SECRET", secret)
    monkeypatch.setattr(sys, "argv", [*sys.argv, secret])
    hunter = """
import gc, os, sys
path = sys.stdin.readline().strip()
def look(data):
    if isinstance(data, bytes):
        data = data.decode('latin-1')
    i = data.find('SECRET')
    if i >= 0:
        print(data[i:i + 38])
        sys.exit(0)
for route in (path, '/proc/self/environ', '/proc/self/cmdline'):
    try: look(open(route, 'rb').read())
    except OSError: pass
look(repr(dict(os.environ)) + repr(sys.argv) + os.getcwd() + repr(os.listdir('.')))
for fd in range(3, 64):
    try: look(os.read(fd, 1 << 20))
    except OSError: pass
for p in os.listdir('/proc'):
    for f in ('cmdline', 'environ'):
        try: look(open(f'/proc/{p}/{f}', 'rb').read())
        except OSError: pass
for o in gc.get_objects():
    if isinstance(o, (str, bytes)): look(o)
for root, dirs, files in os.walk('/'):
    if root.startswith(('/proc', '/sys', '/usr', '/dev', sys.base_prefix)): dirs[:] = []; continue
    for f in files:
        try: look(open(os.path.join(root, f), 'rb').read(1 << 16))
        except OSError: pass
print('none')
"""
    # The hunter works: unsandboxed, it finds the secret (in the problem file it is told about).
    plain = subprocess.run([sys.executable, "-I", "-S", "-c", hunter], input=f"{problem_file}\n",
                           capture_output=True, text=True, timeout=120)
    assert plain.stdout.strip() == secret
    out = judge(make_problem([(f"{problem_file}\n", secret + "\n")], tl=5.0, ml=256), hunter,
                config=cfg, keep_stdout=True)
    assert out.verdict is Verdict.WA, out.tests[0].stdout
    assert out.tests[0].stdout == "none\n"


def test_cannot_kill_the_judge_or_host_processes(cfg):
    sentinel = os.fork()
    if sentinel == 0:
        time.sleep(30)
        os._exit(0)
    try:
        code = (f"import os, signal\nfor pid in (os.getppid(), 1, {os.getpid()}, {sentinel}, -1):\n"
                "    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass\n"
                "print(3)\n")
        out = judge(make_problem(), code, config=cfg)
        assert out.verdict is Verdict.AC
        assert os.waitpid(sentinel, os.WNOHANG) == (0, 0)  # still running
        assert_judge_still_works(cfg)
    finally:
        os.kill(sentinel, 9)
        os.waitpid(sentinel, 0)


@pytest.mark.parametrize(("code", "verdict"), [
    ("import os\nos._exit(0)\n", Verdict.WA),
    ("import sys\nsys.exit(3)\n", Verdict.RE),
    ("raise ValueError('boom')\n", Verdict.RE),
    ("print(3\n", Verdict.CE),
    ("print(3)\nexit()\nprint(4)\n", Verdict.AC),
    ("print(3)\nquit(2)\n", Verdict.RE),
    ("import sys\nprint(3 if sys.argv == ['solution.py'] else 0)\n", Verdict.AC),
    ("import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\n"
     "f(200000)\nprint(3)\n", Verdict.AC),
], ids=["silent-exit", "exit-code", "exception", "syntax", "exit-builtin", "quit-code", "argv", "deep-recursion"])
def test_python_misc(cfg, code, verdict):
    out = judge(make_problem(tl=2.0, ml=256), code, config=cfg)
    assert out.verdict is verdict


CPP_CASES = [
    ("#include <cstdio>\nint main(){int*p=nullptr; *p=1; printf(\"3\\n\");}\n", Verdict.RE),
    ("#include <vector>\n#include <cstdio>\nint main(){std::vector<char> v(512<<20, 1);"
     " printf(\"%d\\n\", v[12345]+2);}\n", Verdict.MLE),
    ("int main(){volatile unsigned long x=0; for(;;) x++;}\n", Verdict.TLE),
    ("int main(){ this is not c++ }\n", Verdict.CE),
    ("#include <cstdio>\nint main(){int a,b; scanf(\"%d %d\",&a,&b); printf(\"%d\\n\",a+b);}\n", Verdict.AC),
]


@pytest.mark.slow
@pytest.mark.parametrize(("code", "verdict"), CPP_CASES, ids=["segfault", "mle", "tle", "ce", "ac"])
def test_cpp_verdicts(cfg, code, verdict):
    out = judge(make_problem(tl=0.3, ml=64), code, Lang.CPP, config=cfg)
    assert out.verdict is verdict, (out, out.compile_error)
    if verdict is Verdict.CE:
        assert "error" in (out.compile_error or "")


def test_without_cgroups_memory_falls_back_to_rlimit_as(monkeypatch):
    """Hosts without a writable memory cgroup: RLIMIT_AS with a grace margin, MemoryError is MLE."""
    from codefrontier.judge import sandbox as sandbox_mod
    from codefrontier.judge.pool import POOL

    monkeypatch.setattr(sandbox_mod.Cgroups, "create", classmethod(lambda cls, pids_max=64: None))
    cfg = JudgeConfig(cache=False, tmp_mb=62)  # its own pool key: a sandbox built without cgroups
    try:
        for code in ("x = bytearray(512 << 20)\n", "xs = []\nwhile True:\n    xs.append(bytearray(1 << 20))\n"):
            out = judge(make_problem(tl=2.0, ml=64), code, config=cfg)
            assert out.verdict is Verdict.MLE and out.isolation == "namespaces", out.tests[0]
        assert judge(make_problem(), SUM, config=cfg).verdict is Verdict.AC
    finally:
        POOL.close()
