"""Verdicts and failure classes, as enums (never bare strings).

Per-test verdicts follow docs/design.md ("Vocabulary"). When several apply to one run the
precedence is IE > TLE > MLE > OLE > RE > WA (AC only when nothing failed).
"""

from __future__ import annotations

from codefrontier.enums import StrEnum


class Verdict(StrEnum):
    AC = "AC"  # accepted
    WA = "WA"  # wrong answer
    TLE = "TLE"  # time limit exceeded (CPU time; wall-clock backstop)
    MLE = "MLE"  # memory limit exceeded
    RE = "RE"  # runtime error (non-zero exit, signal)
    OLE = "OLE"  # output limit exceeded
    CE = "CE"  # compilation error (or syntax error for Python)
    IE = "IE"  # internal error of the judge: never the submission's fault


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


class FailureClass(StrEnum):
    SOLVED = "solved"  # all tests AC
    OPTIMIZATION = "optimization"  # first failure is TLE or MLE
    CORRECTNESS = "correctness"  # first failure is WA, RE, OLE, CE, or no code extracted
    INTERNAL = "internal"  # IE: excluded from metrics and retried


# The verdicts of each failure class, in the order reports list them.
OPTIMIZATION_ORDER = (Verdict.TLE, Verdict.MLE)
CORRECTNESS_ORDER = (Verdict.WA, Verdict.RE, Verdict.CE, Verdict.OLE)
OPTIMIZATION_VERDICTS = frozenset(OPTIMIZATION_ORDER)
CORRECTNESS_VERDICTS = frozenset(CORRECTNESS_ORDER)

# The sub class (and verdict-mix label) of a completion from which no code could be extracted:
# a correctness failure, recorded with verdict CE, that never reached the judge.
NOCODE = "NOCODE"


def failure_class(first_failure: Verdict | None) -> FailureClass:
    """Classify a submission by the verdict of its first failing test (None = all AC)."""
    if first_failure is None or first_failure is Verdict.AC:
        return FailureClass.SOLVED
    if first_failure is Verdict.IE:
        return FailureClass.INTERNAL
    if first_failure in OPTIMIZATION_VERDICTS:
        return FailureClass.OPTIMIZATION
    return FailureClass.CORRECTNESS
