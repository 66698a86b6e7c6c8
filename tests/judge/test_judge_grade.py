"""`grade`: other tools' generations (LiveCodeBench's format over real rows), resumable, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from codefrontier.cli import app
from codefrontier.errors import CodefrontierError
from codefrontier.judge import JudgeConfig, judge
from codefrontier.judge.grade import format_summary, grade, read_solutions, summarize
from codefrontier.problems.convert import ConvertConfig, convert_file
from codefrontier.problems.io import load_problems
from real_data import REAL_DIR

REAL = REAL_DIR  # the workspace's shared/real/, beside the checkout
needs_real = pytest.mark.skipif(not (REAL / "lcb_rows.jsonl").exists() or not (REAL / "lcb_submissions.jsonl").exists(),
                                reason=f"the real LiveCodeBench sample is not at {REAL} (shared/real/ of the workspace)")


@pytest.fixture
def lcb(tmp_path):
    """Converted LCB problems and an LCB generations file: per problem [accepted, wrong] submissions."""
    problems = tmp_path / "lcb.jsonl"
    convert_file(REAL / "lcb_rows.jsonl", problems, ConvertConfig("lcb"))
    subs = [json.loads(line) for line in (REAL / "lcb_submissions.jsonl").read_text().splitlines() if line.strip()]
    by_q: dict[str, list[dict]] = {}
    for s in subs:
        by_q.setdefault(s["question_id"], []).append(s)
    gens = tmp_path / "generations.json"
    gens.write_text(json.dumps([{"question_id": q, "code_list": [s["code"] for s in ss],
                                 "output_list": ["(raw model text)"] * len(ss)} for q, ss in by_q.items()]))
    return load_problems(problems), problems, gens, by_q


@needs_real
def test_lcb_generations_grade_like_judge_and_resume(lcb, tmp_path):
    problems, _, gens, by_q = lcb
    cfg = JudgeConfig(cache=False, workers=2)
    out = tmp_path / "graded.jsonl"
    report = grade(problems, gens, out, cfg)
    assert (report.graded, report.skipped) == (6, 0)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 6
    by_id = {p.id: p for p in problems}
    for r in rows:
        sub = by_q[r["source_id"]][r["sample_index"]]
        alone = judge(by_id[r["problem_id"]], sub["code"], config=cfg)
        assert r["verdict"] == alone.verdict.value == sub["expected"], r
        assert r["first_failure"] == alone.to_json()["first_failure"]
        assert set(r) >= {"verdict", "failure_class", "passed_tier", "first_failure", "tests", "packages", "row"}
    before = out.read_text()
    again = grade(problems, gens, out, cfg)
    assert (again.graded, again.skipped) == (0, 6)
    assert out.read_text() == before  # nothing graded twice, nothing appended
    summary = summarize(again.rows, problems)
    assert summary[0]["difficulty"] == "all" and summary[0]["solve_rate"] == pytest.approx(0.5)
    assert summary[0]["pass@1"] == pytest.approx(0.5)
    assert any(line.startswith("easy: 3 problems, 6 samples") for line in format_summary(summary))


@needs_real
def test_a_cut_off_last_line_is_graded_again(lcb, tmp_path):
    problems, _, gens, _ = lcb
    cfg = JudgeConfig(cache=False, workers=2)
    out = tmp_path / "graded.jsonl"
    grade(problems, gens, out, cfg)
    lines = out.read_text().splitlines(keepends=True)
    out.write_text("".join(lines[:4]) + lines[4][:30])  # killed while writing row 5
    again = grade(problems, gens, out, cfg)
    assert (again.graded, again.skipped) == (2, 4)
    keys = [(r["problem_id"], r["sample_index"]) for r in map(json.loads, out.read_text().splitlines())]
    assert len(keys) == len(set(keys)) == 6


@needs_real
def test_cli_grade_prints_the_summary(lcb, tmp_path):
    _, problems_file, gens, _ = lcb
    out = tmp_path / "cli.jsonl"
    args = ["grade", "--problems", str(problems_file), "--solutions", str(gens), "--out", str(out), "--workers", "2"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "graded 6 rows, 0 already there" in res.output and "solve rate 0.500" in res.output
    res = CliRunner().invoke(app, args)
    assert "graded 0 rows, 6 already there" in res.output


def _problems_file(tmp_path):
    pf = tmp_path / "p.jsonl"
    pf.write_text(json.dumps({"id": "sum", "title": "s", "statement": "", "difficulty": "medium",
                              "tests": [{"input": "1 2\n", "output": "3\n"}]}) + "\n")
    return load_problems(pf)


def test_jsonl_completions_are_extracted(tmp_path):
    problems = _problems_file(tmp_path)
    sols = tmp_path / "s.jsonl"
    rows = [{"problem_id": "sum", "completion": "Here:\n```python\na, b = map(int, input().split())\nprint(a + b)\n```"},
            {"problem_id": "sum", "completion": "I cannot solve this."},
            {"problem_id": "sum", "code": "print(4)\n", "sample_index": 7}]
    sols.write_text("".join(json.dumps(r) + "\n" for r in rows))
    rep = grade(problems, sols, tmp_path / "o.jsonl", JudgeConfig(cache=False, workers=1))
    got = {r["sample_index"]: r for r in rep.rows}
    assert (got[0]["verdict"], got[1]["verdict"], got[7]["verdict"]) == ("AC", "CE", "WA")
    assert got[1]["no_code"] is True and got[1]["failure_class"] == "correctness"
    (line_all, line_medium) = summarize(rep.rows, problems)
    assert line_medium["difficulty"] == "medium" and line_medium["pass@1"] == pytest.approx(1 / 3)


@pytest.mark.parametrize(("content", "message"), [
    ('{"problem_id": "nope", "code": "x"}\n', r"s.jsonl: row 1: problem id 'nope' is not in the problems file"),
    ('{"problem_id": "sum", "code": "x"}\n{not json\n', r"s.jsonl: row 2: not valid JSON"),
    ('{"code": "x"}\n', r"s.jsonl: row 1: has no problem id"),
    ('{"problem_id": "sum"}\n', r"s.jsonl: row 1: has no code"),
    ('{"problem_id": "sum", "code": "x", "sample_index": 0}\n{"problem_id": "sum", "code": "y", "sample_index": 0}\n',
     r"s.jsonl: row 2: problem 'sum' sample 0 was already given in row 1"),
    ('[{"question_id": "sum", "code_list": "print(1)"}]', r"s.jsonl: row 1: code_list is not a list"),
    ('{"problem_id": "sum", "code": "x", "lang": "rust"}\n', r"s.jsonl: row 1: lang 'rust' is not supported"),
])
def test_bad_input_is_one_line_naming_file_and_row(tmp_path, content, message):
    problems = _problems_file(tmp_path)
    sols = tmp_path / "s.jsonl"
    sols.write_text(content)
    with pytest.raises(CodefrontierError, match=message) as err:
        read_solutions(sols, problems)
    assert "\n" not in str(err.value) and "fix:" in str(err.value)


def test_cli_bad_input_exits_2_without_traceback(tmp_path):
    from codefrontier.cli import main
    _problems_file(tmp_path)
    sols = tmp_path / "s.jsonl"
    sols.write_text('{"problem_id": "nope", "code": "x"}\n')
    with pytest.raises(SystemExit) as exc:
        main(["grade", "--problems", str(tmp_path / "p.jsonl"), "--solutions", str(sols), "--out", str(tmp_path / "o")])
    assert exc.value.code == 2
