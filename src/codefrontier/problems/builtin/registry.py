"""Find every built-in problem: each module in `families/` exports `PROBLEMS: list[BuiltinSpec]`.

Modules are discovered with pkgutil, so a new family file is picked up without touching this one.
Modules whose name starts with '_' are skipped (private helpers).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from codefrontier.errors import CodefrontierError
from codefrontier.problems.builtin import families
from codefrontier.problems.builtin.spec import BuiltinSpec

LIST_HINT = "run `codefrontier problems list` to see the ids"


@functools.cache
def _specs() -> tuple[BuiltinSpec, ...]:
    specs: list[BuiltinSpec] = []
    for info in sorted(pkgutil.iter_modules(families.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{families.__name__}.{info.name}")
        problems = getattr(module, "PROBLEMS", None)
        if not isinstance(problems, list) or not all(isinstance(p, BuiltinSpec) for p in problems):
            raise CodefrontierError(
                f"family module {module.__name__} must define PROBLEMS as a list of BuiltinSpec (fix: add it)")
        specs.extend(problems)
    seen: set[str] = set()
    for spec in specs:
        if spec.id in seen:
            raise CodefrontierError(f"built-in problem id '{spec.id}' is defined twice (fix: rename one)")
        seen.add(spec.id)
    return tuple(sorted(specs, key=lambda s: s.id))


def all_specs() -> list[BuiltinSpec]:
    """Every built-in problem spec, ordered by id."""
    return list(_specs())


def get_spec(problem_id: str) -> BuiltinSpec:
    for spec in _specs():
        if spec.id == problem_id:
            return spec
    raise CodefrontierError(f"unknown built-in problem id '{problem_id}' ({LIST_HINT})")


def select_specs(ids: list[str] | None) -> list[BuiltinSpec]:
    """The specs for `ids` in the order given (all of them for None)."""
    return all_specs() if ids is None else [get_spec(i) for i in ids]
