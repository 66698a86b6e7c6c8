"""`codefrontier demo --quick` end to end: every stage runs for real and the report says what it must."""

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
@pytest.mark.timeout(3000)  # the pipeline trains and samples for real: minutes on 2 cores
def test_quick_demo_end_to_end_and_cached_rerun(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    cmd = [sys.executable, "-m", "codefrontier.cli", "demo", "--quick", "--out", str(out)]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    assert first.returncode == 0, first.stderr[-3000:] + first.stdout[-3000:]
    for stage in ("suite", "init", "rl", "sample", "report"):
        assert re.search(rf"\[done\]\s+{stage}\b", first.stdout), first.stdout
    assert "shipped=True" in first.stdout  # the quick slice starts from the shipped init: no SFT

    html = (out / "report" / "report.html").read_text()
    assert "toy scale" in html.lower()
    for setting in ("reasoning", "tool", "agent"):
        assert setting in html
    for lam in ("lam=-0.50", "lam=+1.50", "lam=+0.50"):  # extrapolated both sides, and interpolated
        assert lam in html
    assert html.count("data:image/png;base64,") >= 6  # frontier, solve-rate, heatmap... per setting
    assert "matched budget" in html.lower()
    assert "World check" in html  # findings a-e as verdicts, in words where n/a (the html escapes the ')
    assert "weight distance" in first.stdout  # between consecutive trained levels
    assert (out / "report" / "tables" / "ensembles.csv").is_file()

    # Exactly n samples per (checkpoint, setting, problem), nothing duplicated.
    db = sqlite3.connect(out / "sample" / "results.sqlite")
    rows = db.execute("SELECT checkpoint, setting, problem_id, COUNT(*) FROM samples "
                      "GROUP BY checkpoint, setting, problem_id").fetchall()
    assert rows and {r[3] for r in rows} == {3}
    assert {r[1] for r in rows} == {"reasoning", "tool", "agent"}

    # The weight line was applied in place: no merged checkpoint folders were written.
    assert not list(out.rglob("lam_*"))
    assert "per checkpoint" in first.stdout and "report:" in first.stdout

    second = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr[-3000:]
    assert all(re.search(rf"\[cached\]\s+{s}\b", second.stdout) for s in ("suite", "init", "rl", "sample", "report"))
