"""Surface diversity for SFT completions: same program, different text.

Each transform keeps the program's behaviour (checked: the result must parse, and
layout-only transforms must leave the AST unchanged) and falls back to its input when
it cannot be applied safely. `diversify` chains a random subset, so the tiny model sees
many spellings of each solution and cannot just memorise one string.
"""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import random
import tokenize

_NAME_POOL = (
    "a", "b", "c", "d", "x", "y", "z", "v", "w", "arr", "nums", "vals", "data", "items", "xs", "ys",
    "res", "ans", "out", "total", "cur", "best", "cnt", "lo", "hi", "acc", "tmp", "s", "t", "p", "q",
    "idx", "pos", "left", "right", "seen", "memo", "dp", "pre", "suf", "buf", "val", "num", "tot",
)
_RESERVED = set(dir(builtins)) | set(keyword.kwlist) | {"sys", "main", "solve", "input"}
_COMMENTS = ("# read input", "# parse the input", "# solution", "# compute the answer", "# main logic")


def _bound_names(tree: ast.AST) -> set[str]:
    """Names the program itself binds: assignments, loop targets, args, defs (never imports or attrs)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return names


def _keyword_arg_names(tree: ast.AST) -> set[str]:
    return {kw.arg for node in ast.walk(tree) if isinstance(node, ast.Call) for kw in node.keywords if kw.arg}


def rename_identifiers(code: str, rng: random.Random) -> str:
    """Rename program-bound identifiers to fresh names (token level: attributes and strings untouched)."""
    tree = ast.parse(code)
    all_names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | _bound_names(tree)
    candidates = sorted(_bound_names(tree) - _RESERVED - _keyword_arg_names(tree))
    free = [n for n in _NAME_POOL if n not in all_names]
    rng.shuffle(free)
    mapping = {old: free.pop() for old in candidates if free and rng.random() < 0.7}
    if not mapping:
        return code
    toks = list(tokenize.generate_tokens(io.StringIO(code).readline))
    lines = code.splitlines(keepends=True)
    # Replace right to left within each line so earlier columns stay valid.
    for i in reversed(range(len(toks))):
        tok = toks[i]
        after_dot = i > 0 and toks[i - 1].type == tokenize.OP and toks[i - 1].string == "."
        if tok.type == tokenize.NAME and tok.string in mapping and not after_dot:
            (row, col), (_, end) = tok.start, tok.end
            line = lines[row - 1]
            lines[row - 1] = line[:col] + mapping[tok.string] + line[end:]
    return "".join(lines)


def reindent(code: str, width: int) -> str:
    """Re-indent 4-space code to `width` spaces per level; unchanged if the AST would change."""
    lines = []
    for line in code.splitlines():
        stripped = line.lstrip(" ")
        depth, rest = divmod(len(line) - len(stripped), 4)
        lines.append(" " * (depth * width + rest) + stripped if stripped else "")
    new = "\n".join(lines) + "\n"
    return new if _same_ast(code, new) else code


def fast_input(code: str) -> str:
    """Read lines through sys.stdin.readline (input() semantics kept: only the newline is stripped)."""
    if "input()" not in code or "sys.stdin" in code or "def input" in code:
        return code
    lines = code.splitlines()
    n_imports = 0
    while n_imports < len(lines) and lines[n_imports].startswith(("import ", "from ")):
        n_imports += 1
    head = lines[:n_imports] if "import sys" in code else ["import sys", *lines[:n_imports]]
    helper = ["", "", "def input():", '    return sys.stdin.readline().rstrip("\\n")', "", ""]
    return "\n".join(head + helper + lines[n_imports:]) + "\n"


def _has_multiline_string(tree: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, str) and "\n" in n.value for n in ast.walk(tree))


def wrap_in_function(code: str, name: str) -> str:
    """Move top-level statements into `def name():` (imports stay on top) and call it."""
    tree = ast.parse(code)
    tops = tree.body
    if any(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) for n in tops) or \
            any(isinstance(n, (ast.Global, ast.Nonlocal)) for n in ast.walk(tree)) or _has_multiline_string(tree):
        return code
    lines = code.splitlines()
    n_imports = 0
    for node in tops:
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            break
        n_imports = node.end_lineno or node.lineno
    head = [ln for ln in lines[:n_imports] if ln.strip()]
    body = ["    " + ln if ln.strip() else "" for ln in lines[n_imports:]]
    while body and not body[0]:
        body.pop(0)
    parts = (["\n".join(head), "", ""] if head else []) + [f"def {name}():", *body, "", ""]
    call = f'if __name__ == "__main__":\n    {name}()' if name == "main" else f"{name}()"
    return "\n".join(parts) + call + "\n"


def add_comment(code: str, rng: random.Random) -> str:
    return rng.choice(_COMMENTS) + "\n" + code


def _same_ast(a: str, b: str) -> bool:
    try:
        return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))
    except SyntaxError:
        return False


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


def diversify(code: str, rng: random.Random, scale: float = 1.0) -> str:
    """A random surface variant of `code` (falls back to `code` if any step breaks parsing).

    `scale` multiplies every step's probability: 1.0 is the full variety, smaller values keep more
    examples verbatim (a tiny model learns a less varied corpus in far fewer steps)."""
    out = code.strip("\n") + "\n"
    steps = [
        lambda s: rename_identifiers(s, rng),
        lambda s: wrap_in_function(s, rng.choice(("main", "solve"))),
        fast_input,
        lambda s: add_comment(s, rng),
        lambda s: reindent(s, 2),
    ]
    probs = (0.8, 0.4, 0.3, 0.2, 0.15)
    for step, prob in zip(steps, probs, strict=True):
        if rng.random() < prob * scale:
            try:
                new = step(out)
            except (SyntaxError, tokenize.TokenError, IndentationError):
                continue
            if _parses(new):
                out = new
    return hoist_plan(out)


PLAN_MARK = "# plan:"  # opens the first line of every corpus program (corpus.PLANS, corpus.planned)


def hoist_plan(code: str) -> str:
    """`code` with its plan line (if any) back at the top, unindented: wrapping in a function or adding a
    comment must not move the one line where the program states its approach."""
    lines = code.split("\n")
    at = next((i for i, line in enumerate(lines) if line.lstrip().startswith(PLAN_MARK)), None)
    if at is None or at == 0 and not lines[0].startswith(" "):
        return code
    plan = lines.pop(at).strip()
    return "\n".join([plan, *lines])
