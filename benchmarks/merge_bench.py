"""Benchmark of `codefrontier merge` against the I/O floor, a naive full-load merge and mergekit.

    .venv/bin/python benchmarks/merge_bench.py [--sizes-gb 1,2] [--dtype float32] [--lam 1.5]

For each size, a Llama-shaped checkpoint pair (A, B = A + a small delta) is generated with our own
streaming writer into a temporary folder (removed at the end). Then, in one run and on the same
warm page cache, each method runs as its own process under GNU time (wall seconds, peak RSS):

  floor     read B's shards (`cat`) and copy A's into a fresh output folder (`cp`): the least I/O a
            merge does (cp copies inside the kernel, with no user-space buffer)
  floor-py  the same bytes moved through a user-space buffer (pread B and A, pwrite A), as any
            merge that computes its output must: the floor for user-space arithmetic
  ours      `codefrontier merge A B --lam L --out DIR` (including interpreter start and torch import;
            `ours-core` is the merge alone, timed inside that process)
  naive     load every tensor of A and B, compute in float32, save (safetensors.torch)
  mergekit  `mergekit-yaml` linear merge with weights (1-λ, λ), normalize off, from the throwaway
            virtualenv /tmp/mk-venv (skipped with a message when it is missing)

Dirty pages are flushed (`sync`) before each timed run and not counted; every method is run
`--repeat` times and the median is reported. The machine may be shared: the load average at the
start and end of each size is printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
MERGEKIT = Path("/tmp/mk-venv/bin/mergekit-yaml")

NAIVE = r"""
import sys, json, torch
from pathlib import Path
from safetensors.torch import load_file, save_file
a, b, out, lam = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])
files = sorted(p.name for p in a.glob("*.safetensors"))
A = {f: load_file(a / f) for f in files}
B = {f: load_file(b / f) for f in files}
out.mkdir()
for f in files:
    save_file({k: (v.float() + lam * (B[f][k].float() - v.float())).to(v.dtype) for k, v in A[f].items()},
              str(out / f), metadata={"format": "pt"})
"""

FLOOR_PY = r"""
import os, sys
from pathlib import Path
a, b, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
out.mkdir()
buf = memoryview(bytearray(4 << 20))
for f in sorted(a.glob("*.safetensors")):
    fa, fb = os.open(a / f.name, os.O_RDONLY), os.open(b / f.name, os.O_RDONLY)
    fo = os.open(out / f.name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    off = 0
    while n := os.preadv(fb, [buf], off):
        n = os.preadv(fa, [buf], off)
        os.pwrite(fo, buf[:n], off)
        off += n
    for fd in (fa, fb, fo):
        os.close(fd)
"""

OURS = r"""
import sys, time
from codefrontier.merge import line_plan, run_merge
t = time.perf_counter()
run_merge(line_plan(sys.argv[1], sys.argv[2], [float(sys.argv[4])]), sys.argv[3])
print(f"CORE {time.perf_counter() - t:.3f}")
"""


def timed(cmd: list[str], **kw: object) -> tuple[float, float, str]:
    """(wall s, peak RSS MB, stdout) of one command run under GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf.name, *cmd], capture_output=True, text=True, **kw)  # type: ignore[call-overload]
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {proc.stderr[-2000:]}")
        wall, rss_kb = tf.read().split()[-2:]
    return float(wall), int(rss_kb) / 1024, proc.stdout


def mergekit_cmd(a: Path, b: Path, out: Path, lam: float, dtype: str, work: Path) -> list[str]:
    cfg = work / "mergekit.yml"
    cfg.write_text(
        "merge_method: linear\nmodels:\n"
        f"  - model: {a}\n    parameters: {{weight: {1 - lam}}}\n"
        f"  - model: {b}\n    parameters: {{weight: {lam}}}\n"
        f"parameters: {{normalize: false}}\ndtype: {dtype}\n"
    )
    return [str(MERGEKIT), str(cfg), str(out), "--no-copy-tokenizer", "--lazy-unpickle"]


