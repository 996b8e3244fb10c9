"""Comparison: up to four micro-credentials side by side, one row per CIS element."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

IDS = ("rru-caf-foundations-climate-adaptation", "ubc-data-basics", "setu-climate-policy")

Factory = Callable[..., Any]


def column_titles(page: str) -> list[str]:
    return re.findall(r'<th scope="col"><a href="/credentials/[^"]+">([^<]+)</a></th>', page)


def row(page: str, key: str) -> str:
    match = re.search(rf'<tr class="[^"]*" data-element="{key}">.*?</tr>', page, re.S)
    assert match, f"no row {key}"
    return match.group(0)


def test_puts_records_side_by_side_in_the_order_given(portal: TestClient) -> None:
    page = portal.get("/compare", params=[("id", IDS[1]), ("id", IDS[0])]).text
    assert column_titles(page) == ["Data Analysis Basics", "Foundations of Climate Adaptation"]


def test_rows_are_cis_elements_and_mark_differences(portal: TestClient) -> None:
    page = portal.get("/compare", params=[("id", IDS[0]), ("id", IDS[1])]).text
    delivery = row(page, "delivery_mode")
    assert 'class="differs"' in delivery
    assert "Online, asynchronous" in delivery and "Blended, mixed" in delivery
    assert 'class=""' in row(page, "assessment")
    assert "28 h" in row(page, "learner_effort") and "10 h" in row(page, "learner_effort")


def test_refuses_more_than_four_and_names_every_choice(portal: TestClient,
                                                       variant: Factory, store: Factory) -> None:
    for extra in ("extra-a", "extra-b"):
        store(variant(extra, title=f"Course {extra}"))
    ids = [*IDS, "extra-a", "extra-b"]
    response = portal.get("/compare", params=[("id", i) for i in ids])
    assert response.status_code == 422
    page = response.text
    assert column_titles(page) == []
    assert "You can compare at most 4 micro-credentials at once; you chose 5" in page
    for title in ("Course extra-a", "Course extra-b", "Foundations of Climate Adaptation"):
        assert title in page


def test_compares_exactly_four(portal: TestClient, variant: Factory, store: Factory) -> None:
    store(variant("extra-a", title="Course extra-a"))
    response = portal.get("/compare", params=[("id", i) for i in [*IDS, "extra-a"]])
    assert response.status_code == 200
    assert len(column_titles(response.text)) == 4


def test_unknown_ids_are_named(portal: TestClient) -> None:
    page = portal.get("/compare", params=[("id", IDS[0]), ("id", "missing-one")]).text
    assert column_titles(page) == ["Foundations of Climate Adaptation"]
    assert "Not in the registry: missing-one." in page


def test_without_ids_explains_how_to_choose(portal: TestClient) -> None:
    page = portal.get("/compare").text
    assert "tick “Compare” on up to 4 search results" in page
