"""Verdicts and failure classes, as enums (never bare strings).

Per-test verdicts follow DESIGN.md. When several apply to one run the
precedence is IE > TLE > MLE > OLE > RE > WA (AC only when nothing failed).
"""

from __future__ import annotations

from enum import Enum


class Verdict(str, Enum):
    AC = "AC"  # accepted
    WA = "WA"  # wrong answer
    TLE = "TLE"  # time limit exceeded (CPU time; wall-clock backstop)
    MLE = "MLE"  # memory limit exceeded
    RE = "RE"  # runtime error (non-zero exit, signal)
    OLE = "OLE"  # output limit exceeded
    CE = "CE"  # compilation error (or syntax error for Python)
    IE = "IE"  # internal error of the judge: never the submission's fault

    def __str__(self) -> str:
        return self.value


# Higher number wins when several verdicts apply to one run.
_PRECEDENCE = {
    Verdict.AC: 0,
    Verdict.WA: 1,
    Verdict.CE: 2,
    Verdict.RE: 3,
    Verdict.OLE: 4,
    Verdict.MLE: 5,
    Verdict.TLE: 6,
    Verdict.IE: 7,
}


def worst(*verdicts: Verdict) -> Verdict:
    """The verdict that wins under IE > TLE > MLE > OLE > RE > WA > AC."""
    return max(verdicts, key=_PRECEDENCE.__getitem__, default=Verdict.AC)


class FailureClass(str, Enum):
    SOLVED = "solved"  # all tests AC
    OPTIMIZATION = "optimization"  # first failure is TLE or MLE
    CORRECTNESS = "correctness"  # first failure is WA, RE, OLE, CE, or no code extracted
    INTERNAL = "internal"  # IE: excluded from metrics and retried

    def __str__(self) -> str:
        return self.value


OPTIMIZATION_VERDICTS = frozenset({Verdict.TLE, Verdict.MLE})
CORRECTNESS_VERDICTS = frozenset({Verdict.WA, Verdict.RE, Verdict.OLE, Verdict.CE})


def failure_class(first_failure: Verdict | None) -> FailureClass:
    """Classify a submission by the verdict of its first failing test (None = all AC)."""
    if first_failure is None or first_failure is Verdict.AC:
        return FailureClass.SOLVED
    if first_failure is Verdict.IE:
        return FailureClass.INTERNAL
    if first_failure in OPTIMIZATION_VERDICTS:
        return FailureClass.OPTIMIZATION
    return FailureClass.CORRECTNESS
