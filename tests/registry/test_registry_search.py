"""Full-text search with facets: the same results, in the same order, on SQLite FTS5 and
PostgreSQL posting lists."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus as S
from credstack.errors import InvalidInput
from credstack.registry import service
from credstack.registry.facets import FACETS, facet_values
from credstack.registry.query import SearchRequest, SortOrder
from credstack.registry.search import SearchResult, search
from credstack.registry.text_index import query_terms as terms
from credstack.store.unit_of_work import Database

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "rru-climate-adaptation-foundations.yaml"
)
ALL = (S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.RETIRED)


def _provider(provider_id: str, name: str, country: str, region: str | None) -> dict[str, Any]:
    return {"issuer": {"id": provider_id, "name": name, "country": country, "region": region}}


def _effort(hours: float) -> dict[str, Any]:
    return {"asynchronous_hours": hours, "total_hours": hours}


def _alignment(uri: str, status: str = "accepted") -> dict[str, Any]:
    return {"framework": "Test", "uri": uri, "label": uri.rsplit("/", 1)[-1], "status": status}


RRU = _provider("royal-roads-university", "Royal Roads University", "CA", "CA-BC")
TRU = _provider("thompson-rivers-university", "Thompson Rivers University", "CA", "CA-BC")
SIT = _provider("southern-institute-of-technology", "Southern Institute", "NZ", "NZ-STL")
DCU = _provider("dublin-city-university", "Dublin City University", "IE", None)
RISK = "https://example.org/competency/climate-risk"
POLICY = "https://example.org/competency/policy"

# id -> (status, changes to the example record)
CORPUS: dict[str, tuple[S, dict[str, Any]]] = {
    "climate-basics": (
        S.PUBLISHED,
        {
            "title": "Climate Adaptation Basics",
            "provider": RRU,
            "description": {"summary": "Assessing climate risks for municipalities."},
            "learning_outcomes": [
                {"id": "LO1", "statement": "Map local hazards.", "alignments": [_alignment(RISK)]}
            ],
            "language": ["en-CA"],
            "delivery_mode": {"mode": "online", "engagement": "asynchronous"},
            "learner_effort": _effort(28),
            "price": {"amount": 695, "currency": "CAD", "tax_included": True},
            "assessment": {"methods": ["project"], "type": "competency"},
            "qualification_levels": [{"framework": "eqf", "level": 6}],
            "jurisdiction": ["CA-BC"],
        },
    ),
    "climate-policy": (
        S.PUBLISHED,
        {
            "title": "Climate Policy and Governance",
            "provider": TRU,
            "description": {"summary": "Policy instruments for a changing climate."},
            "learning_outcomes": [
                {
                    "id": "LO1",
                    "statement": "Compare carbon pricing schemes.",
                    "alignments": [_alignment(POLICY), _alignment(RISK, "suggested")],
                }
            ],
            "language": ["fr-CA"],
            "delivery_mode": {"mode": "onsite", "engagement": "synchronous", "locations": ["K"]},
            "learner_effort": _effort(40),
            "price": {"amount": 1200, "currency": "CAD", "tax_included": False},
            "assessment": {"methods": ["exam", "written"], "type": "proficiency"},
            "qualification_levels": [{"framework": "nfq_ie", "level": 8}],
            "jurisdiction": ["CA-BC"],
        },
    ),
    "water-quality": (
        S.PUBLISHED,
        {
            "title": "Water Quality Assessment",
            "provider": SIT,
            "description": {"summary": "Field sampling and the assessment of rivers."},
            "learning_outcomes": [{"id": "LO1", "statement": "Sample streams safely."}],
            "language": ["en-NZ", "mi"],
            "delivery_mode": {"mode": "blended", "engagement": "mixed", "locations": ["I"]},
            "learner_effort": _effort(12),
            "price": {"amount": 0, "currency": "NZD", "tax_included": True},
            "assessment": {"methods": ["portfolio"], "type": "competency"},
            "qualification_levels": [{"framework": "nzqf", "level": 5}],
            "jurisdiction": ["NZ"],
            "credits": [{"system": "nz_credit", "value": 1}],
        },
    ),
    "data-analytics": (
        S.PUBLISHED,
        {
            "title": "Applied Data Analytics",
            "provider": DCU,
            "description": {"summary": "Python for the analysis of public data."},
            "learning_outcomes": [{"id": "LO1", "statement": "Clean and model data sets."}],
            "language": ["en-IE"],
            "delivery_mode": {"mode": "online", "engagement": "mixed"},
            "learner_effort": _effort(60),
            "assessment": {"methods": ["project", "exam"], "type": "proficiency"},
            "qualification_levels": [{"framework": "nfq_ie", "level": 9}],
            "jurisdiction": ["IE"],
            "credits": [{"system": "ects", "value": 2}],
        },
    ),
    "climate-draft": (
        S.DRAFT,
        {"title": "Climate Draft Course", "provider": RRU, "learner_effort": _effort(5)},
    ),
    "climate-retired": (
        S.RETIRED,
        {"title": "Retired Climate Course", "provider": TRU, "learner_effort": _effort(8)},
    ),
    # Drafts whose words the two engines' tokenizers and stemmers treat differently.
    "te-reo": (
        S.DRAFT,
        {
            "title": "Te reo Māori for the workplace",
            "provider": DCU,
            "description": {"summary": "Greetings and introductions."},
            "learning_outcomes": [{"id": "LO1", "statement": "Greet colleagues."}],
        },
    ),
    "night-sky": (
        S.DRAFT,
        {
            "title": "Reading the skies",
            "provider": DCU,
            "description": {"summary": "Navigation by the stars."},
            "learning_outcomes": [{"id": "LO1", "statement": "Find north at night."}],
        },
    ),
}
PUBLISHED = sorted(i for i, (status, _) in CORPUS.items() if status is S.PUBLISHED)


def _record(credential_id: str, changes: dict[str, Any]) -> MicroCredential:
    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    document.pop("price", None)
    document.pop("credits", None)
    document.update(copy.deepcopy(changes), id=credential_id)
    return MicroCredential.model_validate(document)


RECORDS = {
    credential_id: _record(credential_id, changes) for credential_id, (_, changes) in CORPUS.items()
}


def _load(database: Database) -> None:
    with database.unit_of_work() as session:
        service.save_many(session, records=list(RECORDS.values()), actor="tester")
    path = {S.PUBLISHED: (S.SUBMITTED, S.PUBLISHED), S.RETIRED: (S.RETIRED,), S.DRAFT: ()}
    for credential_id, (status, _) in CORPUS.items():
        for target in path[status]:
            with database.unit_of_work() as session:
                service.transition(
                    session, credential_id=credential_id, target=target, actor="tester"
                )


@pytest.fixture(scope="module")
def corpus(engine_databases: dict[str, Database]) -> dict[str, Database]:
    """The corpus above, stored once per engine for this module."""
    for database in engine_databases.values():
        _load(database)
    return engine_databases


Run = Callable[..., SearchResult]


@pytest.fixture
def run(corpus: dict[str, Database]) -> Run:
    """Run a search on every engine; assert they agree on the page (order included), the
    total and the facets; return one result."""

    def run_on_all(**request: Any) -> SearchResult:
        results: dict[str, SearchResult] = {}
        for engine, database in corpus.items():
            with database.read() as session:
                results[engine] = search(session, SearchRequest(**request))
        first = results["sqlite"]
        for engine, result in results.items():
            assert result.total == first.total, engine
            assert _ids(result) == _ids(first), engine
            assert result.facets == first.facets, engine
        return first

    return run_on_all


def _ids(result: SearchResult) -> list[str]:
    return [item.record.id for item in result.items]


def _found(run: Run, **request: Any) -> list[str]:
    return sorted(_ids(run(limit=100, **request)))


# Text.


def test_every_term_is_required(run: Run) -> None:
    assert _found(run, text="climate") == ["climate-basics", "climate-policy"]
    assert _found(run, text="climate policy") == ["climate-policy"]
    assert _found(run, text="climate sampling") == []


def test_terms_match_outcomes_and_provider_names(run: Run) -> None:
    assert _found(run, text="carbon pricing") == ["climate-policy"]
    assert _found(run, text="dublin") == ["data-analytics"]


def test_stemming_finds_other_forms_of_a_word(run: Run) -> None:
    # 'assessing' and 'assessment' share the stem 'assess' in Porter and Snowball alike.
    expected = ["climate-basics", "water-quality"]
    assert _found(run, text="assessing") == expected
    assert _found(run, text="assessment") == expected
    assert _found(run, text="municipality") == ["climate-basics"]


def test_stop_words_are_ignored(run: Run) -> None:
    assert _found(run, text="the climate of a policy") == _found(run, text="climate policy")


def test_query_of_only_stop_words_finds_nothing(run: Run) -> None:
    result = run(text="the and of")
    assert (result.items, result.total) == ([], 0)


def test_query_is_case_insensitive(run: Run) -> None:
    assert _found(run, text="CLIMATE Policy") == ["climate-policy"]


def test_punctuation_in_the_query_is_not_an_operator(run: Run) -> None:
    assert _found(run, text='climate" OR "water*') == []
    assert _found(run, text="climate-policy") == ["climate-policy"]


def test_terms_drop_stop_words_and_duplicates() -> None:
    assert terms("The Climate, the CLIMATE and Policy!") == ["climat", "polici"]


def test_accents_are_ignored_on_both_engines(run: Run) -> None:
    assert _found(run, text="maori", statuses=ALL) == ["te-reo"]


def test_accented_query_finds_the_accented_word(run: Run) -> None:
    assert _found(run, text="Māori", statuses=ALL) == ["te-reo"]


def test_stemming_agrees_on_both_engines(run: Run) -> None:
    assert _found(run, text="sky", statuses=ALL) == ["night-sky"]


# Status.


def test_only_published_records_are_found_by_default(run: Run) -> None:
    assert _found(run) == PUBLISHED


def test_statuses_include_drafts_when_asked(run: Run) -> None:
    assert _found(run, text="climate", statuses=(S.DRAFT,)) == ["climate-draft"]
    assert _found(run, text="climate", statuses=ALL) == [
        "climate-basics",
        "climate-draft",
        "climate-policy",
        "climate-retired",
    ]


# Facet filters.


@pytest.mark.parametrize(
    ("facet", "values", "expected"),
    [
        ("provider", ("royal-roads-university",), ["climate-basics"]),
        ("jurisdiction", ("CA-BC",), ["climate-basics", "climate-policy"]),
        ("jurisdiction", ("CA",), ["climate-basics", "climate-policy"]),
        ("level", ("eqf:6",), ["climate-basics", "climate-policy"]),
        ("level", ("nfq_ie:9", "nzqf:5"), ["data-analytics", "water-quality"]),
        ("delivery_mode", ("online",), ["climate-basics", "data-analytics"]),
        ("language", ("mi",), ["water-quality"]),
        ("language", ("fr",), ["climate-policy"]),
        ("assessment_method", ("exam",), ["climate-policy", "data-analytics"]),
        ("credit_system", ("ects",), ["data-analytics"]),
        ("competency", (RISK,), ["climate-basics"]),
        ("competency", (POLICY,), ["climate-policy"]),
    ],
)
def test_facet_filter(run: Run, facet: str, values: tuple[str, ...], expected: list[str]) -> None:
    assert _found(run, facets={facet: values}) == expected


def test_filters_on_different_facets_all_apply(run: Run) -> None:
    found = _found(run, facets={"delivery_mode": ("online",), "assessment_method": ("exam",)})
    assert found == ["data-analytics"]


def test_filters_combine_with_text(run: Run) -> None:
    assert _found(run, text="climate", facets={"language": ("en",)}) == ["climate-basics"]


def test_suggested_alignment_is_not_a_competency_facet(run: Run) -> None:
    assert "climate-policy" not in _found(run, facets={"competency": (RISK,)})


def test_unknown_filter_is_invalid_input(run: Run) -> None:
    with pytest.raises(InvalidInput, match="unknown filter"):
        run(facets={"colour": ("blue",)})


# Ranges.


def test_hours_range_is_inclusive(run: Run) -> None:
    assert _found(run, hours_min=28, hours_max=40) == ["climate-basics", "climate-policy"]


def test_price_range_is_inclusive(run: Run) -> None:
    found = _found(run, price_min=0, price_max=695, facets={"currency": ("CAD",)})
    assert found == ["climate-basics"]


def test_price_range_compares_amounts_in_the_chosen_currency_only(run: Run) -> None:
    assert _found(run, price_max=1000, facets={"currency": ("NZD",)}) == ["water-quality"]


@pytest.mark.parametrize("currencies", [(), ("CAD", "NZD")])
def test_price_range_without_one_currency_is_invalid_input(
    run: Run, currencies: tuple[str, ...]
) -> None:
    with pytest.raises(InvalidInput, match="price_max: a price range compares amounts in one"):
        run(price_max=1000, facets={"currency": currencies})


def test_currency_is_a_facet_of_priced_records(run: Run) -> None:
    assert run().facets["currency"] == {"CAD": 2, "NZD": 1}


def test_ects_range_uses_stated_or_derived_ects(run: Run) -> None:
    assert _found(run, ects_min=1.5) == ["data-analytics"]


@pytest.mark.parametrize("name", ["hours", "price", "ects"])
def test_inverted_range_is_invalid_input(run: Run, name: str) -> None:
    with pytest.raises(InvalidInput, match=f"above {name}_max"):
        run(**{f"{name}_min": 10, f"{name}_max": 5}, facets={"currency": ("CAD",)})


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (101, 0), (10, -1)])
def test_page_outside_the_bounds_is_invalid_input(run: Run, limit: int, offset: int) -> None:
    with pytest.raises(InvalidInput):
        run(limit=limit, offset=offset)


# Sorting and pages.


def test_sort_by_title(run: Run) -> None:
    assert _ids(run(sort=SortOrder.TITLE)) == [
        "data-analytics",
        "climate-basics",
        "climate-policy",
        "water-quality",
    ]


def test_sort_by_hours(run: Run) -> None:
    assert _ids(run(sort=SortOrder.HOURS)) == [
        "water-quality",
        "climate-basics",
        "climate-policy",
        "data-analytics",
    ]


def test_sort_by_price_is_cheapest_first_within_each_currency_and_unpriced_last(
    run: Run,
) -> None:
    assert _ids(run(sort=SortOrder.PRICE)) == [
        "climate-basics",  # CAD 695
        "climate-policy",  # CAD 1200
        "water-quality",  # NZD 0
        "data-analytics",  # no price
    ]


def test_relevance_prefers_a_title_match(run: Run) -> None:
    assert _ids(run(text="assessment"))[0] == "water-quality"


def test_a_term_in_title_and_description_outranks_the_title_alone(run: Run) -> None:
    ranked = _ids(run(text="climate", statuses=ALL))
    assert set(ranked[:2]) == {"climate-basics", "climate-policy"}
    assert set(ranked[2:]) == {"climate-draft", "climate-retired"}


def test_pages_cover_every_result_once_with_a_stable_total(run: Run) -> None:
    pages = [run(sort=SortOrder.TITLE, limit=3, offset=offset) for offset in (0, 3)]
    assert [page.total for page in pages] == [4, 4]
    assert _ids(pages[0]) + _ids(pages[1]) == _ids(run(sort=SortOrder.TITLE))
    assert _ids(run(sort=SortOrder.TITLE, offset=10)) == []


# Facet counts.


def _direct_counts(ids: list[str]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
    for credential_id in ids:
        for facet, value in facet_values(RECORDS[credential_id]):
            counts[facet][value] += 1
    return counts


@pytest.mark.parametrize(
    "request_",
    [
        {},
        {"text": "climate"},
        {"statuses": ALL},
        {"facets": {"delivery_mode": ("online",)}},
        {"hours_max": 30},
    ],
    ids=["all", "text", "statuses", "filter", "range"],
)
def test_facet_counts_equal_a_direct_count(run: Run, request_: dict[str, Any]) -> None:
    result = run(limit=1, **request_)
    everything = _ids(run(limit=100, **request_))
    assert result.total == len(everything)
    direct = _direct_counts(everything)
    assert set(result.facets) == set(FACETS)
    for facet in FACETS:
        assert result.facets[facet] == dict(direct[facet]), facet


def test_facet_values_are_listed_by_falling_count(run: Run) -> None:
    counts = list(run().facets["jurisdiction"].items())
    assert counts[:2] == [("CA", 2), ("CA-BC", 2)]
