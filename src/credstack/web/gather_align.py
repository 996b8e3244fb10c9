"""What the alignment review page needs from the align and taxonomy capabilities."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from credstack.accounts.model import Actor
from credstack.align import service as align
from credstack.align.review import RECORD_TARGET
from credstack.domain.vocabulary import AlignmentStatus
from credstack.errors import CredstackError, InvalidInput, Problem
from credstack.registry import service as registry
from credstack.taxonomy.service import list_frameworks
from credstack.web import align_view

DEFAULT_FRAMEWORK = "esco"
DEFAULT_TOP = 5
MAX_TOP = 20
DECISIONS = {"accepted": AlignmentStatus.ACCEPTED, "rejected": AlignmentStatus.REJECTED,
             "manual": AlignmentStatus.MANUAL}


def parse_top(raw: str | None) -> int:
    """How many suggestions per outcome (1 to 20; default 5)."""
    if raw and raw.isascii() and raw.isdigit():
        return min(max(int(raw), 1), MAX_TOP)
    return DEFAULT_TOP


def review_context(session: Session, credential_id: str, *, framework_id: str,
                   top: int) -> dict[str, Any]:
    """The review page: each outcome's decisions and fresh suggestions, and occupations.

    NotFound for an unknown record; a framework that cannot be used is a message.
    """
    stored = registry.get_record(session, credential_id=credential_id)
    problem = None
    suggestions = None
    try:
        if stored.record.learning_outcomes:
            suggestions = align.suggest_for_record(session, record=stored.record,
                                                   framework_id=framework_id, top=top)
    except CredstackError as error:
        problem = str(error)
    return {
        "stored": stored,
        "record": stored.record,
        "framework_id": framework_id,
        "frameworks": [(f.id, f.name) for f in list_frameworks(session)],
        "top": top,
        "outcomes": align_view.outcome_reviews(stored.record, suggestions),
        "record_decisions": align_view.record_decisions(stored.record),
        "occupations": [align_view.occupation_row(o) for o in
                        (suggestions.occupations if suggestions else [])],
        "levels": align_view.proficiency_choices(),
        "record_target": RECORD_TARGET,
        "problem": problem,
        "problems": [],
        "reviewed": None,
    }


def apply_decision(session: Session, actor: Actor, credential_id: str, form: dict[str, str],
                   address: str | None = None) -> str:
    """Record one review decision from the form; returns the outcome id it concerned.

    The align service validates the competency, outcome, level and reviewer, and saves
    the record as a new version (so every decision is versioned with who and when).
    """
    decision = DECISIONS.get(form.get("decision", ""))
    if decision is None:
        raise InvalidInput([Problem("decision", "expected accepted, rejected or manual")])
    score = form.get("score", "")
    try:
        score_value = float(score) if score else None
    except ValueError:
        score_value = None
    outcome_id = form.get("outcome", "")
    align.review(
        session,
        actor=actor,
        address=address,
        credential_id=credential_id,
        outcome_id=outcome_id,
        framework_id=form.get("framework", ""),
        uri=form.get("uri", "").strip(),
        status=decision,
        reviewer=form.get("reviewer", ""),
        proficiency_level=form.get("proficiency_level") or None,
        score=score_value,
    )
    return outcome_id
