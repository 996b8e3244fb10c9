"""Registry benchmark: bulk import and a fixed search mix, against a naive LIKE scan.

    python bench/registry.py --records 100000 --engine sqlite
    python bench/registry.py --records 1000000 --engine postgresql [--db URL]

Prints one JSON line. The baseline runs the same queries (same terms, filters, order,
page and total) as ``LIKE '%term%'`` over the same text columns, in the same run.

The first search of a new process is timed in processes of their own (median of
three): loading the columns in full, as before there were snapshots, and starting from
the stored column snapshot (``first_search_*_ms``; the ratio is ``first_search_speedup``). The
authenticated run resolves a bearer token to its actor before each search, in the same
transaction, as an authenticated API request does; it alternates with the anonymous run
query by query, so both meet the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from credstack.accounts import service as accounts
from credstack.accounts import tokens
from credstack.accounts.model import Actor, Scope
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import column_snapshot
from credstack.registry.bulk import load_documents
from credstack.registry.generate import generate_documents
from credstack.registry.query import SearchRequest
from credstack.registry.search import forget_cached_columns, prepare_columns, search
from credstack.registry.text_index import query_terms
from credstack.store.engine import make_engine
from credstack.store.maintenance import after_bulk_load
from credstack.store.migrate import upgrade
from credstack.store.tables.registry import CredentialRow, CredentialSearchRow
from credstack.store.unit_of_work import Database

BATCH = 5000
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# A fixed mix: common and rare terms, two-term queries, filters, and filter-only browsing.
LARGEST_PROVIDER = "<the provider with the most records>"
QUERIES: list[dict[str, Any]] = [
    {"text": "climate"},
    {"text": "food safety"},
    {"text": "welding"},
    {"text": "patient care", "facets": {"delivery_mode": ("online",)}},
    {"text": "customer service"},
    {"text": "software development"},
    {"text": "maintain equipment", "facets": {"jurisdiction": ("CA-BC",)}},
    {"text": "teaching"},
    {"text": "financial statements"},
    {"text": "renewable energy"},
    {"text": "health and safety procedures", "hours_max": 40.0},
    {"text": "data analysis", "facets": {"language": ("en",)}},
    {"text": "agricultural machinery"},
    {"text": "legal requirements"},
    {"text": "Fraser University"},
    {"text": "project management", "facets": {"assessment_method": ("portfolio",)}},
    {"text": "", "facets": {"provider": (LARGEST_PROVIDER,)}},
    {"text": "", "facets": {"jurisdiction": ("IE",)}, "hours_min": 20.0},
    {"text": "marketing strategies"},
    {"text": "supervise staff"},
]


def _database(engine_name: str, url: str | None, reuse: bool) -> tuple[Database, Any]:
    """The database to measure, and what to call when done."""
    if reuse:
        if not url:
            raise SystemExit("--reuse needs --db URL of an imported registry")
        return Database(make_engine(url)), lambda: None
    if engine_name == "sqlite":
        folder = None if url else Path(tempfile.mkdtemp(prefix="credstack-bench-"))
        path = folder / "bench.db" if folder else Path((url or "").removeprefix("sqlite:///"))
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)

        def remove() -> None:
            engine.dispose()
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

        return Database(engine), remove
    admin_url = url or DEFAULT_POSTGRES
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"credstack_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(admin_url).set(database=name).render_as_string(False))
    upgrade(engine)

    def drop() -> None:
        engine.dispose()
        if os.environ.get("CREDSTACK_BENCH_KEEP"):
            sys.stderr.write(f"kept database {name}\n")
            return
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return Database(engine), drop


def _import(database: Database, records: int, seed: int) -> float:
    """Import ``records`` generated documents in batches; records per second.

    Generating the documents is not timed; validating and storing them is.
    """
    documents = list(generate_documents(records, seed))
    sizes = Counter(document["provider"]["issuer"]["id"] for document in documents)
    started = time.perf_counter()
    load_documents(database, documents, actor="bench", batch=BATCH)
    elapsed = time.perf_counter() - started
    _use_provider(sizes.most_common(1)[0][0])
    with database.unit_of_work() as session:
        session.execute(update(CredentialRow).values(status=LifecycleStatus.PUBLISHED.value))
        session.execute(update(CredentialSearchRow).values(status=LifecycleStatus.PUBLISHED.value))
    after_bulk_load(database.engine)  # statistics again, after publishing
    forget_cached_columns(database.engine)  # published behind the change log's back
    return records / elapsed


def _use_provider(provider_id: str) -> None:
    # Browsing by provider: the worst case, the provider with the most records.
    for spec in QUERIES:
        facets = spec.get("facets", {})
        if facets.get("provider") == (LARGEST_PROVIDER,):
            facets["provider"] = (provider_id,)


def _largest_provider(database: Database) -> str:
    with database.engine.connect() as connection:
        return str(
            connection.execute(
                text(
                    "SELECT provider_id FROM credentials GROUP BY provider_id "
                    "ORDER BY count(*) DESC LIMIT 1"
                )
            ).scalar_one()
        )


def _request(spec: dict[str, Any]) -> SearchRequest:
    return SearchRequest(
        text=spec.get("text", ""),
        facets=spec.get("facets", {}),
        hours_min=spec.get("hours_min"),
        hours_max=spec.get("hours_max"),
    )


def _baseline(database: Database, spec: dict[str, Any]) -> int:
    """The same query as a naive scan: LIKE '%term%' on every text column."""
    clauses = ["c.status = 'published'"]
    params: dict[str, Any] = {}
    for index, term in enumerate(query_terms(spec.get("text", ""))):
        params[f"t{index}"] = f"%{term}%"
        clauses.append(
            f"(lower(t.title) LIKE :t{index} OR lower(t.body) LIKE :t{index} "
            f"OR lower(t.provider) LIKE :t{index})"
        )
    for index, (facet, values) in enumerate(spec.get("facets", {}).items()):
        params[f"f{index}"] = facet
        params[f"v{index}"] = values[0]
        clauses.append(
            f"EXISTS (SELECT 1 FROM credential_facets f WHERE f.credential_id = c.id "
            f"AND f.facet = :f{index} AND f.value = :v{index})"
        )
    if spec.get("hours_min") is not None:
        clauses.append(f"c.total_hours >= {float(spec['hours_min'])}")
    if spec.get("hours_max") is not None:
        clauses.append(f"c.total_hours <= {float(spec['hours_max'])}")
    where = " AND ".join(clauses)
    base = (
        "FROM credentials c JOIN credential_search s ON s.credential_id = c.id "
        f"JOIN credential_text t ON t.doc_id = s.doc_id WHERE {where}"
    )
    with database.engine.connect() as connection:
        connection.execute(
            text(f"SELECT c.id {base} ORDER BY c.title, c.id LIMIT 20"), params
        ).all()
        return int(connection.execute(text(f"SELECT count(*) {base}"), params).scalar_one())


def _timed(function: Any, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for spec in QUERIES:
            started = time.perf_counter()
            function(spec)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def _bearer_token(database: Database) -> tuple[str, float]:
    """A read token of a new user, and how long hashing the user's password took (ms)."""
    operator = Actor.system("bench")
    started = time.perf_counter()
    with database.unit_of_work() as session:
        email = f"bench-{uuid.uuid4().hex[:8]}@example.org"
        accounts.add_user(session, email=email, display_name=None,
                          password="benchmark password", actor=operator)
    hashing_ms = (time.perf_counter() - started) * 1000
    with database.unit_of_work() as session:
        _, secret = tokens.create(session, email=email, name="bench", scope=Scope.READ,
                                  lifetime=None, actor=operator)
    return secret, hashing_ms


