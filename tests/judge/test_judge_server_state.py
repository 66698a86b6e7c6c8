"""What a run inherits from the fork server, now that the server sets more up once for all runs
(cwd, the "setup done" pipe on fd 4, the run's stdio placed on 0-2 before the fork), and what it
does not: no other fd of the server, nothing a previous run left, no protocol modules."""

from __future__ import annotations

import pytest

from codefrontier.judge import JudgeConfig
from codefrontier.judge.sandbox import Limits, Sandbox

LIMITS = Limits(1.0, 64 << 20)


@pytest.fixture
def sb():
    box = Sandbox(JudgeConfig(cache=False))
    yield box
    box.close()


def run(sb: Sandbox, code: str, stdin: bytes = b"") -> bytes:
    assert sb.load_python(code, code) is None
    raw = sb.run(stdin, LIMITS)
    assert raw.exit_code == 0, raw.stderr
    return raw.stdout


def test_a_run_holds_only_its_stdio(sb):
    code = ("import os\nopen_fds = []\nfor fd in range(3, 256):\n    try:\n        os.fstat(fd)\n"
            "    except OSError:\n        continue\n    open_fds.append(fd)\nprint(open_fds, input())\n")
    for i in range(3):  # every run, not only the first
        assert run(sb, code, f"in{i}\n".encode()).split() == [b"[]", f"in{i}".encode()]


def test_nothing_a_run_leaves_in_tmp_reaches_the_next(sb):
    leave = ("import os\nos.makedirs('/tmp/a/b/c')\nopen('/tmp/a/b/c/f.txt', 'w').write('x')\n"
             "open('/tmp/top.txt', 'w').write('y')\nopen('rel.txt', 'w').write('z')\nos.symlink('/tmp/a', 'link')\n"
             "os.chmod('/tmp/a/b', 0o500)\nprint(os.getcwd())\n")
    cwd = run(sb, leave).strip()
    assert run(sb, "import os\nprint(sorted(os.listdir('/tmp')), sorted(os.listdir('.')), os.getcwd())\n").split() == [
        b"[]", b"[]", cwd]


def test_the_server_holds_no_protocol_modules(sb):
    """Each module the server holds is copied into every run (page tables, copy-on-write faults)."""
    mods = set(run(sb, "import sys\nprint(' '.join(sorted(sys.modules)))\n").split())
    assert not {b"json", b"socket", b"signal", b"contextlib", b"re", b"enum", b"shutil", b"selectors"} & mods
    assert run(sb, "import json, re\nprint(json.dumps(re.findall('[0-9]+', input())))\n", b"a1b22\n") == b'["1", "22"]\n'


def test_timing_counts_page_faults(sb):
    assert sb.load_python("print(input())\n", "k") is None
    assert sb.run(b"1\n", LIMITS).faults is None
    sb.timing = True
    raw = sb.run(b"2\n", LIMITS)
    assert raw.stdout == b"2\n" and raw.faults is not None and raw.faults[1] > 0


def test_a_run_sees_the_environment_and_streams_of_a_plain_interpreter(sb):
    """LD_BIND_NOW binds the server's symbols at start-up and leaves its environment; the runs'
    streams are installed on the server once, as sys.stdin/stdout/stderr and their __std*__."""
    code = ("import os, sys\nprint('LD_BIND_NOW' in os.environ, sys.stdin is sys.__stdin__, sys.stdout is sys.__stdout__,"
            " sys.stderr is sys.__stderr__, sys.stdin.fileno(), sys.stdout.fileno(), input())\n")
    for i in range(2):
        assert run(sb, code, f"x{i}\n".encode()).split() == [b"False", b"True", b"True", b"True", b"0", b"1",
                                                              f"x{i}".encode()]
