"""Bounds on verification: array length before any JSON-LD work, one deadline over it all."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from badges_support import NOW
from hypothesis import given, settings
from hypothesis import strategies as st
from pyld import jsonld

from credstack.badges.canonical import canonicalize
from credstack.badges.errors import WorkLimitExceeded
from credstack.badges.expansion import expand_safely
from credstack.badges.limits import Limits, check_shape, deadline
from credstack.badges.loader import VC_V2, document_loader
from credstack.badges.verify import verify_credential


def _with_tags(badge: dict[str, Any], count: int) -> dict[str, Any]:
    tagged = copy.deepcopy(badge)
    tagged["credentialSubject"]["achievement"]["tag"] = [f"tag {i}" for i in range(count)]
    return tagged


def test_rejects_an_array_longer_than_the_limit_naming_it(signed_badge: dict[str, Any]) -> None:
    with pytest.raises(WorkLimitExceeded, match=r"credentialSubject\.achievement\.tag: an array "
                                                r"of 1001 items; the limit is 1000"):
        check_shape(_with_tags(signed_badge, 1001))


def test_a_credential_with_19000_tags_fails_the_input_check(signed_badge: dict[str, Any]) -> None:
    report = verify_credential(json.dumps(_with_tags(signed_badge, 19_000)), now=NOW)
    assert [(check.name, check.result) for check in report.checks][:3] == [
        ("input", "failed"), ("structure", "not run"), ("proof", "not run")]
    assert "an array of 19000 items" in report.checks[0].reason


def test_the_deadline_covers_json_ld_expansion(signed_badge: dict[str, Any]) -> None:
    with deadline(Limits(max_seconds=0)), pytest.raises(WorkLimitExceeded, match="longer than 0 s"):
        expand_safely(signed_badge)


def test_a_verification_past_its_deadline_fails_the_input_check(
    signed_badge: dict[str, Any],
) -> None:
    report = verify_credential(signed_badge, now=NOW, limits=Limits(max_seconds=0))
    assert not report.verified
    assert report.checks[0].reason.startswith(
        "too costly to verify: verification took longer than 0 s")
    assert {check.result for check in report.checks if check.name not in {"input", "structure"}
            } == {"not run"}


def test_an_outer_deadline_is_not_extended_by_an_inner_one() -> None:
    document = {"@context": [VC_V2], "id": "urn:uuid:1", "type": ["VerifiableCredential"],
                "description": [f"d{i}" for i in range(600)]}
    with (deadline(Limits(max_seconds=0)), deadline(Limits(max_seconds=60)),
          pytest.raises(WorkLimitExceeded)):
        canonicalize(document)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]) | st.integers(0, 3) | st.booleans(),
                max_size=30))
def test_repeated_literals_give_pyld_s_own_canonical_form(values: list[Any]) -> None:
    # The node map adds literals through a set, not pyld's pairwise comparison.
    document = {"@context": {"v": "https://x.example/v"}, "@id": "https://x.example/s",
                "v": values}
    reference = jsonld.normalize(document, {"algorithm": "URDNA2015", "format":
                                            "application/n-quads",
                                            "documentLoader": document_loader})
    assert canonicalize(document) == reference