def _timed_pair(first: Any, second: Any, rounds: int) -> tuple[list[float], list[float]]:
    """Both functions timed on every query, one right after the other, so that both
    meet the same load on a shared machine."""
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for spec in QUERIES:
            for function, into in ((first, samples[0]), (second, samples[1])):
                started = time.perf_counter()
                function(spec)
                into.append((time.perf_counter() - started) * 1000)
    return samples


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _first_search_ms(database: Database, *, snapshot: bool) -> float:
    """How long the first search of a new process takes (measured in that process),
    from the stored column snapshot or, as before there was one, by a full load."""
    url = database.engine.url.render_as_string(hide_password=False)
    mode = "--probe" if snapshot else "--probe-without-snapshot"
    found = subprocess.run(
        [sys.executable, __file__, mode, url], check=True, capture_output=True, text=True
    )
    return float(found.stdout)


def _probe(url: str, *, snapshot: bool) -> None:
    """Run one search as a new process's first, and print its milliseconds."""
    if not snapshot:
        # Neither read nor store one: the columns load in full, and that is all.
        setattr(column_snapshot, "read", lambda *args, **kwargs: None)  # noqa: B010
        setattr(column_snapshot, "store", lambda *args, **kwargs: False)  # noqa: B010
    database = Database(make_engine(url))
    started = time.perf_counter()
    with database.read() as session:
        search(session, _request(QUERIES[0]))
    sys.stdout.write(f"{(time.perf_counter() - started) * 1000:.1f}\n")


