"""One function per public dataset: a row (plain dict) -> a problem dict in the problem format of docs/design.md.

Each returns the raw problem object (no tiers yet; `problem_from_dict` validates
it and assigns size-quantile tiers) or raises `RowError` with one line saying
what is wrong with the row. Dataset-specific metadata (platform, contest date,
rating, the dataset's own difficulty, starter code) goes into extra fields, so
LCB/hard and date windows can be selected later.

Call-based tests (LiveCodeBench `functional`, APPS/TACO with `fn_name`) are
stored as the harness of judge/functional.py reads them: input = one JSON
argument per line, output = canonical JSON of the return value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from codefrontier.problems.canonical import canonical_json, canonical_output
from codefrontier.problems.unpickle import UnsafePickleError, decode_lcb_tests


class RowError(ValueError):
    """A row cannot be converted (the message is one line, without file or row)."""


@dataclass(frozen=True)
class FormatDefaults:
    """Limits for rows that declare none (per dataset, from how each benchmark grades)."""

    time_limit_s: float
    memory_limit_mb: int


# LiveCodeBench's harness allows 6 s per test; APPS and TACO's harnesses 4 s; none limits memory.
DEFAULTS = {
    "lcb": FormatDefaults(6.0, 1024),
    "codecontests": FormatDefaults(2.0, 256),
    "apps": FormatDefaults(4.0, 1024),
    "taco": FormatDefaults(4.0, 1024),
}


def _field(row: Mapping[str, Any], key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
    value = row.get(key)
    if value is None:
        if default is ...:
            raise RowError(f"field '{key}' is missing")
        return default
    if not isinstance(value, kind):
        raise RowError(f"field '{key}' must be {getattr(kind, '__name__', kind)}, got {type(value).__name__}")
    return value


def _json_field(row: Mapping[str, Any], key: str, default: Any = ...) -> Any:
    """A field that datasets store either as a JSON string or already parsed."""
    value = row.get(key)
    if value is None or value == "":
        if default is ...:
            raise RowError(f"field '{key}' is missing or empty")
        return default
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as err:
        raise RowError(f"field '{key}' is not valid JSON ({err.msg} at column {err.colno})") from None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _text(value: Any, what: str) -> str:
    """Stdin test text: a string, or a list of lines (as some APPS/TACO rows store it)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value) + "\n"
    raise RowError(f"{what} must be a string, got {type(value).__name__}")


def _functional_input(text: str, what: str) -> str:
    """LCB functional input: one JSON argument per line; refuse it now if a line is not JSON."""
    lines = [line for line in text.split("\n") if line.strip()]
    for i, line in enumerate(lines, start=1):
        try:
            json.loads(line)
        except json.JSONDecodeError:
            raise RowError(f"{what} line {i} is not a JSON argument") from None
    return "\n".join(lines)


def _functional_output(text: str, what: str) -> str:
    try:
        return canonical_output(text)
    except (json.JSONDecodeError, TypeError):
        raise RowError(f"{what} is not a JSON value") from None


# -- LiveCodeBench code_generation_lite -------------------------------------------------------


def _lcb_tests(raw: Any, key: str) -> list[dict[str, str]]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        try:
            raw = decode_lcb_tests(raw)
        except UnsafePickleError as err:
            raise RowError(f"field '{key}' refused: {err}") from None
        except ValueError as err:
            raise RowError(f"field '{key}': {err}") from None
    if not isinstance(raw, list):
        raise RowError(f"field '{key}' must be a list of tests, got {type(raw).__name__}")
    tests = []
    for i, t in enumerate(raw):
        if not (isinstance(t, dict) and isinstance(t.get("input"), str) and isinstance(t.get("output"), str)):
            raise RowError(f"{key}[{i}] must be an object with string 'input' and 'output'")
        kind = t.get("testtype", "stdin")
        what = f"{key}[{i}]"
        if kind == "functional":
            tests.append({"input": _functional_input(t["input"], f"{what}.input"),
                          "output": _functional_output(t["output"], f"{what}.output"), "testtype": kind})
        elif kind == "stdin":
            tests.append({"input": t["input"], "output": t["output"], "testtype": kind})
        else:
            raise RowError(f"{what}.testtype is '{kind}'; expected stdin or functional")
    return tests


