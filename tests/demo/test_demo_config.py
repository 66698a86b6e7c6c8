"""DemoConfig validates itself, holds enums, and is the single source of the demo CLI's defaults."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from codefrontier.demo.config import DemoConfig, default_help
from codefrontier.episodes.settings import Setting
from codefrontier.errors import CodefrontierError


def test_settings_become_the_enum_and_lists_parse() -> None:
    cfg = DemoConfig(settings=("tool", Setting.AGENT))  # type: ignore[arg-type]
    assert cfg.settings == (Setting.TOOL, Setting.AGENT) and all(isinstance(s, Setting) for s in cfg.settings)
    cfg = DemoConfig().with_flags(lams="-0.5,0,1", levels="1,3", settings="reasoning", n=None, problems="a, b")
    assert cfg.lams == (-0.5, 0.0, 1.0) and cfg.levels == (1, 3) and cfg.settings == (Setting.REASONING,)
    assert cfg.problems == ("a", "b") and cfg.n == DemoConfig().n  # None = not given: the default stays


@pytest.mark.parametrize("bad", [{"n": 0}, {"settings": ("chess",)}, {"lams": (0.5, 1.0)}, {"levels": (0, 2)},
                                 {"temperature": 0.0}, {"batch_size": 0}])
def test_bad_values_are_one_line_errors_with_a_fix(bad: dict) -> None:
    with pytest.raises(CodefrontierError, match=r"demo: .*\(fix: "):
        DemoConfig(**bad)


def test_bad_list_text_names_the_flag() -> None:
    with pytest.raises(CodefrontierError, match="--levels"):
        DemoConfig().with_flags(levels="1,two")


def test_cli_help_shows_the_config_defaults() -> None:
    from codefrontier.cli import app

    assert f"default: {DemoConfig().n}; quick: {DemoConfig.quick_slice().n}" in default_help("n")
    out = CliRunner().invoke(app, ["demo", "--help"], env={"COLUMNS": "300"}).output
    flat = "".join(ch for ch in out if ch.isalnum() or ch in ":;")  # rich wraps and boxes the help
    assert f"Samplesperproblemcheckpointandsettingdefault:{DemoConfig().n};quick:{DemoConfig.quick_slice().n}" in flat


def test_cli_flags_reach_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import codefrontier.demo.pipeline as pipeline
    from codefrontier.cli import app

    seen: list[DemoConfig] = []

    def fake_run(cfg: DemoConfig, log=print) -> dict:
        seen.append(cfg)
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "run_demo", fake_run)
    CliRunner().invoke(app, ["demo", "--quick", "--out", str(tmp_path), "--n", "5", "--lams", "0,1,2"])
    assert seen[-1].quick and seen[-1].n == 5 and seen[-1].lams == (0.0, 1.0, 2.0)
    assert seen[-1].grpo_steps == DemoConfig.quick_slice().grpo_steps and seen[-1].out == str(tmp_path)
    res = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--n", "0"])
    assert isinstance(res.exception, CodefrontierError) and "n=0 must be at least 1" in str(res.exception)
