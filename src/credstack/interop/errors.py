"""Errors of the interop capability."""

from __future__ import annotations

from credstack.errors import CredstackError, InvalidInput, Problem

__all__ = ["InteropError", "InvalidInput", "Problem", "SchemaViolation"]


class InteropError(CredstackError):
    """Base of errors raised by the interop capability."""


class SchemaViolation(InteropError):
    """A document we wrote does not validate against the published schema."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
