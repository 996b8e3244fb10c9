"""Storing records on SQLite and PostgreSQL: versions, providers, lifecycle, review dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus as S
from credstack.errors import Conflict, NotFound
from credstack.registry import service
from credstack.registry.service import PublishBlocked
from credstack.store.unit_of_work import Database

MakeRecord = Callable[..., MicroCredential]
Store = Callable[..., None]


def _move(
    database: Database,
    credential_id: str,
    *targets: S,
    gate: service.Gate | None = None,
) -> service.StoredCredential:
    stored = None
    for target in targets:
        with database.unit_of_work() as session:
            stored = service.transition(
                session,
                credential_id=credential_id,
                target=target,
                actor="reviewer",
                publish_gate=gate,
                standard="test-standard",
            )
    assert stored is not None
    return stored


def _get(database: Database, credential_id: str, version: int | None = None) -> Any:
    with database.read() as session:
        return service.get_record(session, credential_id=credential_id, version=version)


def test_new_record_is_a_draft_at_version_1(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"))
    stored = _get(database, "alpha")
    assert (stored.version, stored.current_version, stored.status) == (1, 1, S.DRAFT)
    assert stored.version_created_by == "tester"


def test_stored_record_reads_back_equal(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    record = make_record("alpha")
    store(record)
    assert _get(database, "alpha").record == record


def test_a_change_creates_version_2_and_keeps_version_1(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha", title="First title"))
    store(make_record("alpha", title="Second title"), actor="editor")
    assert _get(database, "alpha").record.title == "Second title"
    assert _get(database, "alpha").version == 2
    assert _get(database, "alpha", version=1).record.title == "First title"
    assert _get(database, "alpha", version=1).current_version == 2
    with database.read() as session:
        versions = service.list_versions(session, credential_id="alpha")
    assert [(v.version, v.created_by) for v in versions] == [(1, "tester"), (2, "editor")]
    assert versions[0].content_hash != versions[1].content_hash


def test_saving_an_unchanged_record_creates_no_version(
    database: Database, make_record: MakeRecord
) -> None:
    with database.unit_of_work() as session:
        first = service.save_many(session, records=[make_record("alpha")], actor="tester")
    with database.unit_of_work() as session:
        again = service.save_many(session, records=[make_record("alpha")], actor="tester")
    assert first == [("alpha", 1, True)]
    assert again == [("alpha", 1, False)]
    with database.read() as session:
        assert len(service.list_versions(session, credential_id="alpha")) == 1


def test_save_returns_the_stored_record(database: Database, make_record: MakeRecord) -> None:
    with database.unit_of_work() as session:
        stored = service.save(session, record=make_record("alpha"), actor="tester")
    assert (stored.record.id, stored.version, stored.status) == ("alpha", 1, S.DRAFT)


def test_duplicate_ids_in_one_save_are_a_conflict(
    database: Database, make_record: MakeRecord
) -> None:
    with database.unit_of_work() as session, pytest.raises(Conflict, match="alpha"):
        service.save_many(
            session, records=[make_record("alpha"), make_record("alpha")], actor="tester"
        )


def test_unknown_id_is_not_found(database: Database) -> None:
    with pytest.raises(NotFound, match="no micro-credential with id 'absent'"):
        _get(database, "absent")


@pytest.mark.parametrize("version", [0, 2, -1])
def test_unknown_version_is_not_found(
    database: Database, make_record: MakeRecord, store: Store, version: int
) -> None:
    store(make_record("alpha"))
    with pytest.raises(NotFound, match="has no version"):
        _get(database, "alpha", version=version)


def test_versions_of_unknown_id_are_not_found(database: Database) -> None:
    with database.read() as session, pytest.raises(NotFound):
        service.list_versions(session, credential_id="absent")


def test_iter_records_gives_current_versions_in_id_order(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("charlie"), make_record("alpha"), make_record("bravo"))
    store(make_record("bravo", title="Bravo v2"))
    with database.read() as session:
        found = [(s.record.id, s.version) for s in service.iter_records(session, batch_size=2)]
    assert found == [("alpha", 1), ("bravo", 2), ("charlie", 1)]


def test_iter_records_filters_by_status(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"), make_record("bravo"))
    _move(database, "bravo", S.SUBMITTED)
    with database.read() as session:
        assert [s.record.id for s in service.iter_records(session, status=S.SUBMITTED)] == ["bravo"]


def test_get_many_keeps_the_order_asked_and_skips_unknown_ids(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"), make_record("bravo"))
    with database.read() as session:
        found = service.get_many(session, credential_ids=["bravo", "absent", "alpha"])
    assert [s.record.id for s in found] == ["bravo", "alpha"]


# Providers.


def test_providers_are_stored_once_and_listed_with_counts(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"), make_record("bravo"))
    with database.read() as session:
        providers = {p["id"]: p for p in service.list_providers(session)}
    assert providers["royal-roads-university"]["credentials"] == 2
    assert providers["royal-roads-university"]["region"] == "CA-BC"
    # A partner named in 'others' is a provider too, issuing nothing itself.
    assert providers["pics-climate"]["credentials"] == 0


def test_provider_details_are_upserted_from_the_latest_record(
    database: Database, make_record: MakeRecord, example_document: dict[str, Any], store: Store
) -> None:
    store(make_record("alpha"))
    provider = dict(
        example_document["provider"],
        issuer=dict(
            example_document["provider"]["issuer"], name="Royal Roads University (Victoria)"
        ),
    )
    store(make_record("bravo", provider=provider))
    with database.read() as session:
        found = service.get_provider(session, provider_id="royal-roads-university")
        listed = [p for p in service.list_providers(session) if p["id"] == found["id"]]
    assert found["name"] == "Royal Roads University (Victoria)"
    assert len(listed) == 1


def test_unknown_provider_is_not_found(database: Database) -> None:
    with database.read() as session, pytest.raises(NotFound):
        service.get_provider(session, provider_id="absent")


# Lifecycle.


def test_allowed_transitions_move_the_record_to_published(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"))
    assert _move(database, "alpha", S.SUBMITTED, S.PUBLISHED).status is S.PUBLISHED
    assert _get(database, "alpha").status is S.PUBLISHED


def test_forbidden_transition_is_a_conflict_and_changes_nothing(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"))
    with pytest.raises(Conflict, match="cannot move 'alpha' from draft to published"):
        _move(database, "alpha", S.PUBLISHED)
    assert _get(database, "alpha").status is S.DRAFT


def test_transition_of_unknown_id_is_not_found(database: Database) -> None:
    with pytest.raises(NotFound):
        _move(database, "absent", S.SUBMITTED)


def test_transitions_are_recorded_in_the_history(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"))
    _move(database, "alpha", S.SUBMITTED, S.DRAFT)
    with database.read() as session:
        history = service.status_history(session, credential_id="alpha")
    assert [(e["from"], e["to"], e["actor"]) for e in history] == [
        ("draft", "submitted", "reviewer"),
        ("submitted", "draft", "reviewer"),
    ]


def test_publish_gate_blocks_with_the_failing_rules(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"))
    _move(database, "alpha", S.SUBMITTED)
    seen: list[str] = []

    def gate(record: MicroCredential) -> list[dict[str, str]]:
        seen.append(record.id)
        return [{"rule": "needs-rubric", "message": "no rubric"}]

    with pytest.raises(PublishBlocked) as blocked:
        _move(database, "alpha", S.PUBLISHED, gate=gate)
    assert seen == ["alpha"]
    assert blocked.value.failures == [{"rule": "needs-rubric", "message": "no rubric"}]
    assert blocked.value.standard == "test-standard"
    assert "needs-rubric" in str(blocked.value)
    assert _get(database, "alpha").status is S.SUBMITTED


def test_publish_gate_with_no_failures_lets_the_record_publish(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"))
    _move(database, "alpha", S.SUBMITTED)
    assert _move(database, "alpha", S.PUBLISHED, gate=lambda _record: []).status is S.PUBLISHED


def test_gate_is_not_consulted_for_other_transitions(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"))

    def gate(_record: MicroCredential) -> list[dict[str, str]]:
        raise AssertionError("the gate only guards publishing")

    assert _move(database, "alpha", S.SUBMITTED, gate=gate).status is S.SUBMITTED


def test_new_version_keeps_the_lifecycle_status(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"))
    _move(database, "alpha", S.SUBMITTED)
    store(make_record("alpha", title="Changed"))
    assert _get(database, "alpha").status is S.SUBMITTED


# Review due (CIS 'Expiration of the micro-credential').


def test_published_record_past_its_review_date_is_review_due(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(
        make_record("old", expiry={"review_date": "2020-01-01"}),
        make_record("fresh", expiry={"review_date": "2999-01-01"}),
        make_record("draft-old", expiry={"review_date": "2020-01-01"}),
    )
    _move(database, "old", S.SUBMITTED, S.PUBLISHED)
    _move(database, "fresh", S.SUBMITTED, S.PUBLISHED)
    with database.read() as session:
        assert service.review_due_ids(session, today=date(2026, 1, 1)) == ["old"]
    assert _get(database, "old").review_due
    assert not _get(database, "fresh").review_due
    assert not _get(database, "draft-old").review_due


def test_count_records_counts_by_status(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("alpha"), make_record("bravo"))
    _move(database, "alpha", S.SUBMITTED)
    with database.read() as session:
        assert service.count_records(session) == 2
        assert service.count_records(session, status=S.SUBMITTED) == 1
