"""Storing and reading frameworks: import (upsert by URI), list, show, load.

The caller owns the transaction (``Database.unit_of_work``): an import that fails half
way is rolled back whole.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from credstack.accounts import audit
from credstack.accounts.model import Action, Actor, Resource, ResourceKind
from credstack.accounts.policy import require
from credstack.store.tables.taxonomy import CompetencyRow, FrameworkRow, OccupationRow
from credstack.taxonomy.errors import UnknownFramework
from credstack.taxonomy.model import (
    Competency,
    Framework,
    FrameworkInfo,
    OccupationConcept,
    ProficiencyLevel,
    ProficiencyScale,
    parse_type,
)
from credstack.taxonomy.snapshot import load_bundled_esco

BUNDLED = {"esco": load_bundled_esco}


@dataclass(frozen=True)
class ImportResult:
    """What an import changed: concepts added, updated, unchanged and retired."""

    framework_id: str
    version: str
    content_hash: str
    added: int
    updated: int
    unchanged: int
    retired: int
    occupations: int


@dataclass(frozen=True)
class FrameworkSummary:
    """A stored framework's metadata and size."""

    id: str
    name: str
    publisher: str
    version: str
    licence: str
    source_uri: str
    language: str
    kind: str
    content_hash: str
    competency_count: int
    occupation_count: int
    imported_at: datetime | None
    stored: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)


def _competency_values(framework_id: str, competency: Competency) -> dict[str, Any]:
    return {
        "framework_id": framework_id,
        "uri": competency.uri,
        "code": competency.code,
        "preferred_label": competency.preferred_label,
        "alt_labels": list(competency.alt_labels),
        "description": competency.description,
        "type": competency.type.value if competency.type else None,
        "broader": list(competency.broader),
        "collections": list(competency.collections),
        "is_group": competency.is_group,
        "retired": False,
    }


def _occupation_values(framework_id: str, occupation: OccupationConcept) -> dict[str, Any]:
    return {
        "framework_id": framework_id,
        "uri": occupation.uri,
        "code": occupation.code,
        "preferred_label": occupation.preferred_label,
        "alt_labels": list(occupation.alt_labels),
        "description": occupation.description,
        "group_code": occupation.group_code,
        "essential": list(occupation.essential),
        "optional": list(occupation.optional),
        "retired": False,
    }


def require_import(actor: Actor, framework_id: str | None = None) -> None:
    """Refuse ``actor`` unless it may import frameworks (registry admins, the operator);
    callers that parse a large body first may ask before parsing."""
    require(actor, Action.MANAGE_FRAMEWORKS, Resource(ResourceKind.FRAMEWORK, framework_id))


