"""Interoperability with the reference JavaScript implementation (Digital Bazaar vc).

Both directions, offline: a badge credstack issued verifies with @digitalbazaar/vc and
the eddsa-rdfc-2022 cryptosuite; a badge the JavaScript stack issued verifies in
credstack, including strings with control characters (the N-Quads escaping trap).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credstack.badges.achievement import Profile, build_achievement
from credstack.badges.credential import Award, Recipient, build_open_badge_credential
from credstack.badges.did import did_key_signing_key
from credstack.badges.proof import sign_data_integrity
from credstack.badges.verify import verify_credential
from credstack.registry.files import load_record

JS = Path(__file__).parent / "js"
EXAMPLE = Path(__file__).parents[2] / "examples" / "rru-climate-adaptation-foundations.yaml"

pytestmark = pytest.mark.interop


@pytest.fixture(scope="module")
def node() -> str:
    executable = shutil.which("node")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is required in CI for the interoperability test")
        pytest.skip("node is not installed")
    if not (JS / "node_modules").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install the reference verifier")
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=JS,
                       check=True, capture_output=True, timeout=600)
    return executable


def js_verify(node: str, credentials: list[dict[str, Any]], tmp_path: Path) -> list[Any]:
    path = tmp_path / "credentials.json"
    path.write_text(json.dumps(credentials))
    done = subprocess.run([node, "verify.mjs", str(path)], cwd=JS, capture_output=True,
                          text=True, timeout=300)
    results: list[Any] = json.loads(done.stdout)["results"]
    return results


def credstack_badge(narrative: str) -> dict[str, Any]:
    key = did_key_signing_key(Ed25519PrivateKey.generate())
    issuer = Profile(key.controller, "Royal Roads University")
    achievement = build_achievement(load_record(EXAMPLE),
                                    achievement_id="https://credstack.example/achievements/1",
                                    creator=issuer)
    award = Award(Recipient("learner@example.org"), datetime(2026, 1, 5, tzinfo=UTC),
                  narrative=narrative)
    return sign_data_integrity(build_open_badge_credential(achievement, issuer, award), key)


def test_credstack_badge_verifies_in_the_reference_implementation(node: str,
                                                                   tmp_path: Path) -> None:
    results = js_verify(node, [credstack_badge("Competent in every criterion.")], tmp_path)
    assert results == [{"verified": True, "error": None}]


def test_credstack_badge_with_control_characters_verifies_in_javascript(node: str,
                                                                        tmp_path: Path) -> None:
    badge = credstack_badge("bell\x07 back\b form\f unit\x1f del\x7f")
    assert js_verify(node, [badge], tmp_path) == [{"verified": True, "error": None}]


def test_tampered_credstack_badge_fails_in_the_reference_implementation(node: str,
                                                                       tmp_path: Path) -> None:
    badge = credstack_badge("Competent.")
    badge["credentialSubject"]["narrative"] = "Excellent."
    assert js_verify(node, [badge], tmp_path)[0]["verified"] is False


@pytest.mark.parametrize("narrative", ["Competent.", "tab\t bs\b ff\f soh\x01 del\x7f"])
def test_reference_issued_badge_verifies_in_credstack(node: str, narrative: str) -> None:
    done = subprocess.run([node, "issue.mjs", narrative], cwd=JS, capture_output=True,
                          text=True, timeout=120, check=True)
    badge = json.loads(done.stdout)
    assert badge["credentialSubject"]["achievement"]["criteria"]["narrative"] == narrative
    report = verify_credential(badge)
    assert report.verified, report.to_json()
