"""The fork server's per-run phase stamps (benchmarks/judge_bench.py reads them) and module preloading."""

from __future__ import annotations

from judge_fixtures import make_problem

from codefrontier.judge import JudgeConfig, run_program
from codefrontier.judge.sandbox import PHASES, Limits, Sandbox
from codefrontier.verdicts import Verdict


def test_timing_gives_every_phase_and_plain_runs_none():
    sb = Sandbox(JudgeConfig(cache=False))
    try:
        assert sb.load_python("print(input())\n", "k") is None
        plain = sb.run(b"7\n", Limits(1.0, 64 << 20))
        assert plain.stdout == b"7\n" and plain.phases is None
        sb.timing = True
        timed = sb.run(b"8\n", Limits(1.0, 64 << 20))
        assert timed.stdout == b"8\n" and timed.phases is not None
        assert list(timed.phases) == list(PHASES) and all(v >= 0 for v in timed.phases.values())
        assert sum(timed.phases.values()) * 1e-3 <= timed.wall_s + 0.05
    finally:
        sb.close()


def test_standard_modules_import_whether_named_or_dynamic(cfg):
    """Named modules are preloaded into the server at load; a dynamic import still works in the run."""
    src = ("from fractions import Fraction\nimport statistics, random\n"
           "m = __import__('dataclasses')\nprint(Fraction(1, 3) + Fraction(1, 6), statistics.mean([1, 2, 3]),"
           " hasattr(m, 'dataclass'), 0 <= random.random() < 1)\n")
    res = run_program(make_problem(), src, "", config=cfg)
    assert res.verdict is Verdict.AC, res.stderr
    assert res.stdout.split() == ["1/2", "2", "True", "True"]


def test_random_differs_between_runs(cfg):
    """Runs fork from one server: each must reseed, as os.fork's after-fork hook would."""
    outs = {run_program(make_problem(), "import random\nprint(random.getrandbits(64))\n", "", config=cfg).stdout
            for _ in range(3)}
    assert len(outs) == 3
