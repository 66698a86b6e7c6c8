"""The demo's sampling stage: checkpoints dealt out to worker processes draw exactly the serial samples."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from codefrontier.demo.config import DemoConfig
from codefrontier.demo.sampling import sample_line


def _line(tmp_path: Path) -> Path:
    """An rl folder with two 'trained' levels: a fresh tiny model and a perturbed copy."""
    import torch

    from codefrontier.models.fresh import fresh_tiny_model

    rl = tmp_path / "rl"
    for level, shift in ((1, 0.0), (4, 0.05)):
        model, tok = fresh_tiny_model(hidden=32, layers=1, max_positions=4096, seed=level)
        with torch.no_grad():
            for p in model.parameters():
                p.add_(shift)
        model.save_pretrained(str(rl / f"c{level}"))
        tok.save_pretrained(str(rl / f"c{level}"))
    return rl


def _samples(run: Path) -> dict[tuple[str, str, str, int], str]:
    db = sqlite3.connect(run / "results.sqlite")
    rows = db.execute("SELECT checkpoint, setting, problem_id, sample_index, completion FROM samples").fetchall()
    return {tuple(r[:4]): r[4] for r in rows}  # type: ignore[misc]


@pytest.mark.slow  # two spawned workers import torch and transformers (~10 s each)
def test_sampling_workers_draw_the_serial_samples_into_one_store(tmp_path: Path) -> None:
    from codefrontier.problems import save_problems
    from codefrontier.problems.builtin import builtin_problems

    rl = _line(tmp_path)
    problems = tmp_path / "problems.jsonl"
    save_problems(builtin_problems(ids=["prefix-sums-01"]), problems)
    base = DemoConfig(n=2, lams=(0.0, 1.0, 1.5), settings=("reasoning", "agent"), max_tokens=24, max_turns=2,
                      batch_size=8)
    serial = sample_line(tmp_path / "serial", DemoConfig(**{**base.__dict__, "sample_workers": 1}), problems, rl,
                         [1, 4], lambda _: None)
    parallel = sample_line(tmp_path / "parallel", base, problems, rl, [1, 4], lambda _: None)
    assert parallel["workers"] == 2 and serial["workers"] == 1
    a, b = _samples(tmp_path / "serial"), _samples(tmp_path / "parallel")
    assert len(a) == 3 * 2 * 1 * 2 and a == b  # 3 checkpoints x 2 settings x 1 problem x n=2, the same texts
    assert len(set(a.values())) > 6  # real, different samples (not all empty)
    runs = sqlite3.connect(tmp_path / "parallel" / "results.sqlite").execute("SELECT COUNT(*) FROM runs").fetchone()
    assert runs[0] == 1  # one run row, written by the parent with the whole plan
