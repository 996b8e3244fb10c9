"""The credential page: the whole CIS as a readable summary, versions, status, 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from credstack.accounts.model import OrgRole
from credstack.domain.credential import MicroCredential
from credstack.registry import service
from credstack.store.unit_of_work import Database

Factory = Callable[..., Any]
EXAMPLE_ID = "rru-caf-foundations-climate-adaptation"
CIS_ELEMENTS = (
    "title", "provider", "description", "learning_outcomes", "language", "delivery_mode",
    "delivery_dates", "learner_effort", "inherent_requirements", "price", "assessment",
    "certification", "credit_recognition", "quality_assurance", "prerequisites",
    "expiry", "depth_of_learning", "jurisdiction", "industry_support", "stackability",
    "industry_occupation", "industry_alignment", "credits", "qualification_levels",
)


def section(page: str, key: str) -> str:
    """The HTML of one CIS element's section."""
    match = re.search(rf'<section class="element" id="{key}".*?</section>', page, re.S)
    assert match, f"no section {key}"
    return match.group(0)


def test_shows_every_cis_element_in_order(portal: TestClient) -> None:
    page = portal.get(f"/credentials/{EXAMPLE_ID}").text
    positions = [page.index(f'<section class="element" id="{key}"') for key in CIS_ELEMENTS]
    assert positions == sorted(positions)


def test_shows_title_provider_and_partner(portal: TestClient) -> None:
    page = portal.get(f"/credentials/{EXAMPLE_ID}").text
    assert "<h1>Foundations of Climate Adaptation</h1>" in page
    provider = section(page, "provider")
    assert '<a href="https://www.royalroads.ca">Royal Roads University</a>' in provider
    assert "<dt>Partner</dt><dd>Pacific Institute for Climate Solutions</dd>" in provider


def test_shows_learning_outcomes_with_alignments(portal: TestClient, variant: Factory,
                                                 store: Factory) -> None:
    aligned = variant("aligned", learning_outcomes=[{
        "id": "LO1", "statement": "Assess climate risks.",
        "alignments": [{"framework": "ESCO", "uri": "http://data.europa.eu/esco/skill/abc",
                        "label": "assess environmental risks",
                        "proficiency_level": "intermediate"}],
    }])
    store(aligned)
    outcomes = section(portal.get("/credentials/aligned").text, "learning_outcomes")
    assert "Assess climate risks." in outcomes
    assert ('<a href="http://data.europa.eu/esco/skill/abc">assess environmental risks</a>'
            in outcomes)
    assert "proficiency: intermediate" in outcomes


def test_learner_effort_is_a_table_of_five_components_and_total(portal: TestClient) -> None:
    effort = section(portal.get(f"/credentials/{EXAMPLE_ID}").text, "learner_effort")
    rows = re.findall(r'<th scope="row">([^<]+?) ?<.*?<td class="num">([^<]+)</td>', effort, re.S)
    assert rows == [("Face-to-face", "6 h"), ("Synchronous online", "6 h"),
                    ("Peer-to-peer", "3 h"), ("Asynchronous (self-paced)", "8 h"),
                    ("Assessment", "5 h"), ("Total", "28 h")]


def test_shows_price_and_financial_assistance(portal: TestClient) -> None:
    price = section(portal.get(f"/credentials/{EXAMPLE_ID}").text, "price")
    assert "CAD 695.00 (tax included)" in price
    assert "StrongerBC future skills grant: Covers up to $3,500" in price


def test_credits_show_ects_equivalent_and_levels_eqf(portal: TestClient, variant: Factory,
                                                     store: Factory) -> None:
    store(variant("nz-course", credits=[{"system": "nz_credit", "value": 5}],
                  qualification_levels=[{"framework": "nfq_ie", "level": 7}]))
    page = portal.get("/credentials/nz-course").text
    assert "5 NZQF credits = 50 notional hours, about 1.82 ECTS credits" in section(page, "credits")
    assert "Irish NFQ level 7 (EQF level 6)" in section(page, "qualification_levels")


