"""The registry's operations as an actor does them: each asks the policy once, then works.

The routes, the portal and the CLI call these with the actor of the request (the CLI
with the operator); the functions of ``registry.service`` below them do not ask.

- Reading: a record of any status is visible to its organization's staff and to the
  registry's reviewers and admins; everyone else sees published and retired records
  only, and a hidden record is "not found" (``accounts.policy``).
- Writing: editors and org admins of the record's provider create records and new
  versions and submit them; the reviewer approves (publishes through the quality gate)
  or returns to draft with comments; org admins and registry admins retire.
- Every version records its author (the actor's label), and every change writes an
  audit entry with the versions before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credstack.accounts import audit
from credstack.accounts.model import Action, Actor, ActorKind, Resource, ResourceKind
from credstack.accounts.policy import STAFF, decide, require
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus as Status
from credstack.errors import Conflict, InvalidInput, Problem
from credstack.registry import service
from credstack.registry.lifecycle import Gate
from credstack.registry.query import SearchRequest
from credstack.registry.search import SearchResult, search
from credstack.registry.service import StoredCredential, VersionInfo
from credstack.store.tables.registry import CredentialRow

MAX_COMMENTS = 5000


def resource_of(stored: StoredCredential) -> Resource:
    """What the policy knows of a stored record: its id, provider and status."""
    return Resource(
        ResourceKind.RECORD,
        stored.record.id,
        organization_id=stored.record.provider.issuer.id,
        status=stored.status.value,
    )


def may(actor: Actor, action: Action, stored: StoredCredential) -> bool:
    """Whether ``actor`` may do ``action`` on ``stored`` (for pages that offer buttons)."""
    return decide(actor, action, resource_of(stored)).allowed


# The moves a record's page offers as buttons, from the status they start at.
PAGE_MOVES = {Status.DRAFT: Status.SUBMITTED, Status.PUBLISHED: Status.RETIRED}


def page_moves(actor: Actor, stored: StoredCredential) -> list[Status]:
    """The lifecycle moves the record's page offers ``actor`` (submit a draft for review,
    retire a published record): those the policy allows, on the current version."""
    target = PAGE_MOVES.get(stored.status)
    if target is None or stored.version != stored.current_version:
        return []
    return [target] if may(actor, _action_for(stored.status, target), stored) else []


def visible_providers(actor: Actor) -> frozenset[str] | None:
    """The providers whose unpublished records ``actor`` may find (None: every one)."""
    if decide(actor, Action.READ_REVIEW_QUEUE, Resource.registry()).allowed:
        return None
    return frozenset(org for org, roles in actor.org_roles.items() if roles & STAFF)


def search_records(session: Session, *, actor: Actor, request: SearchRequest) -> SearchResult:
    """``request`` run for ``actor``: records it may not see count nowhere."""
    require(actor, Action.SEARCH_RECORDS, Resource.registry())
    return search(session, replace(request, visible_providers=visible_providers(actor)))


def list_providers(session: Session, *, actor: Actor) -> list[dict[str, Any]]:
    """Every provider with the number of its records that ``actor`` may see."""
    require(actor, Action.READ_PROVIDERS, Resource.registry())
    return service.list_providers(session, visible_providers=visible_providers(actor))


def read_record(
    session: Session, *, actor: Actor, credential_id: str, version: int | None = None
) -> StoredCredential:
    """A record (current version unless ``version``) that ``actor`` may see."""
    current = service.get_record(session, credential_id=credential_id)
    require(actor, Action.READ_RECORD, resource_of(current))
    if version is None or version == current.version:
        return current
    return service.get_record(session, credential_id=credential_id, version=version)


def read_versions(session: Session, *, actor: Actor, credential_id: str) -> list[VersionInfo]:
    """Every version of a record ``actor`` may see, oldest first, with its author."""
    read_record(session, actor=actor, credential_id=credential_id)
    return service.list_versions(session, credential_id=credential_id)


@dataclass(frozen=True)
class ReturnedComments:
    """The reviewer's comments on the latest return of a record to draft."""

    by: str
    at: datetime
    comments: str

    def to_dict(self) -> dict[str, Any]:
        """The API shape."""
        return {"by": self.by, "at": self.at.isoformat(), "comments": self.comments}


def _is_return(event: dict[str, Any]) -> bool:
    return bool(event["from"] == Status.SUBMITTED.value and event["to"] == Status.DRAFT.value)


def read_history(
    session: Session, *, actor: Actor, credential_id: str
) -> tuple[StoredCredential, list[dict[str, Any]]]:
    """A visible record and its lifecycle history; the notes of returns (the reviewer's
    comments) only for its organization's staff and the registry's reviewers."""
    stored = read_record(session, actor=actor, credential_id=credential_id)
    history = service.status_history(session, credential_id=credential_id)
    if not may_read_comments(actor, stored):
        history = [{**event, "note": None} if _is_return(event) else event for event in history]
    return stored, history


