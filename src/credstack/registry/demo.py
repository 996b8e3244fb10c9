"""Loading the bundled demo registry into an empty database."""

from __future__ import annotations

from dataclasses import dataclass

from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry.importer import import_files
from credstack.registry.service import Gate, PublishBlocked, count_records, transition
from credstack.store.unit_of_work import Database

DEMO_ACTOR = "credstack-demo"
# Left a draft for the README's walk: the demo editor submits it, the demo reviewer
# approves it (it meets the registry's standard).
DEMO_DRAFT = "rru-caf-pathway-climate-communication-1"


@dataclass(frozen=True)
class DemoLoad:
    """How many demo records were stored, how many passed the gate to be published, the
    rules the others failed, and the draft left for the walk."""

    loaded: int
    published: int
    held_back: dict[str, list[str]]
    draft: str | None = None


def load_demo(database: Database, *, gate: Gate | None, standard: str) -> DemoLoad | None:
    """Import and publish the demo set (but ``DEMO_DRAFT``) if the registry is empty;
    None if it was not."""
    from credstack.demo import demo_files

    with database.read() as session:
        if count_records(session) > 0:
            return None
    report = import_files(database, demo_files(), actor=DEMO_ACTOR)
    published = 0
    held_back: dict[str, list[str]] = {}
    for credential_id in report.created:
        if credential_id == DEMO_DRAFT:
            continue
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
    draft = DEMO_DRAFT if DEMO_DRAFT in report.created else None
    return DemoLoad(loaded=len(report.created), published=published, held_back=held_back,
                    draft=draft)
