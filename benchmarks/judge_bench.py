"""Judge benchmark: per-test cost against the naive baseline, batch throughput, C++, cache, false TLEs.

    .venv/bin/python benchmarks/judge_bench.py [--tests 200] [--quick]

Figures (medians of a few repeats, the host's load average printed beside them; the
machine is shared, so numbers are noisy):
  1. marginal cost per trivial Python test (warm sandbox, fail-fast off) vs the naive
     baseline: one `python -I -S` process per test, measured in the same run;
  2. batch throughput with the pool on the available cores (workers=1 vs workers=2);
  3. C++ per-test cost after compilation;
  4. cache-hit cost of a duplicate submission;
  5. false TLEs: a solution burning 35% of its CPU limit, 4 judge workers sharing 2 cores.
Targets (issue 3): <= 2 ms per trivial Python test and >= 8x below the baseline; <= 2 ms
per C++ test; zero false TLEs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import replace

from codefrontier.judge import JudgeConfig, Lang, Submission, judge, judge_many
from codefrontier.judge.sandbox import python_interpreter
from codefrontier.problems.model import Problem, Test
from codefrontier.verdicts import Verdict

PY_SUM = "a, b = map(int, input().split())\nprint(a + b)\n"
CPP_SUM = "#include <cstdio>\nint main(){long a,b; scanf(\"%ld %ld\",&a,&b); printf(\"%ld\\n\",a+b);}\n"
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


def marginal_ms(code: str, lang: Lang, n: int, cfg: JudgeConfig) -> float:
    big, one = problem(n), problem(1)
    out = judge(big, code, lang, config=cfg)  # warm: sandbox started, code compiled
    assert out.verdict is Verdict.AC, out
    t_big = timed(lambda: judge(big, code, lang, all_tests=True, config=cfg))
    t_one = timed(lambda: judge(one, code, lang, all_tests=True, config=cfg))
    return (t_big - t_one) / (n - 1) * 1000


def naive_ms(n: int) -> float:
    """One fresh `python -I -S` per test (what a judge without a fork server does)."""
    py = python_interpreter()
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(PY_SUM)
    try:
        def run_all() -> None:
            for i in range(n):
                out = subprocess.run([py, "-I", "-S", f.name], input=f"{i} {i + 1}\n", capture_output=True,
                                     text=True, check=True).stdout
                assert out.split() == [str(2 * i + 1)]
        return timed(run_all) / n * 1000
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tests", type=int, default=200)
    ap.add_argument("--quick", action="store_true", help="fewer tests and submissions")
    args = ap.parse_args()
    n = 40 if args.quick else args.tests
    cfg = JudgeConfig(cache=False, workers=1)
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()}")

    py = marginal_ms(PY_SUM, Lang.PYTHON, n, cfg)
    base = naive_ms(max(20, n // 4))
    print(f"python: {py:.2f} ms marginal per trivial test; naive python -I -S per test: {base:.2f} ms "
          f"-> {base / py:.1f}x faster (targets: <= 2 ms, >= 8x)")

    t0 = time.perf_counter()
    judge(problem(2, pid="cc"), CPP_SUM, Lang.CPP, config=cfg)
    print(f"c++: first judge incl. compile (or cached binary): {time.perf_counter() - t0:.2f} s")
    cpp = marginal_ms(CPP_SUM, Lang.CPP, n, cfg)
    print(f"c++: {cpp:.2f} ms marginal per test after compile (target: <= 2 ms)")

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
