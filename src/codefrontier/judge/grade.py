"""Grading other tools' generations: a file of solutions in, one outcome per row out, resumable.

Solutions come as JSONL rows `{problem_id | question_id, code | completion, [sample_index], [lang]}`
or as LiveCodeBench's generations output, a JSON list of `{question_id, code_list}` (sample i =
code_list[i]). A `completion` is raw model text: its code is the last fenced block
(codefrontier.extract); a `code` is used as it is unless it holds a fence. A row with no code is
a correctness failure (CE, `no_code`), as in the results store. Problem ids match a problem's
`id` or the dataset's own id kept by the converter (`extra.question_id`).

The output is append-only JSONL, one line per graded row, flushed as each finishes: the
`judge --json` object plus `problem_id`, `sample_index`, `row` (and `source_id` when the file
named the problem otherwise). Rerunning skips every (problem, sample) already there, except
internal errors (IE, never the submission's fault), which are graded again; a line cut off by
a kill is dropped and graded again. Bad input is one CodefrontierError naming file and row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codefrontier.errors import CodefrontierError
from codefrontier.judge.config import JudgeConfig
from codefrontier.judge.outcome import Lang
from codefrontier.problems.model import Problem
from codefrontier.verdicts import FailureClass, Verdict

ID_KEYS = ("problem_id", "question_id")
CODE_KEYS = ("code", "completion")


@dataclass(frozen=True)
class GradeRow:
    problem_id: str  # the problem's id in the problems file
    sample_index: int
    code: str | None  # None: no code could be extracted
    lang: Lang
    row: int  # 1-based row (line, or list element) of the solutions file
    source_id: str  # the id as the solutions file gave it

    @property
    def key(self) -> tuple[str, int]:
        return (self.problem_id, self.sample_index)


@dataclass(frozen=True)
class GradeReport:
    graded: int  # rows judged by this call
    skipped: int  # rows already in the output
    rows: list[dict[str, Any]]  # every row of the output (the last line per key), for the summary


def _fail(path: Path, row: int, what: str, fix: str) -> CodefrontierError:
    return CodefrontierError(f"{path}: row {row}: {what} (fix: {fix})")


def _raw_rows(path: Path) -> Iterator[tuple[int, Any]]:
    """(row number, parsed JSON) of a JSON list file or a JSONL file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CodefrontierError(f"{path}: cannot read the solutions file ({err.__class__.__name__}: {err}) "
                                "(fix: give a readable UTF-8 JSONL or JSON file).") from None
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as err:
            raise _fail(path, 1, f"not valid JSON ({err.msg} at line {err.lineno})",
                        "give a JSON list of {question_id, code_list} or JSONL rows") from None
        yield from enumerate(items, start=1)
        return
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as err:
                raise _fail(path, n, f"not valid JSON ({err.msg})", "one JSON object per line") from None


def _first(raw: dict[str, Any], keys: Sequence[str]) -> tuple[str | None, Any]:
    for k in keys:
        if k in raw:
            return k, raw[k]
    return None, None


def _code_of(field: str, value: Any, lang: Lang) -> str | None:
    from codefrontier.extract import extract_code

    text = str(value)
    if field == "completion" or "```" in text:
        return extract_code(text, lang.value)
    return text if text.strip() else None


class _Ids:
    """Problem lookup by id or by the dataset's own id (`extra.question_id`)."""

    def __init__(self, problems: Sequence[Problem]):
        self.by_id = {p.id: p for p in problems}
        for p in problems:
            qid = p.extra.get("question_id")
            if qid is not None:
                self.by_id.setdefault(str(qid), p)

    def get(self, given: Any, path: Path, row: int) -> Problem:
        p = self.by_id.get(str(given))
        if p is None:
            raise _fail(path, row, f"problem id '{given}' is not in the problems file",
                        "grade against the problems these solutions were generated for")
        return p


