"""`codefrontier demo --model SmolLM2 --problems FILE`: the paper's pipeline from a real pretrained init.

The same stages as the built-in demo (no SFT: the given model is the init), at tiny sizes: two
built-in problems written to a problem file, GRPO at coverage 1 and 4 (2 steps each, 2 completions
per prompt), the weight line between them applied in place, the three settings, n = 2, the report.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # SmolLM2 GRPO on CPU: ~1 min a step on 2 busy cores; the whole test ~6-10 min

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
IDS = ["binary-search-01", "dp1d-01"]


@pytest.fixture(scope="session")
def smollm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from smollm_fixture import smollm_folder

    return smollm_folder(tmp_path_factory)


@pytest.mark.timeout(3000)
def test_demo_from_a_real_init_on_a_problem_file(smollm: Path, tmp_path: Path) -> None:
    from codefrontier.problems import save_problems
    from codefrontier.problems.builtin import builtin_problems

    problems = tmp_path / "two.jsonl"
    save_problems(builtin_problems(seed=0, ids=IDS), problems)
    out = tmp_path / "demo"
    cmd = [sys.executable, "-m", "codefrontier.cli", "demo", "--model", str(smollm), "--problems", str(problems),
           "--out", str(out), "--levels", "1,4", "--steps", "2", "--num-generations", "2", "--n", "2",
           "--lams", "0,1.5,1", "--max-tokens", "48", "--max-turns", "2"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=2700)
    assert run.returncode == 0, run.stderr[-3000:] + run.stdout[-3000:]
    for stage in ("suite", "init", "rl", "sample", "report"):
        assert re.search(rf"\[done\]\s+{stage}\b", run.stdout), run.stdout
    assert "weight distance ||θ_cov4 − θ_cov1||" in run.stdout

    # GRPO from the real init at both levels: SmolLM2's architecture (tied embeddings) kept.
    for c in (1, 4):
        config = json.loads((out / "rl" / f"c{c}" / "config.json").read_text())
        assert config["model_type"] == "llama" and config["tie_word_embeddings"] is True
        assert json.loads((out / "rl" / f"c{c}" / "grpo_config.json").read_text())["init"] == str(smollm)

    db = sqlite3.connect(out / "sample" / "results.sqlite")
    rows = db.execute("SELECT checkpoint, setting, problem_id, COUNT(*) FROM samples "
                      "GROUP BY checkpoint, setting, problem_id").fetchall()
    assert {r[0] for r in rows} == {"lam=+0.00", "lam=+1.00", "lam=+1.50"}
    assert {r[1] for r in rows} == {"reasoning", "tool", "agent"} and {r[2] for r in rows} == set(IDS)
    assert {r[3] for r in rows} == {2}
    judged = db.execute("SELECT COUNT(*) FROM judgements").fetchone()[0]
    assert judged == 3 * 3 * 2 * 2  # checkpoints x settings x problems x n, every sample judged
    assert not list(out.rglob("lam_*"))  # θ(λ) was set in place, never written

    html = (out / "report" / "report.html").read_text()
    for setting in ("reasoning", "tool", "agent"):
        assert setting in html
    assert "lam=+1.50" in html and "World check" in html
