"""One base for the project's string-valued enums (verdicts, settings, difficulties, modes...).

A member *is* its value: `str(Verdict.AC) == "AC"`, it compares equal to the string, and it
goes into JSON, SQLite and f-strings as the plain word. `enum.StrEnum` does the same on
Python >= 3.11; the project still supports 3.10.
"""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    """A string enum whose `str()` is its value (not `ClassName.MEMBER`)."""

    def __str__(self) -> str:
        return str(self.value)