def _lang(raw: dict[str, Any], default: Lang, path: Path, row: int) -> Lang:
    try:
        return Lang(raw.get("lang", default.value))
    except ValueError:
        raise _fail(path, row, f"lang '{raw.get('lang')}' is not supported", "use python or cpp") from None


def _expand(raw: Any, row: int, path: Path, ids: _Ids, lang: Lang,
            counters: dict[str, int]) -> Iterator[GradeRow]:
    if not isinstance(raw, dict):
        raise _fail(path, row, f"is a {type(raw).__name__}, not an object", "one object per row")
    id_key, given = _first(raw, ID_KEYS)
    if id_key is None:
        raise _fail(path, row, f"has no problem id (none of {', '.join(ID_KEYS)})", "add problem_id")
    problem = ids.get(given, path, row)
    row_lang = _lang(raw, lang, path, row)
    if "code_list" in raw:  # LiveCodeBench generations: sample i is code_list[i]
        if not isinstance(raw["code_list"], list):
            raise _fail(path, row, "code_list is not a list", "give code_list as a list of strings")
        for i, code in enumerate(raw["code_list"]):
            yield GradeRow(problem.id, i, _code_of("code", code, row_lang), row_lang, row, str(given))
        return
    code_key, value = _first(raw, CODE_KEYS)
    if code_key is None:
        raise _fail(path, row, f"has no code (none of {', '.join(CODE_KEYS)}, code_list)", "add code or completion")
    index = raw.get("sample_index", counters.get(problem.id, 0))
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise _fail(path, row, f"sample_index {index!r} is not a non-negative integer", "number samples 0, 1, ...")
    counters[problem.id] = index + 1
    yield GradeRow(problem.id, index, _code_of(code_key, value, row_lang), row_lang, row, str(given))


def read_solutions(path: str | Path, problems: Sequence[Problem], lang: Lang = Lang.PYTHON) -> list[GradeRow]:
    """Every (problem, sample) of a solutions file; duplicate keys are an error naming both rows."""
    p, ids = Path(path), _Ids(problems)
    rows: list[GradeRow] = []
    seen: dict[tuple[str, int], int] = {}
    counters: dict[str, int] = {}
    for n, raw in _raw_rows(p):
        for r in _expand(raw, n, p, ids, lang, counters):
            if r.key in seen:
                raise _fail(p, n, f"problem '{r.problem_id}' sample {r.sample_index} was already given in row "
                            f"{seen[r.key]}", "give each sample once, or distinct sample_index values")
            seen[r.key] = n
            rows.append(r)
    return rows


def read_graded(out: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """The rows already in the output (the last line per key); a cut-off last line is removed."""
    if not out.exists():
        return {}
    data = out.read_bytes()
    if data and not data.endswith(b"\n"):  # killed mid-write: drop the partial line, grade it again
        data = data[: data.rfind(b"\n") + 1]
        with open(out, "r+b") as fh:
            fh.truncate(len(data))
    done: dict[tuple[str, int], dict[str, Any]] = {}
    for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            done[(str(obj["problem_id"]), int(obj["sample_index"]))] = obj
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            raise _fail(out, n, "is not a grade row", "pass a new --out file, or remove the damaged line") from None
    return done


def no_code_row(config: JudgeConfig) -> dict[str, Any]:
    return {"verdict": Verdict.CE.value, "failure_class": FailureClass.CORRECTNESS.value, "passed_tier": 0,
            "first_failure": None, "tests": [], "isolation": "", "packages": list(config.packages), "no_code": True}


def grade_row(r: GradeRow, problem: Problem, config: JudgeConfig, all_tests: bool) -> dict[str, Any]:
    from codefrontier.judge.runner import judge

    if r.code is None:
        body = no_code_row(config)
    else:
        body = judge(problem, r.code, r.lang, all_tests=all_tests, config=config).to_json()
    ids: dict[str, Any] = {"problem_id": r.problem_id, "sample_index": r.sample_index, "row": r.row}
    if r.source_id != r.problem_id:
        ids["source_id"] = r.source_id
    return {**ids, **body}


def grade(problems: Sequence[Problem], solutions: str | Path, out: str | Path, config: JudgeConfig | None = None,
          lang: Lang = Lang.PYTHON, all_tests: bool = False,
          on_start: Callable[[int], None] | None = None, on_row: Callable[[dict[str, Any]], None] | None = None
          ) -> GradeReport:
    """Grade every row not yet in `out` over `config.workers` sandboxes, appending as rows finish."""
    config = config or JudgeConfig()
    rows = read_solutions(solutions, problems, lang)
    out_path = Path(out)
    done = read_graded(out_path)
    todo = [r for r in rows if r.key not in done or done[r.key].get("verdict") == Verdict.IE.value]
    if on_start is not None:
        on_start(len(todo))
    by_id = {p.id: p for p in problems}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "a", encoding="utf-8") as fh, ThreadPoolExecutor(config.workers, "grade") as pool:
        futures: list[Future[dict[str, Any]]] = [
            pool.submit(grade_row, r, by_id[r.problem_id], config, all_tests) for r in todo]
        for fut in _as_done(futures):
            res = fut.result()
            fh.write(json.dumps(res, ensure_ascii=False) + "\n")
            fh.flush()  # a kill loses at most the rows in flight
            done[(res["problem_id"], res["sample_index"])] = res
            if on_row is not None:
                on_row(res)
    return GradeReport(len(todo), len(rows) - len(todo), list(done.values()))


