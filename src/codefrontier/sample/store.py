"""The results store: one SQLite file per run, RUN_DIR/results.sqlite, in WAL mode.

Tables (see SCHEMA): runs (one row per invocation), checkpoints, samples, judgements.
A sample is keyed by (checkpoint, setting, problem_id, sample_index) and inserted with
INSERT OR IGNORE inside one transaction per batch, so a rerun skips what is stored and a
SIGKILL loses at most the batch in flight; a stored sample without a judgement (or with an
IE one, never the submission's fault) is judged again on the next run.
`results_frame()` is the analysis contract: exactly the columns of codefrontier.results.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codefrontier.errors import StoreError
from codefrontier.judge.outcome import Outcome
from codefrontier.results import RESULT_COLUMNS
from codefrontier.verdicts import NOCODE, FailureClass, Verdict

if TYPE_CHECKING:
    import pandas as pd

DB_NAME = "results.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, config TEXT NOT NULL, created TEXT NOT NULL,
  version TEXT NOT NULL, toy_scale INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (
  label TEXT PRIMARY KEY, path TEXT NOT NULL, lam REAL, coverage_level REAL,
  is_trained INTEGER NOT NULL, provenance TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS samples (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  checkpoint TEXT NOT NULL REFERENCES checkpoints(label), setting TEXT NOT NULL,
  problem_id TEXT NOT NULL, difficulty TEXT NOT NULL, num_tiers INTEGER NOT NULL,
  sample_index INTEGER NOT NULL, seed INTEGER NOT NULL,
  completion TEXT NOT NULL, transcript TEXT NOT NULL, code TEXT, first_code TEXT,
  tokens INTEGER NOT NULL, turns INTEGER NOT NULL, tool_calls INTEGER NOT NULL, created TEXT NOT NULL,
  UNIQUE (checkpoint, setting, problem_id, sample_index));
CREATE TABLE IF NOT EXISTS judgements (
  sample_id INTEGER PRIMARY KEY REFERENCES samples(id),
  verdict TEXT NOT NULL, first_failure TEXT, passed_tier INTEGER NOT NULL,
  failure_class TEXT NOT NULL, sub_class TEXT NOT NULL, tests TEXT NOT NULL,
  isolation TEXT NOT NULL, first_attempt_solved INTEGER, judged TEXT NOT NULL);
"""
# Columns added after the first release: ALTER TABLE adds them to older stores when they are opened
# for writing (read-only readers never select them), so old stores stay readable and writable.
# The first failure's diagnostics, for people only (never fed back to a model): see judge/diagnose.py.
ADDED_COLUMNS = (("judgements", "exit_code", "INTEGER"), ("judgements", "signal", "TEXT"),
                 ("judgements", "stderr_excerpt", "TEXT"), ("judgements", "packages", "TEXT"))
JUDGEMENT_COLUMNS = ("sample_id", "verdict", "first_failure", "passed_tier", "failure_class", "sub_class", "tests",
                     "isolation", "first_attempt_solved", "judged", "exit_code", "signal", "stderr_excerpt",
                     "packages")


@dataclass(frozen=True)
class CheckpointInfo:
    label: str  # e.g. 'cov1', 'lam=+1.50'
    path: str
    lam: float | None = None
    coverage_level: int | None = None
    is_trained: bool = False
    provenance: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SampleRecord:
    checkpoint: str
    setting: str
    problem_id: str
    difficulty: str
    num_tiers: int
    sample_index: int
    seed: int
    completion: str
    transcript: str  # JSON
    code: str | None
    first_code: str | None
    tokens: int
    turns: int
    tool_calls: int


