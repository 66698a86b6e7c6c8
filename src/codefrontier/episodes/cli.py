"""`codefrontier problems prompt`, and the option helper the sample and train commands share.

`problems prompt` prints, as JSON, exactly what sampling and training give a model for one problem
in one setting: the opening messages (`settings.opening_messages`) and, for native tool calls, the
`tools` list sent with them. Registered into the `problems` group by the root CLI (episodes sit
above problems, so `problems/` cannot register it itself).

`config_option` makes a typer option whose default is None and whose help text is the config
field's `metadata["help"]` plus its default: the config dataclass stays the one place for every
default and its explanation; a command passes the flags that were given to `dataclasses.replace`.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, Field, fields
from typing import Any

import typer

from codefrontier.errors import CodefrontierError


def _field(cls: type, name: str) -> Field[Any]:
    found = {f.name: f for f in fields(cls)}
    if name not in found:
        raise KeyError(f"{cls.__name__} has no field {name!r}")
    return found[name]


def field_default(cls: type, name: str) -> Any:
    f = _field(cls, name)
    if f.default is not MISSING:
        return f.default
    return f.default_factory() if f.default_factory is not MISSING else None


def config_option(cls: type, name: str, *flags: str, **kw: Any) -> Any:
    """typer.Option(None, flag, help=<field help> [default: <field default>]) for field `name` of `cls`."""
    f = _field(cls, name)
    default = field_default(cls, name)
    shown = default.value if hasattr(default, "value") else default
    text = str(f.metadata.get("help", ""))
    suffix = "" if default is None or default == () else f" (default: {shown})"
    return typer.Option(None, *(flags or ("--" + name.replace("_", "-"),)), help=text + suffix, **kw)


def given(**options: Any) -> dict[str, Any]:
    """The options a command was actually given (typer leaves the others at None)."""
    return {k: v for k, v in options.items() if v is not None}


def prompt(
    problems: str = typer.Option(..., "--problems", help="'builtin' or a problem file (.json/.jsonl)."),
    problem_id: str = typer.Option(..., "--id", help="The problem's id."),
    setting: str = typer.Option("reasoning", "--setting", help="reasoning | tool | agent."),
    native_tools: bool = typer.Option(False, "--native-tools/--plain-tools",
                                      help="Tool setting: native tool calls (messages + tools) or the plain-text "
                                           "protocol (what the built-in tiny model and SmolLM2 get)."),
    max_tool_calls: int | None = typer.Option(None, "--max-tool-calls", help="Tool runs named in the prompt."),
    max_attempts: int | None = typer.Option(None, "--max-attempts", help="Submissions named in the prompt."),
) -> None:
    """Print the exact messages (and native tool schema) a model is given for a problem, as JSON."""
    from dataclasses import replace

    from codefrontier.episodes.settings import Setting, SettingConfig, opening_messages, tool_specs

    try:
        which = Setting(setting)
    except ValueError:
        raise CodefrontierError(f"--setting '{setting}' is not a setting (fix: use reasoning, tool or agent).") from None
    cfg = replace(SettingConfig(), **given(max_tool_calls=max_tool_calls, max_attempts=max_attempts))
    problem = _one_problem(problems, problem_id)
    native = native_tools and which is Setting.TOOL
    out: dict[str, Any] = {"problem_id": problem.id, "setting": which.value,
                           "messages": opening_messages(problem, which, cfg, native)}
    if native:
        out["tools"] = list(tool_specs(which, native))
    typer.echo(json.dumps(out, indent=2, ensure_ascii=False))


def _one_problem(which: str, problem_id: str) -> Any:
    from codefrontier.episodes.problem_set import load_problem_set

    found = [p for p in load_problem_set(which, (problem_id,)) if p.id == problem_id]
    if not found:
        raise CodefrontierError(f"{which}: no problem with id '{problem_id}' (fix: see `codefrontier problems show`).")
    return found[0]
