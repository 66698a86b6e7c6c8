"""The problem model: JSON/JSONL round trips, nested coverage tiers, one-line errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codefrontier.cli import main
from codefrontier.errors import ProblemFormatError
from codefrontier.problems import Test as Case  # aliased: pytest would try to collect `Test`
from codefrontier.problems import load_problems, problem_from_dict, problem_to_dict, save_problems
from codefrontier.problems.tiers import assign_tiers, check_nested, quantile_tiers


def raw_problem(pid: str = "p1", sizes: tuple[int, ...] = (5, 1, 3, 2), **extra: object) -> dict:
    return {
        "id": pid, "title": "T", "statement": "S", "difficulty": "hard", "time_limit_s": 1.5,
        "memory_limit_mb": 128, "checker": {"kind": "float", "abs": 1e-3, "rel": 1e-4, "mystery": 1},
        "public_tests": [{"input": "1\n", "output": "2\n"}],
        "tests": [{"input": f"{s}\n", "output": "x\n", "size": s, "note": f"n{s}"} for s in sizes],
        "fn_name": None, "source": "unit", **extra,
    }


def test_round_trip_json_and_jsonl_keeps_unknown_fields(tmp_path: Path) -> None:
    probs = [problem_from_dict(raw_problem("a", family="x", nested={"k": [1]})), problem_from_dict(raw_problem("b"))]
    for name in ("one.json", "many.jsonl"):
        path = tmp_path / name
        chosen = probs[:1] if name.endswith(".json") else probs
        save_problems(chosen, path)
        back = load_problems(path)
        assert [problem_to_dict(p) for p in back] == [problem_to_dict(p) for p in chosen]
        save_problems(back, path)  # the file is in run order now: a second round trip is exact
        assert load_problems(path) == back
    a = load_problems(tmp_path / "many.jsonl")[0]
    assert a.extra == {"family": "x", "nested": {"k": [1]}}
    assert a.checker.extra == {"mystery": 1} and a.checker.abs_tol == 1e-3
    assert [t.extra["note"] for t in a.tests] == ["n1", "n2", "n3", "n5"]
    assert len(a.public_tests) == 1 and a.public_tests[0] not in a.tests  # public kept apart


def test_quantile_tiers_ordered_by_size_and_nested() -> None:
    p = problem_from_dict(raw_problem(sizes=(80, 10, 70, 20, 60, 30, 50, 40)))
    assert [t.size for t in p.tests] == [10, 20, 30, 40, 50, 60, 70, 80]
    assert [t.tier for t in p.tests] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert p.num_tiers == 4
    sets = [p.coverage_set(c) for c in range(1, 5)]
    for small, big in zip(sets, sets[1:], strict=False):
        assert len(small) < len(big) and big[:len(small)] == small  # a strict prefix in run order
    assert sets[-1] == p.tests  # T_K is the whole suite
    with pytest.raises(ValueError):
        p.coverage_set(0)


def test_ties_share_a_tier() -> None:
    tests = [Case("a", "", size=s, index=i) for i, s in enumerate((1, 1, 1, 1, 1, 2, 3, 4))]
    tiered = quantile_tiers(tests, 4)
    assert {t.tier for t in tiered if t.size == 1} == {1}
    check_nested(tiered)
    assert [t.tier for t in tiered] == sorted(t.tier or 0 for t in tiered)


def test_declared_tiers_are_kept() -> None:
    raw = raw_problem(sizes=(1, 2, 3))
    for t, tier in zip(raw["tests"], (7, 3, 3), strict=True):  # declared, non-contiguous: renumbered 1..K
        t["tier"] = tier
    p = problem_from_dict(raw)
    assert [(t.size, t.tier) for t in p.tests] == [(2, 1), (3, 1), (1, 2)]
    assert p.coverage_set(1) == p.tests[:2]


@given(st.lists(st.integers(0, 50), min_size=1, max_size=40), st.integers(1, 6))
def test_quantile_tiers_property(sizes: list[int], k: int) -> None:
    tiered = assign_tiers([Case("", "", size=s, index=i) for i, s in enumerate(sizes)], k)
    check_nested(tiered)
    assert [t.effective_size for t in tiered] == sorted(sizes)
    assert 1 <= max(t.tier or 0 for t in tiered) <= k
    by_size: dict[int, set[int | None]] = {}
    for t in tiered:
        by_size.setdefault(t.effective_size, set()).add(t.tier)
    assert all(len(v) == 1 for v in by_size.values())


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, what its one-line error must mention)."""
    good = json.dumps(raw_problem("ok"))
    missing = raw_problem("m")
    del missing["tests"][1]["input"]
    wrong_type = raw_problem("w")
    wrong_type["tests"][0]["output"] = 7
    empty = raw_problem("e", sizes=())
    cases = {
        "invalid_json": (good + "\n{not json\n", ":2:"),
        "missing_field": (good + "\n" + json.dumps(missing) + "\n", "tests[1].input"),
        "wrong_type": (json.dumps(wrong_type) + "\n", "tests[0].output"),
        "empty_tests": (good + "\n\n" + json.dumps(empty) + "\n", ":3:"),
    }
    out = {}
    for name, (text, needle) in cases.items():
        path = tmp / f"{name}.jsonl"
        path.write_text(text)
        out[name] = (path, needle)
    return out


@pytest.mark.parametrize("case", ["invalid_json", "missing_field", "wrong_type", "empty_tests"])
def test_bad_file_gives_one_line_error(tmp_path: Path, case: str) -> None:
    path, needle = _bad_files(tmp_path)[case]
    with pytest.raises(ProblemFormatError) as err:
        load_problems(path)
    msg = str(err.value)
    assert "\n" not in msg and str(path) in msg and needle in msg
    assert f"{path}:" in msg  # file:line


@pytest.mark.parametrize("case", ["invalid_json", "missing_field", "wrong_type", "empty_tests"])
def test_cli_prints_one_line_and_exits_2(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    path, needle = _bad_files(tmp_path)[case]
    with pytest.raises(SystemExit) as exit_info:
        main(["problems", "list", "--problems", str(path)])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0]
    assert "Traceback" not in captured.err


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ProblemFormatError, match="no such problem file"):
        load_problems(tmp_path / "nope.jsonl")
