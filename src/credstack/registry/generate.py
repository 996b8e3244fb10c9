"""A seeded generator of realistic synthetic registries (10^3 .. 10^6 records).

Records are complete CIS documents: providers across the scan's jurisdictions; subjects
drawn from ESCO occupations and their essential skills (so titles, topics and outcomes
use a real vocabulary with real word frequencies); hours and prices in the ranges the
scan reports. The same seed always gives the same registry.

This service uses the ESCO classification of the European Commission.
"""

from __future__ import annotations

import gzip
import itertools
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from credstack.domain.credential import MicroCredential

JURISDICTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    # country, region, currency, language, qualification framework
    ("CA", "CA-BC", "CAD", "en-CA", "ca_bc_credential_framework"),
    ("CA", "CA-ON", "CAD", "en-CA", "ca_on_qualifications_framework"),
    ("CA", "CA-AB", "CAD", "en-CA", "eqf"),
    ("CA", "CA-SK", "CAD", "en-CA", "eqf"),
    ("CA", "CA-QC", "CAD", "fr-CA", "eqf"),
    ("IE", "IE-D", "EUR", "en-IE", "nfq_ie"),
    ("AU", "AU-NSW", "AUD", "en-AU", "aqf"),
    ("AU", "AU-VIC", "AUD", "en-AU", "aqf"),
    ("NZ", "NZ-AUK", "NZD", "en-NZ", "nzqf"),
    ("SG", "SG-01", "SGD", "en-SG", "wsq"),
)
PROVIDER_KINDS = (
    ("University", "university"),
    ("College", "college"),
    ("Polytechnic", "polytechnic"),
    ("Institute of Technology", "institute_of_technology"),
    ("Skills Academy", "private_training_establishment"),
)
PLACES = (
    "Cascadia",
    "Fraser",
    "Okanagan",
    "Kootenay",
    "Northern Lights",
    "Prairie",
    "Lakeshore",
    "Harbour",
    "Summit",
    "Riverside",
    "Atlantic",
    "Pacific",
    "Capital",
    "Highland",
    "Coastal",
    "Midlands",
    "Southern Cross",
    "Tasman",
    "Emerald",
    "Lion City",
    "Redwood",
    "Aurora",
)
QUALIFIERS = (
    "Valley",
    "Bay",
    "Lakes",
    "Coast",
    "North",
    "City",
    "Ridge",
    "Harbourside",
    "Plains",
    "Island",
    "Forest",
    "Metropolitan",
)
VERBS = (
    "Apply",
    "Analyze",
    "Evaluate",
    "Design",
    "Explain",
    "Develop",
    "Implement",
    "Assess",
    "Communicate",
    "Demonstrate",
)
LEVEL_WORDS = (
    "Foundations",
    "Introduction",
    "Applied",
    "Advanced",
    "Essentials",
    "Practical",
    "Leading Practice",
)
METHODS = (
    "performance",
    "project",
    "problem",
    "scenario",
    "video_demonstration",
    "written",
    "portfolio",
    "workplace_observation",
    "dialogue",
    "exam",
    "case_study",
)
LEVEL_RANGE = {
    "ca_bc_credential_framework": (3, 8),
    "ca_on_qualifications_framework": (4, 10),
    "eqf": (4, 7),
    "nfq_ie": (6, 9),
    "aqf": (4, 8),
    "nzqf": (3, 8),
    "wsq": (2, 5),
}


