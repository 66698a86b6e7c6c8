"""`codefrontier problems prompt`: the exact opening sampling and training use, on the call-based LCB row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codefrontier import cli
from codefrontier.episodes.protocol import PYTHON_TOOL
from codefrontier.episodes.settings import Setting, SettingConfig, opening_messages, start_episode
from codefrontier.problems import load_problems
from real_data import REAL_DIR

REAL = REAL_DIR / "lcb_rows.jsonl"
PID = "lcb-leetcode-2727"


@pytest.fixture(scope="module")
def lcb_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from codefrontier.problems.convert import ConvertConfig, convert_file

    if not REAL.is_file():
        pytest.skip(f"{REAL} is absent (the shared real data of this project)")
    out = tmp_path_factory.mktemp("lcb") / "lcb.jsonl"
    convert_file(REAL, out, ConvertConfig(fmt="lcb"))
    return out


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        cli.main(argv)
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    got = capsys.readouterr()
    return code, got.out, got.err


@pytest.mark.parametrize("setting", list(Setting))
def test_prompt_prints_what_sampling_gives_the_model(lcb_file: Path, setting: Setting,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(["problems", "prompt", "--problems", str(lcb_file), "--id", PID,
                            "--setting", setting.value], capsys)
    assert code == 0
    shown = json.loads(out)
    problem = next(p for p in load_problems(lcb_file) if p.id == PID)
    episode = start_episode(problem, setting, SettingConfig(), native_tools=False)  # what the sampler starts with
    assert shown["messages"] == episode.messages and "tools" not in shown
    assert "class Solution:\n    def countSeniors" in shown["messages"][1]["content"]


def test_native_tool_setting_prints_the_tool_schema(lcb_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(["problems", "prompt", "--problems", str(lcb_file), "--id", PID, "--setting", "tool",
                            "--native-tools", "--max-tool-calls", "5"], capsys)
    assert code == 0
    shown = json.loads(out)
    problem = next(p for p in load_problems(lcb_file) if p.id == PID)
    assert shown["tools"] == [PYTHON_TOOL]
    assert shown["messages"] == opening_messages(problem, Setting.TOOL, SettingConfig(max_tool_calls=5), native=True)
    assert "calling the `python` tool" in shown["messages"][0]["content"] and "5 times" in shown["messages"][0]["content"]


@pytest.mark.parametrize("args, message", [
    (["--id", "nope"], "no problem with id 'nope'"),
    (["--id", PID, "--setting", "dreaming"], "--setting 'dreaming'"),
])
def test_prompt_errors_are_one_line(lcb_file: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                    message: str) -> None:
    code, _out, err = _run(["problems", "prompt", "--problems", str(lcb_file), *args], capsys)
    assert code == 2 and message in err and err.strip().count("\n") == 0
