"""The built-in problem suite, written for this project (see spec.py for the format).

`builtin_problems(seed)` is what later stages use: built once per seed and cached on disk.
Different seeds give different hidden tests (the SFT corpus uses other seeds than evaluation).
"""

from codefrontier.problems.builtin.build import build_problem, build_suite, builtin_problems
from codefrontier.problems.builtin.registry import all_specs, get_spec

__all__ = ["all_specs", "build_problem", "build_suite", "builtin_problems", "get_spec"]
