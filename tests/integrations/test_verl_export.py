"""verl export: the Parquet columns verl expects, round-tripped through pandas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codefrontier.episodes.prompts import problem_messages
from codefrontier.errors import CodefrontierError
from codefrontier.integrations.verl_export import ExportConfig, export_verl_file
from codefrontier.problems.io import problem_from_dict, problem_to_dict, save_problems
from codefrontier.problems.model import Problem

pd = pytest.importorskip("pandas")


def _problems() -> list[Problem]:
    stdin = problem_from_dict({
        "id": "sum", "statement": "Print a+b.", "source": "test",
        "public_tests": [{"input": "1 2\n", "output": "3\n"}],
        "tests": [{"input": f"{'9' * n} 1\n", "output": f"{int('9' * n) + 1}\n"} for n in range(1, 9)],
    })
    call = problem_from_dict({
        "id": "add", "statement": "Return a+b.", "fn_name": "add", "starter_code": "def add(a, b):\n",
        "tests": [{"input": "1\n2", "output": "3"}, {"input": "10\n20", "output": "30"}],
    })
    return [stdin, call]


def test_export_round_trips_through_pandas(tmp_path: Path) -> None:
    problems = _problems()
    src = tmp_path / "p.jsonl"
    save_problems(problems, src)
    out = tmp_path / "train.parquet"
    assert export_verl_file(str(src), out, ExportConfig(coverage=2, data_source="lcb")) == 2
    df = pd.read_parquet(out)
    assert list(df.columns) == ["data_source", "prompt", "ability", "reward_model", "extra_info"]
    assert list(df["data_source"]) == ["lcb", "lcb"] and set(df["ability"]) == {"code"}
    for i, p in enumerate(problems):
        row = df.iloc[i]
        messages = list(row["prompt"])
        # Every problem: exactly the reasoning opening that sampling and GRPO give the model.
        assert messages == [dict(m) for m in problem_messages(p)] and p.statement.strip() in messages[-1]["content"]
        assert row["reward_model"]["style"] == "rule"
        gt = json.loads(row["reward_model"]["ground_truth"])
        assert problem_to_dict(problem_from_dict(gt)) == problem_to_dict(p)
        assert dict(row["extra_info"]) == {"split": "train", "index": i, "problem_id": p.id, "coverage": 2}
    # The prompt never carries a hidden test's expected output.
    hidden = problems[0].tests[-1].output.strip()
    assert hidden not in df.iloc[0]["prompt"][0]["content"]
    # Call-based problems are prompted with their starter code and the function to define.
    call_user = df.iloc[1]["prompt"][1]["content"]
    assert "def add(a, b):" in call_user and "define the function `add`" in call_user
    assert "standard input" not in df.iloc[1]["prompt"][0]["content"]  # the call-based system message


def test_export_refuses_bad_coverage_and_non_parquet(tmp_path: Path) -> None:
    with pytest.raises(CodefrontierError, match="coverage"):
        ExportConfig(coverage=0)
    src = tmp_path / "p.jsonl"
    save_problems(_problems(), src)
    with pytest.raises(CodefrontierError, match="Parquet"):
        export_verl_file(str(src), tmp_path / "x.jsonl", ExportConfig(coverage=1))


def test_cli_export_verl(tmp_path: Path) -> None:
    from codefrontier.cli import app

    src = tmp_path / "p.jsonl"
    save_problems(_problems(), src)
    out = tmp_path / "t.parquet"
    res = CliRunner().invoke(app, ["problems", "export-verl", "--problems", str(src), "--coverage", "1",
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert len(pd.read_parquet(out)) == 2


def test_export_matches_the_verl_reward_function(tmp_path: Path) -> None:
    verl = pytest.importorskip("codefrontier.integrations.verl")
    pytest.importorskip("codefrontier.judge.executor")
    src = tmp_path / "p.jsonl"
    save_problems(_problems(), src)
    out = tmp_path / "t.parquet"
    export_verl_file(str(src), out, ExportConfig(coverage=4))
    row = pd.read_parquet(out).iloc[0]
    good = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
    bad = "```python\nprint(0)\n```"
    args = (row["data_source"],)
    gt, info = row["reward_model"]["ground_truth"], dict(row["extra_info"])
    good_score = verl.compute_score(*args, good, gt, info)
    bad_score = verl.compute_score(*args, bad, gt, info)
    assert (good_score["score"], good_score["coverage"]) == (1.0, 4)
    assert (bad_score["score"], bad_score["verdict"]) == (0.0, "WA")


def test_builtin_export_uses_the_training_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from codefrontier.problems import builtin

    seeds: list[int] = []

    def fake_builtin_problems(seed: int = 0, ids: list[str] | None = None) -> list[Problem]:
        seeds.append(seed)
        return _problems()

    monkeypatch.setattr(builtin, "builtin_problems", fake_builtin_problems)
    assert export_verl_file("builtin", tmp_path / "b.parquet", ExportConfig(coverage=1)) == 2
    assert seeds == [1]  # hidden tests of the training seed; evaluation uses seed 0
