"""Judging a submission: pick the tests, run them in order, turn runs into verdicts and an Outcome.

Run order is the problem's (tier, size) order; by default the first failure stops the run
(fail-fast), `all_tests` runs everything. A judge fault (IE) restarts the sandbox and
retries that test once; a second IE makes the outcome IE (failure class `internal`), never
the submission's failure. Verdict precedence per run: TLE > MLE > OLE > RE > WA.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from codefrontier.errors import JudgeError
from codefrontier.judge import compile as compiling
from codefrontier.judge.cache import cache_for, cache_key, tests_hash
from codefrontier.judge.checkers import check
from codefrontier.judge.config import Isolation, JudgeConfig
from codefrontier.judge.diagnose import failure_detail
from codefrontier.judge.outcome import FirstFailure, Lang, Outcome, TestResult
from codefrontier.judge.pool import POOL
from codefrontier.judge.sandbox import Limits, Pending, RawRun, Sandbox, SandboxError
from codefrontier.problems.model import Problem, Test
from codefrontier.verdicts import Verdict, failure_class

MB = 1 << 20


class Session:
    """One submission's hold on a sandbox: loads the solution, replaces the sandbox after a fault."""

    def __init__(self, config: JudgeConfig, code: str, lang: Lang):
        self.config, self.code, self.lang = config, code, lang
        self.sb: Sandbox | None = None
        self.mode = "python" if lang is Lang.PYTHON else "exe"
        self.key: str | None = None  # the solution's key, once loaded (not hashed again per test)

    def sandbox(self) -> Sandbox:
        if self.sb is None:  # the packages the source names (text match: a hint for the pool only)
            wants = frozenset(p for p in self.config.packages if p in self.code) if self.lang is Lang.PYTHON else frozenset()
            self.sb = POOL.get(self.config, wants)
            require_isolation(self.sb.isolation, self.sb.report, self.config)
        return self.sb

    def load(self) -> str | None:
        """The compile error, or None once the solution is loaded."""
        sb = self.sandbox()
        if self.key is not None and sb.loaded == self.key:
            return None
        err = compiling.load(sb, self.code, self.lang, self.config)
        self.key = sb.loaded if err is None else None
        return err

    def broken(self) -> None:
        if self.sb is not None:
            self.sb.close()
            self.sb = None

    def release(self) -> None:
        if self.sb is not None:
            POOL.put(self.sb)
            self.sb = None


def require_isolation(level: Isolation, report: dict, config: JudgeConfig) -> None:
    if level.rank >= config.min_isolation.rank or config.unsafe_isolation:
        return
    missing = [k for k in ("ns", "fs", "seccomp") if not report.get(k)]
    why = "; ".join(str(report[k]) for k in ("ns_error", "fs_error") if k in report)
    raise JudgeError(
        f"the sandbox on this host reaches isolation '{level}' (missing: {', '.join(missing) or 'uid change'}"
        f"{'; ' + why if why else ''}), below the safe minimum '{config.min_isolation}'; "
        "run untrusted code elsewhere, or pass --unsafe-isolation for trusted code only")


def _memory_error(raw: RawRun, lang: Lang) -> bool:
    tail = raw.stderr[-300:]
    if lang is Lang.PYTHON:
        return raw.exit_code != 0 and tail.rstrip().rsplit(b"\n", 1)[-1].startswith(b"MemoryError")
    return raw.exit_code == -6 and b"std::bad_alloc" in tail


def run_verdict(raw: RawRun, problem: Problem, lang: Lang, has_cgroup: bool) -> Verdict:
    """The verdict of a run before checking its output (AC means 'ran fine')."""
    if raw.why in ("cpu", "wall") or raw.cpu_s > problem.time_limit_s:
        return Verdict.TLE
    if raw.oom or _memory_error(raw, lang) or (not has_cgroup and raw.peak_bytes > problem.memory_limit_mb * MB):
        return Verdict.MLE
    if raw.stdout_over:
        return Verdict.OLE
    if raw.exit_code != 0:
        return Verdict.RE
    return Verdict.AC


def to_result(raw: RawRun, verdict: Verdict, index: int, tier: int, keep_stdout: bool,
              config: JudgeConfig) -> TestResult:
    return TestResult(
        index=index, tier=tier, verdict=verdict, cpu_s=raw.cpu_s, wall_s=raw.wall_s,
        peak_mb=raw.peak_bytes / MB, exit_code=raw.exit_code if raw.why == "exit" else None,
        stderr=raw.stderr.decode("utf-8", "replace"),
        stdout=raw.stdout[: config.stdout_keep_bytes].decode("utf-8", "replace") if keep_stdout else None)


def _ie(index: int, tier: int, why: str) -> TestResult:
    return TestResult(index, tier, Verdict.IE, 0.0, 0.0, 0.0, None, stderr=f"internal error: {why}")


