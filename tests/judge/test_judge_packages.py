"""Third-party packages in the sandbox: numpy and sortedcontainers import, under the same limits."""

from __future__ import annotations

from dataclasses import replace

import pytest
from judge_fixtures import make_problem

from codefrontier.errors import JudgeError
from codefrontier.judge import judge, run_program
from codefrontier.judge.packages import parse_packages, resolve
from codefrontier.problems import model as pm
from codefrontier.verdicts import Verdict

pytest.importorskip("numpy")
pytest.importorskip("sortedcontainers")

NUMPY_SUM = """\
import numpy as np
a = np.array(list(map(int, input().split())), dtype=np.int64)
m = np.arange(9, dtype=np.float64).reshape(3, 3)
print(int(a.sum()) + int(round((m @ np.linalg.inv(m + np.eye(3)) @ (m + np.eye(3)))[0, 0])))
"""
SORTED_SUM = """\
from sortedcontainers import SortedList
s = SortedList(map(int, input().split()))
s.add(0)
print(s[1] + s[2])
"""


def default_limits_problem() -> pm.Problem:
    """Problem's default limits (1 s, 256 MB): what a real submission gets."""
    tests = (pm.Test(input="1 2\n", output="3\n", tier=1, index=0),
             pm.Test(input="40 2\n", output="42\n", tier=2, index=1))
    return pm.Problem(id="sum", title="sum", statement="", tests=tests)


def test_numpy_solution_is_ac_under_default_limits(cfg):
    out = judge(default_limits_problem(), NUMPY_SUM, config=cfg)
    assert out.verdict is Verdict.AC, (out, out.tests[0].stderr if out.tests else "")
    assert out.packages == ("numpy", "sortedcontainers")
    assert out.to_json()["packages"] == ["numpy", "sortedcontainers"]


def test_sortedcontainers_solution_is_ac_under_default_limits(cfg):
    out = judge(default_limits_problem(), SORTED_SUM, config=cfg)
    assert out.verdict is Verdict.AC, (out, out.tests[0].stderr if out.tests else "")


def test_numpy_over_the_memory_limit_is_mle(cfg):
    src = "import numpy as np\nx = np.ones((200, 1 << 20), dtype=np.uint8)\nprint(int(x.sum()))\n"
    out = judge(make_problem([("\n", "209715200\n")], tl=2.0, ml=64), src, config=cfg)
    assert out.verdict is Verdict.MLE, out


def test_blas_runs_single_threaded_under_a_tight_memory_limit(cfg):
    """A matrix product big enough for OpenBLAS to use its thread pool if it had one; 64 MB limit."""
    src = ("import os, numpy as np\nm = np.ones((300, 300))\nx = m @ m\n"
           "print(int(x[0, 0]), len(os.listdir('/proc/self/task')), os.environ['OPENBLAS_NUM_THREADS'])\n")
    res = run_program(make_problem(tl=2.0, ml=64), src, "", config=cfg)
    assert res.verdict is Verdict.AC, res.stderr
    assert res.stdout.split() == ["300", "1", "1"]


def test_only_the_named_packages_are_visible(cfg):
    src = ("import os, sys\nprint(sorted(os.listdir('/packages')))\n"
           "try:\n    import typer\n    print('typer visible')\nexcept ImportError:\n    print('no typer')\n")
    res = run_program(make_problem(), src, "", config=cfg)
    assert res.verdict is Verdict.AC, res.stderr
    listed, typer_line = res.stdout.splitlines()
    assert set(eval(listed)) <= {"numpy", "numpy.libs", "sortedcontainers"} and "numpy" in listed
    assert typer_line == "no typer"  # the rest of site-packages (typer is installed there) stays hidden


def test_packages_are_read_only(cfg):
    src = ("import numpy, os\np = os.path.join(os.path.dirname(numpy.__file__), 'x.py')\n"
           "try:\n    open(p, 'w').write('1')\n    print('wrote')\nexcept OSError as e:\n    print('refused')\n")
    res = run_program(make_problem(), src, "", config=cfg)
    assert res.stdout.strip() == "refused", res.stdout + res.stderr


def test_an_empty_package_set_makes_numpy_an_re(cfg):
    out = judge(default_limits_problem(), NUMPY_SUM, config=replace(cfg, packages=()))
    assert out.verdict is Verdict.RE
    assert "No module named 'numpy'" in out.tests[0].stderr
    assert out.packages == ()


def test_no_preload_still_imports(cfg):
    out = judge(default_limits_problem(), NUMPY_SUM, config=replace(cfg, preload_packages=False))
    assert out.verdict is Verdict.AC, out


def test_judge_env_vars_do_not_reach_the_run(cfg, monkeypatch):
    monkeypatch.setenv("CF_SECRET_TOKEN", "hunter2")
    res = run_program(make_problem(), "import os\nprint(sorted(os.environ))\n", "", config=cfg)
    assert "CF_SECRET_TOKEN" not in res.stdout
    assert set(eval(res.stdout)) <= {"LANG", "PATH", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}


def test_a_missing_package_is_a_one_line_error(cfg):
    with pytest.raises(JudgeError, match="'no_such_pkg_cf' is not installed.*fix: pip install no_such_pkg_cf"):
        judge(default_limits_problem(), "print(3)\n", config=replace(cfg, packages=("no_such_pkg_cf",)))


def test_parse_and_resolve():
    assert parse_packages("numpy, sortedcontainers,numpy") == ("numpy", "sortedcontainers")
    assert parse_packages("none") == () == parse_packages("")
    with pytest.raises(JudgeError, match="not a Python import name"):
        parse_packages("scikit-learn")
    (np_entry,) = resolve(("numpy",))
    names = [name for _, name in np_entry["paths"]]
    assert names[0] == "numpy" and set(names) <= {"numpy", "numpy.libs"}


class _FakeBox:
    def __init__(self, config, preloaded):
        self.config, self.preloaded, self.alive = config, set(preloaded), True

    def close(self) -> None:
        self.alive = False


def test_the_pool_keeps_numpy_sandboxes_for_numpy_solutions(cfg):
    """A sandbox holding numpy forks dearer: lean solutions get lean sandboxes, numpy ones get numpy's."""
    from codefrontier.judge.pool import SandboxPool

    pool = SandboxPool()
    lean, heavy = _FakeBox(cfg, ()), _FakeBox(cfg, ("numpy",))
    for box in (lean, heavy):
        pool.put(box)  # type: ignore[arg-type]
    assert pool.get(cfg) is lean
    pool.put(lean)  # type: ignore[arg-type]
    assert pool.get(cfg, frozenset({"numpy"})) is heavy
    assert pool.get(cfg, frozenset({"numpy"})) is lean  # the only one left: still used
