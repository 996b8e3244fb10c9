"""Interop use cases: export records as CTDL / ELM / schema.org, import CTDL, ELM and CSV.

Functions take the session (or the database, for imports that commit per batch) as a
keyword. Writes go through the registry's service, so an imported record is checked and
stored exactly as a YAML record is; the caller's unit of work owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from credstack.accounts.model import Actor
from credstack.config import public_base_url
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.errors import InvalidInput, Problem
from credstack.interop.csv_catalogue import Column, Row, check_rows, read_rows, rejects_csv
from credstack.interop.ctdl import to_ctdl
from credstack.interop.ctdl_import import Defaults, read_documents
from credstack.interop.ctdl_schema import validate_graph
from credstack.interop.elm import elm_achievement, elm_document
from credstack.interop.elm_import import read_elm
from credstack.interop.errors import SchemaViolation
from credstack.interop.files import write_json
from credstack.interop.report import Reading
from credstack.registry import records as registry_records
from credstack.registry import service as registry

FORMATS = ("ctdl", "elm")


def ctdl_document(record: MicroCredential, *, base_url: str | None = None) -> dict[str, Any]:
    """The record as a CTDL graph, checked against the registry's schemas before it leaves."""
    document = to_ctdl(record, base_url=base_url or public_base_url())
    problems = validate_graph(document, source=f"ctdl export of {record.id}")
    if problems:
        raise SchemaViolation(problems)
    return document


def export_record(
    session: Session,
    *,
    actor: Actor,
    credential_id: str,
    fmt: str,
    version: int | None = None,
    base_url: str | None = None,
) -> dict[str, Any]:
    """One stored record that ``actor`` may see, in ``fmt`` (``ctdl`` or ``elm``)."""
    stored = registry_records.read_record(
        session, actor=actor, credential_id=credential_id, version=version
    )
    return render(stored.record, fmt=fmt, base_url=base_url)


def render(record: MicroCredential, *, fmt: str, base_url: str | None = None) -> dict[str, Any]:
    """``record`` in an interop format, validated."""
    if fmt == "ctdl":
        return ctdl_document(record, base_url=base_url)
    if fmt == "elm":
        return elm_document(record, base_url=base_url or public_base_url())
    raise InvalidInput([Problem("--format", f"expected one of {', '.join(FORMATS)}, got '{fmt}'")])