def lcb(row: Mapping[str, Any], rowno: int) -> dict[str, Any]:
    public = _lcb_tests(row.get("public_test_cases"), "public_test_cases")
    private = _lcb_tests(row.get("private_test_cases"), "private_test_cases")
    kinds = {t["testtype"] for t in public + private}
    if len(kinds) > 1:
        raise RowError("the row mixes stdin and functional tests")
    meta = _json_field(row, "metadata", default={})
    fn_name = meta.get("func_name") if isinstance(meta, dict) else None
    if kinds == {"functional"} and not (isinstance(fn_name, str) and fn_name.isidentifier()):
        raise RowError("functional tests need metadata.func_name (the method to call)")
    for t in public + private:
        del t["testtype"]
    difficulty = str(_field(row, "difficulty", str, "medium")).lower()
    qid = str(_field(row, "question_id", (str, int)))
    return {
        "id": f"lcb-{_slug(qid)}", "title": _field(row, "question_title", str, qid),
        "statement": _field(row, "question_content", str), "difficulty": difficulty,
        "public_tests": public, "private": private,
        "fn_name": fn_name if kinds == {"functional"} else None, "source": "lcb",
        "platform": row.get("platform"), "contest_id": row.get("contest_id"),
        "contest_date": _date(row.get("contest_date")), "question_id": qid,
        "starter_code": _field(row, "starter_code", str, ""), "source_difficulty": difficulty,
    }