def _provider(rng: random.Random, index: int) -> dict[str, Any]:
    country, region, _, _, _ = JURISDICTIONS[index % len(JURISDICTIONS)]
    kind, kind_type = PROVIDER_KINDS[(index // len(JURISDICTIONS)) % len(PROVIDER_KINDS)]
    place = PLACES[index % len(PLACES)]
    qualifier = QUALIFIERS[(index // len(PLACES)) % len(QUALIFIERS)]
    name = f"{place} {qualifier} {kind}"
    if index >= len(PLACES) * len(QUALIFIERS):
        name = f"{name} {index // (len(PLACES) * len(QUALIFIERS)) + 1}"
    slug = name.lower().replace(" ", "-")
    return {"id": slug, "name": name, "country": country, "region": region, "type": kind_type}


Subject = tuple[str, str, tuple[str, ...]]


@cache
def subjects() -> tuple[Subject, ...]:
    """(occupation, ISCO-08 group, essential skills) from the bundled ESCO extract."""
    data = resources.files("credstack.registry").joinpath("data/esco_occupation_skills.json.gz")
    payload = json.loads(gzip.decompress(data.read_bytes()))
    return tuple(
        (item["occupation"], item["isco"], tuple(item["skills"])) for item in payload["occupations"]
    )


def generate_documents(
    count: int, seed: int = 0, providers: int | None = None
) -> Iterator[dict[str, Any]]:
    """``count`` plain CIS documents (the file format), reproducible from ``seed``.

    By default there is one provider for every 40 records (at least 50); provider size
    follows a Zipf law (exponent 0.6), so the largest offers a few per cent of records.
    """
    rng = random.Random(seed)
    pool = [_provider(rng, index) for index in range(providers or max(50, count // 40))]
    rng.shuffle(pool)
    provider_weights = list(
        itertools.accumulate(1 / (rank**0.6) for rank in range(1, len(pool) + 1))
    )
    # Subject popularity follows a Zipf law too (exponent 0.8): the commonest is ~5 %.
    order = list(subjects())
    rng.shuffle(order)
    weights = list(itertools.accumulate(1 / (rank**0.8) for rank in range(1, len(order) + 1)))
    for number in range(count):
        provider = rng.choices(pool, cum_weights=provider_weights)[0]
        subject = rng.choices(order, cum_weights=weights)[0]
        yield _document(rng, number, provider, subject)


def _document(
    rng: random.Random, number: int, provider: dict[str, Any], subject: Subject
) -> dict[str, Any]:
    jurisdiction = next(j for j in JURISDICTIONS if j[1] == provider["region"])
    _, region, currency, language, framework = jurisdiction
    area, isco_group, skills = subject
    chosen_marked = rng.sample(skills, k=min(4, len(skills)))
    chosen = [label.lstrip("~") for label in chosen_marked]
    title = f"{area.capitalize()}: {chosen[0].capitalize()} ({rng.choice(LEVEL_WORDS)})"
    hours = [
        rng.choice((0, 4, 6, 8, 12)),
        rng.choice((0, 4, 6, 10)),
        rng.choice((0, 2, 4)),
        rng.choice((4, 8, 10, 15, 20, 40)),
        rng.choice((2, 4, 6, 10)),
    ]
    total = sum(hours)
    start = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 360))
    low, high = LEVEL_RANGE[framework]
    mode = rng.choice(("online", "onsite", "blended"))
    outcomes = [
        {"id": f"LO{index + 1}", "statement": _outcome(rng, label, area)}
        for index, label in enumerate(chosen_marked[: rng.randint(3, 4)])
    ]
    document: dict[str, Any] = {
        "id": f"gen-{number:07d}",
        "sample": True,
        "title": title,
        "provider": {"issuer": provider},
        "description": {
            "summary": f"A {total}-hour micro-credential for the {area} role covering "
            f"{', '.join(chosen)}.",
            "topics": chosen,
        },
        "learning_outcomes": outcomes,
        "language": [language],
        "delivery_mode": {
            "mode": mode,
            "engagement": rng.choice(("synchronous", "asynchronous", "mixed")),
            "locations": [] if mode == "online" else [f"{provider['name']} campus"],
        },
        "delivery_dates": (
            {"self_paced": True}
            if rng.random() < 0.3
            else {
                "start": start.isoformat(),
                "end": (start + timedelta(weeks=rng.randint(2, 14))).isoformat(),
            }
        ),
        "learner_effort": {
            "face_to_face_hours": hours[0],
            "synchronous_online_hours": hours[1],
            "peer_to_peer_hours": hours[2],
            "asynchronous_hours": hours[3],
            "assessment_hours": hours[4],
            "total_hours": total,
        },
        "inherent_requirements": ["A computer with internet access"],
        "price": {
            "amount": rng.choice((0, 150, 295, 450, 695, 950, 1200, 1800)),
            "currency": currency,
            "tax_included": rng.random() < 0.5,
        },
        "assessment": {
            "methods": rng.sample(METHODS, k=rng.randint(1, 3)),
            "type": "competency" if rng.random() < 0.8 else "proficiency",
            "summative": rng.random() < 0.9,
        },
        "certification": {"type": "digital_badge", "open_badges": rng.random() < 0.6},
        "credit_recognition": [
            {"type": "pathway", "description": f"Counts towards a {area} certificate."}
        ],
        "quality_assurance": {
            "type": "internal",
            "statement": f"Approved through {provider['name']} program review.",
        },
        "prerequisites": {"none": True},
        "qualification_levels": [{"framework": framework, "level": rng.randint(low, high)}],
    }
    if rng.random() < 0.7:
        document["expiry"] = {"review_date": (start + timedelta(days=730)).isoformat()}
    if rng.random() < 0.5:
        document["credits"] = [{"system": "ects", "value": max(1, round(total / 27.5))}]
    if rng.random() < 0.6:
        document["description"]["structure"] = (
            f"{rng.randint(2, 8)} modules, each ending with an assessed task."
        )
    if rng.random() < 0.5:
        document["industry_occupation"] = {
            "occupations": [{"classification": "isco-08", "code": isco_group, "label": area}]
        }
    if rng.random() < 0.4:
        document["industry_support"] = [
            {
                "organisation": f"{area.capitalize()} Employers' Council",
                "statement": "Endorsed by employers.",
            }
        ]
    document["jurisdiction"] = [region]
    return document


def _outcome(rng: random.Random, marked_label: str, area: str) -> str:
    if marked_label.startswith("~"):  # knowledge: needs a verb
        return f"{rng.choice(VERBS)} {marked_label[1:]} as applied in the work of {_a(area)}."
    return f"{marked_label.capitalize()} in the work of {_a(area)}."


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def generate_records(count: int, seed: int = 0) -> Iterator[MicroCredential]:
    """``count`` validated records, reproducible from ``seed``."""
    for document in generate_documents(count, seed):
        yield MicroCredential.model_validate(document)
