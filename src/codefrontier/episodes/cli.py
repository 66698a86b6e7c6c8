"""`codefrontier problems prompt`.

`problems prompt` prints, as JSON, exactly what sampling and training give a model for one problem
in one setting: the opening messages (`settings.opening_messages`) and, for native tool calls, the
`tools` list sent with them. Registered into the `problems` group by the root CLI (episodes sit
above problems, so `problems/` cannot register it itself).

"""

from __future__ import annotations

import json
from typing import Any

import typer

from codefrontier.errors import CodefrontierError
from codefrontier.options import given


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