def _as_done(futures: list[Future[dict[str, Any]]]) -> Iterator[Future[dict[str, Any]]]:
    from concurrent.futures import as_completed

    try:
        yield from as_completed(futures)
    finally:  # an error (or Ctrl-C) stops the rest: nothing half-written, rerun resumes
        for f in futures:
            f.cancel()


PASS_KS = (1, 5, 10, 25, 50, 100)


def summarize(rows: Sequence[dict[str, Any]], problems: Sequence[Problem]) -> list[dict[str, Any]]:
    """Per difficulty (and 'all'): problems, samples, solve rate (mean over problems of c/n) and
    pass@k for each k every problem of the group has samples for. IE rows are left out (never a
    failure of the submission); a problem with no other row does not count."""
    from codefrontier.metrics import pass_at_k  # numpy: imported once grading is over

    difficulty = {p.id: str(p.difficulty.value if hasattr(p.difficulty, "value") else p.difficulty)
                  for p in problems}
    counts: dict[str, list[int]] = {}
    for r in rows:
        if r.get("verdict") == Verdict.IE.value:
            continue
        n_c = counts.setdefault(str(r["problem_id"]), [0, 0])
        n_c[0] += 1
        n_c[1] += int(r.get("verdict") == Verdict.AC.value)
    groups: dict[str, list[str]] = {"all": sorted(counts)}
    for pid in sorted(counts):
        groups.setdefault(difficulty.get(pid, "unknown"), []).append(pid)
    out = []
    for name, pids in groups.items():
        if not pids:
            continue
        ns = [counts[p][0] for p in pids]
        line: dict[str, Any] = {"difficulty": name, "problems": len(pids), "samples": sum(ns),
                                "solve_rate": sum(counts[p][1] / counts[p][0] for p in pids) / len(pids)}
        for k in (k for k in PASS_KS if k <= min(ns)):
            line[f"pass@{k}"] = sum(pass_at_k(counts[p][0], counts[p][1], k) for p in pids) / len(pids)
        out.append(line)
    return out


def format_summary(summary: Sequence[dict[str, Any]]) -> list[str]:
    """One line per group: 'medium: 12 problems, 120 samples, solve rate 0.342, pass@1 0.342, ...'."""
    lines = []
    for g in summary:
        ks = ", ".join(f"{k} {v:.3f}" for k, v in g.items() if k.startswith("pass@"))
        lines.append(f"{g['difficulty']}: {g['problems']} problems, {g['samples']} samples, "
                     f"solve rate {g['solve_rate']:.3f}{', ' + ks if ks else ''}")
    return lines
