"""`codefrontier judge`: the docs/design.md JSON, exit 0 whatever the verdict, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from codefrontier.cli import app, main

PROBLEM = {"id": "sum", "title": "Sum", "statement": "", "time_limit_s": 0.5, "memory_limit_mb": 64,
           "tests": [{"input": "1 2\n", "output": "3\n", "tier": 1}, {"input": "50 1\n", "output": "51\n", "tier": 2}]}


@pytest.fixture
def files(tmp_path):
    pf = tmp_path / "p.json"
    pf.write_text(json.dumps(PROBLEM))
    many = tmp_path / "many.jsonl"
    many.write_text("".join(json.dumps(dict(PROBLEM, id=i)) + "\n" for i in ("a", "b")))
    good = tmp_path / "good.py"
    good.write_text("a, b = map(int, input().split())\nprint(a + b)\n")
    bad = tmp_path / "bad.py"
    bad.write_text("a, b = map(int, input().split())\nprint(a + b if a < 10 else 0)\n")
    return pf, many, good, bad


def run(*args: str):
    return CliRunner().invoke(app, ["judge", *args])


def test_json_contract(files):
    pf, _, good, bad = files
    res = run("--problem", str(pf), "--code", str(bad), "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert set(out) >= {"verdict", "failure_class", "passed_tier", "first_failure", "tests"}
    assert (out["verdict"], out["failure_class"], out["passed_tier"]) == ("WA", "correctness", 1)
    assert out["first_failure"] == {"index": 1, "tier": 2, "verdict": "WA", "exit_code": 0, "signal": None,
                                    "stderr": ""}
    assert out["packages"] == ["numpy", "sortedcontainers"]
    assert set(out["tests"][0]) == {"index", "tier", "verdict", "cpu_s", "wall_s", "peak_mb", "exit_code"}
    res = run("--problem", str(pf), "--code", str(good), "--json", "--all-tests")
    assert json.loads(res.output)["verdict"] == "AC"


def test_several_problems_need_an_id(files, capsys):
    _, many, good, _ = files
    assert json.loads(run("--problem", str(many), "--code", str(good), "--id", "b", "--json").output)["verdict"] == "AC"
    with pytest.raises(SystemExit) as exc:
        main(["judge", "--problem", str(many), "--code", str(good)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(many) in err and "--id" in err


@pytest.mark.parametrize("which", ["missing-problem", "missing-code", "bad-lang", "bad-id"])
def test_bad_input_is_one_line_naming_the_file(files, capsys, tmp_path, which):
    pf, _, good, _ = files
    args = {"missing-problem": ["--problem", str(tmp_path / "nope.json"), "--code", str(good)],
            "missing-code": ["--problem", str(pf), "--code", str(tmp_path / "nope.py")],
            "bad-lang": ["--problem", str(pf), "--code", str(good), "--lang", "rust"],
            "bad-id": ["--problem", str(pf), "--code", str(good), "--id", "zzz"]}[which]
    with pytest.raises(SystemExit) as exc:
        main(["judge", *args])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err
    assert "nope" in err or "rust" in err or str(pf) in err


def test_judge_and_grade_flag_defaults_are_the_configs() -> None:
    # One source per default: the help texts quote JudgeConfig's defaults, never their own.
    import inspect

    from codefrontier.judge.cli import grade, judge
    from codefrontier.judge.config import JudgeConfig

    for command in (judge, grade):
        params = inspect.signature(command).parameters
        assert params["packages"].default.default is None and params["unsafe_isolation"].default.default is None
        assert f"(default: {','.join(JudgeConfig().packages)})" in params["packages"].default.help
        assert "(default: false)" in params["unsafe_isolation"].default.help and not JudgeConfig().unsafe_isolation
