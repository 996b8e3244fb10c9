"""Pure display helpers of the portal: query parsing, links, CIS sections, comparison rows."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credstack.domain.codes import COUNTRIES, SUBDIVISIONS
from credstack.domain.credential import MicroCredential
from credstack.registry.query import SortOrder
from credstack.web import labels
from credstack.web.compare_view import compare_rows, select_ids
from credstack.web.credential_view import (
    Link,
    credential_view,
    credit_lines,
    effort_table,
    level_lines,
    safe_href,
)
from credstack.web.search_view import (
    PAGE_SIZE,
    SearchForm,
    facet_groups,
    link,
    pagination,
    parse_search,
    to_request,
)

# --- search form ---------------------------------------------------------------------

Factory = Callable[..., Any]


def test_parse_search_reads_text_facets_ranges_sort_and_page() -> None:
    form = parse_search([("q", " climate "), ("provider", "rru"), ("provider", "ubc"),
                         ("hours_min", "10"), ("price_max", "500.5"), ("currency", "CAD"),
                         ("sort", "price"), ("page", "3")])
    assert form.text == "climate"
    assert form.facets == {"provider": ("rru", "ubc"), "currency": ("CAD",)}
    assert form.ranges == {"hours_min": 10.0, "price_max": 500.5}
    assert form.sort is SortOrder.PRICE
    assert form.page == 3
    assert form.problems == ()


def test_parse_search_ignores_empty_form_fields() -> None:
    form = parse_search([("q", ""), ("hours_min", ""), ("sort", ""), ("page", "")])
    assert form.ranges == {} and form.problems == () and form.page == 1


def test_parse_search_rejects_negative_and_non_numbers_with_a_message() -> None:
    form = parse_search([("hours_min", "-1"), ("price_max", "nan"), ("page", "0")])
    assert form.ranges == {}
    assert form.problems == (
        "Hours from: expected a number of 0 or more, got '-1'",
        "Price to: expected a number of 0 or more, got 'nan'",
        "Page: expected a whole number from 1 to 5000, got '0'",
    )


def test_parse_search_reports_a_range_whose_from_is_above_its_to() -> None:
    form = parse_search([("hours_min", "50"), ("hours_max", "10")])
    assert form.ranges == {}
    assert form.problems == ("Hours: the 'from' value is above the 'to' value",)


def test_to_request_asks_for_published_records_of_one_page() -> None:
    request = to_request(SearchForm(text="x", page=3))
    assert [s.value for s in request.statuses] == ["published"]
    assert (request.limit, request.offset) == (PAGE_SIZE, 2 * PAGE_SIZE)


@given(st.lists(st.tuples(st.sampled_from(["q", "provider", "hours_min", "price_max", "sort",
                                           "page", "currency", "other"]),
                          st.text(max_size=20))))
def test_parse_search_never_fails_and_always_builds_a_valid_request(
    params: list[tuple[str, str]],
) -> None:
    form = parse_search(params)
    request = to_request(form)
    assert request.offset >= 0
    for low, high in ((request.hours_min, request.hours_max),
                      (request.price_min, request.price_max)):
        assert low is None or high is None or low <= high
    if request.price_max is not None:
        assert len(request.facets["currency"]) == 1


@given(st.lists(st.tuples(st.sampled_from(["q", "level", "page"]), st.text(max_size=10))),
       st.text(min_size=1, max_size=10))
def test_link_adds_a_filter_and_always_drops_the_page(params: list[tuple[str, str]],
                                                       value: str) -> None:
    href = link(params, add=[("level", value)])
    pairs = parse_qsl(urlsplit(href).query, keep_blank_values=True)
    assert ("level", value) in pairs
    assert all(name != "page" for name, _ in pairs)


def test_link_removes_one_value_of_a_repeated_filter() -> None:
    href = link([("q", "x"), ("level", "eqf:5"), ("level", "eqf:6")], remove=[("level", "eqf:5")])
    assert href == "/?q=x&level=eqf%3A6"


def test_facet_groups_keep_a_selected_value_without_results() -> None:
    form = parse_search([("language", "fr")])
    groups = {g.name: g for g in facet_groups(form, {"language": {"en": 3}}, [("language", "fr")],
                                              {})}
    options = {o.value: o for o in groups["language"].options}
    assert options["fr"].selected and options["fr"].count == 0 and options["fr"].href == "/"
    assert not options["en"].selected and options["en"].label == "English (en)"


def test_pagination_links_only_where_pages_exist() -> None:
    middle = pagination(SearchForm(page=2), total=45, params=[("page", "2")], shown=PAGE_SIZE)
    assert (middle.pages, middle.first_item, middle.last_item) == (3, 21, 40)
    assert middle.previous_href == "/" and middle.next_href == "/?page=3"
    last = pagination(SearchForm(page=3), total=45, params=[], shown=5)
    assert last.next_href is None and last.last_item == 45


# --- labels ----------------------------------------------------------------------------


def test_labels_read_as_words() -> None:
    assert labels.humanize("supervised_online_with_identity_verification") == (
        "Supervised online with identity verification")
    assert labels.money(Decimal("1200"), "EUR") == "EUR 1,200.00"
    assert labels.level_facet("nfq_ie:7") == "Irish NFQ level 7"
    assert labels.level_facet("unknown:x") == "unknown:x"
    assert labels.jurisdiction("CA-BC") == "British Columbia (CA-BC)"


@pytest.mark.parametrize(("code", "label"), [
    ("AU-NSW", "New South Wales (AU-NSW)"),
    ("NZ-CAN", "Canterbury (NZ-CAN)"),
    ("FR", "France (FR)"),
    ("AF-BAL", "Balkh (AF-BAL)"),
])
def test_jurisdiction_labels_use_iso_3166_names(code: str, label: str) -> None:
    assert labels.jurisdiction(code) == label


def test_every_accepted_region_code_gets_a_name() -> None:
    for code in sorted(SUBDIVISIONS | COUNTRIES):
        label = labels.jurisdiction(code)
        assert label != code and code in label, code


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_money_keeps_the_amount_to_the_cent(amount: Decimal) -> None:
    text = labels.money(amount, "CAD")
    assert Decimal(text.removeprefix("CAD ").replace(",", "")) == amount


# --- credential view ---------------------------------------------------------------------


def test_safe_href_allows_only_absolute_web_addresses() -> None:
    assert safe_href("https://esco.ec.europa.eu/x") == "https://esco.ec.europa.eu/x"
    for unsafe in ("javascript:alert(1)", "data:text/html,x", "//evil.example", "/relative", ""):
        assert safe_href(unsafe) is None


def test_effort_table_has_the_five_cis_components_in_order(example: MicroCredential) -> None:
    table = effort_table(example)
    assert table is not None
    assert [label for label, _ in table.rows] == [
        "Face-to-face", "Synchronous online", "Peer-to-peer", "Asynchronous (self-paced)",
        "Assessment"]
    assert table.total == "28 h" and table.peer_to_peer_mode == "online discussion forum"


def test_credit_lines_give_hours_and_the_ects_equivalent(variant: Factory) -> None:
    record = variant("xx", credits=[{"system": "ects", "value": 2},
                                   {"system": "ceu", "value": 3}])
    assert credit_lines(record) == ["2 ECTS credits = 50–60 notional hours",
                                    "3 CEUs = 30 notional hours, about 1.09 ECTS credits"]


def test_level_lines_say_when_no_eqf_crosswalk_is_published(variant: Factory) -> None:
    record = variant("xx", qualification_levels=[{"framework": "wsq", "level": 3},
                                                {"framework": "eqf", "level": 5}])
    assert level_lines(record) == ["Singapore WSQ level 3 (no published EQF crosswalk)",
                                   "EQF level 5"]


def test_credential_view_splits_required_elements_around_outcomes_and_effort(
    example: MicroCredential,
) -> None:
    view = credential_view(example)
    assert [s.key for s in view.required_before_outcomes] == ["provider", "description"]
    assert [s.key for s in view.required_before_effort] == [
        "language", "delivery_mode", "delivery_dates"]
    assert [s.key for s in view.required_after_effort] == [
        "inherent_requirements", "price", "assessment", "certification", "credit_recognition",
        "quality_assurance", "prerequisites"]
    assert len(view.recommended) + 1 == 7  # industry alignment is listed apart


def test_stack_targets_link_only_to_known_records_by_title(variant: Factory) -> None:
    record = variant("xx", stackability={"direction": "horizontal",
                                        "combines_with": ["known", "unknown"]})
    view = credential_view(record, {"known": "A Known Course"})
    stack = {s.key: s for s in view.recommended}["stackability"]
    combines = {row.label: row.items for row in stack.rows}["Combines with"]
    assert combines == (Link("A Known Course", "/credentials/known"), "unknown")


# --- comparison ------------------------------------------------------------------------


def test_select_ids_keeps_distinct_ids_and_refuses_more_than_four() -> None:
    selection = select_ids(["a", "b", "a", " ", "c", "d", "e"])
    assert selection.ids == ("a", "b", "c", "d", "e")
    assert selection.too_many
    assert not select_ids(["a", "b", "c", "d", "d"]).too_many


def test_compare_rows_mark_only_differing_elements(example: MicroCredential,
                                                   variant: Factory) -> None:
    cheaper = variant("cheaper", price={"amount": 10, "currency": "CAD", "tax_included": True})
    rows = {row.key: row for row in compare_rows([example, cheaper])}
    assert rows["price"].differs
    assert rows["price"].cells == (("CAD 695.00 (tax included)",), ("CAD 10.00 (tax included)",))
    assert not rows["assessment"].differs


def test_compare_rows_show_an_absent_element_as_an_empty_cell(example: MicroCredential,
                                                               variant: Factory) -> None:
    bare = variant("bare", expiry=None)
    rows = {row.key: row for row in compare_rows([example, bare])}
    assert rows["expiry"].cells == (("2028-06-30",), ())