@dataclass(frozen=True)
class Judgement:
    verdict: str
    failure_class: str
    sub_class: str
    passed_tier: int
    first_failure: dict[str, Any] | None
    tests: list[dict[str, Any]]
    isolation: str = ""
    first_attempt_solved: bool | None = None
    exit_code: int | None = None  # of the first failing run (None: AC, CE, or ended by the judge)
    signal: str | None = None  # e.g. 'SIGSEGV'
    stderr_excerpt: str | None = None  # bounded stderr tail / compiler message, test data masked
    packages: tuple[str, ...] = ()  # third-party packages the runs could import

    @staticmethod
    def from_outcome(outcome: Outcome | None, first_attempt_solved: bool | None = None) -> Judgement:
        """None (no code extracted) is a CE-verdict correctness failure of sub class NOCODE."""
        if outcome is None:
            return Judgement(Verdict.CE.value, FailureClass.CORRECTNESS.value, NOCODE, 0, None, [],
                             first_attempt_solved=first_attempt_solved)
        solved = outcome.failure_class is FailureClass.SOLVED
        d = outcome.detail
        return Judgement(outcome.verdict.value, outcome.failure_class.value,
                         "" if solved else outcome.verdict.value, outcome.passed_tier,
                         outcome.first_failure.to_json() if outcome.first_failure else None,
                         [t.to_json() for t in outcome.tests], str(outcome.isolation or ""), first_attempt_solved,
                         d.exit_code if d else None, d.signal if d else None, d.excerpt if d else None,
                         tuple(outcome.packages))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """A results store; safe to use from several threads (one connection per thread)."""

    def __init__(self, run_dir: str | Path):
        self.path = Path(run_dir) / DB_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        try:
            self._db().executescript(SCHEMA)  # idempotent; executescript manages its own commit
            self._add_columns()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path} is not a usable results store ({err}) (fix: move it away or pick another --out).") from err

    def _add_columns(self) -> None:
        db = self._db()
        for table, column, kind in ADDED_COLUMNS:
            have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=60.0, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process kills
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def add_run(self, config: dict[str, Any], version: str, toy_scale: bool) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO runs (config, created, version, toy_scale) VALUES (?,?,?,?)",
                       (json.dumps(config, sort_keys=True, default=str), _now(), version, int(toy_scale)))

    def add_checkpoint(self, c: CheckpointInfo) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO checkpoints VALUES (?,?,?,?,?,?) ON CONFLICT(label) DO UPDATE SET path=excluded.path,"
                " lam=excluded.lam, coverage_level=excluded.coverage_level, is_trained=excluded.is_trained,"
                " provenance=excluded.provenance",
                (c.label, c.path, c.lam, c.coverage_level, int(c.is_trained), json.dumps(c.provenance, default=str)))

    def stored_indices(self, checkpoint: str, setting: str) -> set[tuple[str, int]]:
        rows = self._db().execute("SELECT problem_id, sample_index FROM samples WHERE checkpoint=? AND setting=?",
                                  (checkpoint, setting))
        return {(p, int(i)) for p, i in rows}

    def add_samples(self, records: Sequence[SampleRecord]) -> list[int]:
        """Insert a batch atomically; returns the row ids (existing rows are kept, never duplicated)."""
        ids: list[int] = []
        with self.transaction() as db:
            for r in records:
                db.execute(
                    "INSERT OR IGNORE INTO samples (checkpoint, setting, problem_id, difficulty, num_tiers,"
                    " sample_index, seed, completion, transcript, code, first_code, tokens, turns, tool_calls,"
                    " created) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (r.checkpoint, r.setting, r.problem_id, r.difficulty, r.num_tiers, r.sample_index, r.seed,
                     r.completion, r.transcript, r.code, r.first_code, r.tokens, r.turns, r.tool_calls, _now()))
                row = db.execute("SELECT id FROM samples WHERE checkpoint=? AND setting=? AND problem_id=?"
                                 " AND sample_index=?", (r.checkpoint, r.setting, r.problem_id, r.sample_index))
                ids.append(int(row.fetchone()[0]))
        return ids

    def add_judgements(self, items: Iterable[tuple[int, Judgement]]) -> None:
        with self.transaction() as db:
            for sid, j in items:
                fas = None if j.first_attempt_solved is None else int(j.first_attempt_solved)
                db.execute(f"INSERT OR REPLACE INTO judgements ({', '.join(JUDGEMENT_COLUMNS)})"
                           f" VALUES ({', '.join('?' * len(JUDGEMENT_COLUMNS))})",
                           (sid, j.verdict, json.dumps(j.first_failure) if j.first_failure else None,
                            j.passed_tier, j.failure_class, j.sub_class, json.dumps(j.tests), j.isolation,
                            fas, _now(), j.exit_code, j.signal, j.stderr_excerpt, json.dumps(list(j.packages))))

    def failure_detail(self, sample_id: int) -> dict[str, Any] | None:
        """The stored diagnostics of a sample's judgement (for people: never fed to a model), or None."""
        row = self._db().execute("SELECT verdict, first_failure, exit_code, signal, stderr_excerpt, packages"
                                 " FROM judgements WHERE sample_id=?", (sample_id,)).fetchone()
        if row is None:
            return None
        return {"verdict": row[0], "first_failure": json.loads(row[1]) if row[1] else None, "exit_code": row[2],
                "signal": row[3], "stderr": row[4], "packages": json.loads(row[5]) if row[5] else []}

    def unjudged(self, checkpoint: str, setting: str) -> list[tuple[int, str, str | None, str | None]]:
        """(sample id, problem id, code, first_code) of samples with no judgement or an IE one."""
        rows = self._db().execute(
            "SELECT s.id, s.problem_id, s.code, s.first_code FROM samples s LEFT JOIN judgements j"
            " ON j.sample_id = s.id WHERE s.checkpoint=? AND s.setting=? AND (j.sample_id IS NULL"
            " OR j.failure_class = ?) ORDER BY s.id", (checkpoint, setting, FailureClass.INTERNAL.value))
        return [(int(a), b, c, d) for a, b, c, d in rows]

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


