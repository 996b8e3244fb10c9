"""RDFC-1.0 canonicalization: the 1EdTech vector, escaping, safe mode and work limits."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from badges_support import VECTORS
from hypothesis import given
from hypothesis import strategies as st

from credstack.badges.canonical import Limits, canonicalize, escape_literal
from credstack.badges.errors import ContextRefused, InvalidJsonLd, WorkLimitExceeded
from credstack.badges.loader import OB_V3P0, VC_V2

TEST_VECTOR: dict[str, Any] = {
    "@context": [VC_V2, OB_V3P0],
    "id": "http://example.com/credentials/3527",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"],
               "url": "https://www.imsglobal.org", "name": "Example Corp"},
    "validFrom": "2010-01-01T00:00:00Z",
    "name": "Teamwork Badge",
    "credentialSubject": {
        "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://example.com/achievements/21st-century-skills/teamwork",
            "type": ["Achievement"],
            "criteria": {"narrative": "Team members are nominated for this badge by their peers "
                         "and recognized upon review by Example Corp management."},
            "description": "This badge recognizes the development of the capacity to "
                           "collaborate within a group environment.",
            "name": "Teamwork",
        },
    },
}


def _note(text: str) -> dict[str, Any]:
    return {"@context": [VC_V2], "id": "urn:uuid:1", "type": ["VerifiableCredential"],
            "name": text}


def test_reproduces_the_1edtech_ob_document_canonical_form_byte_for_byte() -> None:
    expected = (VECTORS / "ob-document-canon.txt").read_text()
    assert canonicalize(TEST_VECTOR) == expected


def test_escapes_control_characters_as_rdfc_1_0_requires() -> None:
    escaped = escape_literal('a\b\t\n\f\r"\\\x01\x1f\x7f')
    assert escaped == 'a\\b\\t\\n\\f\\r\\"\\\\\\u0001\\u001F\\u007F'


def test_canonical_literal_carries_escaped_control_characters() -> None:
    assert '"x\\u0001y\\by"' in canonicalize(_note("x\x01y\by"))


@given(st.text(max_size=40))
def test_escaped_literal_has_no_raw_control_characters(text: str) -> None:
    escaped = escape_literal(text)
    assert not any(ord(char) < 0x20 or ord(char) == 0x7F for char in escaped)


@given(st.text(max_size=40))
def test_escaping_round_trips_through_json_unescaping(text: str) -> None:
    # N-Quads ECHAR/UCHAR escapes are a subset of JSON string escapes.
    assert json.loads(f'"{escape_literal(text)}"') == text


def test_rdf_lists_get_consistent_blank_node_labels() -> None:
    document = {"@context": [VC_V2, OB_V3P0], "id": "https://x.example/rd",
                "type": ["ResultDescription"], "allowedValue": ["Developing", "Competent"]}
    lines = canonicalize(document).splitlines()
    subjects = {line.split(" ")[0] for line in lines if line.startswith("_:")}
    objects = {line.split(" ")[2] for line in lines if " _:" in line}
    assert objects <= subjects


def test_refuses_a_context_that_is_not_bundled() -> None:
    document = {"@context": ["https://evil.example/context.json"], "name": "x"}
    with pytest.raises(ContextRefused, match=r"evil\.example"):
        canonicalize(document)


def test_rejects_a_relative_iri() -> None:
    document = _note("x") | {"id": "achievement-1"}
    with pytest.raises(InvalidJsonLd, match="relative IRI"):
        canonicalize(document)


def test_rejects_an_undefined_term_instead_of_dropping_it() -> None:
    with pytest.raises(InvalidJsonLd, match=r"'favouriteColour' is not defined"):
        canonicalize(_note("x") | {"favouriteColour": "red"})


def test_rejects_deeply_nested_json() -> None:
    nested: dict[str, Any] = {"name": "leaf"}
    for _ in range(100):
        nested = {"credentialSubject": nested}
    with pytest.raises(WorkLimitExceeded, match="deeper than"):
        canonicalize(_note("x") | {"credentialSubject": nested})


def test_rejects_a_blank_node_bomb_within_bounded_time() -> None:
    # Many indistinguishable blank nodes all linked to each other: the poison graph of
    # RDFC-1.0 section 4.4 (cost grows factorially without a limit).
    link = {"link": {"@id": "https://x.example/link", "@type": "@id"}}
    nodes: list[dict[str, Any]] = [{"id": f"_:n{i}"} for i in range(12)]
    for node in nodes:
        node["link"] = [other["id"] for other in nodes if other is not node]
    document = _note("bomb") | {"@context": [VC_V2, link], "credentialSubject": nodes}
    started = time.monotonic()
    with pytest.raises(WorkLimitExceeded):
        canonicalize(document, Limits(max_work=20_000, max_seconds=1.0))
    assert time.monotonic() - started < 5


def test_rejects_too_many_blank_nodes() -> None:
    evidence = [{"type": "Evidence", "name": str(i)} for i in range(50)]
    document = _note("many") | {"@context": [VC_V2, OB_V3P0], "evidence": evidence}
    with pytest.raises(WorkLimitExceeded, match="blank nodes"):
        canonicalize(document, Limits(max_blank_nodes=10))
