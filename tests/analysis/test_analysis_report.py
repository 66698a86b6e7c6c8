"""build_report end to end: files, a self-contained HTML, CSVs, the toy label, one-line errors, speed."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from codefrontier.analysis.config import ReportConfig
from codefrontier.analysis.report import build_report, load_run
from codefrontier.analysis.synthetic import synthetic_frame
from codefrontier.errors import StoreError

TABLES = ("solve_rates", "pass_at_k", "failure_rates", "frontier", "unique_solved", "jaccard",
          "frontier_change", "problem_solve_rates", "ensembles")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frame = synthetic_frame(num_problems=12, n=8, settings=("reasoning", "agent"), seed=4)
    out = tmp_path_factory.mktemp("report")
    return build_report(frame, {"toy_scale": True, "config": {"n": 8}}, out, ReportConfig(reps=200))


@pytest.mark.slow
def test_report_writes_html_md_figures_and_a_csv_per_table(built: Path) -> None:
    out = built.parent
    assert built.name == "report.html" and (out / "report.md").is_file() and (out / "settings.json").is_file()
    for name in TABLES:
        table = pd.read_csv(out / "tables" / f"{name}.csv")
        assert len(table) > 0, name
    md = (out / "report.md").read_text()
    for png in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md):
        assert (out / png).stat().st_size > 1000  # every figure the Markdown names lies beside it
    assert "frontier_reasoning.png" in md and "ensembles_agent.png" in md


@pytest.mark.slow
def test_html_is_self_contained_and_labelled_toy(built: Path) -> None:
    html = built.read_text()
    assert "TOY SCALE" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)  # nothing fetched from a network
    assert "<script" not in html and "<link" not in html and "@import" not in html
    imgs = re.findall(r"<img [^>]*src='([^']*)'", html)
    assert len(imgs) == len(re.findall(r"!\[", (built.parent / "report.md").read_text()))
    assert all(src.startswith("data:image/png;base64,") for src in imgs)
    assert "Summary" in html and "Frontier across coverage" in html and "Matched budget" in html


@pytest.mark.slow
def test_no_toy_label_for_a_real_run(tmp_path: Path) -> None:
    frame = synthetic_frame(num_problems=6, n=4, settings=("tool",), lams=(0.0, 1.0), seed=2)
    path = build_report(frame, {"toy_scale": False}, tmp_path, ReportConfig(reps=50))
    assert "TOY SCALE" not in path.read_text()


def test_missing_store_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no results store") as err:
        load_run(tmp_path)
    assert "\n" not in str(err.value)


def test_cli_report_on_missing_store_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from codefrontier import cli

    with pytest.raises(SystemExit) as done:
        cli.main(["report", str(tmp_path)])
    assert done.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "results.sqlite" in err and "\n" not in err


@pytest.mark.slow
def test_report_builds_from_a_store_written_by_the_sampling_command(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        from codefrontier.sample import runner  # noqa: F401
        from codefrontier.sample.store import results_frame  # noqa: F401
    except ImportError as err:
        pytest.skip(f"the sampling store (codefrontier.sample.store.results_frame) is not available yet: {err}")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sample"))
    try:
        from sample_fakes import FakeJudge, chat_server, make_problem
    except ImportError as err:
        pytest.skip(f"the sampling tests' fakes (tests/sample/sample_fakes.py) are not available: {err}")
    from codefrontier import cli
    from codefrontier.problems import save_problems

    monkeypatch.setattr(runner, "real_judge", FakeJudge().fns)
    problems = tmp_path / "probs.jsonl"
    save_problems([make_problem("p1"), make_problem("p2")], problems)
    run = tmp_path / "run"
    with chat_server() as url:
        argv = ["sample", "--checkpoint", "tiny", "--backend", "http", "--base-url", url, "--setting",
                "reasoning,agent", "--problems", str(problems), "--n", "3", "--out", str(run)]
        try:
            cli.main(argv)
        except SystemExit as done:
            assert not done.code
    try:
        cli.main(["report", str(run), "--reps", "50"])
    except SystemExit as done:
        assert not done.code
    html = (run / "report" / "report.html").read_text()
    assert "frontier_reasoning.png" in html and "Run provenance" in html
    assert len(pd.read_csv(run / "report" / "tables" / "solve_rates.csv")) > 0


@pytest.mark.slow
def test_sparse_run_reports_without_nan_or_empty_claims(tmp_path: Path) -> None:
    # Only the trained sweep (endpoints on the line), one difficulty, one (checkpoint, problem) pair unsampled.
    frame = synthetic_frame(num_problems=5, n=4, settings=("agent",), lams=(0.0, 1.0), seed=1)
    frame = frame[~((frame["checkpoint"] == "cov2") & (frame["problem_id"] == "p00"))].copy()
    frame["difficulty"] = "medium"
    md = (build_report(frame, {}, tmp_path, ReportConfig(reps=50)).parent / "report.md").read_text()
    summary = md.split("## Setting")[0]
    assert "nan" not in summary and "0 of 0" not in summary and "with extrapolated" not in summary
    assert "Frontier across coverage (agent, all)" in summary and "trained only" in summary
