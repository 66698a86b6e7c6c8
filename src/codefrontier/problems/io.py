"""Read and write problem files (JSON: one problem; JSONL: one problem a line).

Every malformed input becomes one `ProblemFormatError` line naming the file,
the line and the field, with the fix, e.g.
  problems.jsonl:3: field 'tests[2].output' must be a string, got int (fix: quote the expected output)
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from codefrontier.errors import ProblemFormatError
from codefrontier.io import atomic_write_text
from codefrontier.problems.model import Checker, CheckerKind, Difficulty, Problem, Test
from codefrontier.problems.tiers import DEFAULT_NUM_TIERS, assign_tiers

_PROBLEM_KEYS = {
    "id", "title", "statement", "difficulty", "time_limit_s", "memory_limit_mb",
    "checker", "public_tests", "tests", "fn_name", "source",
}
_TEST_KEYS = {"input", "output", "size", "tier"}
_CHECKER_KEYS = {"kind", "abs", "rel", "program"}


class _Where:
    """Where a field lives, for error messages: file, line, field path."""

    def __init__(self, path: str, line: int):
        self.path, self.line = path, line

    def fail(self, field: str, problem: str, fix: str) -> ProblemFormatError:
        return ProblemFormatError(f"{self.path}:{self.line}: field '{field}' {problem} (fix: {fix})")


def _typename(v: Any) -> str:
    return "null" if v is None else type(v).__name__


def _get(d: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: _Where,
         field: str, default: Any = ..., fix: str = "") -> Any:
    if key not in d or (d[key] is None and default is not ...):
        if default is ...:
            raise where.fail(field, "is missing", fix or f"add '{key}'")
        return default
    value = d[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise where.fail(field, f"must be {_kind_name(kind)}, got bool", fix or f"give '{key}' a {_kind_name(kind)}")
    if not isinstance(value, kind):
        raise where.fail(field, f"must be {_kind_name(kind)}, got {_typename(value)}",
                         fix or f"give '{key}' a {_kind_name(kind)}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "an integer", float: "a number", list: "a list", dict: "an object"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def _parse_test(raw: Any, i: int, group: str, where: _Where) -> Test:
    field = f"{group}[{i}]"
    if not isinstance(raw, dict):
        raise where.fail(field, f"must be an object, got {_typename(raw)}", 'write {"input": ..., "output": ...}')
    size = _get(raw, "size", int, where, f"{field}.size", default=None)
    tier = _get(raw, "tier", int, where, f"{field}.tier", default=None)
    if size is not None and size < 0:
        raise where.fail(f"{field}.size", f"must be >= 0, got {size}", "give a non-negative size")
    if tier is not None and tier < 1:
        raise where.fail(f"{field}.tier", f"must be >= 1, got {tier}", "number tiers from 1")
    return Test(
        input=_get(raw, "input", str, where, f"{field}.input", fix="give the test input as a string"),
        output=_get(raw, "output", str, where, f"{field}.output", fix="give the expected output as a string"),
        size=size, tier=tier, index=i,
        extra={k: v for k, v in raw.items() if k not in _TEST_KEYS},
    )


def _parse_checker(raw: Any, where: _Where) -> Checker:
    if raw is None:
        return Checker()
    if not isinstance(raw, dict):
        raise where.fail("checker", f"must be an object, got {_typename(raw)}", 'write {"kind": "tokens"}')
    kind_s = _get(raw, "kind", str, where, "checker.kind", default="tokens")
    try:
        kind = CheckerKind(kind_s)
    except ValueError:
        raise where.fail("checker.kind", f"is '{kind_s}'", "use one of tokens, exact, float, program") from None
    program = _get(raw, "program", str, where, "checker.program", default=None)
    if kind is CheckerKind.PROGRAM and not program:
        raise where.fail("checker.program", "is missing", "give the checker's Python source")
    return Checker(
        kind=kind,
        abs_tol=float(_get(raw, "abs", (int, float), where, "checker.abs", default=1e-6)),
        rel_tol=float(_get(raw, "rel", (int, float), where, "checker.rel", default=1e-6)),
        program=program,
        extra={k: v for k, v in raw.items() if k not in _CHECKER_KEYS},
    )


def problem_from_dict(raw: Any, path: str = "<dict>", line: int = 1,
                      num_tiers: int = DEFAULT_NUM_TIERS) -> Problem:
    """Validate one problem object and build a Problem (hidden tests sorted, tiers assigned)."""
    where = _Where(path, line)
    if not isinstance(raw, dict):
        raise where.fail("<problem>", f"must be a JSON object, got {_typename(raw)}", "write one problem object")
    pid = _get(raw, "id", str, where, "id", fix="give the problem a string id")
    raw_tests = _get(raw, "tests", list, where, "tests", fix="give the hidden tests as a list")
    if not raw_tests:
        raise where.fail("tests", f"is empty for problem '{pid}'", "give at least one hidden test")
    public = _get(raw, "public_tests", list, where, "public_tests", default=[])
    diff_s = _get(raw, "difficulty", str, where, "difficulty", default="medium")
    try:
        difficulty = Difficulty(diff_s)
    except ValueError:
        raise where.fail("difficulty", f"is '{diff_s}'", "use easy, medium or hard") from None
    tl = float(_get(raw, "time_limit_s", (int, float), where, "time_limit_s", default=1.0))
    ml = _get(raw, "memory_limit_mb", (int, float), where, "memory_limit_mb", default=256)
    if not (math.isfinite(tl) and tl > 0):
        raise where.fail("time_limit_s", f"must be a positive number, got {tl}", "give seconds, e.g. 1.0")
    if not ml > 0:
        raise where.fail("memory_limit_mb", f"must be positive, got {ml}", "give megabytes, e.g. 256")
    tests = [_parse_test(t, i, "tests", where) for i, t in enumerate(raw_tests)]
    return Problem(
        id=pid,
        title=_get(raw, "title", str, where, "title", default=pid),
        statement=_get(raw, "statement", str, where, "statement", default=""),
        tests=tuple(assign_tiers(tests, num_tiers)),
        public_tests=tuple(_parse_test(t, i, "public_tests", where) for i, t in enumerate(public)),
        difficulty=difficulty, time_limit_s=tl, memory_limit_mb=int(ml),
        checker=_parse_checker(raw.get("checker"), where),
        fn_name=_get(raw, "fn_name", str, where, "fn_name", default=None),
        source=_get(raw, "source", str, where, "source", default="unknown"),
        extra={k: v for k, v in raw.items() if k not in _PROBLEM_KEYS},
    )


def _test_to_dict(t: Test) -> dict[str, Any]:
    d: dict[str, Any] = {"input": t.input, "output": t.output}
    if t.size is not None:
        d["size"] = t.size
    if t.tier is not None:
        d["tier"] = t.tier
    d.update(t.extra)
    return d


def problem_to_dict(p: Problem) -> dict[str, Any]:
    checker: dict[str, Any] = {"kind": p.checker.kind.value}
    if p.checker.kind is CheckerKind.FLOAT:
        checker.update({"abs": p.checker.abs_tol, "rel": p.checker.rel_tol})
    if p.checker.program is not None:
        checker["program"] = p.checker.program
    checker.update(p.checker.extra)
    d: dict[str, Any] = {
        "id": p.id, "title": p.title, "statement": p.statement, "difficulty": p.difficulty.value,
        "time_limit_s": p.time_limit_s, "memory_limit_mb": p.memory_limit_mb, "checker": checker,
        "public_tests": [_test_to_dict(t) for t in p.public_tests],
        "tests": [_test_to_dict(t) for t in p.tests],
        "fn_name": p.fn_name, "source": p.source,
    }
    d.update(p.extra)
    return d


def _json_error(path: str, line: int, err: json.JSONDecodeError) -> ProblemFormatError:
    return ProblemFormatError(
        f"{path}:{line}: invalid JSON at column {err.colno}: {err.msg} (fix: make the line one valid JSON object)")


def load_problems(path: str | Path, num_tiers: int = DEFAULT_NUM_TIERS) -> list[Problem]:
    """Load a .json (one problem, or a list of problems) or .jsonl (one a line) file."""
    p = Path(path)
    name = str(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProblemFormatError(f"{name}: no such problem file (fix: check the path)") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ProblemFormatError(f"{name}: cannot read the problem file: {err} (fix: check the path and its permissions).") from None
    if p.suffix == ".jsonl":
        problems = []
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as err:
                raise _json_error(name, lineno, err) from None
            problems.append(problem_from_dict(raw, name, lineno, num_tiers))
    else:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as err:
            raise _json_error(name, err.lineno, err) from None
        items = raw if isinstance(raw, list) else [raw]
        problems = [problem_from_dict(r, name, 1, num_tiers) for r in items]
    if not problems:
        raise ProblemFormatError(f"{name}: the file holds no problems (fix: add one problem per line)")
    _check_unique(problems, name)
    return problems


def _check_unique(problems: list[Problem], name: str) -> None:
    seen: set[str] = set()
    for prob in problems:
        if prob.id in seen:
            raise ProblemFormatError(f"{name}: problem id '{prob.id}' appears twice (fix: make ids unique)")
        seen.add(prob.id)


def dumps_problems(problems: Iterable[Problem]) -> str:
    return "".join(json.dumps(problem_to_dict(p), ensure_ascii=False) + "\n" for p in problems)


def save_problems(problems: Iterable[Problem], path: str | Path) -> None:
    """Write problems as JSONL (or one JSON object for a single-problem .json path), atomically."""
    probs = list(problems)
    if Path(path).suffix == ".json" and len(probs) == 1:
        atomic_write_text(path, json.dumps(problem_to_dict(probs[0]), indent=1, ensure_ascii=False) + "\n")
    else:
        atomic_write_text(path, dumps_problems(probs))
