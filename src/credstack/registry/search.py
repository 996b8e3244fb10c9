"""Full-text search with facets over the registry, on SQLite FTS5 or PostgreSQL tsvector.

Same semantics on both engines: every query term must match (after stemming), results
are ranked by a weighted relevance (title > provider > description and outcomes),
filters narrow the set, and facet counts describe the filtered set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal_column, select, text
from sqlalchemy.orm import Session

from credstack.errors import InvalidInput, Problem
from credstack.registry.facets import FACETS
from credstack.registry.query import SearchRequest, SortOrder, terms
from credstack.registry.service import StoredCredential, get_many
from credstack.store.tables.registry import CredentialFacetRow, CredentialRow

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


def _match(session: Session, query_terms: list[str]) -> Any:
    """A subquery of (credential_id, rank) for records containing every term."""
    if session.get_bind().dialect.name == "postgresql":
        tsquery = func.to_tsquery("english", " & ".join(query_terms))
        return (
            select(
                literal_column("credential_id").label("credential_id"),
                func.ts_rank_cd(literal_column("search_vector"), tsquery).label("rank"),
            )
            .select_from(text("credential_search"))
            .where(literal_column("search_vector").op("@@")(tsquery))
            .subquery("match")
        )
    # Quoted terms are literal strings to FTS5 (no operators), stemmed by its tokenizer.
    fts_query = " ".join('"' + term.replace('"', "") + '"' for term in query_terms)
    return (
        select(
            literal_column("credential_search.credential_id").label("credential_id"),
            (-func.bm25(literal_column("credential_fts"), 10.0, 1.0, 3.0)).label("rank"),
        )
        .select_from(text("credential_fts JOIN credential_search ON credential_search.doc_id = credential_fts.rowid"))
        .where(text("credential_fts MATCH :fts_query").bindparams(fts_query=fts_query))
        .subquery("match")
    )


def _filtered(request: SearchRequest, match: Any) -> Select[Any]:
    columns: list[Any] = [CredentialRow.id]
    query = select(*columns)
    if match is not None:
        query = query.add_columns(match.c.rank).join(match, match.c.credential_id == CredentialRow.id)
    if request.statuses:
        query = query.where(CredentialRow.status.in_([s.value for s in request.statuses]))
    for facet, values in request.facets.items():
        if values:
            query = query.where(
                exists().where(
                    and_(
                        CredentialFacetRow.credential_id == CredentialRow.id,
                        CredentialFacetRow.facet == facet,
                        CredentialFacetRow.value.in_(values),
                    )
                )
            )
    ranges = (
        (CredentialRow.total_hours, request.hours_min, request.hours_max),
        (CredentialRow.price_amount, request.price_min, request.price_max),
        (CredentialRow.ects, request.ects_min, request.ects_max),
    )
    for column, low, high in ranges:
        if low is not None:
            query = query.where(column >= low)
        if high is not None:
            query = query.where(column <= high)
    return query


def _ordered(query: Select[Any], request: SearchRequest, has_match: bool) -> Select[Any]:
    sort = request.sort
    if sort is SortOrder.RELEVANCE and not has_match:
        sort = SortOrder.TITLE
    order: list[Any]
    if sort is SortOrder.RELEVANCE:
        order = [literal_column("rank").desc(), CredentialRow.id]
    elif sort is SortOrder.HOURS:
        order = [CredentialRow.total_hours.asc().nulls_last(), CredentialRow.id]
    elif sort is SortOrder.PRICE:
        order = [CredentialRow.price_amount.asc().nulls_last(), CredentialRow.id]
    elif sort is SortOrder.NEWEST:
        order = [CredentialRow.updated_at.desc(), CredentialRow.id]
    else:
        order = [CredentialRow.title, CredentialRow.id]
    return query.order_by(*order)


def search(session: Session, request: SearchRequest) -> SearchResult:
    """Run ``request``: a page of current records, the total, and facet counts."""
    _check(request)
    query_terms = terms(request.text)
    if request.text.strip() and not query_terms:
        # Only stop words: nothing to look for, so nothing matches (as on PostgreSQL).
        return SearchResult(items=[], total=0, facets={name: {} for name in FACETS})
    match = _match(session, query_terms) if query_terms else None
    filtered = _filtered(request, match)
    page = _ordered(filtered, request, match is not None).limit(request.limit)
    page_ids = [row[0] for row in session.execute(page.offset(request.offset))]
    ids_subquery = filtered.with_only_columns(CredentialRow.id).subquery("hits")
    total = int(session.scalar(select(func.count()).select_from(ids_subquery)) or 0)
    facets = _facet_counts(session, ids_subquery) if request.with_facets else {}
    return SearchResult(items=get_many(session, credential_ids=page_ids), total=total, facets=facets)


def _facet_counts(session: Session, ids_subquery: Any) -> dict[str, dict[str, int]]:
    rows = session.execute(
        select(CredentialFacetRow.facet, CredentialFacetRow.value, func.count())
        .join(ids_subquery, ids_subquery.c.id == CredentialFacetRow.credential_id)
        .group_by(CredentialFacetRow.facet, CredentialFacetRow.value)
    ).all()
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for facet, value, count in rows:
        counts.setdefault(facet, {})[value] = int(count)
    return {
        facet: dict(sorted(values.items(), key=lambda item: (-item[1], item[0]))[:FACET_VALUES_SHOWN])
        for facet, values in counts.items()
    }
