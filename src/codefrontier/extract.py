"""Code extraction from a model completion: the last fenced code block, or bare code.

No code -> None (the sample counts as a correctness failure of kind NOCODE).
"""

from __future__ import annotations

import ast
import re
import warnings

# ```python ... ``` or ``` ... ``` (language tag optional); non-greedy body, fences at line starts.
_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+\-]*)[ \t]*\n(.*?)(?:\n[ \t]*```|\Z)", re.DOTALL)


def extract_code(completion: str, lang: str = "python") -> str | None:
    """The last fenced block's body (stripped), or the whole text when it parses as bare code."""
    blocks = [body for _tag, body in _FENCE.findall(completion)]
    blocks = [b.strip("\n") for b in blocks if b.strip()]
    if blocks:
        return blocks[-1] + "\n"
    text = completion.strip()
    if not text or lang != "python":
        return None
    try:
        with warnings.catch_warnings():  # a model's prose ("1st try") is no reason to print SyntaxWarnings
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    # Prose that happens to parse (a lone name or string) is not code.
    if all(isinstance(node, ast.Expr) and isinstance(node.value, (ast.Name, ast.Constant)) for node in tree.body):
        return None
    return text + "\n"
