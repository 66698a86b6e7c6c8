"""Errors that reach the user as one line.

Every error a user can cause (a bad file, a bad flag, a refused merge) is a
`CodefrontierError` whose message is one full sentence naming the file, field
or row and the fix. The CLI prints it as `error: <message>` and exits with 2,
never with a traceback.
"""


class CodefrontierError(Exception):
    """A user-facing error; `str(err)` is a single line."""


class ProblemFormatError(CodefrontierError):
    """A problem file is malformed (names the file, line and field)."""


class JudgeError(CodefrontierError):
    """The judge cannot run as asked (for example, isolation below the safe minimum)."""


class MergeError(CodefrontierError):
    """A merge was refused before any arithmetic (names the tensors or files)."""


class StoreError(CodefrontierError):
    """A results store is missing, corrupt or from another run."""