def limits_of(problem: Problem, config: JudgeConfig) -> Limits:
    return Limits(problem.time_limit_s, problem.memory_limit_mb * MB, config.wall_factor, config.wall_hard_factor)


def result_of(raw: RawRun, session: Session, problem: Problem, stdin: str, test: Test | None,
              index: int, tier: int, keep_stdout: bool) -> TestResult:
    """Verdict (run checks first, then the checker when `test` is given) and the TestResult."""
    verdict = run_verdict(raw, problem, session.lang, session.sb is not None and session.sb.cgroups is not None)
    if verdict is Verdict.AC and test is not None:
        verdict = check(problem.checker, stdin, test.output, raw.stdout)
    return to_result(raw, verdict, index, tier, keep_stdout, session.config)


def run_one(session: Session, problem: Problem, stdin: str, test: Test | None, index: int, tier: int,
            keep_stdout: bool, attempts: int = 2) -> TestResult:
    """Run (and check, when `test` is given) one input; IE once `attempts` fresh tries failed."""
    why = ""
    for _ in range(attempts):
        try:
            if session.load() is not None:
                raise SandboxError("the solution stopped compiling")
            sb = session.sandbox()
            raw = sb.run(stdin.encode("utf-8", "surrogateescape"), limits_of(problem, session.config),
                         mode=session.mode)
            res = result_of(raw, session, problem, stdin, test, index, tier, keep_stdout)
            if res.verdict is not Verdict.IE:
                return res
            why = "the checker failed"
        except (SandboxError, OSError) as err:
            why = str(err)
            session.broken()
    return _ie(index, tier, why)


PIPELINE_MAX_OUTPUT = 512 << 10  # start the next test early only if its output fits the pipe buffer


def run_tests(session: Session, problem: Problem, chosen: Sequence[tuple[int, int, Test]], stop: bool,
              keep_stdout: bool) -> list[TestResult]:
    """Run the chosen tests in order. While test i is collected and checked, test i+1 already runs
    in the server (two runs in flight), hiding a judge/server round trip per test."""
    limits = limits_of(problem, session.config)
    results: list[TestResult] = []
    ahead: Pending | None = None
    for i, (index, tier, test) in enumerate(chosen):
        try:
            if session.load() is not None:
                raise SandboxError("the solution stopped compiling")
            sb = session.sandbox()
            cur = ahead or sb.start(test.input.encode("utf-8", "surrogateescape"), limits, session.mode)
            ahead = None
            if i + 1 < len(chosen) and len(chosen[i + 1][2].output) <= PIPELINE_MAX_OUTPUT:
                nxt = chosen[i + 1][2].input.encode("utf-8", "surrogateescape")
                ahead = sb.start(nxt, limits, session.mode)
            res = result_of(sb.finish(cur), session, problem, test.input, test, index, tier, keep_stdout)
        except (SandboxError, OSError) as err:
            session.broken()
            ahead = None
            res = _ie(index, tier, str(err))
        if res.verdict is Verdict.IE:  # the one retry, on a fresh sandbox if the old one broke
            _cancel(session, ahead)
            ahead = None
            res = run_one(session, problem, test.input, test, index, tier, keep_stdout, attempts=1)
        results.append(res)
        if res.verdict is not Verdict.AC and stop:
            break
    _cancel(session, ahead)
    return results


def _cancel(session: Session, ahead: Pending | None) -> None:
    if ahead is not None and session.sb is not None:
        try:
            session.sb.cancel(ahead)
        except (SandboxError, OSError):
            session.broken()


def select_tests(problem: Problem, max_tier: int | None,
                 tests: Sequence[Test] | None) -> list[tuple[int, int, Test]]:
    """(index, tier, test) in run order: explicit tests, T_max_tier, or every hidden test."""
    if tests is not None:
        return [(i, t.tier or 1, t) for i, t in enumerate(tests)]
    return [(i, t.tier or 1, t) for i, t in enumerate(problem.tests)
            if max_tier is None or (t.tier or 1) <= max_tier]


def build_outcome(results: Sequence[TestResult], chosen: Sequence[tuple[int, int, Test]],
                  isolation: Isolation | None, compile_error: str | None = None, config: JudgeConfig | None = None,
                  lang: Lang = Lang.PYTHON) -> Outcome:
    config = config or JudgeConfig()
    packages = config.packages if lang is Lang.PYTHON else ()
    detail = failure_detail(results, chosen, compile_error, config.excerpt_chars)
    if compile_error is not None:
        idx, tier = (chosen[0][0], chosen[0][1]) if chosen else (0, 1)
        return Outcome(Verdict.CE, failure_class(Verdict.CE), 0, FirstFailure(idx, tier, Verdict.CE), (),
                       isolation=isolation, compile_error=compile_error, packages=packages, detail=detail)
    first = next((r for r in results if r.verdict is not Verdict.AC), None)
    failing = [r.tier for r in results if r.verdict is not Verdict.AC]
    passed = min(failing) - 1 if failing else max((c[1] for c in chosen), default=0)
    return Outcome(
        verdict=first.verdict if first else Verdict.AC,
        failure_class=failure_class(first.verdict if first else None),
        passed_tier=passed,
        first_failure=FirstFailure(first.index, first.tier, first.verdict) if first else None,
        tests=tuple(results), isolation=isolation, packages=packages, detail=detail)