def may_read_comments(actor: Actor, stored: StoredCredential) -> bool:
    """Review comments are for the record's organization's staff and the reviewers."""
    return actor.kind is ActorKind.SYSTEM or bool(
        visible_providers(actor) is None
        or actor.holds(stored.record.provider.issuer.id, STAFF)
    )


def returned_comments(
    session: Session, *, actor: Actor, stored: StoredCredential
) -> ReturnedComments | None:
    """The comments of the record's latest return to draft, while it is still a draft,
    for those who may read them (None otherwise)."""
    if stored.status is not Status.DRAFT or not may_read_comments(actor, stored):
        return None
    history = service.status_history(session, credential_id=stored.record.id)
    if not history or not _is_return(history[-1]):
        return None
    last = history[-1]
    return ReturnedComments(by=last["actor"], at=last["at"], comments=last["note"] or "")


def _audit(session: Session, actor: Actor, action: str, stored: StoredCredential,
           address: str | None, *, before: int | str | None, after: int | str | None,
           detail: dict[str, Any] | None = None) -> None:
    audit.append(
        session, actor=actor, action=action, resource_type="record",
        resource_id=stored.record.id, organization_id=stored.record.provider.issuer.id,
        before=before, after=after, address=address, detail=detail,
    )


def create(
    session: Session, *, actor: Actor, record: MicroCredential, address: str | None = None
) -> StoredCredential:
    """Store a new record as a draft at version 1 (Conflict if the id exists)."""
    require(actor, Action.CREATE_RECORD, Resource(
        ResourceKind.RECORD, record.id, organization_id=record.provider.issuer.id))
    stored = service.create_record(session, record=record, actor=actor.label)
    _audit(session, actor, "record.create", stored, address, before=None, after=stored.version)
    return stored


def new_version(
    session: Session,
    *,
    actor: Actor,
    record: MicroCredential,
    if_version: int | None = None,
    address: str | None = None,
) -> StoredCredential:
    """Store a new version of a record ``actor`` may edit (unchanged content adds none).

    A version that names another provider also needs the right to write that provider's
    records: an editor cannot hand a record to, or take one from, another organization.
    """
    current = service.get_record(session, credential_id=record.id)
    require(actor, Action.EDIT_RECORD, resource_of(current))
    if record.provider.issuer.id != current.record.provider.issuer.id:
        require(actor, Action.CREATE_RECORD, Resource(
            ResourceKind.RECORD, record.id, organization_id=record.provider.issuer.id))
    stored = service.update_record(
        session, record=record, actor=actor.label, if_version=if_version
    )
    if stored.version == current.version:
        return stored
    _audit(session, actor, "record.version", stored, address,
           before=current.version, after=stored.version)
    if current.status in (Status.PUBLISHED, Status.RETIRED) and actor.kind is ActorKind.USER:
        stored = _back_to_review(session, actor, stored, address)
    return stored


def _back_to_review(
    session: Session, actor: Actor, stored: StoredCredential, address: str | None
) -> StoredCredential:
    """A user's new version of a public record is not public until a reviewer approves it:
    the record is withdrawn (to draft) and submitted for review in the same transaction.
    The registry keeps one status per record, so the earlier version is not served
    meanwhile."""
    note = f"version {stored.version} changes a {stored.status.value} record; awaiting review"
    before = stored.status.value
    for target in (Status.DRAFT, Status.SUBMITTED):
        stored = service.transition(
            session, credential_id=stored.record.id, target=target, actor=actor.label,
            note=note,
        )
    _audit(session, actor, "record.resubmit", stored, address, before=before,
           after=stored.status.value, detail={"version": stored.version})
    return stored


def _action_for(current: Status, target: Status) -> Action:
    """The policy action a lifecycle move is: submitting, approving, returning, retiring.

    Taking a published or retired record back to draft withdraws it from the public:
    it needs the right to retire, not just to edit.
    """
    if target is Status.SUBMITTED:
        return Action.SUBMIT_RECORD
    if target is Status.PUBLISHED:
        return Action.APPROVE_RECORD
    if target is Status.DRAFT and current is Status.SUBMITTED:
        return Action.RETURN_RECORD
    return Action.RETIRE_RECORD


