"""Convert public datasets (LiveCodeBench, CodeContests, APPS, TACO) into problem files.

Rows come from JSON (a list of rows or one row), JSONL (one row a line) or
Parquet files, or from any iterable of dicts (a `datasets.Dataset` iterates as
one). Each row goes through its dataset's function in `convert_formats`, then
through `problem_from_dict`, which validates it, orders the hidden tests by
size and assigns K size-quantile tiers. A row that fails is reported as one line
`FILE: row N: what is wrong` and skipped; the rest is converted. Nothing in a
row is executed: compressed LiveCodeBench tests go through `unpickle`, which
refuses any pickle that names a class or function.

The output JSONL is written to a temporary file and renamed at the end, so a
reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codefrontier.errors import CodefrontierError, ProblemFormatError
from codefrontier.problems.convert_formats import DEFAULTS, FORMATS, RowError
from codefrontier.problems.io import problem_from_dict, problem_to_dict
from codefrontier.problems.model import Difficulty, Problem
from codefrontier.problems.tiers import DEFAULT_NUM_TIERS

# Row fields that are assembled here rather than copied into the problem.
_ASSEMBLED = ("private", "generated")


@dataclass(frozen=True)
class ConvertConfig:
    fmt: str  # lcb | codecontests | apps | taco
    num_tiers: int = DEFAULT_NUM_TIERS  # K size-quantile tiers per problem
    time_limit_s: float | None = None  # override every row's limit (None: the row's, else the format default)
    memory_limit_mb: int | None = None
    hidden_includes_public: bool = True  # grade on public + private, as LCB and CodeContests do
    include_generated: bool = True  # CodeContests' generated tests join the hidden suite
    difficulty: Difficulty | None = None  # keep only this difficulty (e.g. LCB/hard)
    since: str | None = None  # keep contest_date >= since (ISO date text, e.g. 2024-08-01)
    until: str | None = None  # keep contest_date < until

    def __post_init__(self) -> None:
        if self.fmt not in FORMATS:
            raise CodefrontierError(f"unknown dataset format '{self.fmt}' (fix: use one of {', '.join(FORMATS)})")
        if self.num_tiers < 1:
            raise CodefrontierError(f"--tiers must be >= 1, got {self.num_tiers} (fix: give e.g. 4)")


@dataclass
class ConvertReport:
    converted: int = 0
    filtered: int = 0  # rows converted but outside the difficulty/date selection
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"converted {self.converted} problems, {len(self.errors)} bad rows skipped, "
                f"{self.filtered} rows outside the selection")


def read_rows(path: str | Path) -> Iterator[tuple[int, Any]]:
    """(row number from 1, row) for a .json, .jsonl or .parquet file; an unparsable line is an error row."""
    p = Path(path)
    if not p.is_file():
        raise CodefrontierError(f"{path}: no such input file (fix: check the path)")
    suffix = p.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl_rows(p)
    elif suffix == ".json":
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise CodefrontierError(f"{path}: not a JSON file ({err}) (fix: give JSON, JSONL or Parquet)") from None
        yield from enumerate(data if isinstance(data, list) else [data], start=1)
    elif suffix == ".parquet":
        yield from _parquet_rows(p)
    else:
        raise CodefrontierError(f"{path}: unknown input type '{suffix}' (fix: give a .json, .jsonl or .parquet file)")


def _jsonl_rows(p: Path) -> Iterator[tuple[int, Any]]:
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as err:
                yield lineno, RowError(f"invalid JSON at column {err.colno}: {err.msg}")


def _parquet_rows(p: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq  # heavy: only when a Parquet file is read

    n = 0
    # Small batches: LiveCodeBench rows carry tens of MB of compressed tests each.
    for batch in pq.ParquetFile(p).iter_batches(batch_size=16):
        for row in batch.to_pylist():  # plain Python values (no numpy arrays)
            n += 1
            yield n, row


def _hidden_tests(raw: dict[str, Any], cfg: ConvertConfig) -> list[dict[str, Any]]:
    hidden = list(raw.get("private") or [])
    if cfg.include_generated:
        hidden += raw.get("generated") or []
    if cfg.hidden_includes_public:
        hidden = [dict(t, origin="public") for t in raw.get("public_tests") or []] + hidden
    return hidden


def row_to_problem(row: Any, rowno: int, cfg: ConvertConfig, name: str) -> Problem:
    """One row -> a validated Problem with tiers; raises RowError or ProblemFormatError."""
    if isinstance(row, RowError):
        raise row
    if not isinstance(row, Mapping):
        raise RowError(f"a row must be an object, got {type(row).__name__}")
    raw = FORMATS[cfg.fmt](row, rowno)
    defaults = DEFAULTS[cfg.fmt]
    hidden = _hidden_tests(raw, cfg)
    if not hidden:
        raise RowError("the row has no hidden tests")
    problem = {k: v for k, v in raw.items() if k not in _ASSEMBLED and v is not None}
    problem["tests"] = hidden
    problem["time_limit_s"] = cfg.time_limit_s or raw.get("time_limit_s") or defaults.time_limit_s
    problem["memory_limit_mb"] = cfg.memory_limit_mb or raw.get("memory_limit_mb") or defaults.memory_limit_mb
    problem["fn_name"] = raw.get("fn_name")
    if problem["difficulty"] not in {d.value for d in Difficulty}:
        problem["difficulty"] = Difficulty.MEDIUM.value
    return problem_from_dict(problem, name, rowno, cfg.num_tiers)


def _selected(p: Problem, cfg: ConvertConfig) -> bool:
    if cfg.difficulty is not None and p.difficulty is not cfg.difficulty:
        return False
    date = p.extra.get("contest_date")
    if cfg.since is not None and (date is None or str(date) < cfg.since):
        return False
    return not (cfg.until is not None and (date is None or str(date) >= cfg.until))


def convert_rows(rows: Iterable[tuple[int, Any]], cfg: ConvertConfig, name: str, report: ConvertReport,
                 on_error: Callable[[str], None] | None = None, seen: set[str] | None = None) -> Iterator[Problem]:
    """Yield the problems of the good, selected rows; record each bad row in `report` as one line."""
    seen = set() if seen is None else seen  # ids already written (shared across input files)
    for rowno, row in rows:
        try:
            problem = row_to_problem(row, rowno, cfg, name)
        except (RowError, ProblemFormatError) as err:
            msg = str(err)
            line = msg if msg.startswith(f"{name}:") else f"{name}: row {rowno}: {msg}"
            report.errors.append(line)
            if on_error is not None:
                on_error(line)
            continue
        if not _selected(problem, cfg):
            report.filtered += 1
            continue
        if problem.id in seen:  # e.g. two CodeContests names with the same slug, or TACO shards
            problem = _renamed(problem, f"{problem.id}-{Path(name).stem}-r{rowno}", name, rowno, cfg)
        seen.add(problem.id)
        report.converted += 1
        yield problem


def _renamed(problem: Problem, new_id: str, name: str, rowno: int, cfg: ConvertConfig) -> Problem:
    return problem_from_dict(dict(problem_to_dict(problem), id=new_id), name, rowno, cfg.num_tiers)


def convert_dataset(dataset: Iterable[Mapping[str, Any]], cfg: ConvertConfig,
                    name: str = "<dataset>") -> tuple[list[Problem], ConvertReport]:
    """Convert an in-memory dataset (a `datasets.Dataset`, a list of dicts, a DataFrame's records)."""
    report = ConvertReport()
    problems = list(convert_rows(enumerate(dataset, start=1), cfg, name, report))
    return problems, report


def convert_file(in_path: str | Path | Sequence[str | Path], out_path: str | Path, cfg: ConvertConfig,
                 on_error: Callable[[str], None] | None = None) -> ConvertReport:
    """Convert input file(s) into one problems JSONL, streamed and renamed into place at the end."""
    inputs = [in_path] if isinstance(in_path, (str, Path)) else list(in_path)
    report = ConvertReport()
    target = Path(out_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    seen: set[str] = set()
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for path in inputs:
                for problem in convert_rows(read_rows(path), cfg, str(path), report, on_error, seen):
                    fh.write(json.dumps(problem_to_dict(problem), ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        if report.converted == 0:
            names = ", ".join(str(p) for p in inputs)
            raise CodefrontierError(f"{names}: no row could be converted ({report.summary()}) "
                                    f"(fix: check --from {cfg.fmt} matches the file and the selection flags)")
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return report
