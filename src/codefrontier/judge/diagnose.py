"""Diagnostics of a failure for a person: the exit code or signal and a bounded stderr excerpt.

The excerpt of the first failing test (an RE's traceback, a CE's compiler message) goes to
`judge --json`, the plain `judge` output, `grade` rows and the results store, for people
reading failures. It never reaches a model: feedback to models is built from public-test runs
only (episodes/protocol.py reads TestResult.stderr of those runs, never this excerpt).
Hidden tests must not leak through it into stores and files either, so text of the test's input
and expected output is masked: every stretch of MIN_LEAK or more characters that also occurs
in them (found by probing windows of the excerpt), and every line of theirs of MASK_LINE
characters or more.
"""

from __future__ import annotations

import signal
from collections.abc import Sequence

from codefrontier.judge.outcome import FailureDetail, TestResult
from codefrontier.problems.model import Test

MASK = "[test data]"
WINDOW = 16  # probe length; windows start every WINDOW // 2 characters
MIN_LEAK = WINDOW + WINDOW // 2 - 1  # any stretch this long that occurs in the test contains a probe
MASK_LINE = 6  # whole test lines at least this long are masked wherever they appear
MAX_LINES = 2000  # lines of a test checked one by one (the windows cover the rest)


def signal_name(exit_code: int | None) -> str | None:
    if exit_code is None or exit_code >= 0:
        return None
    try:
        return signal.Signals(-exit_code).name
    except ValueError:
        return f"signal {-exit_code}"


def _spans(text: str, secret: str) -> list[tuple[int, int]]:
    """[start, end) stretches of `text` that occur verbatim in `secret`, grown from probe windows."""
    spans: list[tuple[int, int]] = []
    step, i = WINDOW // 2, 0
    while i + WINDOW <= len(text):
        if text[i:i + WINDOW] not in secret:
            i += step
            continue
        lo, hi = i, _grow(text, secret, i, i + WINDOW)
        while lo > 0 and text[lo - 1:hi] in secret:  # at most a step back: the last probe missed
            lo -= 1
        spans.append((lo, hi))
        i = hi
    return spans


def _grow(text: str, secret: str, lo: int, hi: int) -> int:
    """The largest end such that text[lo:end] occurs in secret (galloping, then bisection:
    a stretch's prefixes occur wherever it does, so the test is monotone)."""
    step = 1
    while hi < len(text) and text[lo:min(hi + step, len(text))] in secret:
        hi = min(hi + step, len(text))
        step *= 2
    top = min(hi + step, len(text))  # text[lo:top] does not occur (or top == hi)
    while top - hi > 1:
        mid = (hi + top) // 2
        if text[lo:mid] in secret:
            hi = mid
        else:
            top = mid
    return hi


def mask(text: str, secrets: Sequence[str]) -> str:
    """`text` with every stretch it shares with the secrets replaced by MASK."""
    spans = [sp for s in secrets if s for sp in _spans(text, s)]
    for lo, hi in sorted(spans, reverse=True):
        text = text[:lo] + MASK + text[hi:]
    for s in secrets:
        lines = {ln.strip() for ln in s.splitlines()[:MAX_LINES]}
        for ln in sorted((x for x in lines if len(x) >= MASK_LINE), key=len, reverse=True):
            text = text.replace(ln, MASK)
    return text


def bounded(text: str, limit: int, tail: bool) -> str:
    """At most `limit` characters: the tail (tracebacks end with the error) or the head (compilers
    start with the first error), cut at a line boundary when one is near."""
    if len(text) <= limit:
        return text
    if tail:
        cut = text[-limit:]
        nl = cut.find("\n")
        return "...\n" + (cut[nl + 1:] if 0 <= nl < limit // 4 else cut)
    cut = text[:limit]
    nl = cut.rfind("\n")
    return (cut[:nl] if nl > limit * 3 // 4 else cut) + "\n..."


def failure_detail(results: Sequence[TestResult], chosen: Sequence[tuple[int, int, Test]],
                   compile_error: str | None, limit: int) -> FailureDetail | None:
    """The detail of the first failing test (or of the CE); None when everything passed."""
    if compile_error is not None:
        return FailureDetail(None, None, bounded(compile_error, limit, tail=False))
    first = next((r for r in results if r.verdict.value != "AC"), None)
    if first is None:
        return None
    test = next((t for i, _, t in chosen if i == first.index), None)
    secrets = [test.input, test.output] if test is not None else []
    # mask the whole kept tail first: a cut through a leaked stretch must not hide it from the mask
    excerpt = bounded(mask(first.stderr, secrets), limit, tail=True)
    return FailureDetail(first.exit_code, signal_name(first.exit_code), excerpt)
