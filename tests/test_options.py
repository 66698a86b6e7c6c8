"""codefrontier.options: config fields that are CLI flags."""

from __future__ import annotations

from dataclasses import dataclass

from codefrontier.enums import StrEnum
from codefrontier.options import field_default, field_help, given, opt


class Color(StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True)
class Cfg:
    out: str = opt("Where to write.")
    colors: tuple[Color, ...] = opt("Colors to use.", (Color.RED, Color.BLUE))
    fast: bool = opt("Go fast.", False)
    n: int = opt("How many.", 4)


def test_help_shows_the_default_as_typed() -> None:
    assert field_help(Cfg, "colors") == "Colors to use. (default: red,blue)"
    assert field_help(Cfg, "fast") == "Go fast. (default: false)"
    assert field_help(Cfg, "n") == "How many. (default: 4)"
    assert field_help(Cfg, "out") == "Where to write."  # required: no default shown


def test_defaults_and_given_flags() -> None:
    assert field_default(Cfg, "n") == 4 and field_default(Cfg, "out") is None
    assert given(n=None, fast=False, out="x") == {"fast": False, "out": "x"}
    assert Cfg(**given(out="o", n=None)).n == 4


def test_report_flag_defaults_are_the_report_configs() -> None:
    import inspect

    from codefrontier.analysis.cli import report
    from codefrontier.analysis.config import ReportConfig

    params = inspect.signature(report).parameters
    for name in ("reps", "seed", "ensemble_max_size"):
        assert params[name].default.default is None
        assert f"(default: {getattr(ReportConfig(), name)})" in params[name].default.help
