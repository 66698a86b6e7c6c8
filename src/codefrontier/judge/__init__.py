"""The judge: sandboxed runs of untrusted solutions with per-test verdicts."""

from codefrontier.judge.outcome import FirstFailure, Lang, Outcome, TestResult

__all__ = ["FirstFailure", "Lang", "Outcome", "TestResult"]
