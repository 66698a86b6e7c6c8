"""Judge benchmark: per-test cost against the naive baseline, batch throughput, C++, cache, false TLEs.

    .venv/bin/python benchmarks/judge_bench.py [--tests 200] [--quick] [--startup-src OLD_TREE/src]

Figures (medians of a few repeats, the host's load average printed beside them; the
machine is shared, so numbers are noisy):
  1. marginal cost per trivial Python test (warm sandbox, fail-fast off), as wall time and as
     CPU time of every process involved (judge, fork server, runs), vs the naive baseline: one
     `python -I -S` process per test, measured in the same run (CPU is the fairer figure on a
     loaded host: wall time there is mostly waiting for a core);
  2. batch throughput with the pool on the available cores (workers=1 vs workers=2);
  3. C++ per-test cost after compilation;
  4. cache-hit cost of a duplicate submission;
  5. false TLEs: a solution burning 35% of its CPU limit, 4 judge workers sharing 2 cores;
  6. where a trivial test's time goes (medians over serial runs on one sandbox): judge side
     (request: stdin memfd + pipes + message; wait: polling the pipes and the socket until the
     reply; checker), server side from its phase stamps (cgroup limits + the run's stdio put on
     fds 0-2, fork, the child's setup (setsid, rlimits, uid) and run + exit, reaping, accounting;
     seccomp, no_new_privs, the cwd and the "setup done" pipe cost nothing per run: the server sets
     them up on itself once and every run inherits them), and the page faults of the server and of
     each run (copy-on-write after the fork: what the fork server's memory and modules cost);
  7. numpy: per-test cost of a numpy solution with the package imported once in the fork server
     (preload) and without (imported by every run), and a trivial test after numpy was preloaded;
  8. start-up of one `codefrontier judge --json` call (a fresh process: interpreter, CLI, sandbox,
     one test), and with --startup-src the same for another source tree (e.g. `git archive` of the
     commit before a change), in the same run.
Targets (issue 16): <= 2 ms per trivial Python test and >= 5x below the baseline; start-up not
above the old tree's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from codefrontier.judge import JudgeConfig, Lang, Submission, judge, judge_many
from codefrontier.judge.checkers import check
from codefrontier.judge.sandbox import PHASES, Limits, Sandbox, python_interpreter
from codefrontier.problems.model import Problem, Test
from codefrontier.verdicts import Verdict

PY_SUM = "a, b = map(int, input().split())\nprint(a + b)\n"
CPP_SUM = "#include <cstdio>\nint main(){long a,b; scanf(\"%ld %ld\",&a,&b); printf(\"%ld\\n\",a+b);}\n"
NUMPY_SUM = "import numpy as np\nprint(int(np.array(input().split(), dtype=np.int64).sum()))\n"
BURN = ("import time\nlimit = {tl} * 0.35\nt0 = time.process_time()\n"
        "while time.process_time() - t0 < limit:\n    pass\nprint(3)\n")


def problem(n: int, tl: float = 1.0, pid: str = "bench") -> Problem:
    tests = tuple(Test(input=f"{i} {i + 1}\n", output=f"{2 * i + 1}\n", tier=1 + i * 4 // max(n, 1), index=i)
                  for i in range(n))
    return Problem(id=pid, title=pid, statement="", tests=tests, time_limit_s=tl, memory_limit_mb=256)


def timed(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process, the children it reaped, and its live descendants."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return own + sum(_tree_cpu(int(k)) for k in kids)


def total_cpu() -> float:
    """CPU of this judge process plus every idle pooled sandbox (fork servers and their runs)."""
    from codefrontier.judge.pool import POOL
    boxes = [sb for idle in POOL._idle.values() for sb in idle]
    return time.process_time() + sum(_tree_cpu(sb.proc.pid) for sb in boxes)


def marginal_ms(code: str, lang: Lang, n: int, cfg: JudgeConfig) -> tuple[float, float]:
    """(wall ms, CPU ms) per extra test: judge + fork server + runs, all processes counted."""
    big, one = problem(n), problem(1)
    out = judge(big, code, lang, config=cfg)  # warm: sandbox started, code compiled
    assert out.verdict is Verdict.AC, out
    c0 = total_cpu()
    t_big = timed(lambda: judge(big, code, lang, all_tests=True, config=cfg))
    c1 = total_cpu()
    t_one = timed(lambda: judge(one, code, lang, all_tests=True, config=cfg))
    c2 = total_cpu()
    cpu = ((c1 - c0) - (c2 - c1)) / 3 / (n - 1)
    return (t_big - t_one) / (n - 1) * 1000, cpu * 1000


def naive_ms(n: int) -> tuple[float, float]:
    """(wall ms, CPU ms) per test with one fresh `python -I -S` per test (no fork server)."""
    py = python_interpreter()
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(PY_SUM)
    try:
        def run_all() -> None:
            for i in range(n):
                out = subprocess.run([py, "-I", "-S", f.name], input=f"{i} {i + 1}\n", capture_output=True,
                                     text=True, check=True).stdout
                assert out.split() == [str(2 * i + 1)]
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = timed(run_all) / n * 1000
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) / 3 / n * 1000
        return wall, cpu
    finally:
        os.unlink(f.name)


def throughput(workers: int, n_subs: int, n_tests: int) -> float:
    cfg = JudgeConfig(cache=False, workers=workers)
    p = problem(n_tests)
    subs = [Submission(p, PY_SUM + f"# variant {i}\n") for i in range(n_subs)]
    judge_many(subs[:workers], cfg)  # warm the sandboxes
    dt = timed(lambda: judge_many(subs, cfg), repeat=1)
    return n_subs / dt


def false_tles(tl: float, workers: int, n: int) -> tuple[int, int]:
    cfg = JudgeConfig(cache=False, workers=workers)
    p = problem(3, tl=tl)
    subs = [Submission(p, BURN.format(tl=tl) + f"# {i}\n", tests=(Test("\n", "3\n", tier=1),)) for i in range(n)]
    outs = judge_many(subs, cfg)
    return sum(o.verdict is Verdict.TLE for o in outs), len(outs)


def phase_split(n: int) -> dict[str, float]:
    """Median ms per phase of a trivial test, serial runs on one warm sandbox (no pipelining)."""
    sb = Sandbox(JudgeConfig(cache=False, workers=1))
    sb.timing = True
    rows: list[dict[str, float]] = []
    try:
        sb.load_python(PY_SUM, "phase-split")
        checker = problem(1).checker
        for i in range(n + 10):
            t0 = time.perf_counter()
            pending = sb.start(f"{i} {i + 1}\n".encode(), Limits(1.0, 256 << 20))
            t1 = time.perf_counter()
            raw = sb.finish(pending)
            t2 = time.perf_counter()
            verdict = check(checker, "", f"{2 * i + 1}\n", raw.stdout)
            t3 = time.perf_counter()
            assert verdict is Verdict.AC and raw.phases is not None, raw
            assert raw.faults is not None
            rows.append({"judge: request": (t1 - t0) * 1e3, "judge: wait (poll) for reply": (t2 - t1) * 1e3,
                         "judge: checker": (t3 - t2) * 1e3, **{f"server: {k}": v for k, v in raw.phases.items()},
                         "faults: server": raw.faults[0], "faults: run": raw.faults[1]})
    finally:
        sb.close()
    rows = rows[10:]  # the first runs warm caches
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}


def print_phases(split: dict[str, float]) -> None:
    server = sum(v for k, v in split.items() if k.startswith("server"))
    print("where a trivial test's time goes (median ms, serial runs; wait includes the server's work):")
    for k, v in split.items():
        if not k.startswith("faults"):
            print(f"  {k:<34} {v:7.3f}")
    print(f"  {'server: total (' + ', '.join(PHASES[:2]) + ', ...)':<34} {server:7.3f}   (seccomp: 0, installed once)")
    print(f"  page faults a test (median): fork server {split['faults: server']:.0f}, run {split['faults: run']:.0f}")


def numpy_costs(n: int, cfg: JudgeConfig) -> None:
    """Per-test ms of a numpy solution with and without preloading, and of a trivial test after it."""
    pre, pre_cpu = marginal_ms(NUMPY_SUM, Lang.PYTHON, n, cfg)
    cold, cold_cpu = marginal_ms(NUMPY_SUM, Lang.PYTHON, max(6, n // 8), replace(cfg, preload_packages=False))
    after, after_cpu = marginal_ms(PY_SUM, Lang.PYTHON, n, cfg)  # the same pooled sandbox, numpy now loaded
    print(f"numpy: {pre:.2f} ms wall / {pre_cpu:.2f} ms CPU per test preloaded in the fork server; "
          f"{cold:.2f} ms / {cold_cpu:.2f} ms CPU imported by every run; a trivial test in a sandbox that "
          f"holds numpy: {after:.2f} ms / {after_cpu:.2f} ms CPU")


def startup_s(src: str | None, reps: int = 5) -> float:
    """Median seconds of one `codefrontier judge --json` process; `src` = another source tree."""
    with tempfile.TemporaryDirectory(prefix="cf-bench-") as tmp:
        pf, code = Path(tmp) / "p.json", Path(tmp) / "s.py"
        pf.write_text(json.dumps({"id": "s", "title": "s", "statement": "",
                                  "tests": [{"input": "1 2\n", "output": "3\n"}]}))
        code.write_text(PY_SUM)
        env = dict(os.environ, PYTHONPATH=src) if src else dict(os.environ)
        cmd = [sys.executable, "-c", "from codefrontier.cli import main; main()", "judge", "--problem", str(pf),
               "--code", str(code), "--json"]
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
            times.append(time.perf_counter() - t0)
            assert json.loads(out)["verdict"] == "AC", out
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tests", type=int, default=200)
    ap.add_argument("--quick", action="store_true", help="fewer tests and submissions")
    ap.add_argument("--startup-src", help="another source tree (its src/ folder) to time start-up against")
    args = ap.parse_args()
    n = 40 if args.quick else args.tests
    cfg = JudgeConfig(cache=False, workers=1)
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()}")

    py, py_cpu = marginal_ms(PY_SUM, Lang.PYTHON, n, cfg)
    base, base_cpu = naive_ms(max(20, n // 4))
    print(f"python: {py:.2f} ms wall / {py_cpu:.2f} ms CPU marginal per trivial test; naive python -I -S "
          f"per test: {base:.2f} ms wall / {base_cpu:.2f} ms CPU -> {base / py:.1f}x faster by wall, "
          f"{base_cpu / py_cpu:.1f}x by CPU (targets: <= 2 ms, >= 5x)")
    print_phases(phase_split(n))
    new = startup_s(None)
    old = f", {args.startup_src}: {startup_s(args.startup_src):.3f} s" if args.startup_src else ""
    print(f"start-up of one `codefrontier judge --json` (fresh process, one test): this tree {new:.3f} s{old}")
    numpy_costs(n, cfg)

    t0 = time.perf_counter()
    judge(problem(2, pid="cc"), CPP_SUM, Lang.CPP, config=cfg)
    print(f"c++: first judge incl. compile (or cached binary): {time.perf_counter() - t0:.2f} s")
    cpp, cpp_cpu = marginal_ms(CPP_SUM, Lang.CPP, n, cfg)
    print(f"c++: {cpp:.2f} ms wall / {cpp_cpu:.2f} ms CPU marginal per test after compile (target: <= 2 ms)")

    cached = replace(cfg, cache=True)
    p = problem(n)
    judge(p, PY_SUM, config=cached)
    hit = timed(lambda: judge(p, PY_SUM + "\n\n", config=cached), repeat=20)
    print(f"cache hit (duplicate submission, whitespace-normalized): {hit * 1e6:.0f} us")

    subs, tests = (16, 10) if args.quick else (64, 10)
    for w in (1, 2):
        rate = throughput(w, subs, tests)
        print(f"batch: workers={w}: {rate:.1f} submissions/s ({rate * tests:.0f} tests/s), {tests} tests each")

    bad, total = false_tles(0.5, 4, 8 if args.quick else 16)
    print(f"false TLEs: {bad}/{total} (solution at 35% of a 0.5 s limit, 4 workers on {os.cpu_count()} cores)")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
