"""Full-text search with facets over the registry: SQLite FTS5 or PostgreSQL postings.

Same results on both engines, in the same order: every query term must match (after
stemming), results are ranked by BM25 with field weights (title 10, provider 3,
description and outcomes 1), filters narrow the set, and facet counts describe the
filtered set.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from credstack.errors import InvalidInput, Problem
from credstack.registry import column_snapshot, postings
from credstack.registry.column_cache import SearchColumns
from credstack.registry.facets import FACETS
from credstack.registry.query import PUBLIC_STATUSES, SearchRequest, SortOrder
from credstack.registry.search_columns import (
    STATUS_CODES,
    BoolArray,
    Columns,
    FloatArray,
    IntArray,
    facet_counts,
)
from credstack.registry.service import StoredCredential, get_many
from credstack.registry.text_index import query_terms
from credstack.store.tables.registry import CredentialSearchRow

MAX_LIMIT = 100
FACET_VALUES_SHOWN = 30


@dataclass(frozen=True)
class SearchResult:
    """One page of results, the total that matched, and facet counts."""

    items: list[StoredCredential]
    total: int
    facets: dict[str, dict[str, int]]


def _check(request: SearchRequest) -> None:
    problems = []
    for name in request.facets:
        if name not in FACETS:
            problems.append(Problem(name, f"unknown filter; expected one of {', '.join(FACETS)}"))
    if not 1 <= request.limit <= MAX_LIMIT:
        problems.append(Problem("limit", f"must be between 1 and {MAX_LIMIT}"))
    if request.offset < 0:
        problems.append(Problem("offset", "must not be negative"))
    if (request.price_min is not None or request.price_max is not None) and len(
        request.facets.get("currency", ())
    ) != 1:
        name = "price_min" if request.price_min is not None else "price_max"
        problems.append(
            Problem(name, "a price range compares amounts in one currency: filter one currency")
        )
    for low, high, name in (
        (request.hours_min, request.hours_max, "hours"),
        (request.price_min, request.price_max, "price"),
        (request.ects_min, request.ects_max, "ects"),
    ):
        if low is not None and high is not None and low > high:
            problems.append(Problem(f"{name}_min", f"{low} is above {name}_max {high}"))
    if problems:
        raise InvalidInput(problems)


_columns: WeakKeyDictionary[Engine, SearchColumns] = WeakKeyDictionary()


def _search_columns(session: Session) -> Columns:
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    return prepare_columns(engine)


def prepare_columns(engine: Engine) -> Columns:
    """Bring ``engine``'s in-memory columns to the committed generation, and store a
    snapshot new processes start from when none reaches it (``column_snapshot``)."""
    cache = _columns.get(engine)
    if cache is None:
        cache = _columns.setdefault(engine, SearchColumns())
    return cache.columns(engine)


def forget_cached_columns(engine: Engine) -> None:
    """Drop ``engine``'s in-memory columns and stored snapshots: the next search loads
    them anew (after writes made outside credstack, which the change log does not know)."""
    _columns.pop(engine, None)
    column_snapshot.discard(engine)


def _text_hits(session: Session, terms: list[str], columns: Columns) -> tuple[IntArray, FloatArray]:
    """The documents containing every term, and their BM25 relevance (higher first)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        found = postings.read(connection, terms)
        if len(found) < len(terms):
            return np.empty(0, dtype=np.int64), np.empty(0)
        return postings.bm25(
            [found[term] for term in terms], lengths=columns.lengths, live=columns.live
        )
    # Quoted terms are literal strings to FTS5 (no operators). BM25 with the field
    # weights the postings use (FTS5's columns are title, body, provider, as theirs).
    fts_query = " ".join('"' + term.replace('"', "") + '"' for term in terms)
    weights = ", ".join(str(weight) for weight in postings.FIELD_WEIGHTS)
    rows = connection.exec_driver_sql(
        f"SELECT rowid, -bm25(credential_fts, {weights}) FROM credential_fts "
        "WHERE credential_fts MATCH ?",
        (fts_query,),
    ).all()
    doc_ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
    live = postings.live_mask(doc_ids, columns.live)
    return doc_ids[live], scores[live]


def _visible(request: SearchRequest, columns: Columns, doc_ids: IntArray) -> BoolArray:
    """Which of ``doc_ids`` the searcher may see: hidden records count nowhere, not in
    the total nor in any facet."""
    if request.visible_providers is None:
        return np.ones(len(doc_ids), dtype=bool)
    public = [STATUS_CODES[status.value] for status in PUBLIC_STATUSES]
    visible = np.isin(columns.status[doc_ids], public)
    if request.visible_providers:
        visible |= columns.having("provider", tuple(sorted(request.visible_providers)))[doc_ids]
    return visible


