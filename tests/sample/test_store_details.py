"""The results store keeps the first failure's diagnostics; stores written before that stay usable."""

from __future__ import annotations

import sqlite3

from codefrontier.judge import outcome as oc
from codefrontier.judge.outcome import FailureDetail, FirstFailure, Outcome
from codefrontier.sample.store import DB_NAME, CheckpointInfo, Judgement, SampleRecord, Store, results_frame
from codefrontier.verdicts import FailureClass, Verdict

OLD_JUDGEMENTS = """CREATE TABLE judgements (
  sample_id INTEGER PRIMARY KEY REFERENCES samples(id),
  verdict TEXT NOT NULL, first_failure TEXT, passed_tier INTEGER NOT NULL,
  failure_class TEXT NOT NULL, sub_class TEXT NOT NULL, tests TEXT NOT NULL,
  isolation TEXT NOT NULL, first_attempt_solved INTEGER, judged TEXT NOT NULL);"""


def _sample(i: int) -> SampleRecord:
    return SampleRecord("ck", "reasoning", "p", "easy", 2, i, 0, "c", "[]", "print(1)", None, 1, 1, 0)


def _re_outcome() -> Outcome:
    t = oc.TestResult(0, 1, Verdict.RE, 0.01, 0.02, 5.0, 1, stderr="Traceback ...\nZeroDivisionError")
    return Outcome(Verdict.RE, FailureClass.CORRECTNESS, 0, FirstFailure(0, 1, Verdict.RE), (t,), "full",
                   packages=("numpy",), detail=FailureDetail(1, None, "Traceback ...\nZeroDivisionError"))


def test_diagnostics_are_stored(tmp_path):
    store = Store(tmp_path)
    store.add_checkpoint(CheckpointInfo("ck", "/x"))
    (sid,) = store.add_samples([_sample(0)])
    store.add_judgements([(sid, Judgement.from_outcome(_re_outcome()))])
    d = store.failure_detail(sid)
    assert d == {"verdict": "RE", "first_failure": {"index": 0, "tier": 1, "verdict": "RE"}, "exit_code": 1,
                 "signal": None, "stderr": "Traceback ...\nZeroDivisionError", "packages": ["numpy"]}
    assert store.failure_detail(sid + 100) is None


def test_a_store_from_before_the_new_columns_opens_and_takes_them(tmp_path):
    store = Store(tmp_path)
    store.add_checkpoint(CheckpointInfo("ck", "/x"))
    (old_sid,) = store.add_samples([_sample(0)])
    store.close()
    db = sqlite3.connect(tmp_path / DB_NAME)  # rewrite the table as the old schema had it, with one row
    db.executescript(f"DROP TABLE judgements; {OLD_JUDGEMENTS}")
    db.execute("INSERT INTO judgements VALUES (?, 'WA', NULL, 1, 'correctness', 'WA', '[]', 'full', NULL, 'now')",
               (old_sid,))
    db.commit()
    db.close()
    assert len(results_frame(tmp_path)) == 1  # readable as it is, before any writer touched it
    store = Store(tmp_path)  # a writer adds the columns
    cols = {r[1] for r in sqlite3.connect(tmp_path / DB_NAME).execute("PRAGMA table_info(judgements)")}
    assert {"exit_code", "signal", "stderr_excerpt", "packages"} <= cols
    assert store.failure_detail(old_sid)["stderr"] is None  # the old row reads with empty diagnostics
    (sid,) = store.add_samples([_sample(1)])
    store.add_judgements([(sid, Judgement.from_outcome(_re_outcome()))])
    assert store.failure_detail(sid)["exit_code"] == 1
    assert sorted(results_frame(tmp_path)["verdict"]) == ["RE", "WA"]
