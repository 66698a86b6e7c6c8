"""Dataset conversion: hand-made rows of each format, compressed LCB tests, a malicious pickle."""

from __future__ import annotations

import base64
import json
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from codefrontier.errors import CodefrontierError
from codefrontier.problems.canonical import canonical_json
from codefrontier.problems.convert import ConvertConfig, convert_dataset, convert_file
from codefrontier.problems.io import load_problems
from codefrontier.problems.model import Difficulty
from codefrontier.problems.unpickle import UnsafePickleError, decode_lcb_tests, safe_unpickle


def _compress(obj: Any) -> str:
    return base64.b64encode(zlib.compress(pickle.dumps(obj))).decode("ascii")


def _lcb_stdin_row(qid: str = "abc301_a", difficulty: str = "easy", date: str = "2023-06-17T00:00:00") -> dict:
    public = [{"input": "1 2\n", "output": "3\n", "testtype": "stdin"}]
    private = [{"input": " ".join(["9"] * k) + "\n", "output": str(9 * k) + "\n", "testtype": "stdin"}
               for k in (50, 2, 400, 10, 1000, 5, 120)]
    return {"question_title": "Add", "question_content": "Print the sum.", "platform": "atcoder",
            "question_id": qid, "contest_id": "abc301", "contest_date": date, "starter_code": "",
            "difficulty": difficulty, "public_test_cases": json.dumps(public),
            "private_test_cases": json.dumps(private), "metadata": "{}"}


def _lcb_functional_row() -> dict:
    public = [{"input": "[2, 7, 11, 15]\n9", "output": "[0, 1]", "testtype": "functional"}]
    private = [{"input": f"{json.dumps(list(range(n)))}\n{2 * n - 3}", "output": f"[{n - 2}, {n - 1}]",
                "testtype": "functional"} for n in (3, 30, 300)]
    return {"question_title": "Two Sum", "question_content": "Return indices.", "platform": "leetcode",
            "question_id": "1", "contest_id": "w1", "contest_date": "2024-09-01T00:00:00",
            "starter_code": "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        ",
            "difficulty": "hard", "public_test_cases": json.dumps(public),
            "private_test_cases": _compress(json.dumps(private)),
            "metadata": json.dumps({"func_name": "twoSum"})}


def _cc_row() -> dict:
    return {"name": "1548_E. Gregor and the Two Painters", "description": "Count.",
            "public_tests": {"input": ["1\n"], "output": ["1\n"]},
            "private_tests": {"input": ["22\n", "333\n"], "output": ["2\n", "3\n"]},
            "generated_tests": {"input": ["4444\n"], "output": ["4\n"]},
            "source": 2, "difficulty": 11, "cf_rating": 1800, "cf_contest_id": 1548, "cf_index": "E",
            "cf_tags": ["math"], "time_limit": {"seconds": 2, "nanos": 500000000},
            "memory_limit_bytes": 268435456}


def _apps_row() -> dict:
    io = {"fn_name": "add", "inputs": [[1, 2], [[1, 2], [3]]], "outputs": [[3], [[1, 2, 3]]]}
    return {"problem_id": 42, "question": "Write add.", "input_output": json.dumps(io),
            "difficulty": "competition", "starter_code": "def add(a, b):\n", "url": "u", "solutions": "[]"}


def _taco_row() -> dict:
    io = {"inputs": ["3\n1 2 3\n", "1\n5\n"], "outputs": ["6\n", "5\n"]}
    return {"question": "Sum.", "input_output": json.dumps(io), "difficulty": "MEDIUM_HARD",
            "time_limit": "2 seconds", "memory_limit": "512 megabytes", "source": "codeforces",
            "date": "2021-03-02", "starter_code": "", "name": "Sum", "skill_types": "['Math']"}


def _write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_lcb_stdin_tests_ordered_by_size_with_quantile_tiers(tmp_path: Path) -> None:
    inp = _write_jsonl(tmp_path / "lcb.jsonl", [_lcb_stdin_row()])
    report = convert_file(inp, tmp_path / "out.jsonl", ConvertConfig("lcb", num_tiers=3))
    (p,) = load_problems(tmp_path / "out.jsonl", num_tiers=3)
    assert report.converted == 1 and not report.errors
    assert p.id == "lcb-abc301-a" and p.difficulty is Difficulty.EASY and p.time_limit_s == 6.0
    sizes = [t.effective_size for t in p.tests]
    assert sizes == sorted(sizes) and len(p.tests) == 8  # 1 public + 7 private
    assert [t.tier for t in p.tests] == sorted(t.tier or 0 for t in p.tests) and p.num_tiers == 3
    assert p.extra["platform"] == "atcoder" and p.extra["contest_date"].startswith("2023-06-17")
    assert p.public_tests[0].output == "3\n" and p.fn_name is None


