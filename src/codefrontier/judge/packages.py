"""Third-party packages a Python submission may import: found here, shown read-only in the sandbox.

Real submissions use numpy (AtCoder offers it) and sortedcontainers (LeetCode does). The judge
finds each configured package in its own environment *without importing it* (importlib's
finder only), and the fork server binds just those directories, read-only, under /packages
(a sys.path entry after the stdlib): the rest of site-packages, and the judge's own code, stay
invisible. A package's compiled dependencies that pip puts beside it (`numpy.libs`, holding
OpenBLAS) are bound with it. Names are import names (`sklearn`, not `scikit-learn`), and a
package's own dependencies must be named too (scipy needs numpy).
"""

from __future__ import annotations

import functools
import importlib.machinery
import os
import sys
from typing import Any

from codefrontier.errors import JudgeError

DEFAULT_PACKAGES = ("numpy", "sortedcontainers")
# BLAS/OpenMP pools sized to one thread: a thread pool per core would need a stack per thread
# under the run's memory limit (and fails there), and would spend CPU beside the solution's.
THREAD_PINS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def parse_packages(text: str) -> tuple[str, ...]:
    """'numpy, sortedcontainers' -> ('numpy', 'sortedcontainers'); '' or 'none' -> ()."""
    if text.strip().lower() in ("", "none"):
        return ()
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    for n in names:
        if not n.isidentifier():
            raise JudgeError(f"--packages: '{n}' is not a Python import name (fix: give import names "
                             "separated by commas, e.g. numpy,sortedcontainers, or 'none')")
    return names


def _search_path() -> list[str]:
    """The judge's import path without its working directory (a package must be installed)."""
    return [p for p in sys.path if p and os.path.isdir(p) and os.path.abspath(p) != os.getcwd()]


@functools.lru_cache(maxsize=32)
def resolve(names: tuple[str, ...]) -> tuple[dict[str, Any], ...]:
    """[{"name", "paths": [(host path, name under /packages), ...]}] for the fork server's hello."""
    found = []
    for name in names:
        spec = importlib.machinery.PathFinder.find_spec(name, _search_path())
        if spec is None or spec.origin in (None, "built-in", "frozen") and not spec.submodule_search_locations:
            raise JudgeError(
                f"the judge's package '{name}' is not installed in this Python environment ({sys.prefix}) "
                f"(fix: pip install {name}, or leave it out of --packages / JudgeConfig.packages)")
        if spec.submodule_search_locations:  # a package directory
            src = os.path.realpath(list(spec.submodule_search_locations)[0])
        else:  # a single-module distribution
            src = os.path.realpath(str(spec.origin))
        paths = [(src, os.path.basename(src))]
        libs = os.path.join(os.path.dirname(src), f"{name}.libs")  # auditwheel's bundled shared libraries
        if os.path.isdir(libs):
            paths.append((os.path.realpath(libs), f"{name}.libs"))
        found.append({"name": name, "paths": paths})
    return tuple(found)
