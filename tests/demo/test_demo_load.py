"""Loading the demo set: the records that meet the standard are published, the others
wait in review, and one record of the walk's organization stays a draft for its editor."""

from __future__ import annotations

from credstack.registry.demo import DEMO_DRAFT, load_demo
from credstack.registry.gate import quality_gate
from credstack.registry.service import get_record
from credstack.store.unit_of_work import Database

STANDARD = "bc-assessment-standard"


def test_the_walks_record_stays_a_draft_and_would_pass_the_gate(database: Database) -> None:
    gate = quality_gate(STANDARD)
    loaded = load_demo(database, gate=gate, standard=STANDARD)
    assert loaded is not None and loaded.draft == DEMO_DRAFT
    with database.read() as session:
        stored = get_record(session, credential_id=DEMO_DRAFT)
    assert stored.status.value == "draft"
    assert stored.record.provider.issuer.id == "royal-roads-university"
    assert gate(stored.record) == []
    assert loaded.published + len(loaded.held_back) + 1 == loaded.loaded


def test_a_registry_that_is_not_empty_is_left_alone(database: Database) -> None:
    assert load_demo(database, gate=None, standard=STANDARD) is not None
    assert load_demo(database, gate=None, standard=STANDARD) is None
