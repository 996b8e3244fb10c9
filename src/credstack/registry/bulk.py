"""Bulk loading: validate and prepare the next batch in another process while this one
writes the current batch, so both cores work (synthetic registries, benchmarks)."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from credstack.registry import postings
from credstack.registry.prepared import PreparedRecord, prepare_documents
from credstack.registry.service import save_prepared
from credstack.store.maintenance import after_bulk_load
from credstack.store.unit_of_work import Database

Document = dict[str, Any]


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _prepared_batches(
    documents: Iterable[Document], *, batch: int, workers: int
) -> Iterator[list[PreparedRecord]]:
    if workers < 1:
        for documents_batch in _batches(documents, batch):
            yield prepare_documents(documents_batch)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[list[PreparedRecord]]] = deque()
        for documents_batch in _batches(documents, batch):
            pending.append(pool.submit(prepare_documents, documents_batch))
            # Keep each worker one batch ahead of the writer, and no more (memory).
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def load_documents(
    database: Database,
    documents: Iterable[Document],
    *,
    actor: str,
    batch: int = 5000,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Validate and store ``documents`` batch by batch (one transaction each).

    ``workers`` processes prepare batches while this one writes; 0 does all here.
    A bad document stops the load with InvalidInput; batches already stored stay.
    Ends by merging PostgreSQL's posting blocks and with ``after_bulk_load``
    (statistics, and SQLite's log folded in).
    """
    stored = 0
    for prepared in _prepared_batches(documents, batch=batch, workers=workers):
        with database.unit_of_work() as session:
            save_prepared(session, prepared=prepared, actor=actor)
        stored += len(prepared)
        if progress is not None:
            progress(len(prepared))
    if database.engine.dialect.name == "postgresql":
        postings.compact(database.engine)
    after_bulk_load(database.engine)
    return stored
