"""Storing frameworks on SQLite and PostgreSQL: import, re-import in place, errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from credstack.accounts.model import Actor
from credstack.store.unit_of_work import Database
from credstack.taxonomy.errors import UnknownFramework
from credstack.taxonomy.importers.custom import read_custom_yaml
from credstack.taxonomy.service import import_framework, list_frameworks, load_framework

OPERATOR = Actor.system("tester")


def test_import_stores_every_competency(database: Database, custom_yaml: Path) -> None:
    framework = read_custom_yaml(custom_yaml)
    with database.unit_of_work() as session:
        result = import_framework(session, framework=framework, actor=OPERATOR)
    assert result.added == 4
    with database.read() as session:
        loaded = load_framework(session, framework_id="acme-data")
    assert loaded.content_hash == framework.content_hash
    assert {c.uri for c in loaded.competencies} == {c.uri for c in framework.competencies}
    assert loaded.scales[-1].id == "acme"


def test_reimport_of_newer_version_updates_in_place_and_retires(
    database: Database, custom_yaml: Path
) -> None:
    first = read_custom_yaml(custom_yaml)
    with database.unit_of_work() as session:
        import_framework(session, framework=first, actor=OPERATOR)
    changed = [
        dataclasses.replace(c, preferred_label="Clean and validate data sets")
        if c.uri.endswith("/clean")
        else c
        for c in first.competencies
        if not c.uri.endswith("/bake")
    ]
    newer = dataclasses.replace(
        first,
        info=dataclasses.replace(first.info, version="2"),
        competencies=tuple(changed),
        content_hash="",
    )
    with database.unit_of_work() as session:
        result = import_framework(session, framework=newer, actor=OPERATOR)
    assert (result.added, result.updated, result.retired) == (0, 1, 1)
    with database.read() as session:
        loaded = load_framework(session, framework_id="acme-data")
    clean = loaded.competency("https://acme.example/c/clean")
    assert clean is not None and clean.preferred_label == "Clean and validate data sets"
    assert loaded.competency("https://acme.example/c/bake") is None
    assert loaded.info.version == "2"


def test_failed_import_writes_nothing(database: Database, custom_yaml: Path) -> None:
    framework = read_custom_yaml(custom_yaml)
    with pytest.raises(RuntimeError), database.unit_of_work() as session:
        import_framework(session, framework=framework, actor=OPERATOR)
        raise RuntimeError("failure after the rows were sent")
    with database.read() as session:
        assert [s.id for s in list_frameworks(session) if s.stored] == []


def test_unknown_framework_names_the_known_ones(database: Database) -> None:
    with database.read() as session, pytest.raises(UnknownFramework, match="known: esco"):
        load_framework(session, framework_id="nope")


def test_lists_shipped_esco_snapshot_before_import(database: Database) -> None:
    with database.read() as session:
        (esco,) = [s for s in list_frameworks(session) if s.id == "esco"]
    assert not esco.stored and esco.competency_count == 13_896 and esco.occupation_count == 3_007