def prepare_code(problem: Problem, code: str, lang: Lang) -> str:
    """Call-based problems get the harness of judge/functional.py around the solution."""
    if not problem.fn_name or lang is not Lang.PYTHON:
        return code
    try:
        from codefrontier.judge.functional import wrap
    except ImportError:
        raise JudgeError(f"problem '{problem.id}' is call-based (fn_name '{problem.fn_name}') but "
                         "codefrontier.judge.functional is missing; reinstall codefrontier") from None
    return wrap(problem, code)


def judge_uncached(problem: Problem, code: str, lang: Lang, chosen: Sequence[tuple[int, int, Test]],
                   stop_at_failure: bool, keep_stdout: bool, config: JudgeConfig) -> Outcome:
    session = Session(config, code, lang)
    try:
        try:
            err = session.load()
        except (SandboxError, OSError):
            session.broken()
            err = session.load()  # a second fault propagates: the judge cannot work here
        isolation = session.sandbox().isolation
        if err is not None:
            return build_outcome([], chosen, isolation, err, config, lang)
        results = run_tests(session, problem, chosen, stop_at_failure, keep_stdout)
        return build_outcome(results, chosen, isolation, config=config, lang=lang)
    finally:
        session.release()


def judge(problem: Problem, code: str, lang: Lang = Lang.PYTHON, *, all_tests: bool = False,
          max_tier: int | None = None, tests: Sequence[Test] | None = None, keep_stdout: bool = False,
          config: JudgeConfig | None = None) -> Outcome:
    """Judge `code` on the problem's hidden tests (or T_max_tier, or `tests`): an Outcome."""
    config = config or JudgeConfig()
    lang = Lang(lang)
    code = prepare_code(problem, code, lang)
    chosen = select_tests(problem, max_tier, tests)
    stop = config.fail_fast and not all_tests
    key = None
    if config.cache:
        key = submission_key(problem, code, lang, max_tier, tests, stop, keep_stdout, config)
        hit = cache_for(config.cache_dir).get(key)
        if hit is not None:
            return replace(hit, cached=True)
    outcome = judge_uncached(problem, code, lang, chosen, stop, keep_stdout, config)
    if key is not None:
        cache_for(config.cache_dir).put(key, outcome)
    return outcome


def submission_key(problem: Problem, code: str, lang: Lang, max_tier: int | None, tests: Sequence[Test] | None,
                   stop: bool, keep_stdout: bool, config: JudgeConfig) -> str:
    """The cache key: normalized source, problem, judged tests, limits and judging mode."""
    judged = tests_hash(tests, problem.checker) if tests is not None else tests_hash(problem.tests, problem.checker)
    return cache_key({
        "src": compiling.source_key(code, lang), "problem": problem.id, "tests": judged,
        "explicit": tests is not None, "max_tier": max_tier if tests is None else None,
        "tl": problem.time_limit_s, "ml": problem.memory_limit_mb, "stop": stop, "keep": keep_stdout,
        "cfg": [config.wall_factor, config.stdout_cap_mb, list(config.cxx_flags) if lang is Lang.CPP else None,
                config.stdout_keep_bytes, config.stderr_keep_bytes, config.excerpt_chars],
        "packages": list(config.packages) if lang is Lang.PYTHON else [],
    })


def run_program(problem: Problem, code: str, stdin: str, lang: Lang = Lang.PYTHON,
                config: JudgeConfig | None = None) -> TestResult:
    """One sandboxed run of `code` on `stdin` under the problem's limits, stdout kept (tool use).

    The verdict is AC when the program ran cleanly (nothing is checked), else TLE/MLE/OLE/RE/CE/IE.
    """
    config = config or JudgeConfig()
    lang = Lang(lang)
    session = Session(config, prepare_code(problem, code, lang), lang)
    try:
        try:
            err = session.load()
        except (SandboxError, OSError):
            session.broken()
            err = session.load()
        if err is not None:
            return TestResult(0, 0, Verdict.CE, 0.0, 0.0, 0.0, None, stderr=err, stdout="")
        return run_one(session, problem, stdin, None, 0, 0, keep_stdout=True)
    finally:
        session.release()
