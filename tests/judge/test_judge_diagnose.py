"""Diagnosable failures: exit code / signal and a bounded stderr excerpt, hidden test text masked."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
from judge_fixtures import make_problem
from typer.testing import CliRunner

from codefrontier.cli import app
from codefrontier.judge import JudgeConfig, Lang, judge
from codefrontier.judge.diagnose import MASK, bounded, mask, signal_name
from codefrontier.verdicts import Verdict

SECRET_IN = "zebra-quartz-17 hidden line of the test input\n"
SECRET_OUT = "expected-answer-glyph-9931\n"
LEAKY_RE = """\
import sys
s = input()
print("echo:", s, file=sys.stderr)
print("want to guess:", "expected-answer-glyph-9931"[:0], file=sys.stderr)
def crunch(x):
    return int(x)
crunch(s)
"""


def secret_problem():
    return make_problem([(SECRET_IN, SECRET_OUT)], tl=1.0, ml=128)


def test_re_excerpt_holds_the_traceback_and_no_hidden_test_text(cfg):
    out = judge(secret_problem(), LEAKY_RE, config=cfg)
    assert out.verdict is Verdict.RE
    d = out.detail
    assert d is not None and d.exit_code == 1 and d.signal is None
    assert "Traceback (most recent call last)" in d.excerpt
    assert 'File "<solution>", line 7, in <module>' in d.excerpt and "in crunch" in d.excerpt
    assert "ValueError: invalid literal for int()" in d.excerpt
    assert "zebra" not in d.excerpt and "hidden line" not in d.excerpt and MASK in d.excerpt
    assert "_server" not in d.excerpt  # the judge's own frame is not part of the traceback
    ff = out.to_json()["first_failure"]
    assert (ff["exit_code"], ff["signal"], ff["stderr"]) == (1, None, d.excerpt)


def test_the_excerpt_is_bounded(cfg):
    src = "import sys\nfor i in range(5000):\n    print('noise line', i, file=sys.stderr)\nraise KeyError('last')\n"
    out = judge(make_problem(), src, config=replace(cfg, excerpt_chars=500))
    assert out.detail is not None and len(out.detail.excerpt) <= 505
    assert out.detail.excerpt.rstrip().endswith("KeyError: 'last'")


def test_a_signal_is_named(cfg):
    out = judge(make_problem(), "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n", config=cfg)
    assert out.verdict is Verdict.RE
    assert (out.detail.exit_code, out.detail.signal) == (-11, "SIGSEGV")


def test_python_ce_keeps_the_compiler_message(cfg):
    out = judge(make_problem(), "def f(:\n    pass\n", config=cfg)
    assert out.verdict is Verdict.CE and out.detail is not None
    assert "SyntaxError" in out.detail.excerpt and out.detail.exit_code is None


@pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")
def test_cpp_ce_keeps_the_compiler_message(cfg):
    out = judge(make_problem(), "int main() { return undefined_name; }\n", Lang.CPP, config=cfg)
    assert out.verdict is Verdict.CE and "undefined_name" in out.detail.excerpt
    assert out.packages == ()


def test_ac_has_no_detail(cfg):
    out = judge(make_problem(), "a, b = map(int, input().split())\nprint(a + b)\n", config=cfg)
    assert out.verdict is Verdict.AC and out.detail is None and out.to_json()["first_failure"] is None


def test_detail_survives_the_persistent_cache(tmp_path):
    cfg = JudgeConfig(cache=True, cache_dir=str(tmp_path), workers=1)
    first = judge(secret_problem(), LEAKY_RE, config=cfg)
    from codefrontier.judge.cache import ResultCache
    from codefrontier.judge.runner import submission_key
    key = submission_key(secret_problem(), LEAKY_RE, Lang.PYTHON, None, None, True, False, cfg)
    again = ResultCache(str(tmp_path)).get(key)  # a fresh cache object: read back from disk
    assert again is not None and again.detail == first.detail and again.packages == first.packages


def test_mask_unit():
    secret = "the quick brown fox jumps over the lazy dog\n42 17\nsmall\n"
    text = "Error: 'the quick brown fox jumps' then 'over the lazy dog' and 42 17 small"
    masked = mask(text, [secret])
    assert "quick" not in masked and "lazy" not in masked and "42 17" in masked  # 5-char line: kept
    assert masked.startswith("Error: '") and "small" in masked
    assert mask("nothing shared here at all, friend", [secret]) == "nothing shared here at all, friend"
    assert signal_name(-9) == "SIGKILL" and signal_name(0) is None and signal_name(None) is None
    assert bounded("a\n" * 100, 20, tail=True).startswith("...\n") and len(bounded("x" * 50, 20, tail=False)) <= 24


def test_cli_shows_the_detail(tmp_path):
    pf = tmp_path / "p.json"
    pf.write_text(json.dumps({"id": "s", "title": "s", "statement": "", "tests": [
        {"input": SECRET_IN, "output": SECRET_OUT, "tier": 1}]}))
    code = tmp_path / "c.py"
    code.write_text(LEAKY_RE)
    res = CliRunner().invoke(app, ["judge", "--problem", str(pf), "--code", str(code)])
    assert res.exit_code == 0, res.output
    assert "exit code 1:" in res.output and "ValueError: invalid literal" in res.output
    assert "zebra" not in res.output
    res = CliRunner().invoke(app, ["judge", "--problem", str(pf), "--code", str(code), "--json"])
    ff = json.loads(res.output)["first_failure"]
    assert ff["verdict"] == "RE" and "Traceback" in ff["stderr"] and "zebra" not in ff["stderr"]