def _admitted(request: SearchRequest, columns: Columns, doc_ids: IntArray) -> BoolArray:
    """Which of ``doc_ids`` pass the request's status, facet and range filters."""
    keep = _visible(request, columns, doc_ids)
    if request.statuses:
        wanted = [STATUS_CODES[status.value] for status in request.statuses]
        keep &= np.isin(columns.status[doc_ids], wanted)
    for facet, values in request.facets.items():
        if values:
            keep &= columns.having(facet, values)[doc_ids]
    ranges = (
        (columns.hours, request.hours_min, request.hours_max),
        (columns.price, request.price_min, request.price_max),
        (columns.ects, request.ects_min, request.ects_max),
    )
    for column, low, high in ranges:
        # NaN (unknown) fails every comparison, as NULL does in SQL.
        if low is not None:
            keep &= column[doc_ids] >= low
        if high is not None:
            keep &= column[doc_ids] <= high
    return keep


def _first(keys: tuple[FloatArray, ...], count: int) -> IntArray:
    """Positions of the ``count`` smallest rows of ``keys`` (compared in order)."""
    primary = keys[0]
    if count < len(primary):
        # Only candidates up to the count-th primary value (ties included) need sorting.
        bound = np.partition(primary, count - 1)[count - 1]
        candidates = np.flatnonzero(primary <= bound)
    else:
        candidates = np.arange(len(primary))
    order = np.lexsort(tuple(key[candidates] for key in reversed(keys)))
    return candidates[order][:count]


def _currency_order(columns: Columns, doc_ids: IntArray) -> FloatArray:
    """Each document's currency, as its position in code order (no price: last)."""
    found = np.full(len(doc_ids), np.inf)
    codes = columns.codes_by_facet.get("currency", np.empty(0, dtype=np.int64))
    for position, code in enumerate(sorted(codes, key=lambda code: columns.value_rank[code])):
        currency = columns.labels[int(code)][1]
        found[columns.having("currency", (currency,))[doc_ids]] = position
    return found


def _page(
    request: SearchRequest, columns: Columns, doc_ids: IntArray, scores: FloatArray | None
) -> IntArray:
    """The document numbers of the requested page, in the requested order."""
    count = request.offset + request.limit
    if count == 0 or len(doc_ids) == 0:
        return np.empty(0, dtype=np.int64)
    sort = request.sort
    if sort is SortOrder.RELEVANCE and scores is None:
        sort = SortOrder.TITLE
    tie_break = columns.id_rank[doc_ids]
    keys: tuple[FloatArray, ...]
    if sort is SortOrder.RELEVANCE:
        assert scores is not None
        keys = (-scores, tie_break)
    elif sort is SortOrder.HOURS:
        keys = (np.nan_to_num(columns.hours[doc_ids], nan=np.inf), tie_break)  # unknown last
    elif sort is SortOrder.PRICE:
        # Amounts compare within a currency: cheapest first in each, currencies by code.
        price = np.nan_to_num(columns.price[doc_ids], nan=np.inf)
        keys = (_currency_order(columns, doc_ids), price, tie_break)
    elif sort is SortOrder.NEWEST:
        keys = (columns.newest_rank[doc_ids], tie_break)
    else:
        keys = (columns.title_rank[doc_ids], tie_break)
    return doc_ids[_first(keys, count)][request.offset :]


def _credential_ids(session: Session, doc_ids: IntArray) -> list[str]:
    if not len(doc_ids):
        return []
    wanted = [int(doc_id) for doc_id in doc_ids]
    rows = session.execute(
        select(CredentialSearchRow.doc_id, CredentialSearchRow.credential_id).where(
            CredentialSearchRow.doc_id.in_(wanted)
        )
    ).all()
    by_doc = {doc_id: credential_id for doc_id, credential_id in rows}
    return [by_doc[doc_id] for doc_id in wanted if doc_id in by_doc]


def search(session: Session, request: SearchRequest) -> SearchResult:
    """Run ``request``: a page of current records, the total, and facet counts.

    The full-text index finds the documents holding every term (ranked by BM25); the
    columnar copy filters, orders and counts them, so the page, the total and the facet
    counts always describe the same set.
    """
    _check(request)
    terms = query_terms(request.text)
    if request.text.strip() and not terms:
        # Only stop words: nothing to look for, so nothing matches (as on PostgreSQL).
        return SearchResult(items=[], total=0, facets={name: {} for name in FACETS})
    columns = _search_columns(session)
    scores: FloatArray | None = None
    if terms:
        doc_ids, scores = _text_hits(session, terms, columns)
    else:
        doc_ids = np.flatnonzero(columns.live)
    keep = _admitted(request, columns, doc_ids)
    doc_ids = doc_ids[keep]
    if scores is not None:
        scores = scores[keep]
    page = _page(request, columns, doc_ids, scores)
    facets: dict[str, dict[str, int]] = {}
    if request.with_facets:
        facets = facet_counts(columns, doc_ids, top=FACET_VALUES_SHOWN)
    return SearchResult(
        items=get_many(session, credential_ids=_credential_ids(session, page)),
        total=len(doc_ids),
        facets=facets,
    )