def iter_exports(
    session: Session, *, fmt: str, status: LifecycleStatus | None, base_url: str | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, document) for every record of ``status`` (None: all), in id order."""
    for stored in registry.iter_records(session, status=status):
        yield stored.record.id, render(stored.record, fmt=fmt, base_url=base_url)


def export_all(
    session: Session,
    *,
    directory: Path,
    fmt: str,
    status: LifecycleStatus | None = LifecycleStatus.PUBLISHED,
    base_url: str | None = None,
) -> list[str]:
    """Write ``<id>.json`` per record into ``directory``; returns the ids written."""
    written = []
    for credential_id, document in iter_exports(session, fmt=fmt, status=status, base_url=base_url):
        write_json(directory / f"{credential_id}.json", document)
        written.append(credential_id)
    return written


@dataclass
class ImportOutcome:
    """What an import read and stored: the per-record report and the ids written."""

    reading: Reading
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The JSON shape of ``interop ctdl import --json``."""
        return {
            "records": [item.summary() for item in self.reading.records],
            "not_imported": self.reading.not_imported,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def store(
    session: Session,
    *,
    records: list[MicroCredential],
    actor: Actor,
    outcome: ImportOutcome | CsvOutcome,
    dry_run: bool = False,
    address: str | None = None,
) -> None:
    """Store imported records as drafts (new) or new versions, noting what happened.

    ``actor`` must be allowed to write every record (``registry.records.authorize_import``)
    or nothing is stored; a dry run asks the same question and stores nothing."""
    if dry_run:
        registry_records.authorize_import(session, actor=actor, records=records)
        return
    for credential_id, version, changed in registry_records.save_imported(
        session, actor=actor, records=records, address=address
    ):
        if not changed:
            outcome.unchanged.append(credential_id)
        elif version == 1:
            outcome.created.append(credential_id)
        else:
            outcome.updated.append(credential_id)


def import_ctdl(
    session: Session,
    *,
    documents: list[tuple[str, Any]],
    actor: Actor,
    defaults: Defaults,
    dry_run: bool = False,
    skip_invalid: bool = False,
    address: str | None = None,
) -> ImportOutcome:
    """Import CTDL documents: every record valid, or InvalidInput and nothing written.

    With ``skip_invalid`` the valid records are stored and the others only reported.
    """
    return _import_reading(
        session,
        read_documents(documents, defaults),
        actor=actor,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        address=address,
    )


def import_elm(
    session: Session,
    *,
    documents: list[tuple[str, Any]],
    actor: Actor,
    dry_run: bool = False,
    skip_invalid: bool = False,
    address: str | None = None,
) -> ImportOutcome:
    """Import ELM learning opportunities as drafts, as ``import_ctdl`` does CTDL."""
    return _import_reading(
        session, read_elm(documents), actor=actor, dry_run=dry_run,
        skip_invalid=skip_invalid, address=address,
    )


def _import_reading(
    session: Session, reading: Reading, *, actor: Actor, dry_run: bool, skip_invalid: bool,
    address: str | None,
) -> ImportOutcome:
    if reading.problems and not skip_invalid:
        raise InvalidInput(reading.problems)
    outcome = ImportOutcome(reading=reading)
    records = [item.record for item in reading.records if item.record is not None]
    store(session, records=records, actor=actor, outcome=outcome, dry_run=dry_run,
          address=address)
    return outcome


def elm_achievement_document(
    session: Session, *, badge_id: str, actor: Actor
) -> dict[str, Any]:
    """An issued badge's achievement as an ELM ``LearningAchievement``, for those who may
    read the badge."""
    from credstack.badges.service import get_badge

    badge = get_badge(session, badge_id=badge_id, actor=actor)
    stored = registry.get_record(
        session, credential_id=badge.credential_id, version=badge.credential_version
    )
    subject = badge.document.get("credentialSubject", {})
    achievement = subject.get("achievement", {}) if isinstance(subject, dict) else {}
    name = achievement.get("name") if isinstance(achievement, dict) else None
    return elm_achievement(
        badge_id=badge.id,
        achievement_name=str(name or stored.record.title),
        issued_at=badge.issued_at,
        record=stored.record,
    )


@dataclass
class CsvOutcome:
    """What a CSV import checked and stored, and the rows it rejected."""

    rows: int = 0
    rejected: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejects: str | None = None

    def summary(self) -> dict[str, Any]:
        """The JSON shape of a CSV import's report."""
        return {
            "rows": self.rows,
            "rejected": self.rejected,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problems": [{"location": p.location, "message": p.message} for p in self.problems],
            "rejects_csv": self.rejects,
        }


def check_csv(text: str, *, source: str) -> tuple[list[Column], list[Row]]:
    """Parse and validate a CSV catalogue; rows carry their record or problems."""
    columns, rows = read_rows(text, source=source)
    check_rows(columns, rows, source=source)
    return columns, rows


def import_csv(
    session: Session,
    *,
    text: str,
    source: str,
    actor: Actor,
    skip_invalid: bool = False,
    dry_run: bool = False,
    address: str | None = None,
) -> CsvOutcome:
    """Import a CSV catalogue: every row valid, or InvalidInput listing every problem and
    nothing written; with ``skip_invalid`` the good rows are stored and the others
    returned as a CSV (``rejects``) with an ``errors`` column, ready to fix and re-import."""
    columns, rows = check_csv(text, source=source)
    outcome = CsvOutcome(rows=len(rows))
    outcome.problems = [problem for row in rows for problem in row.problems]
    if outcome.problems and not skip_invalid:
        raise InvalidInput(outcome.problems)
    if outcome.problems:
        outcome.rejects = rejects_csv(columns, rows)
        outcome.rejected = sum(1 for row in rows if row.problems)
    records = [row.record for row in rows if row.record is not None and not row.problems]
    if records:
        store(session, records=records, actor=actor, outcome=outcome, dry_run=dry_run,
              address=address)
    return outcome
