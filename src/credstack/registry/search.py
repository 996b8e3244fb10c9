"""Full-text search with facets over the registry, on SQLite FTS5 or PostgreSQL tsvector.

Same semantics on both engines: every query term must match (after stemming), results
are ranked by a weighted relevance (title > provider > description and outcomes),
filters narrow the set, and facet counts describe the filtered set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
from sqlalchemy import Engine, Select, exists, func, literal_column, select, text
from sqlalchemy.orm import Session

from credstack.errors import InvalidInput, Problem
from credstack.registry.facet_index import FacetIndex
from credstack.registry.facets import FACETS
from credstack.registry.query import SearchRequest, SortOrder
from credstack.registry.service import StoredCredential, get_many
from credstack.registry.text_index import query_terms
from credstack.store.tables.registry import CredentialFacetRow, CredentialSearchRow

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
    for low, high, name in (
        (request.hours_min, request.hours_max, "hours"),
        (request.price_min, request.price_max, "price"),
        (request.ects_min, request.ects_max, "ects"),
    ):
        if low is not None and high is not None and low > high:
            problems.append(Problem(f"{name}_min", f"{low} is above {name}_max {high}"))
    if problems:
        raise InvalidInput(problems)


def _match(session: Session, terms: list[str], *, ranked: bool) -> Any:
    """A subquery of the documents containing every term: (doc_id[, rank])."""
    if session.get_bind().dialect.name == "postgresql":
        tsquery = func.to_tsquery("simple", " & ".join(terms))
        columns: list[Any] = [literal_column("doc_id").label("doc_id")]
        if ranked:
            columns.append(func.ts_rank(literal_column("search_vector"), tsquery).label("rank"))
        return (
            select(*columns)
            .select_from(text("credential_text"))
            .where(literal_column("search_vector").op("@@")(tsquery))
            .subquery("match")
        )
    # Quoted terms are literal strings to FTS5 (no operators).
    fts_query = " ".join('"' + term.replace('"', "") + '"' for term in terms)
    columns = [literal_column("rowid").label("doc_id")]
    if ranked:
        # BM25 with weights: title 10, body 1, provider 3.
        columns.append((-func.bm25(literal_column("credential_fts"), 10.0, 1.0, 3.0)).label("rank"))
    return (
        select(*columns)
        .select_from(text("credential_fts"))
        .where(text("credential_fts MATCH :fts_query").bindparams(fts_query=fts_query))
        .subquery("match")
    )


def _filtered(request: SearchRequest, match: Any) -> Select[Any]:
    # The full-text match (when there is one) drives the query; filters narrow it.
    # Every filter and sort column is on the search row: no join to credentials.
    search = CredentialSearchRow
    query = select(search.doc_id, search.credential_id)
    if match is not None:
        query = query.select_from(match).join(search, search.doc_id == match.c.doc_id)
    if request.statuses:
        query = query.where(search.status.in_([s.value for s in request.statuses]))
    for facet, values in request.facets.items():
        if values:
            query = query.where(_facet_filter(facet, values, correlated=match is not None))
    ranges = (
        (search.total_hours, request.hours_min, request.hours_max),
        (search.price_amount, request.price_min, request.price_max),
        (search.ects, request.ects_min, request.ects_max),
    )
    for column, low, high in ranges:
        if low is not None:
            query = query.where(column >= low)
        if high is not None:
            query = query.where(column <= high)
    return query


def _facet_filter(facet: str, values: tuple[str, ...], *, correlated: bool) -> Any:
    # With a text match the hits are few: probe the facet index once per hit (EXISTS).
    # Without one, the facet picks the records: read them from the index (IN).
    if correlated:
        return exists().where(
            CredentialFacetRow.credential_id == CredentialSearchRow.credential_id,
            CredentialFacetRow.facet == facet,
            CredentialFacetRow.value.in_(values),
        )
    return CredentialSearchRow.credential_id.in_(
        select(CredentialFacetRow.credential_id).where(
            CredentialFacetRow.facet == facet, CredentialFacetRow.value.in_(values)
        )
    )


def _ordered(query: Select[Any], request: SearchRequest, match: Any) -> Select[Any]:
    search = CredentialSearchRow
    sort = request.sort
    if sort is SortOrder.RELEVANCE and match is None:
        sort = SortOrder.TITLE
    order: list[Any]
    if sort is SortOrder.RELEVANCE:
        order = [match.c.rank.desc(), search.credential_id]
    elif sort is SortOrder.HOURS:
        order = [search.total_hours.asc().nulls_last(), search.credential_id]
    elif sort is SortOrder.PRICE:
        order = [search.price_amount.asc().nulls_last(), search.credential_id]
    elif sort is SortOrder.NEWEST:
        order = [search.updated_at.desc(), search.credential_id]
    else:
        order = [search.sort_title, search.credential_id]
    return query.order_by(*order)


_facet_indexes: WeakKeyDictionary[Engine, FacetIndex] = WeakKeyDictionary()


def _facet_index(session: Session) -> FacetIndex:
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    index = _facet_indexes.get(engine)
    if index is None:
        index = _facet_indexes.setdefault(engine, FacetIndex())
    return index


def _all_rows(session: Session, query: Select[Any]) -> list[Any]:
    """Every row of ``query``, read straight from the driver's cursor.

    The columns are plain integers and strings on both drivers, so SQLAlchemy's
    per-row processing (a large share of the cost with thousands of hits) is skipped.
    """
    result = session.connection().execute(query)
    try:
        cursor = result.cursor
        return [] if cursor is None else list(cursor.fetchall())
    finally:
        result.close()


def search(session: Session, request: SearchRequest) -> SearchResult:
    """Run ``request``: a page of current records, the total, and facet counts.

    The total and the facet counts are taken from every hit's document number, the
    page from the same filters in the requested order, so all three always agree.
    """
    _check(request)
    terms = query_terms(request.text)
    if request.text.strip() and not terms:
        # Only stop words: nothing to look for, so nothing matches (as on PostgreSQL).
        return SearchResult(items=[], total=0, facets={name: {} for name in FACETS})
    if terms:
        # Ranking: the database ranks every hit but returns only the page; the hits
        # themselves are fetched again unranked, which costs far less than ranking.
        ranked = _match(session, terms, ranked=request.sort is SortOrder.RELEVANCE)
        page = _ordered(_filtered(request, ranked), request, ranked)
        page_rows = _all_rows(session, page.limit(request.limit).offset(request.offset))
        hits_query = _filtered(request, _match(session, terms, ranked=False))
        hit_rows = _all_rows(session, hits_query.with_only_columns(CredentialSearchRow.doc_id))
    else:
        # Browsing: sorting the hits costs no more than finding them, so do it once.
        hit_rows = _all_rows(session, _ordered(_filtered(request, None), request, None))
        page_rows = hit_rows[request.offset : request.offset + request.limit]
    facets: dict[str, dict[str, int]] = {}
    if request.with_facets:
        hits = np.fromiter((row[0] for row in hit_rows), dtype=np.int64, count=len(hit_rows))
        facets = _facet_index(session).counts(session, hits, top=FACET_VALUES_SHOWN)
    return SearchResult(
        items=get_many(session, credential_ids=[row[1] for row in page_rows]),
        total=len(hit_rows),
        facets=facets,
    )
