"""`codefrontier problems list | show | build`: tables, --problems files, one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from codefrontier.cli import main
from codefrontier.problems import load_problems


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out = capsys.readouterr()
    return int(exit_info.value.code or 0), out.out, out.err


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Two built-in problems built with `problems build` into a fresh cache (once per module)."""
    tmp = tmp_path_factory.mktemp("cli")
    out = tmp / "two.jsonl"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CODEFRONTIER_CACHE", str(tmp / "cache"))
        with pytest.raises(SystemExit) as exit_info:
            main(["problems", "build", "--out", str(out), "--seed", "3", "--ids", "dp2d-01,two-pointers-03"])
        assert exit_info.value.code == 0
        yield out


@pytest.mark.parametrize("cmd", ["list", "show", "build"])
def test_help(cmd: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["problems", cmd, "--help"], capsys)
    assert code == 0 and "Usage" in out


@pytest.mark.slow
def test_build_then_list_and_show(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    probs = load_problems(built)
    assert [p.id for p in probs] == ["dp2d-01", "two-pointers-03"]
    assert all(p.extra["seed"] == 3 and p.num_tiers == 4 for p in probs)
    code, out, _ = run(["problems", "list", "--problems", str(built)], capsys)
    assert code == 0
    row = next(line for line in out.splitlines() if "dp2d-01" in line)
    p = probs[0]
    for cell in ("2D dynamic programming", "medium", f"{p.time_limit_s:g}", "256", str(len(p.tests))):
        assert cell in row
    code, out, _ = run(["problems", "show", "two-pointers-03", "--problems", str(built)], capsys)
    assert code == 0 and "Shortest heavy segment" in out and "100000" in out and "calibrated" in out


@pytest.mark.slow
def test_unknown_ids_are_one_line_errors(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["problems", "show", "nope", "--problems", str(built)], capsys)
    assert code == 2 and err.count("\n") == 1 and "'nope'" in err and "problems list" in err
    code, out, err = run(["problems", "build", "--out", str(built.parent / "x.jsonl"), "--ids", "nope"], capsys)
    assert code == 2 and err.strip() == ("error: unknown built-in problem id 'nope' "
                                         "(run `codefrontier problems list` to see the ids)")
    assert not (built.parent / "x.jsonl").exists()
