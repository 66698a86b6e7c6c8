"""Chat prompts for a problem, rendered by the sampling package's own templates.

The SFT corpus, the GRPO dataset and evaluation sampling must ask the model in exactly the
same words, so nothing here has wording of its own: the system message is the reasoning
setting's (`episodes/templates/reasoning_system.md`) and the user message is the sampler's
problem message (`episodes/templates/problem.md`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codefrontier.problems.model import Problem

Message = dict[str, str]  # {"role": "user" | "assistant" | "system" | "tool", "content": ...}


def prompt_messages(statement: str, title: str) -> list[Message]:
    """The reasoning setting's opening for a built problem's statement (its examples already appended),
    identical to what `episodes.settings.start_episode` writes for that problem."""
    from codefrontier.episodes import protocol as P
    from codefrontier.episodes.settings import Setting, SettingConfig, system_prompt

    user = P.render("problem", title=title, statement=statement.rstrip("\n"), examples="")
    return [{"role": "system", "content": system_prompt(Setting.REASONING, SettingConfig())},
            {"role": "user", "content": user}]


def problem_messages(problem: Problem) -> list[Message]:
    """The reasoning setting's opening for any problem: `episodes.settings.opening_messages`, the one
    function that builds a problem's prompt (examples added when the statement lacks them; starter code
    and call-based wording when the problem has `fn_name`)."""
    from codefrontier.episodes.settings import Setting, opening_messages

    return opening_messages(problem, Setting.REASONING)


def answer(code: str) -> str:
    """The assistant turn for a solution: one fenced Python block (what `extract_code` reads back)."""
    return f"```python\n{code.strip()}\n```"
