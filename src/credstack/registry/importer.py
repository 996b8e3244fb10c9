"""Importing record files: validate everything first, then store each file in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput, Problem
from credstack.registry.files import expand_named, other_kind, read_data, records_in
from credstack.registry.service import save_many
from credstack.store.unit_of_work import Database


@dataclass
class ImportReport:
    """What an import did: files read, records created, updated or unchanged."""

    files: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def read_all(
    paths: Iterable[Path], *, skipped: list[Problem] | None = None
) -> list[tuple[Path, list[MicroCredential]]]:
    """Parse and validate every file; all problems of all files, or the records.

    A rubric or assessment record found in a folder is passed by, with a note added
    to ``skipped`` naming the command that reads it; named on its own, it is an error.
    """
    loaded: list[tuple[Path, list[MicroCredential]]] = []
    problems: list[Problem] = []
    first_seen: dict[str, Path] = {}
    for path, named in expand_named(paths):
        try:
            data = read_data(path)
            kind = other_kind(data)
            if kind is None:
                records = records_in(data, source=str(path))
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        if kind is not None:
            what, command = kind
            message = f"{what}, not a micro-credential: use `credstack {command} {path}`"
            if named:
                problems.append(Problem("", message, str(path)))
            elif skipped is not None:
                skipped.append(Problem("", f"skipped {message}", str(path)))
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
    loaded = read_all(paths, skipped=report.skipped)
    for _, records in _each_file(database, loaded, actor=actor, report=report):
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
