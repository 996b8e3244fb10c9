"""Error types shared across capabilities; each capability subclasses ``CredstackError``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, field path) and what was expected."""

    location: str
    message: str
    source: str | None = None

    def __str__(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        where = f"{self.location}: " if self.location else ""
        return f"{prefix}{where}{self.message}"


class CredstackError(Exception):
    """Base of every error credstack raises on purpose."""


class InvalidInput(CredstackError):
    """Input that cannot be accepted; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    def __reduce__(self) -> tuple[type[InvalidInput], tuple[list[Problem]]]:
        # Rebuilt from its problems when it crosses a process boundary (bulk loads).
        return (InvalidInput, (self.problems,))


class NotFound(CredstackError):
    """A thing asked for by id does not exist."""


class Conflict(CredstackError):
    """The request clashes with what is stored (a duplicate id, a forbidden transition)."""


class VersionConflict(Conflict):
    """A write that expected another version of a record than the one stored now."""

    def __init__(self, message: str, *, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(message)