def test_stackability_links_records_the_registry_holds(portal: TestClient, variant: Factory,
                                                       store: Factory) -> None:
    store(variant("stacked", stackability={
        "direction": "vertical", "combines_with": ["ubc-data-basics", "elsewhere-course"],
        "stacks_into": [{"title": "Climate Policy", "credential_id": "setu-climate-policy"}],
    }))
    stack = section(portal.get("/credentials/stacked").text, "stackability")
    assert '<a href="/credentials/ubc-data-basics">Data Analysis Basics</a>' in stack
    assert "<li>elsewhere-course</li>" in stack
    assert '<a href="/credentials/setu-climate-policy">Climate Policy</a>' in stack


def test_stackability_names_an_unpublished_record_by_its_id(portal: TestClient, variant: Factory,
                                                           store: Factory) -> None:
    store(variant("stacked", stackability={
        "direction": "horizontal", "combines_with": ["draft-course"]}))
    stack = section(portal.get("/credentials/stacked").text, "stackability")
    assert '<a href="/credentials/draft-course">draft-course</a>' in stack
    assert "Unpublished Draft Course" not in stack


def test_missing_elements_read_not_stated(portal: TestClient, variant: Factory,
                                          store: Factory) -> None:
    store(variant("sparse", price=None, industry_support=None, learner_effort=None))
    page = portal.get("/credentials/sparse").text
    for key in ("price", "industry_support", "learner_effort"):
        assert "Not stated" in section(page, key)


def test_status_badge_and_review_due(portal: TestClient, variant: Factory,
                                     store: Factory, bearer: Factory) -> None:
    store(variant("overdue", expiry={"review_date": "2020-01-31"}))
    page = portal.get("/credentials/overdue").text
    assert '<span class="badge status-published">Published</span>' in page
    assert "Review due since 2020-01-31" in page
    editor = bearer("editor@example.org", org_roles=[OrgRole.EDITOR])
    draft = portal.get("/credentials/draft-course", headers=editor).text
    assert '<span class="badge status-draft">Draft</span>' in draft
    assert "Review due" not in draft


def test_a_draft_is_not_found_by_anonymous_visitors(portal: TestClient) -> None:
    assert portal.get("/credentials/draft-course").status_code == 404


def test_version_selector_shows_an_older_version(portal: TestClient, database: Database,
                                                 example: MicroCredential) -> None:
    with database.unit_of_work() as session:
        service.save(session, actor="test", record=example.model_copy(
            update={"title": "Foundations of Climate Adaptation, 2nd ed."}))
    current = portal.get(f"/credentials/{EXAMPLE_ID}").text
    assert "2nd ed." in current
    assert re.search(r'<option value="1">1 — \d{4}-\d\d-\d\d by test</option>', current)
    older = portal.get(f"/credentials/{EXAMPLE_ID}", params={"version": "1"}).text
    assert "<h1>Foundations of Climate Adaptation</h1>" in older
    assert "You are reading version 1, not the current one" in older


def test_unknown_id_is_a_404_page(portal: TestClient) -> None:
    response = portal.get("/credentials/no-such-course")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no micro-credential with id &#39;no-such-course&#39;" in response.text


def test_unknown_version_is_a_404_page(portal: TestClient) -> None:
    for version in ("7", "zero", "0", "²"):
        response = portal.get(f"/credentials/{EXAMPLE_ID}", params={"version": version})
        assert response.status_code == 404


def test_record_text_is_escaped(portal: TestClient, variant: Factory, store: Factory) -> None:
    store(variant("hostile", title="<script>alert(1)</script>", industry_alignment=[
        {"framework": "x", "uri": "javascript:alert(1)", "label": "click me"}]))
    page = portal.get("/credentials/hostile").text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page
