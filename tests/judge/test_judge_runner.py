"""Run order, fail-fast, passed_tier, first failure, cache, IE retry, isolation refusal, run_program."""

from __future__ import annotations

from dataclasses import replace

import pytest
from judge_fixtures import make_problem

from codefrontier.errors import JudgeError
from codefrontier.judge import JudgeConfig, Lang, judge, run_program
from codefrontier.judge import sandbox as sandbox_mod
from codefrontier.judge.config import Isolation
from codefrontier.judge.pool import POOL
from codefrontier.problems.model import Test as PTest
from codefrontier.verdicts import FailureClass, Verdict

CASES = [("1 2\n", "3\n"), ("2 2\n", "4\n"), ("50 1\n", "51\n"), ("70 7\n", "77\n")]
SUM = "a, b = map(int, input().split())\nprint(a + b)\n"
WRONG_BIG = "a, b = map(int, input().split())\nprint(a + b if a < 40 else 0)\n"


def test_all_ac_passes_every_tier(cfg):
    out = judge(make_problem(CASES), SUM, config=cfg)
    assert (out.verdict, out.failure_class, out.passed_tier, out.first_failure) == (
        Verdict.AC, FailureClass.SOLVED, 4, None)
    assert [t.index for t in out.tests] == [0, 1, 2, 3] and out.isolation == "full"
    assert all(t.exit_code == 0 and t.cpu_s > 0 and t.peak_mb >= 0 for t in out.tests)


def test_fail_fast_stops_at_first_failure_and_all_tests_runs_on(cfg):
    p = make_problem(CASES)
    fast = judge(p, WRONG_BIG, config=cfg)
    assert fast.verdict is Verdict.WA and fast.passed_tier == 2 and len(fast.tests) == 3
    assert fast.first_failure.to_json() == {"index": 2, "tier": 3, "verdict": "WA"}
    full = judge(p, WRONG_BIG, all_tests=True, config=cfg)
    assert [t.verdict for t in full.tests] == [Verdict.AC, Verdict.AC, Verdict.WA, Verdict.WA]
    assert full.passed_tier == 2 and full.first_failure == fast.first_failure


def test_max_tier_judges_only_the_coverage_set(cfg):
    out = judge(make_problem(CASES), WRONG_BIG, max_tier=2, config=cfg)
    assert out.verdict is Verdict.AC and out.passed_tier == 2 and len(out.tests) == 2


def test_explicit_tests_with_stdout_kept(cfg):
    public = (PTest("5 6\n", "11\n"), PTest("1 1\n", "3\n"))
    out = judge(make_problem(CASES), SUM, tests=public, keep_stdout=True, all_tests=True, config=cfg)
    assert [t.verdict for t in out.tests] == [Verdict.AC, Verdict.WA]
    assert [t.stdout for t in out.tests] == ["11\n", "2\n"]


def test_syntax_error_is_ce_with_message(cfg):
    out = judge(make_problem(CASES), "print(1\n", config=cfg)
    assert out.verdict is Verdict.CE and out.failure_class is FailureClass.CORRECTNESS
    assert out.passed_tier == 0 and out.tests == () and "SyntaxError" in out.compile_error
    assert out.first_failure.to_json() == {"index": 0, "tier": 1, "verdict": "CE"}


def test_runtime_error_keeps_stderr(cfg):
    out = judge(make_problem(CASES), "raise KeyError('boom')\n", config=cfg)
    assert out.verdict is Verdict.RE and "KeyError: 'boom'" in out.tests[0].stderr
    assert out.tests[0].exit_code == 1


def test_cache_makes_duplicates_free(tmp_path):
    cfg = JudgeConfig(cache=True, cache_dir=str(tmp_path))
    p = make_problem(CASES, pid="cached")
    first = judge(p, SUM, config=cfg)
    again = judge(p, SUM.replace("\n", "\r\n") + "\n\n", config=cfg)  # same normalized source
    assert not first.cached and again.cached and again.tests == first.tests
    other_limits = judge(replace(p, time_limit_s=0.4), SUM, config=cfg)
    assert not other_limits.cached
    assert list((tmp_path / "results").rglob("*.json"))  # persisted