def _date(value: Any) -> str | None:
    """ISO date-time text (datasets may give a datetime); None stays None."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


# -- DeepMind CodeContests --------------------------------------------------------------------

_CC_SOURCES = {0: "unknown", 1: "codechef", 2: "codeforces", 3: "hackerearth", 4: "codejam",
               5: "atcoder", 6: "aizu"}
# CodeContests' difficulty enum: 1-5 EASY..HARDEST, 7+ Codeforces letters A, B, C, ...
_CC_DIFFICULTY = {1: "easy", 2: "medium", 3: "hard", 4: "hard", 5: "hard", 7: "easy", 8: "easy",
                  9: "medium", 10: "medium"}


def _cc_difficulty(code: Any, rating: Any) -> str:
    """Codeforces rating when known (<= 1300 easy, <= 1900 medium), else the enum, else medium."""
    if isinstance(rating, (int, float)) and rating > 0:
        return "easy" if rating <= 1300 else "medium" if rating <= 1900 else "hard"
    if isinstance(code, int):
        return _CC_DIFFICULTY.get(code, "hard" if code > 10 else "medium")
    return "medium"


def _cc_group(row: Mapping[str, Any], key: str) -> list[dict[str, str]]:
    group = row.get(key)
    if group is None:
        return []
    if not isinstance(group, dict):
        raise RowError(f"field '{key}' must be an object with 'input' and 'output' lists")
    ins, outs = list(group.get("input") or []), list(group.get("output") or [])
    if len(ins) != len(outs):
        raise RowError(f"field '{key}' has {len(ins)} inputs but {len(outs)} outputs")
    return [{"input": _text(i, f"{key}.input[{n}]"), "output": _text(o, f"{key}.output[{n}]"), "origin": key}
            for n, (i, o) in enumerate(zip(ins, outs, strict=True))]


def _cc_time_limit(value: Any) -> float | None:
    if isinstance(value, dict):
        seconds = float(value.get("seconds") or 0) + float(value.get("nanos") or 0) / 1e9
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif value is None:
        return None
    else:
        raise RowError(f"field 'time_limit' must be {{seconds, nanos}} or seconds, got {type(value).__name__}")
    return seconds if seconds > 0 else None  # 0 means "not given" in CodeContests


def codecontests(row: Mapping[str, Any], rowno: int) -> dict[str, Any]:
    name = _field(row, "name", str)
    mem = row.get("memory_limit_bytes")
    rating = row.get("cf_rating")
    source = row.get("source")
    return {
        "id": f"cc-{_slug(name)}", "title": name, "statement": _field(row, "description", str),
        "difficulty": _cc_difficulty(row.get("difficulty"), rating),
        "time_limit_s": _cc_time_limit(row.get("time_limit")),
        "memory_limit_mb": math.ceil(mem / 2**20) if isinstance(mem, (int, float)) and mem > 0 else None,
        "public_tests": _cc_group(row, "public_tests"),
        "private": _cc_group(row, "private_tests"), "generated": _cc_group(row, "generated_tests"),
        "source": "codecontests", "platform": _CC_SOURCES.get(source, str(source)) if source is not None else None,
        "rating": rating if isinstance(rating, (int, float)) and rating > 0 else None,
        "source_difficulty": row.get("difficulty"), "cf_contest_id": row.get("cf_contest_id"),
        "cf_index": row.get("cf_index"), "tags": list(row.get("cf_tags") or []) or None,
    }


# -- APPS and TACO ----------------------------------------------------------------------------

_APPS_DIFFICULTY = {"introductory": "easy", "interview": "medium", "competition": "hard"}
_TACO_DIFFICULTY = {"EASY": "easy", "MEDIUM": "medium", "MEDIUM_HARD": "hard", "HARD": "hard",
                    "VERY_HARD": "hard", "UNKNOWN_DIFFICULTY": "medium"}


def _call_args(value: Any) -> str:
    args = value if isinstance(value, list) else [value]
    return "\n".join(canonical_json(a) for a in args)


def _call_result(value: Any) -> str:
    # APPS/TACO store a call's expected result wrapped in a one-element list ([result]).
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return canonical_json(value)


def _input_output(row: Mapping[str, Any]) -> tuple[list[dict[str, str]], str | None]:
    io_ = _json_field(row, "input_output")
    if not isinstance(io_, dict):
        raise RowError("field 'input_output' must be an object with 'inputs' and 'outputs'")
    ins, outs = io_.get("inputs") or [], io_.get("outputs") or []
    if not isinstance(ins, list) or not isinstance(outs, list) or len(ins) != len(outs):
        raise RowError("field 'input_output' needs 'inputs' and 'outputs' lists of equal length")
    fn_name = io_.get("fn_name")
    if fn_name is not None and not (isinstance(fn_name, str) and fn_name.isidentifier()):
        raise RowError(f"field 'input_output.fn_name' is {fn_name!r}, not a Python name")
    tests = []
    for n, (i, o) in enumerate(zip(ins, outs, strict=True)):
        try:
            if fn_name:
                tests.append({"input": _call_args(i), "output": _call_result(o)})
            else:
                tests.append({"input": _text(i, f"inputs[{n}]"), "output": _text(o, f"outputs[{n}]")})
        except TypeError as err:
            raise RowError(f"input_output test {n}: {err}") from None
    return tests, fn_name


def apps(row: Mapping[str, Any], rowno: int) -> dict[str, Any]:
    tests, fn_name = _input_output(row)
    pid = str(row.get("problem_id", rowno))
    level = str(row.get("difficulty") or "")
    return {
        "id": f"apps-{_slug(pid)}", "title": f"APPS {pid}", "statement": _field(row, "question", str),
        "difficulty": _APPS_DIFFICULTY.get(level, "medium"), "private": tests, "public_tests": [],
        "fn_name": fn_name, "source": "apps", "source_difficulty": level or None,
        "starter_code": _field(row, "starter_code", str, ""), "url": row.get("url"),
    }


def _parse_quantity(value: Any, unit_pattern: str) -> float | None:
    """'2 seconds', '1.5 s', '256 megabytes' -> the number; anything else -> None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = re.match(r"\s*([0-9]*\.?[0-9]+)\s*" + unit_pattern, str(value or ""), re.IGNORECASE)
    return float(m.group(1)) if m else None


def taco(row: Mapping[str, Any], rowno: int) -> dict[str, Any]:
    tests, fn_name = _input_output(row)
    level = str(row.get("difficulty") or "")
    name = row.get("name") or ""
    mem = _parse_quantity(row.get("memory_limit"), r"(mb|megabyte)")
    return {
        "id": f"taco-{rowno}", "title": name or f"TACO {rowno}", "statement": _field(row, "question", str),
        "difficulty": _TACO_DIFFICULTY.get(level, "medium"), "private": tests, "public_tests": [],
        "time_limit_s": _parse_quantity(row.get("time_limit"), r"(s|sec|second)"),
        "memory_limit_mb": math.ceil(mem) if mem else None,
        "fn_name": fn_name, "source": "taco", "source_difficulty": level or None,
        "platform": row.get("source"), "contest_date": _date(row.get("date")),
        "starter_code": _field(row, "starter_code", str, ""), "url": row.get("url"),
        "tags": row.get("skill_types") or None,
    }


FORMATS: dict[str, Callable[[Mapping[str, Any], int], dict[str, Any]]] = {
    "lcb": lcb, "codecontests": codecontests, "apps": apps, "taco": taco,
}
