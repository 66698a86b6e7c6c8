"""Find every built-in problem: each module in `families/` exports `PROBLEMS: list[BuiltinSpec]`.

Modules are discovered with pkgutil, so a new family file is picked up without touching this one.
Modules whose name starts with '_' are skipped (private helpers).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import pkgutil
from pathlib import Path

from codefrontier.errors import CodefrontierError
from codefrontier.problems.builtin import families, world
from codefrontier.problems.builtin.spec import BuiltinSpec

LIST_HINT = "run `codefrontier problems list` to see the ids"
_DIGESTS: dict[str, str] = {}  # problem id -> SHA-256 of its family module's source, read before import


def source_digest(problem_id: str) -> str:
    """Hash of the family module defining `problem_id`, as it was when imported (for the suite cache key)."""
    _specs()
    return _DIGESTS[problem_id]


@functools.cache
def _specs() -> tuple[BuiltinSpec, ...]:
    specs: list[BuiltinSpec] = []
    for info in sorted(pkgutil.iter_modules(families.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        name = f"{families.__name__}.{info.name}"
        # Read before importing: if the file changes afterwards, the cache key is stale, never the content.
        digest = hashlib.sha256(Path(families.__path__[0], f"{info.name}.py").read_bytes()).hexdigest()
        module = importlib.import_module(name)
        problems = getattr(module, "PROBLEMS", None)
        if not isinstance(problems, list) or not all(isinstance(p, BuiltinSpec) for p in problems):
            raise CodefrontierError(
                f"family module {module.__name__} must define PROBLEMS as a list of BuiltinSpec (fix: add it)")
        specs.extend(world.apply(p) for p in problems)  # world v2's examples, hidden bugs, brute tiers
        _DIGESTS.update({p.id: digest for p in problems})
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