def test_ie_is_retried_once_then_reported_as_internal(cfg, monkeypatch):
    real_finish = sandbox_mod.Sandbox.finish
    calls = {"n": 0}

    def flaky(self, *a, **kw):
        calls["n"] += 1
        if calls["n"] <= fails:
            raise sandbox_mod.SandboxError("simulated fault")
        return real_finish(self, *a, **kw)

    monkeypatch.setattr(sandbox_mod.Sandbox, "finish", flaky)
    fails = 1
    out = judge(make_problem(CASES[:1]), SUM, config=cfg)
    assert out.verdict is Verdict.AC and calls["n"] == 2
    calls["n"], fails = 0, 2
    out = judge(make_problem(CASES[:1]), SUM, config=cfg)
    assert out.verdict is Verdict.IE and out.failure_class is FailureClass.INTERNAL
    assert out.first_failure.verdict is Verdict.IE


def test_refuses_below_the_safe_minimum_unless_unsafe(monkeypatch):
    monkeypatch.setattr(sandbox_mod.Sandbox, "_level", lambda self: Isolation.NONE)
    cfg = JudgeConfig(cache=False, tmp_mb=63)  # its own pool key: no sandbox reused from other tests
    with pytest.raises(JudgeError, match="below the safe minimum"):
        judge(make_problem(), SUM, config=cfg)
    out = judge(make_problem(), SUM, config=replace(cfg, unsafe_isolation=True))
    assert out.verdict is Verdict.AC and out.isolation == "none"
    POOL.close()


def test_run_program_keeps_stdout_and_reports_failures(cfg):
    p = make_problem(tl=0.3)
    ok = run_program(p, "print(input()[::-1])\n", "abc\n", config=cfg)
    assert ok.verdict is Verdict.AC and ok.stdout == "cba\n"
    assert run_program(p, "while True: pass\n", "", config=cfg).verdict is Verdict.TLE
    ce = run_program(p, "def (\n", "", config=cfg)
    assert ce.verdict is Verdict.CE and "SyntaxError" in ce.stderr


def test_call_based_problem_goes_through_functional_wrap(cfg, monkeypatch):
    import codefrontier.judge.functional as functional

    monkeypatch.setattr(functional, "wrap", lambda problem, code: code + "\nprint(f(1, 2))\n")
    p = replace(make_problem([("\n", "3\n")]), fn_name="f")
    assert judge(p, "def f(a, b):\n    return a + b\n", config=cfg).verdict is Verdict.AC


def test_lang_accepts_strings(cfg):
    assert judge(make_problem(CASES[:1]), SUM, "python", config=cfg).verdict is Verdict.AC
    assert Lang("cpp") is Lang.CPP


def test_unsafe_level_without_namespaces_works_and_keeps_host_tmp(monkeypatch, tmp_path):
    """Without namespaces (a host lacking them), --unsafe-isolation still judges, in a directory
    of its own: the host's /tmp is never wiped."""
    keep = tmp_path / "keep.txt"
    keep.write_text("x")
    monkeypatch.setattr(sandbox_mod, "USE_NAMESPACES", False)
    cfg = JudgeConfig(cache=False, tmp_mb=61, unsafe_isolation=True)
    try:
        out = judge(make_problem(CASES), SUM, config=cfg)
        assert out.verdict is Verdict.AC and out.isolation == "none"
        assert judge(make_problem(CASES), "import os\nprint(os.getcwd())\n", config=cfg,
                     keep_stdout=True).tests[0].stdout.startswith("/tmp/cf-sandbox-")
        with pytest.raises(JudgeError):
            judge(make_problem(CASES), SUM, config=replace(cfg, unsafe_isolation=False))
    finally:
        POOL.close()
    assert keep.exists()


def test_fail_fast_kills_the_queued_next_test_at_once(cfg):
    """Test 2 is already queued (pipelined) when test 1 fails: its kill reaches the server on the
    kill pipe, whether the run has started or not, and the next judgement finds the sandbox fine."""
    import time
    code = "a = int(input())\nif a == 1:\n    print(0)\nelse:\n    while True:\n        pass\n"
    t0 = time.monotonic()
    out = judge(make_problem([("1\n", "1\n"), ("2\n", "2\n")], tl=3.0), code, config=cfg)
    assert out.verdict is Verdict.WA and [t.index for t in out.tests] == [0]
    assert time.monotonic() - t0 < 1.5  # not the 3 s CPU limit of the queued run
    assert judge(make_problem(CASES), SUM, config=cfg).verdict is Verdict.AC