def _open_existing(db_path: str | Path) -> sqlite3.Connection:
    path = Path(db_path)
    if path.is_dir():
        path = path / DB_NAME
    if not path.is_file():
        raise StoreError(f"no results store at {path} (fix: run `codefrontier sample ... --out RUN_DIR` first).")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


_FRAME_SQL = """
SELECT s.checkpoint, c.lam, c.coverage_level, c.is_trained, s.setting, s.problem_id, s.difficulty,
       s.sample_index, j.verdict, j.failure_class, j.sub_class, j.passed_tier, s.num_tiers,
       s.tokens, s.turns, s.tool_calls, j.first_attempt_solved
FROM samples s JOIN judgements j ON j.sample_id = s.id JOIN checkpoints c ON c.label = s.checkpoint
ORDER BY s.checkpoint, s.setting, s.problem_id, s.sample_index
"""


def results_frame(db_path: str | Path) -> pd.DataFrame:
    """One row per judged sample with exactly the columns of `codefrontier.results.RESULT_COLUMNS`."""
    import pandas as pd

    with _open_existing(db_path) as db:
        rows = db.execute(_FRAME_SQL).fetchall()
    frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    for col in ("lam", "coverage_level", "first_attempt_solved"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["is_trained"] = frame["is_trained"].astype(bool)
    for col in ("sample_index", "passed_tier", "num_tiers", "tokens", "turns", "tool_calls"):
        frame[col] = frame[col].astype(int)
    return frame


def run_metadata(db_path: str | Path) -> dict[str, Any]:
    """The run's first configuration, creation time, version, toy flag, invocations and checkpoints."""
    with _open_existing(db_path) as db:
        runs = db.execute("SELECT config, created, version, toy_scale FROM runs ORDER BY id").fetchall()
        ckpts = db.execute("SELECT label, path, lam, coverage_level, is_trained, provenance FROM checkpoints"
                           " ORDER BY label").fetchall()
    if not runs:
        raise StoreError(f"the results store {db_path} has no run recorded (fix: rerun `codefrontier sample`).")
    config, created, version, toy = runs[0]
    return {
        "config": json.loads(config), "created": created, "version": version, "toy_scale": bool(toy),
        "invocations": [{"config": json.loads(r[0]), "created": r[1], "version": r[2]} for r in runs],
        "checkpoints": [{"label": r[0], "path": r[1], "lam": r[2], "coverage_level": r[3],
                         "is_trained": bool(r[4]), "provenance": json.loads(r[5])} for r in ckpts],
    }


def export(db_path: str | Path, out_dir: str | Path) -> dict[str, Path]:
    """Write results.parquet and results.csv (the results frame) into out_dir."""
    from codefrontier.io import atomic_write_bytes

    frame = results_frame(db_path)
    out = Path(out_dir)
    paths = {"parquet": out / "results.parquet", "csv": out / "results.csv"}
    atomic_write_bytes(paths["csv"], frame.to_csv(index=False).encode("utf-8"))
    import io

    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    atomic_write_bytes(paths["parquet"], buf.getvalue())
    return paths
