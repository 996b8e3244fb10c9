"""What search engines read: schema.org JSON-LD on published credential pages (valid by
the schema.org vocabulary), sitemap.xml of published records, Atom feeds."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from interop_support import BASE_URL, DEMO_RECORDS

from credstack.api.app import create_app
from credstack.config import Settings
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.interop.schema_org import course_json_ld, script_text, vocabulary_problems
from credstack.registry import service
from credstack.store.unit_of_work import Database

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PUBLISHED = ("rru-caf-foundations-climate-adaptation", "vcc-addiction-counselling-skills")
DRAFT = "seneca-accessible-podcasting"
_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_every_demo_course_is_valid_by_the_schema_org_vocabulary(
    demo_record: MicroCredential,
) -> None:
    document = course_json_ld(demo_record, page_url=f"{BASE_URL}/credentials/{demo_record.id}")
    assert vocabulary_problems(document) == []


def test_course_carries_credential_offer_instance_and_provider(
    example_record: MicroCredential,
) -> None:
    course = course_json_ld(example_record, page_url=f"{BASE_URL}/x")
    assert course["@type"] == "Course"
    assert course["occupationalCredentialAwarded"]["@type"] == "EducationalOccupationalCredential"
    assert course["offers"] == {
        "@type": "Offer",
        "url": f"{BASE_URL}/x",
        "category": "Paid",
        "price": "695.00",
        "priceCurrency": "CAD",
    }
    assert course["hasCourseInstance"][0]["courseMode"] == "blended"
    assert course["timeRequired"] == "PT28H"
    assert course["provider"]["name"] == "Royal Roads University"


def test_vocabulary_check_names_a_wrong_property_and_range() -> None:
    problems = vocabulary_problems(
        {"@type": "Course", "courseMode": "online", "offers": {"@type": "CourseInstance"}}
    )
    assert problems == [
        "$.courseMode: not a property of Course",
        "$.offers: CourseInstance is not in the range of offers",
    ]


def test_script_text_cannot_close_the_script_element() -> None:
    text = script_text({"name": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"].startswith("</script>")


@pytest.fixture
def client(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app with two published records and one draft."""
    monkeypatch.setenv("CREDSTACK_BASE_URL", BASE_URL)
    with database.unit_of_work() as session:
        service.save_many(
            session, records=[DEMO_RECORDS[i] for i in (*PUBLISHED, DRAFT)], actor="t"
        )
        for credential_id in PUBLISHED:
            for status in (LifecycleStatus.SUBMITTED, LifecycleStatus.PUBLISHED):
                service.transition(session, credential_id=credential_id, target=status, actor="t")
    settings = Settings(database_url="unused", publish_standard="bc-assessment-standard")
    with TestClient(create_app(database, settings)) as test_client:
        yield test_client


def test_published_page_carries_its_json_ld(client: TestClient) -> None:
    page = client.get(f"/credentials/{PUBLISHED[0]}").text
    [block] = _SCRIPT.findall(page)
    document = json.loads(block)
    assert document["@id"] == f"{BASE_URL}/credentials/{PUBLISHED[0]}"
    assert vocabulary_problems(document) == []


def test_draft_page_carries_no_json_ld(client: TestClient) -> None:
    assert _SCRIPT.findall(client.get(f"/credentials/{DRAFT}").text) == []


def test_sitemap_lists_published_pages_only(client: TestClient) -> None:
    response = client.get("/sitemap.xml")
    assert response.headers["content-type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert locations == [
        f"{BASE_URL}/",
        *(f"{BASE_URL}/credentials/{i}" for i in sorted(PUBLISHED)),
    ]
    assert all(
        lastmod.text and lastmod.text.endswith("Z") for lastmod in root.iter(f"{SITEMAP}lastmod")
    )


def test_atom_feed_lists_published_records_newest_first(client: TestClient) -> None:
    response = client.get("/feeds/credentials.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    ids = [entry.findtext(f"{ATOM}id") for entry in root.iter(f"{ATOM}entry")]
    assert set(ids) == {f"{BASE_URL}/credentials/{i}" for i in PUBLISHED}
    updated = [entry.findtext(f"{ATOM}updated") for entry in root.iter(f"{ATOM}entry")]
    assert updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == updated[0]


def test_provider_feed_holds_only_that_provider(client: TestClient) -> None:
    root = ElementTree.fromstring(
        client.get("/feeds/providers/royal-roads-university.atom").content
    )
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert titles == [DEMO_RECORDS[PUBLISHED[0]].title]


def test_feed_of_an_unknown_provider_is_404(client: TestClient) -> None:
    assert client.get("/feeds/providers/nobody.atom").status_code == 404
