"""Atomic output (failures, a full disk, SIGKILL leave nothing that looks finished) and bounded memory."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

import codefrontier.merge.engine as engine
from codefrontier.errors import MergeError
from codefrontier.merge import MergeOptions, line_plan, run_merge
from codefrontier.merge.synth import write_pair


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((".out", "out")))


def failing_write(after: int, exc: BaseException):
    calls = {"n": 0}
    real = engine._write

    def write(fd, data, offset):
        calls["n"] += 1
        if calls["n"] > after:
            raise exc
        real(fd, data, offset)

    return write


@pytest.mark.parametrize("exc", [RuntimeError("injected"), KeyboardInterrupt()])
def test_failure_mid_write_leaves_nothing(make_pair, tmp_path, monkeypatch, exc):
    a, b = make_pair(shard="20KB")
    monkeypatch.setattr(engine, "_write", failing_write(5, exc))
    with pytest.raises(type(exc)):
        run_merge(line_plan(str(a), str(b), [0.5, 1.5]), tmp_path / "out", MergeOptions(chunk_mb=0.004, threads=2))
    assert leftovers(tmp_path) == []


def test_full_disk_is_a_merge_error_and_leaves_nothing(make_pair, tmp_path, monkeypatch):
    a, b = make_pair()
    monkeypatch.setattr(engine, "_write", failing_write(3, OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(MergeError, match="filled up"):
        run_merge(line_plan(str(a), str(b), [0.5]), tmp_path / "out")
    assert leftovers(tmp_path) == []


def test_failed_force_keeps_the_old_target(make_pair, tmp_path, monkeypatch):
    a, b = make_pair()
    out = tmp_path / "out"
    run_merge(line_plan(str(a), str(b), [0.25]), out)
    before = (out / "model.safetensors").read_bytes()
    monkeypatch.setattr(engine, "_write", failing_write(2, RuntimeError("injected")))
    with pytest.raises(RuntimeError):
        run_merge(line_plan(str(a), str(b), [0.75]), out, MergeOptions(force=True))
    assert (out / "model.safetensors").read_bytes() == before and leftovers(tmp_path) == ["out"]


def test_stale_partial_of_a_dead_merge_is_removed(make_pair, tmp_path):
    a, b = make_pair()
    stale = tmp_path / ".out.partial-999999999-dead"  # no such pid
    stale.mkdir()
    (stale / "model.safetensors").write_bytes(b"half")
    run_merge(line_plan(str(a), str(b), [0.5]), tmp_path / "out")
    assert leftovers(tmp_path) == ["out"]


def peak_rss_merge(a: Path, b: Path, out: Path) -> tuple[subprocess.Popen, list[str]]:
    """A merge in a fresh interpreter that prints its own peak RSS (VmHWM is per process, reset at exec)."""
    code = (
        "import sys; from codefrontier.merge import line_plan, run_merge, MergeOptions; "
        "run_merge(line_plan(sys.argv[1], sys.argv[2], [0.5, 1.5]), sys.argv[3]); "
        "print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])"
    )
    cmd = [sys.executable, "-c", code, str(a), str(b), str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), cmd


@pytest.mark.slow
def test_big_pair_merges_under_a_memory_cap_and_sigkill_leaves_nothing(tmp_path):
    cap_mb = 450  # well below the 2 x 320 MB of inputs (and the 640 MB written by a two-λ sweep)
    a, b = write_pair(tmp_path / "pair", 320 << 20, shard_bytes=64 << 20)
    proc, _ = peak_rss_merge(a, b, tmp_path / "out")
    deadline = time.time() + 60
    while not list(tmp_path.glob(".out.partial-*")) and time.time() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (tmp_path / "out").exists()  # a hidden partial folder may remain: it never has a provenance
    assert all(not (p / "lam_0.5" / "merge_provenance.json").exists() for p in tmp_path.glob(".out.partial-*"))
    proc, _ = peak_rss_merge(a, b, tmp_path / "out")
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    peak_mb = int(stdout.strip()) / 1024
    inputs_mb = sum(f.stat().st_size for f in [*a.iterdir(), *b.iterdir()]) / 2**20
    assert peak_mb < cap_mb < inputs_mb, (peak_mb, inputs_mb)
    assert leftovers(tmp_path) == ["out"]  # the stale partial of the killed run was cleaned up
    index = json.loads((tmp_path / "out" / "lam_1.5" / "model.safetensors.index.json").read_text())
    from safetensors import safe_open

    name = sorted(index["weight_map"])[-1]
    with safe_open(tmp_path / "out" / "lam_1.5" / index["weight_map"][name], "pt") as f, \
            safe_open(a / index["weight_map"][name], "pt") as fa, safe_open(b / index["weight_map"][name], "pt") as fb:
        ta, tb = fa.get_tensor(name).double(), fb.get_tensor(name).double()
        torch.testing.assert_close(f.get_tensor(name).double(), ta + 1.5 * (tb - ta), rtol=0, atol=1e-7)
    assert os.path.getsize(tmp_path / "out" / "lam_0.5" / index["weight_map"][name]) > 0