def import_framework(session: Session, *, framework: Framework, actor: Actor,
                     address: str | None = None) -> ImportResult:
    """Store ``framework``; an existing one with the same id is updated in place by URI.

    Registry admins (and the operator) import: frameworks are reference data every
    record's alignments cite."""
    require_import(actor, framework.info.id)
    info = framework.info
    now = datetime.now(UTC)
    row = session.get(FrameworkRow, info.id)
    row_hash = row.content_hash if row is not None else None
    values = {
        "name": info.name,
        "publisher": info.publisher,
        "version": info.version,
        "licence": info.licence,
        "source_uri": info.source_uri,
        "language": info.language,
        "kind": info.kind,
        "content_hash": framework.content_hash,
        "competency_count": sum(1 for c in framework.competencies if not c.is_group),
        "occupation_count": len(framework.occupations),
        "scales": [asdict(scale) for scale in framework.scales],
        "imported_at": now,
    }
    if row is None:
        session.add(FrameworkRow(id=info.id, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.flush()
    added, updated, unchanged, retired = _upsert(
        session,
        CompetencyRow,
        info.id,
        {c.uri: _competency_values(info.id, c) for c in framework.competencies},
    )
    _upsert(
        session,
        OccupationRow,
        info.id,
        {o.uri: _occupation_values(info.id, o) for o in framework.occupations},
    )
    audit.append(
        session, actor=actor, action="framework.import", resource_type="framework",
        resource_id=info.id, before=row_hash, after=framework.content_hash, address=address,
        detail={"version": info.version, "added": added, "updated": updated,
                "retired": retired},
    )
    return ImportResult(
        framework_id=info.id,
        version=info.version,
        content_hash=framework.content_hash,
        added=added,
        updated=updated,
        unchanged=unchanged,
        retired=retired,
        occupations=len(framework.occupations),
    )


def _upsert(
    session: Session,
    table: type[CompetencyRow] | type[OccupationRow],
    framework_id: str,
    wanted: dict[str, dict[str, Any]],
) -> tuple[int, int, int, int]:
    # Keyed by URI so that a concept keeps its identity (and its alignments) across
    # versions; concepts missing from the new version are retired, never deleted.
    columns = [column for column in table.__table__.columns if column.name != "id"]
    existing = {
        found.uri: found
        for found in session.execute(
            select(table.__table__).where(table.__table__.c.framework_id == framework_id)
        )
    }
    inserts = [values for uri, values in wanted.items() if uri not in existing]
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for uri, current in existing.items():
        values = wanted.get(uri)
        if values is None:
            if not current.retired:
                updates.append({"id": current.id, "retired": True})
            continue
        if all(getattr(current, column.name) == values[column.name] for column in columns):
            unchanged += 1
        else:
            updates.append({"id": current.id, **values})
    retired = sum(1 for values in updates if set(values) == {"id", "retired"})
    if inserts:
        session.execute(insert(table), inserts)
    if updates:
        session.execute(update(table), updates)
    return len(inserts), len(updates) - retired, unchanged, retired


def _summary(row: FrameworkRow) -> FrameworkSummary:
    return FrameworkSummary(
        id=row.id,
        name=row.name,
        publisher=row.publisher,
        version=row.version,
        licence=row.licence,
        source_uri=row.source_uri,
        language=row.language,
        kind=row.kind,
        content_hash=row.content_hash,
        competency_count=row.competency_count,
        occupation_count=row.occupation_count,
        imported_at=row.imported_at,
        stored=True,
    )


def _bundled_summary(framework: Framework) -> FrameworkSummary:
    info = framework.info
    return FrameworkSummary(
        id=info.id,
        name=info.name,
        publisher=info.publisher,
        version=info.version,
        licence=info.licence,
        source_uri=info.source_uri,
        language=info.language,
        kind=info.kind,
        content_hash=framework.content_hash,
        competency_count=sum(1 for c in framework.competencies if not c.is_group),
        occupation_count=len(framework.occupations),
        imported_at=None,
        stored=False,
    )


def list_frameworks(session: Session) -> list[FrameworkSummary]:
    """Stored frameworks, plus the shipped ESCO snapshot when ESCO is not imported."""
    found = [
        _summary(row) for row in session.scalars(select(FrameworkRow).order_by(FrameworkRow.id))
    ]
    stored = {summary.id for summary in found}
    for framework_id, loader in BUNDLED.items():
        if framework_id not in stored:
            found.append(_bundled_summary(loader()))
    return sorted(found, key=lambda summary: summary.id)


def get_framework_summary(session: Session, *, framework_id: str) -> FrameworkSummary:
    """One framework's metadata (UnknownFramework when absent)."""
    row = session.get(FrameworkRow, framework_id)
    if row is not None:
        return _summary(row)
    if framework_id in BUNDLED:
        return _bundled_summary(BUNDLED[framework_id]())
    raise UnknownFramework(framework_id, [s.id for s in list_frameworks(session)])


def load_framework(session: Session, *, framework_id: str) -> Framework:
    """The framework's current (non-retired) concepts: stored, else the shipped snapshot."""
    row = session.get(FrameworkRow, framework_id)
    if row is None:
        if framework_id in BUNDLED:
            return BUNDLED[framework_id]()
        raise UnknownFramework(framework_id, [s.id for s in list_frameworks(session)])
    competencies = tuple(
        Competency(
            uri=found.uri,
            preferred_label=found.preferred_label,
            code=found.code,
            alt_labels=tuple(found.alt_labels),
            description=found.description,
            type=parse_type(found.type),
            broader=tuple(found.broader),
            collections=tuple(found.collections),
            is_group=found.is_group,
        )
        for found in session.execute(
            select(CompetencyRow.__table__)
            .where(CompetencyRow.framework_id == framework_id, CompetencyRow.retired.is_(False))
            .order_by(CompetencyRow.id)
        )
    )
    occupations = tuple(
        OccupationConcept(
            uri=found.uri,
            preferred_label=found.preferred_label,
            code=found.code,
            alt_labels=tuple(found.alt_labels),
            description=found.description,
            group_code=found.group_code,
            essential=tuple(found.essential),
            optional=tuple(found.optional),
        )
        for found in session.execute(
            select(OccupationRow.__table__)
            .where(OccupationRow.framework_id == framework_id, OccupationRow.retired.is_(False))
            .order_by(OccupationRow.id)
        )
    )
    info = FrameworkInfo(
        id=row.id,
        name=row.name,
        publisher=row.publisher,
        version=row.version,
        licence=row.licence,
        source_uri=row.source_uri,
        language=row.language,
        kind=row.kind,
    )
    scales = tuple(
        ProficiencyScale(
            id=scale["id"],
            name=scale["name"],
            levels=tuple(ProficiencyLevel(**level) for level in scale["levels"]),
        )
        for scale in row.scales
    )
    return Framework(
        info=info,
        competencies=competencies,
        occupations=occupations,
        scales=scales,
        content_hash=row.content_hash,
    )


def find_competency(session: Session, *, framework_id: str, uri: str) -> Competency | None:
    """A competency (even a retired one) by URI, from the store or the shipped snapshot."""
    found = session.execute(
        select(CompetencyRow).where(
            CompetencyRow.framework_id == framework_id, CompetencyRow.uri == uri
        )
    ).scalar_one_or_none()
    if found is not None:
        return Competency(
            uri=found.uri,
            preferred_label=found.preferred_label,
            code=found.code,
            alt_labels=tuple(found.alt_labels),
            description=found.description,
            type=parse_type(found.type),
        )
    if session.get(FrameworkRow, framework_id) is None:
        return load_framework(session, framework_id=framework_id).competency(uri)
    return None
