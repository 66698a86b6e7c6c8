"""`codefrontier sample` end to end over HTTP (fake server, fake judge), plus its one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample_fakes import FakeJudge, chat_server, make_problem

from codefrontier import cli
from codefrontier.problems import save_problems
from codefrontier.results import RESULT_COLUMNS
from codefrontier.sample import runner
from codefrontier.sample.store import results_frame, run_metadata


def _main(argv: list[str]) -> int:
    try:
        cli.main(argv)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def test_cli_samples_over_http_and_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    judge = FakeJudge()
    monkeypatch.setattr(runner, "real_judge", judge.fns)
    problems = tmp_path / "probs.jsonl"
    save_problems([make_problem("p1"), make_problem("p2")], problems)
    out = tmp_path / "run"
    with chat_server() as url:
        argv = ["sample", "--checkpoint", "tiny", "--backend", "http", "--base-url", url, "--setting",
                "tool,agent", "--problems", str(problems), "--n", "3", "--out", str(out)]
        assert _main(argv) == 0
        assert _main(argv) == 0  # a rerun stores nothing new
    df = results_frame(out)
    assert len(df) == 2 * 2 * 3 and set(df.setting) == {"tool", "agent"}
    assert list(df.columns) == list(RESULT_COLUMNS) and (out / "results.parquet").is_file()
    assert (df[df.setting == "tool"].tool_calls == 1).all()  # the fake server's native tool call
    with chat_server() as url:
        argv = ["sample", "--checkpoint", "tiny", "--backend", "http", "--base-url", url, "--setting", "tool",
                "--problems", str(problems), "--n", "1", "--out", str(tmp_path / "plain"), "--plain-tools"]
        assert _main(argv) == 0
    plain = results_frame(tmp_path / "plain")
    assert (plain.tool_calls == 0).all() and (plain.failure_class == "solved").all()  # no "tools" sent
    meta = run_metadata(out)
    assert meta["config"]["n"] == 3 and not meta["toy_scale"] and len(meta["invocations"]) == 2


@pytest.mark.parametrize("argv, message", [
    (["--setting", "reasoning"], "exactly one of --checkpoint"),
    (["--line", "A", "B", "--setting", "reasoning"], "without --lam"),
    (["--checkpoint", "x", "--setting", "dreaming"], "--setting 'dreaming'"),
    (["--checkpoint", "x", "--problems", "/no/such.jsonl"], "no such file"),
    (["--line", "A", "B", "--lam", "0,a"], "comma-separated numbers"),
])
def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                 message: str) -> None:
    problems = tmp_path / "p.jsonl"
    save_problems([make_problem()], problems)
    full = ["sample", "--out", str(tmp_path / "o"), "--problems", str(problems), *argv]
    assert _main(full) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err


def test_checkpoint_info_reads_training_and_merge_provenance(tmp_path: Path) -> None:
    from codefrontier.sample.launch import checkpoint_info, line_checkpoints

    (tmp_path / "cov2").mkdir()
    (tmp_path / "cov2" / "grpo_config.json").write_text('{"coverage": 2, "steps": 10}')
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "merge_provenance.json").write_text('{"lam": 1.5, "kind": "line"}')
    trained = checkpoint_info(str(tmp_path / "cov2"))
    assert (trained.label, trained.coverage_level, trained.is_trained) == ("cov2", 2, True)
    merged = checkpoint_info(str(tmp_path / "m"))
    assert (merged.label, merged.lam, merged.is_trained) == ("lam=+1.50", 1.5, False)
    ends = line_checkpoints(str(tmp_path / "cov2"), str(tmp_path / "m"), [0.0, 0.5])
    assert ends[0].coverage_level == 2 and ends[0].is_trained and ends[1].coverage_level is None
