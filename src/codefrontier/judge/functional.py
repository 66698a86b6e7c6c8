"""Call-based (LeetCode-style) problems: wrap a submission into a stdin -> stdout program.

A problem with `fn_name` set is judged like any other: the judge runs
`wrap(problem, code)` in the sandbox on each test. The harness appended here
reads the test input (the arguments as JSON, one argument per line, as in
LiveCodeBench), calls `Solution().<fn_name>(*args)` when the submission defines
a class `Solution`, else the top-level function `fn_name`, and prints the
result as canonical JSON. The converter stores expected outputs in the same
canonical form (`canonical_json`), so the judge's ordinary token checker
compares JSON values: 2 == 2.0, (1, 2) == [1, 2], key order irrelevant.

Why a program and not an in-process call: the harness runs inside the sandbox,
as part of the submission, so the submission never shares a process with the
judge or the expected output: an in-process harness such as LiveCodeBench's lets a
submission read every expected output from the call stack and replace the checker.
"""

from __future__ import annotations

from typing import Any

from codefrontier.problems.canonical import canonical_json, canonical_output

__all__ = ["PREAMBLE", "canonical_json", "canonical_output", "wrap"]

# What LeetCode-style code assumes is already imported (LiveCodeBench prepends a
# similar block): typing names for annotations, and the usual algorithm modules.
# `from builtins import *` comes last so math.pow & co. do not shadow builtins.
PREAMBLE = """\
from string import *
from re import *
from datetime import *
from collections import *
from heapq import *
from bisect import *
from copy import *
from math import *
from random import *
from statistics import *
from itertools import *
from functools import *
from operator import *
from builtins import *
from typing import *
import string, re, datetime, collections, heapq, bisect, copy, math, random, statistics
import itertools, functools, operator, sys, json
"""

# Before the submission: take the whole test input now (so module-level `input()`
# in the submission cannot eat the arguments) and silence stdout, so debugging
# prints in the submission cannot corrupt the printed result (they go nowhere).
_PROLOGUE = """\
import sys as _cf_sys
_cf_input_text = _cf_sys.stdin.read()
_cf_real_stdout = _cf_sys.stdout


class _CfSink:
    def write(self, s):
        return len(s)

    def flush(self):
        pass


_cf_sys.stdout = _CfSink()
_cf_sys.stdin = __import__("io").StringIO("")
"""

# After the submission: parse the arguments, call, print canonical JSON.
_EPILOGUE = """\
def _cf_canon(v):
    import math as _m
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return int(v) if _m.isfinite(v) and v.is_integer() and abs(v) < 2 ** 53 else v
    if isinstance(v, (list, tuple)):
        return [_cf_canon(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _cf_canon(x) for k, x in v.items()}
    raise TypeError(f"the result holds a {type(v).__name__}, which is not a JSON value")


def _cf_main(fn_name):
    import json as _j
    args = [_j.loads(line) for line in _cf_input_text.split("\\n") if line.strip()]
    cls = globals().get("Solution")
    if isinstance(cls, type) and hasattr(cls, fn_name):
        fn = getattr(cls(), fn_name)
    elif callable(globals().get(fn_name)):
        fn = globals()[fn_name]
    else:
        _cf_sys.stderr.write(f"no class Solution with a method {fn_name!r} and no function {fn_name!r}\\n")
        _cf_sys.exit(1)
    result = fn(*args)
    text = _j.dumps(_cf_canon(result), sort_keys=True, separators=(",", ":"))
    _cf_sys.stdout = _cf_real_stdout
    _cf_real_stdout.write(text + "\\n")
    _cf_real_stdout.flush()


_cf_main({fn_name!r})
"""


def _hoist_future_imports(code: str) -> tuple[str, str]:
    """`from __future__` lines must come first in a module: split them off the submission."""
    future: list[str] = []
    rest: list[str] = []
    for line in code.splitlines():
        (future if line.startswith("from __future__ import") else rest).append(line)
    return "\n".join(future), "\n".join(rest)


def wrap(problem: Any, code: str) -> str:
    """A complete Python program: preamble + submission + harness calling `problem.fn_name`."""
    fn_name = problem.fn_name
    if not fn_name or not fn_name.isidentifier():
        raise ValueError(f"problem '{problem.id}' has no valid fn_name ({fn_name!r}) to call")
    future, body = _hoist_future_imports(code)
    parts = [future, PREAMBLE, _PROLOGUE, body, "", _EPILOGUE.replace("{fn_name!r}", repr(fn_name))]
    return "\n".join(p for p in parts if p) + "\n"
