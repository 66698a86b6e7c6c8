"""Checkers: does a run's stdout answer the test? (tokens, exact, float, program)

All comparisons work on bytes. `tokens` (the default): whitespace-separated tokens equal and
equally many. `exact`: byte-for-byte. `float`: tokens pairwise equal, or both numbers with
|a - b| <= abs_tol or |a - b| <= rel_tol * |b|. `program`: the problem's own checker, a
Python program (trusted: it comes with the problem) run as
`python checker.py INPUT_FILE EXPECTED_FILE ACTUAL_FILE`; exit status 0 = accepted,
1 = wrong answer, anything else (or a timeout) = the checker failed, an internal error.
"""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
from pathlib import Path

from codefrontier.problems.model import Checker, CheckerKind
from codefrontier.verdicts import Verdict

CHECKER_TIMEOUT_S = 30.0


def _float_close(a: bytes, b: bytes, abs_tol: float, rel_tol: float) -> bool:
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if not (math.isfinite(x) and math.isfinite(y)):
        return False
    diff = abs(x - y)
    return diff <= abs_tol or diff <= rel_tol * abs(y)


def _run_program(source: str, stdin: str, expected: str, actual: bytes) -> Verdict:
    with tempfile.TemporaryDirectory(prefix="cf-checker-") as tmp:
        d = Path(tmp)
        (d / "checker.py").write_text(source)
        (d / "input.txt").write_text(stdin)
        (d / "expected.txt").write_text(expected)
        (d / "actual.txt").write_bytes(actual)
        try:
            proc = subprocess.run(
                [sys.executable, "-I", "checker.py", "input.txt", "expected.txt", "actual.txt"],
                cwd=d, stdin=subprocess.DEVNULL, capture_output=True, timeout=CHECKER_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return Verdict.IE
    return {0: Verdict.AC, 1: Verdict.WA}.get(proc.returncode, Verdict.IE)


def check(checker: Checker, stdin: str, expected: str, actual: bytes) -> Verdict:
    """AC or WA (IE only when a program checker itself fails)."""
    kind = checker.kind
    if kind is CheckerKind.EXACT:
        return Verdict.AC if actual == expected.encode() else Verdict.WA
    if kind is CheckerKind.PROGRAM:
        return _run_program(checker.program or "", stdin, expected, actual)
    got, want = actual.split(), expected.encode().split()
    if kind is CheckerKind.FLOAT:
        ok = len(got) == len(want) and all(
            _float_close(a, b, checker.abs_tol, checker.rel_tol) for a, b in zip(got, want, strict=True))
    else:
        ok = got == want
    return Verdict.AC if ok else Verdict.WA
