"""The README's Python API block runs as written, and the root exports resolve."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import codefrontier

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- api-example -->\n```python\n(.*?)```", text, re.S)
    assert match, "README.md lost its '<!-- api-example -->' Python block"
    return match.group(1)


def test_every_root_export_resolves() -> None:
    for name in codefrontier.__all__:
        assert getattr(codefrontier, name) is not None, name
    with pytest.raises(AttributeError):
        codefrontier.no_such_name  # noqa: B018


def test_importing_the_root_loads_no_stage() -> None:
    # The CLI's start-up depends on it: `import codefrontier` must not pull torch, pandas or the judge.
    code = "import sys, codefrontier; print(sorted(m for m in sys.modules if m.startswith(('torch', 'pandas', 'codefrontier.'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_readme_api_example_runs_as_written(tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(readme_example(), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "api" / "line" / "lam_1.5" / "model.safetensors").is_file()
    assert (tmp_path / "api" / "run" / "report" / "report.html").is_file()
    assert "report.html" in done.stdout.strip().splitlines()[-1]


def test_all_lists_exactly_the_exports() -> None:
    assert set(codefrontier.__all__) == {"__version__", *codefrontier._EXPORTS}
