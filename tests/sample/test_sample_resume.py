"""The store survives SIGKILL mid-run; the rerun completes with exactly n samples per problem and checkpoint."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codefrontier.sample.store import results_frame

HERE = Path(__file__).parent
TOTAL = 5 * 4 * 2  # n x problems x checkpoints (sample_killme.py)


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT COUNT(*) FROM samples").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _start(run_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(HERE / "sample_killme.py"), str(run_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_completes(tmp_path: Path) -> None:
    db = tmp_path / "results.sqlite"
    proc = _start(tmp_path)
    deadline = time.monotonic() + 120
    while _count(db) < 6 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read()!r}"  # type: ignore[union-attr]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = _count(db)
    assert 6 <= killed_at < TOTAL
    rerun = _start(tmp_path)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    df = results_frame(tmp_path)
    assert len(df) == TOTAL and _count(db) == TOTAL  # every sample stored once and judged
    per = df.groupby(["checkpoint", "problem_id"]).sample_index.agg(["count", "nunique"])
    assert (per["count"] == 5).all() and (per["nunique"] == 5).all()
    assert (df.failure_class == "solved").all() and (df.first_attempt_solved == 0.0).all()
