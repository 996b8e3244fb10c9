"""CTDL condition profiles read back into the CIS: the competencies a credential
requires or teaches (learning outcomes and their alignments), its assessment,
prerequisites and inherent requirements, and what it prepares for (credit recognition,
stacking). The inverse of the conditions ``ctdl_sections`` writes."""

from __future__ import annotations

from typing import Any

from credstack.domain.vocabulary import (
    AssessmentMethod,
    AssessmentType,
    RecognitionType,
    StackingDirection,
)
from credstack.interop import ctdl_terms as terms
from credstack.interop.ctdl_read import Node, Reader, enum_value, objects, refs, text, texts
from credstack.interop.ctdl_sections import (
    ASSESSMENT,
    COMPETENCIES,
    INHERENT,
    PREREQUISITES,
    RECOGNITION_NAMES,
    STACKING,
)

_RECOGNITION = {label: kind for kind, label in RECOGNITION_NAMES.items()}


def _competency_alignments(
    reader: Reader, competency: Node, cao_by_uri: dict[str, Node]
) -> list[dict[str, Any]]:
    found = []
    for uri in refs(competency.get("ceasn:exactAlignment")):
        cao = cao_by_uri.get(uri, {})
        found.append(
            {
                "uri": uri,
                "label": text(cao.get("ceterms:targetNodeName")) or uri,
                "framework": text(cao.get("ceterms:frameworkName"))
                or text(cao.get("ceterms:framework"))
                or uri.split("/")[2]
                if "//" in uri
                else uri,
                **({"code": code} if (code := text(cao.get("ceterms:codedNotation"))) else {}),
            }
        )
    return found


def _outcomes(reader: Reader, caos: list[Node], member: str) -> None:
    cao_by_uri = {uri: cao for cao in caos if (uri := text(cao.get("ceterms:targetNode")))}
    aligned = {
        uri
        for cao in caos
        if (target := reader.pool.get(text(cao.get("ceterms:targetNode")) or ""))
        for uri in refs(target.get("ceasn:exactAlignment"))
    }
    outcomes = reader.document.setdefault("learning_outcomes", [])
    for cao in caos:
        uri = text(cao.get("ceterms:targetNode")) or ""
        if uri in aligned:
            continue
        competency = reader.pool.get(uri) if uri else None
        statement = (
            reader.text(competency.get("ceasn:competencyText")) if competency else None
        ) or reader.text(cao.get("ceterms:targetNodeName"))
        if not statement:
            reader.note(member, "a competency without text")
            continue
        code = text(competency.get("ceasn:codedNotation")) if competency else None
        outcome: dict[str, Any] = {
            "id": code or text(cao.get("ceterms:codedNotation")) or f"LO{len(outcomes) + 1}",
            "statement": statement,
        }
        if competency and (alignments := _competency_alignments(reader, competency, cao_by_uri)):
            outcome["alignments"] = alignments
        outcomes.append(outcome)


def teaches(reader: Reader) -> None:
    """Learning outcomes from ``ceterms:teaches``."""
    _outcomes(reader, reader.values("ceterms:teaches"), "ceterms:teaches")


def requires(reader: Reader) -> None:
    """Outcomes, assessment, prerequisites and inherent requirements from ``ceterms:requires``."""
    for index, profile in enumerate(reader.values("ceterms:requires")):
        name = reader.text(profile.get("ceterms:name"))
        where = f"ceterms:requires[{index}]"
        if name == COMPETENCIES or (name is None and profile.get("ceterms:targetCompetency")):
            _outcomes(reader, objects(profile.get("ceterms:targetCompetency")), where)
        elif name == ASSESSMENT:
            _assessment(reader, profile, where)
        elif name == INHERENT:
            reader.document["inherent_requirements"] = texts(profile.get("ceterms:condition"))
        elif name == PREREQUISITES or name is None or "prerequisites" not in reader.document:
            _prerequisites(reader, profile, where, named=name == PREREQUISITES)
        else:
            reader.note(where, "a further condition with no CIS element")


def _assessment(reader: Reader, profile: Node, where: str) -> None:
    methods: list[str] = []
    for concept in objects(profile.get("ceterms:assessmentMethodType")):
        code = text(concept.get("ceterms:codedNotation"))
        node = text(concept.get("ceterms:targetNode")) or ""
        method = enum_value(code, {m.value for m in AssessmentMethod}) or (
            terms.ASSESSMENT_FROM_NODE[node].value if node in terms.ASSESSMENT_FROM_NODE else None
        )
        if method and method not in methods:
            methods.append(method)
    kinds = [c.removeprefix("type: ") for c in texts(profile.get("ceterms:condition"))]
    kind = next((k for k in kinds if k in {t.value for t in AssessmentType}), None)
    if not methods or kind is None:
        reader.note(where, "an assessment needs its methods and type (competency or proficiency)")
        return
    description = reader.text(profile.get("ceterms:description"))
    reader.document["assessment"] = {
        "methods": methods,
        "type": kind,
        **(
            {"description": description}
            if description and description != f"{kind} assessment"
            else {}
        ),
    }


def _prerequisites(reader: Reader, profile: Node, where: str, *, named: bool) -> None:
    credentials = texts(profile.get("ceterms:condition"))
    experience = text(profile.get("ceterms:experience"))
    description = reader.text(profile.get("ceterms:description"))
    if named and description == "None." and not credentials and not experience:
        reader.document["prerequisites"] = {"none": True}
        return
    if not named and not experience:
        experience = description
    if not credentials and not experience:
        reader.note(where, "a condition with no requirement text")
        return
    reader.document["prerequisites"] = {
        "credentials": credentials,
        **({"experience": experience} if experience else {}),
    }


def recognition(reader: Reader) -> None:
    """Credit recognition and stacking from ``ceterms:isPreparationFor``."""
    recognitions = []
    for index, profile in enumerate(reader.values("ceterms:isPreparationFor")):
        name = reader.text(profile.get("ceterms:name")) or ""
        description = reader.text(profile.get("ceterms:description"))
        targets = texts(profile.get("ceterms:condition"))
        if name.startswith(STACKING):
            direction = name.removeprefix(STACKING).strip(" ()")
            if direction not in {d.value for d in StackingDirection}:
                reader.note(f"ceterms:isPreparationFor[{index}]", f"unknown stacking '{direction}'")
                continue
            reader.document["stackability"] = {
                "direction": direction,
                "stacks_into": [{"title": t} for t in targets],
                **(
                    {"description": description}
                    if description and description != f"{direction} stacking"
                    else {}
                ),
            }
            continue
        kind = _RECOGNITION.get(name, RecognitionType.OTHER)
        if not description:
            reader.note(f"ceterms:isPreparationFor[{index}]", "a recognition needs a description")
            continue
        item: dict[str, Any] = {"type": kind.value, "description": description}
        if targets:
            item["towards"] = targets[0]
        if isinstance(credits := profile.get("ceterms:creditUnitValue"), int | float):
            item["credits"] = credits
        recognitions.append(item)
    if recognitions:
        reader.document["credit_recognition"] = recognitions
