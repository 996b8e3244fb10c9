"""Alignment use cases over the store: suggest for a record or statements, review.

The caller owns the transaction. Reviews save a new version of the record through the
registry service, so decisions are versioned with the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from credstack.accounts import audit
from credstack.accounts.model import Action, Actor, Resource
from credstack.accounts.policy import require
from credstack.align.index import index_for
from credstack.align.noc import NocSuggestion, load_noc, suggest_noc
from credstack.align.occupations import OccupationSuggestion, suggest_occupations
from credstack.align.rank import Suggestion, suggest
from credstack.align.review import RECORD_TARGET, decide, rejected_uris
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import AlignmentStatus
from credstack.errors import InvalidInput, Problem
from credstack.registry import service as registry
from credstack.taxonomy.model import Framework
from credstack.taxonomy.service import find_competency, load_framework


@dataclass(frozen=True)
class OutcomeSuggestions:
    """Suggestions for one learning outcome."""

    outcome_id: str
    statement: str
    suggestions: list[Suggestion]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return {
            "outcome_id": self.outcome_id,
            "statement": self.statement,
            "suggestions": [s.to_dict() for s in self.suggestions],
        }


@dataclass(frozen=True)
class RecordSuggestions:
    """Suggestions for every outcome of a record, and for the record as a whole."""

    credential_id: str
    framework_id: str
    outcomes: list[OutcomeSuggestions]
    occupations: list[OccupationSuggestion] = field(default_factory=list)
    # NOC 2021 unit groups; None (and no key in the JSON) when NOC is not imported.
    noc_occupations: list[NocSuggestion] | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields (the shape of ``align ID --json``)."""
        shape: dict[str, object] = {
            "credential_id": self.credential_id,
            "framework": self.framework_id,
            "outcomes": [o.to_dict() for o in self.outcomes],
            "occupations": [o.to_dict() for o in self.occupations],
        }
        if self.noc_occupations is not None:
            shape["noc_occupations"] = [o.to_dict() for o in self.noc_occupations]
        return shape


def suggest_statements(
    session: Session,
    *,
    actor: Actor,
    statements: Sequence[str],
    framework_id: str = "esco",
    top: int = 5,
) -> list[list[Suggestion]]:
    """The top competencies of ``framework_id`` for each statement (signed-in users)."""
    require(actor, Action.SUGGEST_ALIGNMENTS, Resource.registry())
    framework = _with_competencies(load_framework(session, framework_id=framework_id))
    return suggest(index_for(framework), list(statements), top)


def suggest_for_record(
    session: Session, *, record: MicroCredential, framework_id: str = "esco", top: int = 5
) -> RecordSuggestions:
    """Suggestions for each outcome of ``record`` (rejected ones left out) and occupations."""
    if not record.learning_outcomes:
        raise InvalidInput(
            [Problem("learning_outcomes", "the record has no learning outcome to align", record.id)]
        )
    framework = _with_competencies(load_framework(session, framework_id=framework_id))
    index = index_for(framework)
    statements = [outcome.statement for outcome in record.learning_outcomes]
    # Ask for more than ``top`` so that removing rejected ones still leaves ``top``.
    extra = max((len(rejected_uris(record, o.id)) for o in record.learning_outcomes), default=0)
    ranked = suggest(index, statements, top + extra)
    outcomes = []
    for outcome, suggestions in zip(record.learning_outcomes, ranked, strict=True):
        rejected = rejected_uris(record, outcome.id)
        kept = [s for s in suggestions if s.competency.uri not in rejected][:top]
        outcomes.append(OutcomeSuggestions(outcome.id, outcome.statement, kept))
    occupations = _occupations(framework, record, [o.suggestions for o in outcomes], top)
    noc = load_noc(session)
    noc_occupations = None if noc is None else suggest_noc(noc, record, top)
    return RecordSuggestions(record.id, framework_id, outcomes, occupations, noc_occupations)


def _with_competencies(framework: Framework) -> Framework:
    # An occupations-only framework (NOC 2021) has nothing to align outcomes to; its
    # occupations are suggested beside another framework's competencies.
    if not any(not c.is_group for c in framework.competencies):
        raise InvalidInput(
            [
                Problem(
                    "framework",
                    f"framework '{framework.info.id}' has no competencies to align outcomes "
                    "to (its occupations are suggested with `align ID`)",
                    None,
                )
            ]
        )
    return framework


def _occupations(
    framework: Framework,
    record: MicroCredential,
    suggestions: list[list[Suggestion]],
    top: int,
) -> list[OccupationSuggestion]:
    # Occupations come with the framework (ESCO); a framework without any gets none.
    if not framework.occupations:
        return []
    title = f"{record.title}. {record.description.summary}"
    return suggest_occupations(framework, suggestions, title=title, k=top)


def review(
    session: Session,
    *,
    actor: Actor,
    credential_id: str,
    outcome_id: str,
    framework_id: str,
    uri: str,
    status: AlignmentStatus,
    reviewer: str | None = None,
    proficiency_level: str | None = None,
    score: float | None = None,
    address: str | None = None,
) -> registry.StoredCredential:
    """Record a review decision on a record and save it as a new version.

    Editors and org admins of the record's provider decide (a record they may not see
    is "not found"); the decision names ``reviewer`` (default: the actor's label).
    """
    from credstack.registry import records  # the registry's policy-checked operations

    stored = registry.get_record(session, credential_id=credential_id)
    require(actor, Action.ALIGN_RECORD, records.resource_of(stored))
    competency = find_competency(session, framework_id=framework_id, uri=uri)
    if competency is None:
        raise InvalidInput(
            [Problem("uri", f"'{uri}' is not a competency of framework '{framework_id}'", None)]
        )
    updated = decide(
        stored.record,
        outcome_id=outcome_id,
        framework_id=framework_id,
        competency=competency,
        status=status,
        reviewer=actor.label if reviewer is None else reviewer,
        proficiency_level=proficiency_level,
        score=score,
    )
    saved = registry.save(session, record=updated, actor=actor.label)
    if saved.version != stored.version:
        audit.append(
            session, actor=actor, action="record.align", resource_type="record",
            resource_id=credential_id, organization_id=stored.record.provider.issuer.id,
            before=stored.version, after=saved.version, address=address,
            detail={"outcome": outcome_id, "framework": framework_id, "uri": uri,
                    "status": status.value},
        )
    return saved


__all__ = [
    "RECORD_TARGET",
    "OutcomeSuggestions",
    "RecordSuggestions",
    "review",
    "suggest_for_record",
    "suggest_statements",
]