def test_lcb_compressed_functional_tests(tmp_path: Path) -> None:
    problems, report = convert_dataset([_lcb_functional_row()], ConvertConfig("lcb"))
    (p,) = problems
    assert p.fn_name == "twoSum" and p.extra["starter_code"].startswith("class Solution")
    assert len(p.tests) == 4  # public + 3 decompressed private
    assert p.tests[-1].output == "[298,299]" and p.tests[-1].input.endswith("\n597")
    assert p.public_tests[0].output == canonical_json([0, 1])


def test_datasets_dataset_is_accepted() -> None:
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_list([_lcb_stdin_row(), _lcb_stdin_row("abc301_b")])
    problems, report = convert_dataset(ds, ConvertConfig("lcb"))
    assert [p.id for p in problems] == ["lcb-abc301-a", "lcb-abc301-b"]


class _Evil:
    def __init__(self, target: Path):
        self.target = target

    def __reduce__(self) -> Any:
        return (os.system, (f"touch {self.target}",))


def test_malicious_pickle_is_refused_without_running(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    bad = _lcb_stdin_row("abc301_b")
    bad["private_test_cases"] = base64.b64encode(zlib.compress(pickle.dumps(_Evil(marker)))).decode()
    inp = _write_jsonl(tmp_path / "lcb.jsonl", [_lcb_stdin_row(), bad, _lcb_stdin_row("abc301_c")])
    lines: list[str] = []
    report = convert_file(inp, tmp_path / "out.jsonl", ConvertConfig("lcb"), on_error=lines.append)
    assert not marker.exists()
    assert report.converted == 2 and len(report.errors) == 1 and lines == report.errors
    assert lines[0].startswith(f"{inp}: row 2: field 'private_test_cases' refused")
    assert "system" in lines[0] and "\n" not in lines[0]
    assert [p.id for p in load_problems(tmp_path / "out.jsonl")] == ["lcb-abc301-a", "lcb-abc301-c"]


@pytest.mark.parametrize("protocol", [0, 2, 5])
def test_unpickler_refuses_every_global_at_every_protocol(tmp_path: Path, protocol: int) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(UnsafePickleError):
        safe_unpickle(pickle.dumps(_Evil(marker), protocol=protocol))
    with pytest.raises(UnsafePickleError):
        safe_unpickle(pickle.dumps(Path("x"), protocol=protocol))  # a harmless class is refused too
    assert not marker.exists()
    assert safe_unpickle(pickle.dumps(["a", {"b": 1}], protocol=protocol)) == ["a", {"b": 1}]


def test_zlib_bomb_is_capped() -> None:
    payload = base64.b64encode(zlib.compress(pickle.dumps("x" * 100_000))).decode()
    with pytest.raises(ValueError, match="inflates past"):
        decode_lcb_tests(payload, limit=1000)


def test_codecontests_limits_rating_and_generated_tests() -> None:
    (p,), _ = convert_dataset([_cc_row()], ConvertConfig("codecontests"))
    assert p.id == "cc-1548-e-gregor-and-the-two-painters"
    assert p.time_limit_s == 2.5 and p.memory_limit_mb == 256
    assert p.difficulty is Difficulty.MEDIUM and p.extra["rating"] == 1800 and p.extra["platform"] == "codeforces"
    assert [t.input for t in p.tests] == ["1\n", "22\n", "333\n", "4444\n"]
    assert [t.extra["origin"] for t in p.tests] == ["public", "private_tests", "private_tests", "generated_tests"]
    (q,), _ = convert_dataset([_cc_row()], ConvertConfig("codecontests", include_generated=False,
                                                        hidden_includes_public=False))
    assert [t.input for t in q.tests] == ["22\n", "333\n"]


def test_codecontests_from_parquet(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    path = tmp_path / "cc.parquet"
    pd.DataFrame([_cc_row(), dict(_cc_row(), name="2_A. Other", time_limit=None)]).to_parquet(path)
    report = convert_file(path, tmp_path / "out.jsonl", ConvertConfig("codecontests"))
    p, q = load_problems(tmp_path / "out.jsonl")
    assert report.converted == 2 and p.time_limit_s == 2.5 and q.time_limit_s == 2.0


def test_apps_call_based_and_taco_stdin() -> None:
    (a,), _ = convert_dataset([_apps_row()], ConvertConfig("apps"))
    assert a.fn_name == "add" and a.difficulty is Difficulty.HARD and a.extra["starter_code"]
    assert {(t.input, t.output) for t in a.tests} == {("1\n2", "3"), ("[1,2]\n[3]", "[1,2,3]")}
    (t,), _ = convert_dataset([_taco_row()], ConvertConfig("taco"))
    assert t.fn_name is None and t.time_limit_s == 2.0 and t.memory_limit_mb == 512
    assert t.difficulty is Difficulty.HARD and t.tests[0].input == "1\n5\n"


def test_bad_rows_are_reported_with_file_and_row_and_the_rest_converted(tmp_path: Path) -> None:
    inp = tmp_path / "mixed.jsonl"
    no_tests = dict(_apps_row(), input_output="")
    mismatched = dict(_apps_row(), input_output=json.dumps({"inputs": ["1"], "outputs": []}))
    inp.write_text(json.dumps(_apps_row()) + "\n{not json\n" + json.dumps(no_tests) + "\n"
                   + json.dumps(mismatched) + "\n" + json.dumps(dict(_apps_row(), problem_id=7)) + "\n")
    report = convert_file(inp, tmp_path / "out.jsonl", ConvertConfig("apps"))
    assert report.converted == 2
    assert [e.split(": ")[1] for e in report.errors] == ["row 2", "row 3", "row 4"]
    assert all(e.startswith(str(inp)) for e in report.errors)


def test_selection_by_difficulty_and_date() -> None:
    rows = [_lcb_stdin_row("a", "hard", "2024-05-01T00:00:00"), _lcb_stdin_row("b", "hard", "2024-09-01"),
            _lcb_stdin_row("c", "easy", "2024-09-02T00:00:00")]
    problems, report = convert_dataset(rows, ConvertConfig("lcb", difficulty=Difficulty.HARD, since="2024-08-01"))
    assert [p.id for p in problems] == ["lcb-b"] and report.filtered == 2


def test_no_convertible_row_is_an_error_and_leaves_no_file(tmp_path: Path) -> None:
    inp = _write_jsonl(tmp_path / "x.jsonl", [{"foo": 1}])
    with pytest.raises(CodefrontierError, match="no row could be converted"):
        convert_file(inp, tmp_path / "out.jsonl", ConvertConfig("taco"))
    assert not (tmp_path / "out.jsonl").exists()
    assert [f.name for f in tmp_path.iterdir()] == ["x.jsonl"]


def test_cli_convert_reports_bad_rows_on_stderr(tmp_path: Path) -> None:
    from codefrontier.cli import app

    inp = _write_jsonl(tmp_path / "t.jsonl", [_taco_row(), {"question": "no tests"}, _taco_row()])
    shard = _write_jsonl(tmp_path / "shard2.jsonl", [_taco_row()])
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["problems", "convert", "--from", "taco", str(inp), str(shard),
                                   "--out", str(out), "--tiers", "2"])
    assert res.exit_code == 0, res.output
    assert f"{inp}: row 2:" in res.stderr and "converted 3 problems, 1 bad rows skipped" in res.stderr
    assert [p.id for p in load_problems(out)] == ["taco-1", "taco-3", "taco-1-shard2-r1"]


def test_convert_cli_defaults_are_the_configs() -> None:
    # The help texts quote the defaults; they must be ConvertConfig's, the one source.
    import inspect

    from codefrontier.problems.convert import ConvertConfig
    from codefrontier.problems.convert_cli import convert

    cfg = ConvertConfig(fmt="lcb")
    docs = {p.name: p.default.help for p in inspect.signature(convert).parameters.values()
            if hasattr(p.default, "help")}
    assert f"[default: {cfg.num_tiers}]" in docs["tiers"]
    assert cfg.hidden_includes_public and "[default: public-in-hidden]" in docs["public_in_hidden"]
    assert cfg.include_generated and "[default: generated]" in docs["generated"]
