"""Portal benchmark: the QA dashboard computed, then served again, over a generated registry.

    python bench/portal.py --records 100000 [--db sqlite:///PATH [--reuse]]

Prints one JSON line. The baseline is the same page computed from the records (the first
request, and the first after a write) in the same run:

    records                     records in the registry
    first_ms                    first GET /qa: every record checked (the baseline)
    repeat_p50_ms, repeat_max_ms  the same page asked again, registry unchanged
    after_write_ms              the first GET /qa after a status change (computed again)
    speedup_p50                 first_ms / repeat_p50_ms
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from credstack.api.app import create_app
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import service
from credstack.registry.bulk import load_documents
from credstack.registry.generate import generate_documents
from credstack.store.engine import make_engine
from credstack.store.migrate import upgrade
from credstack.store.tables.registry import CredentialRow
from credstack.store.unit_of_work import Database

BATCH = 5000


def _database(url: str | None, records: int, seed: int, reuse: bool) -> tuple[Database, Any]:
    """A registry of ``records`` generated records (loading is not timed)."""
    folder = None if url else Path(tempfile.mkdtemp(prefix="credstack-bench-"))
    engine = make_engine(url or f"sqlite:///{folder / 'bench.db' if folder else ''}")
    upgrade(engine)
    database = Database(engine)
    if not reuse:
        load_documents(database, list(generate_documents(records, seed)), actor="bench",
                       batch=BATCH)

    def remove() -> None:
        engine.dispose()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    return database, remove


def _get_ms(client: TestClient, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: {response.status_code}")
    return elapsed


def _change_a_status(database: Database) -> None:
    with database.unit_of_work() as session:
        first = session.scalar(
            select(CredentialRow.id).where(CredentialRow.status == LifecycleStatus.DRAFT.value)
        )
        if first is None:
            raise SystemExit("no draft record to submit")
        service.transition(session, credential_id=first, target=LifecycleStatus.SUBMITTED,
                           actor="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--db", help="SQLite or PostgreSQL URL (default: a temporary file)")
    parser.add_argument("--reuse", action="store_true", help="measure --db as it is")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=20)
    arguments = parser.parse_args()
    if arguments.reuse and not arguments.db:
        raise SystemExit("--reuse needs --db URL of a loaded registry")
    database, remove = _database(arguments.db, arguments.records, arguments.seed,
                                 arguments.reuse)
    try:
        with database.read() as session:
            records = service.count_records(session)
        with TestClient(create_app(database)) as client:
            first = _get_ms(client, "/qa")
            repeats = [_get_ms(client, "/qa") for _ in range(arguments.repeats)]
            _change_a_status(database)
            after_write = _get_ms(client, "/qa")
    finally:
        remove()
    repeat_p50 = statistics.median(repeats)
    print(json.dumps({
        "bench": "portal_qa",
        "records": records,
        "first_ms": round(first, 1),
        "repeat_p50_ms": round(repeat_p50, 1),
        "repeat_max_ms": round(max(repeats), 1),
        "after_write_ms": round(after_write, 1),
        "speedup_p50": round(first / repeat_p50, 1),
    }))


if __name__ == "__main__":
    main()
