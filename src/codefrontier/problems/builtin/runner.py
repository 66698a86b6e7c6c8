"""Run a *trusted* Python program (a built-in reference, brute force or wrong solution) on one input.

This is not the judge: there is no sandbox. It exists to compute expected outputs when the suite is
built and to cross-check solutions in tests. CPU time comes from wait4's rusage of that one child, so
runs in parallel threads do not pollute each other's figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RunResult:
    stdout: str
    stderr: str
    returncode: int
    cpu_s: float  # user + system CPU seconds of the child, interpreter start-up included
    timed_out: bool


def run_python(code: str, stdin: str, timeout_s: float | None = None) -> RunResult:
    """Run `code` under `python -I -S` with `stdin`; kill it after `timeout_s` wall seconds."""
    with tempfile.TemporaryDirectory(prefix="cf-run-") as tmp:
        src, inp, out, err = (Path(tmp, name) for name in ("sol.py", "in.txt", "out.txt", "err.txt"))
        src.write_text(code, encoding="utf-8")
        inp.write_text(stdin, encoding="utf-8")
        with inp.open("rb") as fin, out.open("wb") as fout, err.open("wb") as ferr:
            proc = subprocess.Popen([sys.executable, "-I", "-S", str(src)], stdin=fin, stdout=fout,
                                    stderr=ferr, cwd=tmp)
            fired = threading.Event()

            def kill() -> None:
                fired.set()
                proc.kill()

            timer = threading.Timer(timeout_s, kill) if timeout_s else None
            if timer:
                timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                if timer:
                    timer.cancel()
            proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen
        return RunResult(
            stdout=out.read_text(encoding="utf-8", errors="replace"),
            stderr=err.read_text(encoding="utf-8", errors="replace")[-2000:],
            returncode=proc.returncode,
            cpu_s=usage.ru_utime + usage.ru_stime,
            timed_out=fired.is_set(),
        )
