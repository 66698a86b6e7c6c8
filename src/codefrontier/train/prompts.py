"""Chat prompts for a problem: the wording lives in `templates/prompt.txt`, not in code.

The same prompt is used by the SFT corpus, the GRPO dataset and (through the chat template
saved with the tokenizer) sampling, so the model is always asked the same way.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"

Message = dict[str, str]  # {"role": "user" | "assistant" | "system" | "tool", "content": ...}


@cache
def prompt_template(name: str = "prompt.txt") -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def user_prompt(statement: str) -> str:
    """The user turn for a problem statement (Markdown, examples already appended by the builder)."""
    return prompt_template().format(statement=statement.strip())


def prompt_messages(statement: str) -> list[Message]:
    return [{"role": "user", "content": user_prompt(statement)}]


def answer(code: str) -> str:
    """The assistant turn for a solution: one fenced Python block (what `extract_code` reads back)."""
    return f"```python\n{code.strip()}\n```"
