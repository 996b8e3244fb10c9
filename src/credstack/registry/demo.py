"""Loading the bundled demo registry into an empty database."""

from __future__ import annotations

from dataclasses import dataclass

from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry.importer import import_files
from credstack.registry.service import Gate, PublishBlocked, count_records, transition
from credstack.store.unit_of_work import Database

DEMO_ACTOR = "credstack-demo"


@dataclass(frozen=True)
class DemoLoad:
    """How many demo records were stored, and how many passed the gate to be published."""

    loaded: int
    published: int
    held_back: dict[str, list[str]]


def load_demo(database: Database, *, gate: Gate | None, standard: str) -> DemoLoad | None:
    """Import and publish the demo set if the registry is empty; None if it was not."""
    from credstack.demo import demo_files

    with database.read() as session:
        if count_records(session) > 0:
            return None
    report = import_files(database, demo_files(), actor=DEMO_ACTOR)
    published = 0
    held_back: dict[str, list[str]] = {}
    for credential_id in report.created:
        with database.unit_of_work() as session:
            transition(
                session,
                credential_id=credential_id,
                target=LifecycleStatus.SUBMITTED,
                actor=DEMO_ACTOR,
                note="demo data",
            )
        try:
            with database.unit_of_work() as session:
                transition(
                    session,
                    credential_id=credential_id,
                    target=LifecycleStatus.PUBLISHED,
                    actor=DEMO_ACTOR,
                    publish_gate=gate,
                    standard=standard,
                )
            published += 1
        except PublishBlocked as blocked:
            held_back[credential_id] = [failure["rule"] for failure in blocked.failures]
    return DemoLoad(loaded=len(report.created), published=published, held_back=held_back)
