"""Errors of the assessment capability."""

from __future__ import annotations

from credstack.errors import Conflict, CredstackError


class AssessError(CredstackError):
    """Base of the errors the assessment capability raises on purpose."""


class NotCompetent(AssessError, Conflict):
    """A badge was asked for an assessment whose decision is not (yet) competent."""