def _first_searches(database: Database, rounds: int = 3) -> dict[str, float]:
    prepare_columns(database.engine)  # a snapshot of the current generation is stored
    full = statistics.median(_first_search_ms(database, snapshot=False) for _ in range(rounds))
    warm = statistics.median(_first_search_ms(database, snapshot=True) for _ in range(rounds))
    return {
        "first_search_full_load_ms": round(full, 1),
        "first_search_snapshot_ms": round(warm, 1),
        "first_search_speedup": round(full / warm, 1),
    }


def main() -> None:
    if sys.argv[1] in ("--probe", "--probe-without-snapshot"):
        _probe(sys.argv[2], snapshot=sys.argv[1] == "--probe")
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", help="Database URL (PostgreSQL: a server to create a database on)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline-rounds", type=int, default=2)
    parser.add_argument(
        "--reuse", action="store_true", help="Search an already imported --db (no import)."
    )
    args = parser.parse_args()

    database, cleanup = _database(args.engine, args.db, args.reuse)
    if args.reuse:
        _use_provider(_largest_provider(database))
    try:
        import_rate = 0.0 if args.reuse else _import(database, args.records, args.seed)

        def ours(spec: dict[str, Any]) -> None:
            with database.read() as session:
                search(session, _request(spec))

        secret, hashing_ms = _bearer_token(database)

        def authenticated(spec: dict[str, Any]) -> None:
            with database.unit_of_work() as session:
                tokens.authenticate(session, secret=secret)
                search(session, _request(spec))

        _timed(ours, 1)  # warm caches once, as a running server would be
        _timed(authenticated, 1)
        samples, authenticated_samples = _timed_pair(ours, authenticated, args.rounds)
        baseline = _timed(lambda spec: _baseline(database, spec), args.baseline_rounds)
        # Both must find the records, or the comparison means nothing. The scan matches
        # substrings of the same index terms, so it finds a few more (e.g. "teach" in
        # "teacher"); whole-term matching never finds a record the scan misses.
        with database.read() as session:
            hits = [search(session, _request(spec)).total for spec in QUERIES]
        baseline_hits = [_baseline(database, spec) for spec in QUERIES]
        first_searches = _first_searches(database)
        missed = sum(ours > theirs for ours, theirs in zip(hits, baseline_hits, strict=True))
        result = {
            "records": args.records,
            "engine": args.engine,
            "queries": len(QUERIES),
            "import_records_per_s": round(import_rate, 1),
            "search_p50_ms": round(_percentile(samples, 0.5), 2),
            "search_p95_ms": round(_percentile(samples, 0.95), 2),
            "baseline_p50_ms": round(_percentile(baseline, 0.5), 2),
            "baseline_p95_ms": round(_percentile(baseline, 0.95), 2),
            "speedup_p95": round(_percentile(baseline, 0.95) / _percentile(samples, 0.95), 1),
            "authenticated_p95_ms": round(_percentile(authenticated_samples, 0.95), 2),
            "authenticated_vs_anonymous_p95": round(
                _percentile(authenticated_samples, 0.95) / _percentile(samples, 0.95), 3),
            "password_hash_ms": round(hashing_ms, 1),
            "hits": sum(hits),
            "baseline_hits": sum(baseline_hits),
            "queries_with_hits": sum(total > 0 for total in hits),
            "totals_above_baseline": missed,
            **first_searches,
        }
    finally:
        cleanup()
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
