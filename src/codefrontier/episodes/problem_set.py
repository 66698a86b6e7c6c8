"""Which problems a command works on: `--problems builtin | IDS | FILE` (+ an optional id subset).

Shared by `sample`, `train grpo|sweep` and `problems prompt`, so every command reads a problem
argument the same way: 'builtin' (or nothing) is the whole built-in suite, a path to a `.json`
/ `.jsonl` file is a problem file (a converted dataset), anything else is comma-separated
built-in ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from codefrontier.errors import CodefrontierError
from codefrontier.problems.model import Problem

BUILTIN = "builtin"


def is_problem_file(spec: str) -> bool:
    """A problem file, as opposed to 'builtin' or built-in ids (a file need not exist yet to be meant)."""
    return spec.lower().endswith((".json", ".jsonl")) or Path(spec).is_file()


def split_ids(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


def load_problem_set(spec: str, ids: Sequence[str] = (), seed: int = 0, flag: str = "--problems") -> list[Problem]:
    """The selected problems; built-in hidden tests are generated from `seed` (0 = evaluation, 1 = training)."""
    if spec and is_problem_file(spec):
        if not Path(spec).is_file():
            raise CodefrontierError(f"{flag} {spec}: no such file (fix: give 'builtin', built-in ids or a "
                                    ".json/.jsonl problem file).")
        from codefrontier.problems import load_problems

        problems = load_problems(spec)
        missing = sorted(set(ids) - {p.id for p in problems})
        if missing:
            raise CodefrontierError(f"{spec}: no problem with id '{missing[0]}' (fix: check the id against the "
                                    "file's ids).")
        if ids:
            problems = [p for p in problems if p.id in set(ids)]
    else:
        from codefrontier.problems.builtin import builtin_problems

        wanted = list(ids) or (list(split_ids(spec)) if spec not in ("", BUILTIN) else [])
        problems = builtin_problems(seed=seed, ids=wanted or None)
    if not problems:
        raise CodefrontierError(f"{flag} {spec}: no problems selected (fix: check the problem ids).")
    return list(problems)