def move(
    session: Session,
    *,
    actor: Actor,
    credential_id: str,
    target: Status,
    note: str | None = None,
    publish_gate: Gate | None = None,
    standard: str = "",
    address: str | None = None,
) -> StoredCredential:
    """Move a record through the lifecycle as ``actor`` may (publishing through the
    quality gate: ``PublishBlocked`` lists its failing rules)."""
    current = service.get_record(session, credential_id=credential_id)
    action = _action_for(current.status, target)
    require(actor, action, resource_of(current))
    if action is Action.RETURN_RECORD and not (note or "").strip():
        raise InvalidInput([Problem("comments", "say what the editors should change")])
    if note is not None and len(note) > MAX_COMMENTS:
        raise InvalidInput([Problem("comments", f"must be at most {MAX_COMMENTS} characters")])
    stored = service.transition(
        session, credential_id=credential_id, target=target, actor=actor.label, note=note,
        publish_gate=publish_gate, standard=standard,
    )
    _audit(session, actor, f"record.{action.value.removesuffix('_record')}", stored, address,
           before=current.status.value, after=stored.status.value,
           detail={"version": stored.version, **({"comments": note} if note else {})})
    return stored


@dataclass(frozen=True)
class QueueItem:
    """A submitted record with the result of the registry's publishing standard."""

    stored: StoredCredential
    standard: str
    failures: list[dict[str, str]]

    def to_dict(self) -> dict[str, Any]:
        """The API and ``--json`` shape."""
        return {
            **self.stored.summary(),
            "submitted_version": self.stored.version,
            "author": self.stored.version_created_by,
            "compliance": {
                "standard": self.standard,
                "compliant": not self.failures,
                "failures": self.failures,
            },
        }


def review_queue(
    session: Session, *, actor: Actor, gate: Gate, standard: str
) -> list[QueueItem]:
    """The submitted records, oldest change first, each checked against ``standard``."""
    require(actor, Action.READ_REVIEW_QUEUE, Resource.registry())
    ids = session.scalars(
        select(CredentialRow.id)
        .where(CredentialRow.status == Status.SUBMITTED.value)
        .order_by(CredentialRow.updated_at, CredentialRow.id)
    ).all()
    return [
        QueueItem(stored, standard, gate(stored.record))
        for stored in service.get_many(session, credential_ids=list(ids))
    ]


def review(
    session: Session,
    *,
    actor: Actor,
    credential_id: str,
    approve: bool,
    comments: str | None,
    gate: Gate,
    standard: str,
    address: str | None = None,
) -> StoredCredential:
    """The reviewer's decision on a submitted record: publish it, or return it to draft
    with comments for its editors."""
    current = service.get_record(session, credential_id=credential_id)
    require(actor, Action.APPROVE_RECORD if approve else Action.RETURN_RECORD,
            resource_of(current))
    if current.status is not Status.SUBMITTED:
        raise Conflict(f"'{credential_id}' is {current.status.value}, not submitted for review")
    return move(
        session, actor=actor, credential_id=credential_id,
        target=Status.PUBLISHED if approve else Status.DRAFT, note=comments,
        publish_gate=gate, standard=standard, address=address,
    )



def authorize_import(
    session: Session, *, actor: Actor, records: list[MicroCredential]
) -> None:
    """Refuse a bulk import unless ``actor`` may write every one of ``records``.

    A registry admin (``IMPORT_RECORDS``) may load any provider's records; anyone else
    needs, per record, the right to create records for its provider and, for an id that
    exists, the right to edit that record (a hidden one stays "not found"). The first
    refusal raises, before anything is written.
    """
    if decide(actor, Action.IMPORT_RECORDS, Resource.registry()).allowed:
        return
    existing = {
        stored.record.id: stored
        for stored in service.get_many(session, credential_ids=[r.id for r in records])
    }
    for record in records:
        current = existing.get(record.id)
        if current is not None:
            require(actor, Action.EDIT_RECORD, resource_of(current))
        require(actor, Action.CREATE_RECORD, Resource(
            ResourceKind.RECORD, record.id, organization_id=record.provider.issuer.id))


def may_import(actor: Actor) -> bool:
    """Whether ``actor`` may import records of some provider (for pages that offer the
    upload): a registry admin, or a user allowed to create one of their organizations'
    records."""
    if decide(actor, Action.IMPORT_RECORDS, Resource.registry()).allowed:
        return True
    return any(
        decide(actor, Action.CREATE_RECORD,
               Resource(ResourceKind.RECORD, None, organization_id=org)).allowed
        for org in actor.org_roles
    )


def save_imported(
    session: Session,
    *,
    actor: Actor,
    records: list[MicroCredential],
    address: str | None = None,
) -> list[tuple[str, int, bool]]:
    """Store imported records as drafts or new versions, once ``actor`` may write them
    all; each new version is authored by the actor and audited. Returns (id, version,
    changed) per record, as ``registry.service.save_many``."""
    authorize_import(session, actor=actor, records=records)
    saved = service.save_many(session, records=records, actor=actor.label)
    by_id = {record.id: record for record in records}
    for credential_id, version, changed in saved:
        if not changed:
            continue
        audit.append(
            session, actor=actor, action="record.import", resource_type="record",
            resource_id=credential_id,
            organization_id=by_id[credential_id].provider.issuer.id,
            before=version - 1 if version > 1 else None, after=version, address=address,
        )
    return saved
