"""Importing files: all or nothing on bad input; a crash leaves earlier files stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from credstack.errors import InvalidInput
from credstack.registry import importer, service
from credstack.registry.importer import import_files, read_all
from credstack.store.unit_of_work import Database

MakeDocument = Callable[..., dict[str, Any]]
WriteFile = Callable[[str, str], Path]


def _yaml(document: Any) -> str:
    return yaml.safe_dump(document, sort_keys=False)


def _stored_ids(database: Database) -> list[str]:
    with database.read() as session:
        return [stored.record.id for stored in service.iter_records(session)]


def test_imports_every_file_of_a_folder(
    database: Database, make_document: MakeDocument, write_file: WriteFile
) -> None:
    write_file("a.yaml", _yaml(make_document("alpha")))
    path = write_file("sub/b.json", json.dumps(make_document("bravo"), default=str))
    report = import_files(database, [path.parent.parent], actor="tester")
    assert (report.files, report.created) == (2, ["alpha", "bravo"])
    assert _stored_ids(database) == ["alpha", "bravo"]


def test_report_tells_created_updated_and_unchanged(
    database: Database, make_document: MakeDocument, write_file: WriteFile
) -> None:
    first = write_file("a.yaml", _yaml([make_document("alpha"), make_document("bravo")]))
    import_files(database, [first], actor="tester")
    again = write_file(
        "a.yaml", _yaml([make_document("alpha"), make_document("bravo", title="New")])
    )
    report = import_files(database, [again], actor="tester")
    assert (report.created, report.updated, report.unchanged) == ([], ["bravo"], ["alpha"])


def test_one_bad_file_among_good_ones_writes_nothing(
    database: Database, make_document: MakeDocument, write_file: WriteFile
) -> None:
    good = write_file("a.yaml", _yaml(make_document("alpha")))
    bad = write_file("b.yaml", _yaml(make_document("bravo", title="")))
    later = write_file("c.yaml", _yaml(make_document("charlie")))
    with pytest.raises(InvalidInput) as caught:
        import_files(database, [good, bad, later], actor="tester")
    assert [(p.source, p.location) for p in caught.value.problems] == [(str(bad), "title")]
    assert _stored_ids(database) == []


def test_problems_of_every_file_are_reported_together(
    make_document: MakeDocument, write_file: WriteFile
) -> None:
    first = write_file("a.yaml", _yaml(make_document("alpha", title="")))
    second = write_file("b.json", "{ not json")
    with pytest.raises(InvalidInput) as caught:
        read_all([first, second])
    assert {problem.source for problem in caught.value.problems} == {str(first), str(second)}


def test_duplicate_id_across_two_files_names_both_files(
    database: Database, make_document: MakeDocument, write_file: WriteFile
) -> None:
    first = write_file("a.yaml", _yaml(make_document("alpha")))
    second = write_file("b.yaml", _yaml(make_document("alpha", title="Other")))
    with pytest.raises(InvalidInput) as caught:
        import_files(database, [first, second], actor="tester")
    (problem,) = caught.value.problems
    assert problem.source == str(second)
    assert str(first) in problem.message
    assert "duplicate id 'alpha'" in problem.message
    assert _stored_ids(database) == []


def test_missing_path_is_reported_and_nothing_written(
    database: Database, make_document: MakeDocument, write_file: WriteFile, tmp_path: Path
) -> None:
    good = write_file("a.yaml", _yaml(make_document("alpha")))
    with pytest.raises(InvalidInput, match="no such file or folder"):
        import_files(database, [good, tmp_path / "absent.yaml"], actor="tester")
    assert _stored_ids(database) == []


def test_crash_while_storing_the_second_file_keeps_the_first_and_nothing_else(
    database: Database,
    make_document: MakeDocument,
    write_file: WriteFile,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    existing = write_file("0.yaml", _yaml(make_document("existing")))
    import_files(database, [existing], actor="tester")
    with database.read() as session:
        providers_before = service.list_providers(session)
    first = write_file("a.yaml", _yaml(make_document("alpha")))
    other_provider = {"issuer": {"id": "new-provider", "name": "New Provider", "country": "IE"}}
    second = write_file(
        "b.yaml",
        _yaml(
            [
                make_document("bravo", provider=other_provider),
                make_document("existing", title="Changed"),
            ]
        ),
    )
    calls: list[int] = []
    real_save_many = service.save_many

    def crash_on_second_call(session: Any, **arguments: Any) -> Any:
        calls.append(1)
        result = real_save_many(session, **arguments)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return result

    monkeypatch.setattr(importer, "save_many", crash_on_second_call)
    with pytest.raises(RuntimeError, match="power cut"):
        import_files(database, [first, second], actor="tester")
    assert _stored_ids(database) == ["alpha", "existing"]
    with database.read() as session:
        assert service.get_record(session, credential_id="existing").current_version == 1
        assert service.list_providers(session) == [
            {**provider, "credentials": provider["credentials"] + 1}
            if provider["id"] == "royal-roads-university"
            else provider
            for provider in providers_before
        ]
