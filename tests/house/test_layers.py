"""The package's layer order, enforced: no module imports a part above it.

Data flows up this list (README, "Layout"); an import that runs back down the list — or across
to another part of the same layer, such as train <-> sample — is a design fault that makes the
lower part impossible to use or test alone. Lazy imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "codefrontier"

# Lowest first. A part may import itself and any part of a lower layer, nothing else.
# The foundation's single-file modules count as one part: they may import each other.
FOUNDATION = {"__init__", "enums", "errors", "io", "options", "verdicts", "extract", "metrics", "results"}
LAYERS: list[set[str]] = [
    {"foundation"},
    {"models"},  # the tiny model and tokenizer, loading any checkpoint (GGUF included)
    {"problems", "merge"},
    {"judge"},
    {"episodes"},  # settings, prompts, tool protocol, backends: shared by sampling and training
    {"rewards", "sample"},
    {"train", "analysis"},
    {"demo", "integrations"},
    {"cli"},
]
RANK = {part: i for i, layer in enumerate(LAYERS) for part in layer}


def part_of(module: str) -> str:
    """`codefrontier.sample.store` -> `sample`; `codefrontier`, its own names (`__version__`) and single-file modules -> `foundation`."""
    parts = module.split(".")
    if len(parts) == 1 or not any((PACKAGE / f).exists() for f in (parts[1], f"{parts[1]}.py")):
        return "foundation"
    return "foundation" if parts[1] in FOUNDATION else parts[1]


def imported_parts(path: Path) -> set[tuple[str, int]]:
    """(part, line) for every `codefrontier.*` import in a file, lazy ones included."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "codefrontier" else [f"codefrontier.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {(part_of(n), node.lineno) for n in names if n.split(".")[0] == "codefrontier"}
    return found


def violations() -> list[str]:
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel == Path("__init__.py"):
            continue  # the root API re-exports from every layer by design
        me = part_of("codefrontier." + rel.parts[0].removesuffix(".py"))
        for part, line in sorted(imported_parts(path)):
            if part == me:
                continue
            if part not in RANK or me not in RANK:
                bad.append(f"{rel}:{line}: part '{part if part not in RANK else me}' has no layer in LAYERS")
            elif RANK[part] >= RANK[me]:
                bad.append(f"{rel}:{line}: '{me}' imports '{part}', which is not below it")
    return bad


def test_every_part_has_a_layer() -> None:
    parts = {p.name.removesuffix(".py") for p in PACKAGE.iterdir()
             if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"}
    assert {part_of(f"codefrontier.{p}") for p in parts} - set(RANK) == set()


def test_no_import_runs_up_or_across_the_layers() -> None:
    assert violations() == []


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    # The checker itself must be able to fail: an import of train from judge is found.
    bad = tmp_path / "m.py"
    bad.write_text("def f():\n    from codefrontier.train import grpo\n", encoding="utf-8")
    assert ("train", 2) in imported_parts(bad)
    assert RANK["train"] > RANK["judge"]
