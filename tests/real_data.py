"""Where the workspace's real public data lives, for the tests that read it.

`shared/real/` sits beside the checkout (CodeContests and LiveCodeBench rows, known-verdict
submissions). Tests read it at run time and skip, saying where they looked, when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path


def real_dir() -> Path:
    """$CODEFRONTIER_REAL_DATA, else <checkout>/../shared/real, else /work/shared/real (the first that exists)."""
    env = os.environ.get("CODEFRONTIER_REAL_DATA")
    candidates = [Path(env)] if env else []
    candidates += [Path(__file__).resolve().parents[2] / "shared" / "real", Path("/work/shared/real")]
    return next((p for p in candidates if p.is_dir()), candidates[0])


REAL_DIR = real_dir()
