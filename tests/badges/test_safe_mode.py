"""Safe mode: a signed badge never verifies with a member its signature does not cover.

Each attack of issue 8's report, then the general property: adding any member that
canonicalization would drop, anywhere in a signed badge, fails the proof check and
the reason names the member's path.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from badges_support import NOW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credstack.badges.verify import VerificationReport, verify_credential


def failures(report: VerificationReport) -> dict[str, str]:
    return {check.name: check.reason for check in report.checks if check.passed is False}


def proof_failure(document: Any) -> str:
    report = verify_credential(document, now=NOW)
    assert not report.verified
    return failures(report)["proof"]


def test_rejects_a_top_level_key_that_looks_like_a_keyword(signed_badge: dict[str, Any]) -> None:
    signed_badge["@evil"] = "ADMIN GRANTED"
    assert proof_failure(signed_badge).startswith(
        "@evil: looks like a JSON-LD keyword but is not one")


def test_rejects_a_keyword_like_key_inside_the_achievement(signed_badge: dict[str, Any]) -> None:
    signed_badge["credentialSubject"]["achievement"]["@note"] = "Grade A+ with honours"
    assert proof_failure(signed_badge).startswith("credentialSubject.achievement.@note: ")


def test_rejects_an_undefined_term_with_a_null_value(signed_badge: dict[str, Any]) -> None:
    signed_badge["evilField"] = None
    assert proof_failure(signed_badge).startswith("evilField: a null value; canonicalization")


def test_rejects_an_undefined_term_with_a_value(signed_badge: dict[str, Any]) -> None:
    signed_badge["credentialSubject"]["grade"] = "A+"
    assert proof_failure(signed_badge) == (
        "credentialSubject.grade: term 'grade' is not defined by any of the contexts")


def test_rejects_a_null_item_in_an_array(signed_badge: dict[str, Any]) -> None:
    signed_badge["type"].append(None)
    assert proof_failure(signed_badge).startswith("type[2]: a null item")


def test_rejects_an_undefined_type(signed_badge: dict[str, Any]) -> None:
    signed_badge["credentialSubject"]["achievement"]["type"] = ["Achievement", "Doctorate"]
    assert proof_failure(signed_badge) == (
        "credentialSubject.achievement.type[1]: type 'Doctorate' is not defined by any of "
        "the contexts")


def test_rejects_a_relative_id(signed_badge: dict[str, Any]) -> None:
    signed_badge["credentialSubject"]["achievement"]["id"] = "achievements/doctorate"
    assert proof_failure(signed_badge).startswith(
        "credentialSubject.achievement.id: 'achievements/doctorate' is a relative IRI")


def test_names_each_dropped_member(signed_badge: dict[str, Any]) -> None:
    signed_badge["@evil"] = 1
    signed_badge["evidence"][0]["@note"] = 2
    reason = proof_failure(signed_badge)
    assert "@evil: " in reason and "evidence[0].@note: " in reason


def test_rejects_a_dropped_member_of_the_proof(signed_badge: dict[str, Any]) -> None:
    signed_badge["proof"]["@evil"] = "x"
    assert proof_failure(signed_badge).startswith("proof.@evil: looks like a JSON-LD keyword")


def test_rejects_a_repeated_key_that_shows_another_name(signed_badge: dict[str, Any]) -> None:
    text = json.dumps(signed_badge).replace("{", '{"name": "Doctorate of Evil", ', 1)
    report = verify_credential(text, now=NOW)
    assert not report.verified
    assert failures(report)["input"].startswith("duplicate key 'name'")


def _objects(value: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        found.append(value)
        for key, item in value.items():
            if key != "@context":
                _objects(item, found)
    elif isinstance(value, list):
        for item in value:
            _objects(item, found)
    return found


KEYWORD_LIKE = st.from_regex(r"@[a-z]{1,8}", fullmatch=True).filter(
    lambda key: key not in {"@base", "@container", "@context", "@direction", "@graph", "@id",
                            "@import", "@included", "@index", "@json", "@language", "@list",
                            "@nest", "@none", "@prefix", "@propagate", "@protected",
                            "@reverse", "@set", "@type", "@value", "@version", "@vocab"})
UNDEFINED_TERM = st.from_regex(r"zz[A-Za-z]{1,8}", fullmatch=True)
# Each example starts from a fresh copy of the fixture badge.
FIXTURE_OK = [HealthCheck.function_scoped_fixture]
ANY_VALUE = st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.lists(
    st.text(max_size=5), max_size=3) | st.dictionaries(st.just("zzInner"), st.text(max_size=5))


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURE_OK)
@given(data=st.data(), key=KEYWORD_LIKE | UNDEFINED_TERM, value=ANY_VALUE)
def test_adding_any_undefined_member_anywhere_never_verifies(
    signed_badge: dict[str, Any], data: st.DataObject, key: str, value: Any
) -> None:
    badge = copy.deepcopy(signed_badge)
    target = data.draw(st.sampled_from(_objects(badge, [])))
    target[key] = value
    report = verify_credential(badge, now=NOW)
    assert not report.verified
    assert key in failures(report)["proof"]


@settings(max_examples=20, deadline=None, suppress_health_check=FIXTURE_OK)
@given(data=st.data())
def test_a_null_anywhere_never_verifies(signed_badge: dict[str, Any], data: st.DataObject) -> None:
    badge = copy.deepcopy(signed_badge)
    target = data.draw(st.sampled_from(_objects(badge, [])))
    key = data.draw(st.sampled_from(sorted(target)))
    target[key] = None
    assert not verify_credential(badge, now=NOW).verified


def test_names_a_relative_iri_held_by_a_term_typed_id(signed_badge: dict[str, Any]) -> None:
    signed_badge["issuer"] = "issuers/royal-roads"  # VC 2.0: issuer is typed @id
    assert proof_failure(signed_badge).startswith(
        "issuer: 'issuers/royal-roads' is a relative IRI, which canonicalization drops")
