"""Benchmark: issue N Open Badges, verify them with credstack (Data Integrity and VC-JWT)
and with the JavaScript reference (Digital Bazaar vc, one node process, verification
time only), in the same run. Prints one JSON line.

Also the time to refuse hostile credentials against the verification deadline
(``Limits.max_seconds``): the 170 KB badge whose ``tag`` array holds 19,000 strings
(issue 8: 104 s before), and a large one made slow (60 arrays of 1,000 strings).

Usage: python bench/badges.py [--n 200]
Targets (issue 5): verify_di_per_s >= js_verify_di_per_s; verify_jwt_per_s >= 2000.
Target (issue 8): reject_19000_tags_s and reject_slow_s below deadline_s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credstack.badges.achievement import Profile, RubricCriterion, RubricLevel, build_achievement
from credstack.badges.credential import (
    Award,
    CriterionResult,
    EvidenceItem,
    Recipient,
    build_open_badge_credential,
)
from credstack.badges.did import OfflineResolver, did_key_signing_key
from credstack.badges.jwt import sign_jwt, verify_jwt
from credstack.badges.limits import DEFAULT_LIMITS
from credstack.badges.proof import sign_data_integrity, verify_data_integrity
from credstack.badges.verify import verify_credential
from credstack.registry.files import load_record

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "tests" / "interop" / "js"
EXAMPLE = ROOT / "examples" / "rru-climate-adaptation-foundations.yaml"
BASE = "https://credstack.example"


def _rubric() -> list[RubricCriterion]:
    levels = tuple(RubricLevel(f"{BASE}/rubric/c1/l{i}", name) for i, name in
                   enumerate(["Beginning", "Developing", "Competent"]))
    return [RubricCriterion(f"{BASE}/rubric/c1", "Assess climate risk", levels,
                            required_level=levels[-1].id, outcome_ids=("LO2",))]


def _unsigned(n: int, issuer: Profile) -> list[dict[str, Any]]:
    achievement = build_achievement(load_record(EXAMPLE), achievement_id=f"{BASE}/achievements/1",
                                    creator=issuer, rubric=_rubric())
    badges = []
    for index in range(n):
        award = Award(
            Recipient(f"learner{index}@example.org"),
            datetime(2026, 2, 1, tzinfo=UTC),
            results=[CriterionResult(f"{BASE}/rubric/c1", f"{BASE}/rubric/c1/l2", "Completed")],
            evidence=[EvidenceItem(id=f"{BASE}/evidence/{index}", name="Adaptation plan")],
        )
        badges.append(build_open_badge_credential(achievement, issuer, award))
    return badges


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def _js_verify(credentials: list[dict[str, Any]]) -> tuple[float | None, bool]:
    node = shutil.which("node")
    if node is None:
        return None, False
    if not (JS / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=JS,
                       check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "badges.json"
        path.write_text(json.dumps(credentials))
        done = subprocess.run([node, "verify.mjs", str(path)], cwd=JS, capture_output=True,
                              text=True, check=False)
    output = json.loads(done.stdout)
    all_verified = all(result["verified"] for result in output["results"])
    return _rate(len(credentials), output["seconds"]), all_verified


def _reject_seconds(credential: dict[str, Any]) -> tuple[float, bool]:
    """Seconds to verify ``credential`` sent as text, and whether it was refused."""
    text = json.dumps(credential)
    started = time.perf_counter()
    report = verify_credential(text)
    return round(time.perf_counter() - started, 3), not report.verified


def _hostile(badge: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    tagged = json.loads(json.dumps(badge))
    tagged["credentialSubject"]["achievement"]["tag"] = [f"tag {i}" for i in range(19_000)]
    slow = json.loads(json.dumps(badge))
    for index in range(60):
        slow["credentialSubject"]["achievement"][f"notes{index}"] = [
            f"note {index}.{item}" for item in range(1_000)]
    return tagged, slow


def main() -> None:
    """Run the benchmark and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200, help="number of badges")
    n = parser.parse_args().n
    key = did_key_signing_key(Ed25519PrivateKey.generate())
    issuer = Profile(key.controller, "Royal Roads University")
    resolver = OfflineResolver()
    unsigned = _unsigned(n, issuer)

    started = time.perf_counter()
    signed = [sign_data_integrity(badge, key) for badge in unsigned]
    issue_seconds = time.perf_counter() - started

    started = time.perf_counter()
    di_ok = all(verify_data_integrity(badge, resolver).verified for badge in signed)
    verify_di_seconds = time.perf_counter() - started

    tokens = [sign_jwt(badge, key) for badge in unsigned]
    started = time.perf_counter()
    for token in tokens:
        verify_jwt(token, resolver)
    verify_jwt_seconds = time.perf_counter() - started

    js_rate, js_ok = _js_verify(signed)
    tagged, slow = _hostile(signed[0])
    reject_tags_s, tags_refused = _reject_seconds(tagged)
    reject_slow_s, slow_refused = _reject_seconds(slow)
    result = {
        "n": n,
        "issue_per_s": _rate(n, issue_seconds),
        "verify_di_per_s": _rate(n, verify_di_seconds),
        "verify_jwt_per_s": _rate(n, verify_jwt_seconds),
        "js_verify_di_per_s": js_rate,
        "di_vs_js": round(_rate(n, verify_di_seconds) / js_rate, 2) if js_rate else None,
        "all_verified_credstack": di_ok,
        "all_verified_js": js_ok,
        "deadline_s": DEFAULT_LIMITS.max_seconds,
        "reject_19000_tags_s": reject_tags_s,
        "reject_slow_s": reject_slow_s,
        "hostile_refused": tags_refused and slow_refused,
    }
    print(json.dumps(result))
    sys.exit(0 if di_ok and (js_ok or js_rate is None) else 1)


if __name__ == "__main__":
    main()
