"""Checkers on bytes: tokens (default), exact, float tolerances, program checkers."""

from __future__ import annotations

from codefrontier.judge.checkers import check
from codefrontier.problems.model import Checker, CheckerKind
from codefrontier.verdicts import Verdict

TOKENS, EXACT = Checker(), Checker(kind=CheckerKind.EXACT)
FLOAT = Checker(kind=CheckerKind.FLOAT, abs_tol=1e-6, rel_tol=1e-6)


def test_tokens_ignore_whitespace_layout_but_not_content():
    assert check(TOKENS, "", "1 2\n3\n", b"1\n2 3") is Verdict.AC
    assert check(TOKENS, "", "1 2 3\n", b"1 2") is Verdict.WA
    assert check(TOKENS, "", "1 2\n", b"1 2 2\n") is Verdict.WA
    assert check(TOKENS, "", "1.0\n", b"1\n") is Verdict.WA
    assert check(TOKENS, "", "\n", b"") is Verdict.AC


def test_exact_is_byte_for_byte():
    assert check(EXACT, "", "a b\n", b"a b\n") is Verdict.AC
    assert check(EXACT, "", "a b\n", b"a b") is Verdict.WA
    assert check(EXACT, "", "a b\n", b"a  b\n") is Verdict.WA


def test_float_uses_abs_or_rel_tolerance():
    assert check(FLOAT, "", "0.5 x\n", b"0.5000001 x") is Verdict.AC
    assert check(FLOAT, "", "1000000\n", b"1000000.5") is Verdict.AC  # rel 5e-7
    assert check(FLOAT, "", "1.0\n", b"1.01") is Verdict.WA
    assert check(FLOAT, "", "1.0\n", b"nan") is Verdict.WA
    assert check(FLOAT, "", "1.0 2.0\n", b"1.0") is Verdict.WA
    assert check(FLOAT, "", "yes\n", b"no") is Verdict.WA


def test_program_checker_gets_input_expected_actual():
    src = ("import sys\ninp, exp, act = (open(p).read().split() for p in sys.argv[1:4])\n"
           "sys.exit(0 if sorted(act) == sorted(exp) and len(inp) == 1 else 1)\n")
    prog = Checker(kind=CheckerKind.PROGRAM, program=src)
    assert check(prog, "3\n", "1 2 3\n", b"3 2 1\n") is Verdict.AC
    assert check(prog, "3\n", "1 2 3\n", b"3 2 2\n") is Verdict.WA
    broken = Checker(kind=CheckerKind.PROGRAM, program="raise SystemExit(7)\n")
    assert check(broken, "", "", b"") is Verdict.IE