def methods(a: Path, b: Path, work: Path, lam: float, dtype: str, skip_mk: bool, skip_naive: bool) -> dict[str, list[str]]:
    out = work / "out"
    floor = f'mkdir "{out}" && for f in "{a}"/*.safetensors; do cat "{b}/${{f##*/}}" > /dev/null; cp "$f" "{out}/"; done'
    found = {
        "floor": ["sh", "-c", floor],
        "floor-py": [PY, "-c", FLOOR_PY, str(a), str(b), str(out)],
        "ours": [PY, "-c", OURS, str(a), str(b), str(out), str(lam)],
    }
    if not skip_naive:
        found["naive"] = [PY, "-c", NAIVE, str(a), str(b), str(out), str(lam)]
    if MERGEKIT.exists() and not skip_mk:
        found["mergekit"] = mergekit_cmd(a, b, out, lam, dtype, work)
    else:
        print(f"  mergekit: skipped ({MERGEKIT} missing: python -m venv /tmp/mk-venv && "
              "/tmp/mk-venv/bin/pip install torch==2.13.0 mergekit==0.1.5)" if not skip_mk else "  mergekit: skipped")
    return found


def run_size(gb: float, args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))

    with tempfile.TemporaryDirectory(prefix="merge-bench-", dir=args.tmp) as tmp:
        work = Path(tmp)
        gen = subprocess.run([PY, "-c", "import sys; from pathlib import Path; from codefrontier.merge.synth import write_pair; "
                              f"write_pair(Path(sys.argv[1]), int({gb} * 2**30), dtype={args.dtype!r})", str(work)],
                             capture_output=True, text=True)
        if gen.returncode != 0:
            raise RuntimeError(gen.stderr[-2000:])
        a, b = work / "A", work / "B"
        size = sum(f.stat().st_size for f in a.glob("*.safetensors")) / 2**30
        print(f"\n== {size:.2f} GiB per checkpoint ({args.dtype}), lam={args.lam}, load avg {os.getloadavg()[0]:.1f} ==")
        results: dict[str, list[tuple[float, float, float | None]]] = {}
        todo = methods(a, b, work, args.lam, args.dtype, args.skip_mergekit, args.skip_naive)
        for _ in range(args.repeat):
            for name, cmd in todo.items():
                if name in ("naive", "mergekit") and len(results.get(name, [])) >= args.repeat_baselines:
                    continue
                shutil.rmtree(work / "out", ignore_errors=True)
                os.sync()
                wall, rss, stdout = timed(cmd, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
                core = next((float(line.split()[1]) for line in stdout.splitlines() if line.startswith("CORE")), None)
                results.setdefault(name, []).append((wall, rss, core))
        floor = statistics.median(w for w, _, _ in results["floor"])
        print(f"{'method':10} {'wall s':>8} {'x floor':>8} {'peak MB':>8}  runs")
        for name, runs in results.items():
            wall = statistics.median(w for w, _, _ in runs)
            rss = max(r for _, r, _ in runs)
            print(f"{name:10} {wall:8.2f} {wall / floor:8.2f} {rss:8.0f}  {len(runs)}")
            cores = [c for _, _, c in runs if c is not None]
            if cores:
                core = statistics.median(cores)
                print(f"{'ours-core':10} {core:8.2f} {core / floor:8.2f} {'':>8}  (merge only, no interpreter start)")
        print(f"load avg at the end: {os.getloadavg()[0]:.1f} (2 cores shared with other engineers)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes-gb", default="1,2", help="checkpoint sizes in GiB, comma-separated")
    p.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    p.add_argument("--lam", type=float, default=1.5)
    p.add_argument("--repeat", type=int, default=3, help="runs of floor and ours (medians reported)")
    p.add_argument("--repeat-baselines", type=int, default=1, help="runs of naive and mergekit (slow)")
    p.add_argument("--skip-mergekit", action="store_true")
    p.add_argument("--skip-naive", action="store_true")
    p.add_argument("--tmp", default=None, help="where to generate the checkpoints (default: the system temp)")
    args = p.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load avg {os.getloadavg()}")
    for gb in (float(x) for x in args.sizes_gb.split(",")):
        run_size(gb, args)


if __name__ == "__main__":
    main()
