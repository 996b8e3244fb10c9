"""Importing record files: validate everything first, then store each file in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput, Problem
from credstack.registry.files import expand_paths, load_records
from credstack.registry.service import save_many
from credstack.store.unit_of_work import Database


@dataclass
class ImportReport:
    """What an import did: files read, records created, updated or unchanged."""

    files: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def read_all(paths: Iterable[Path]) -> list[tuple[Path, list[MicroCredential]]]:
    """Parse and validate every file; all problems of all files, or the records."""
    loaded: list[tuple[Path, list[MicroCredential]]] = []
    problems: list[Problem] = []
    first_seen: dict[str, Path] = {}
    for path in expand_paths(paths):
        try:
            records = load_records(path)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        for record in records:
            if record.id in first_seen:
                problems.append(
                    Problem(
                        "id",
                        f"duplicate id '{record.id}' (also in {first_seen[record.id]})",
                        str(path),
                    )
                )
            first_seen.setdefault(record.id, path)
        loaded.append((path, records))
    if problems:
        raise InvalidInput(problems)
    return loaded


def import_files(
    database: Database,
    paths: Iterable[Path],
    *,
    actor: str,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import record files: nothing is written unless every file is valid.

    Each file is stored in its own transaction, so a failure part-way leaves the
    database as it was before that file.
    """
    report = ImportReport()
    for _, records in _each_file(database, read_all(paths), actor=actor, report=report):
        if progress is not None:
            progress(len(records))
    return report


def _each_file(
    database: Database,
    loaded: list[tuple[Path, list[MicroCredential]]],
    *,
    actor: str,
    report: ImportReport,
) -> Iterable[tuple[Path, list[MicroCredential]]]:
    for path, records in loaded:
        with database.unit_of_work() as session:
            outcome = save_many(session, records=records, actor=actor)
        report.files += 1
        for credential_id, version, changed in outcome:
            if not changed:
                report.unchanged.append(credential_id)
            elif version == 1:
                report.created.append(credential_id)
            else:
                report.updated.append(credential_id)
        yield path, records
