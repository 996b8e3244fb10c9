"""The pure model of a competency framework: competencies, occupations, proficiency scales.

No I/O here. A framework's content hash is computed from its concepts so that caches
(e.g. skill embeddings) can be keyed by what the framework says, not by its name.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from enum import StrEnum

FRAMEWORK_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class CompetencyType(StrEnum):
    """The kind of a competency (ESCO's skill types plus CASE's wider vocabulary)."""

    KNOWLEDGE = "knowledge"
    SKILL = "skill"
    ATTITUDE = "attitude"
    COMPETENCE = "competence"


class RelationType(StrEnum):
    """How much an occupation needs a skill (ESCO occupation–skill relations)."""

    ESSENTIAL = "essential"
    OPTIONAL = "optional"


@dataclass(frozen=True)
class Competency:
    """One competency (skill, knowledge, attitude) of a framework, identified by its URI."""

    uri: str
    preferred_label: str
    code: str | None = None
    alt_labels: tuple[str, ...] = ()
    description: str | None = None
    type: CompetencyType | None = None
    broader: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    # A grouping node of the hierarchy (ESCO skill group): navigable, never suggested.
    is_group: bool = False

    def labels(self) -> tuple[str, ...]:
        """The preferred label followed by the alternative labels."""
        return (self.preferred_label, *self.alt_labels)


@dataclass(frozen=True)
class OccupationConcept:
    """An occupation of a classification and the competencies it requires."""

    uri: str
    preferred_label: str
    code: str | None = None
    alt_labels: tuple[str, ...] = ()
    description: str | None = None
    group_code: str | None = None
    essential: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProficiencyLevel:
    """One step of a proficiency scale, in order from lowest to highest."""

    code: str
    label: str
    descriptor: str = ""


@dataclass(frozen=True)
class ProficiencyScale:
    """An ordered set of proficiency levels with descriptors."""

    id: str
    name: str
    levels: tuple[ProficiencyLevel, ...]

    def level(self, code: str) -> ProficiencyLevel | None:
        """The level with ``code`` (case-insensitive), or None."""
        wanted = code.strip().lower()
        for level in self.levels:
            if level.code.lower() == wanted or level.label.lower() == wanted:
                return level
        return None

    def rank(self, code: str) -> int:
        """The 0-based position of ``code`` in the scale (ValueError when absent)."""
        for position, level in enumerate(self.levels):
            if level.code.lower() == code.strip().lower():
                return position
        raise ValueError(f"'{code}' is not a level of scale '{self.id}'")


@dataclass(frozen=True)
class FrameworkInfo:
    """What identifies and describes a framework (its metadata, not its concepts)."""

    id: str
    name: str
    publisher: str
    version: str
    licence: str = ""
    source_uri: str = ""
    language: str = "en"
    kind: str = "custom"


@dataclass(frozen=True)
class Framework:
    """A framework with its competencies, occupations and proficiency scales."""

    info: FrameworkInfo
    competencies: tuple[Competency, ...]
    occupations: tuple[OccupationConcept, ...] = ()
    scales: tuple[ProficiencyScale, ...] = ()
    content_hash: str = field(default="", compare=False)
    _by_uri: dict[str, Competency] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self))

    def competency(self, uri: str) -> Competency | None:
        """The competency with ``uri``, or None."""
        if not self._by_uri:
            self._by_uri.update((competency.uri, competency) for competency in self.competencies)
        return self._by_uri.get(uri)

    def narrower(self, uri: str) -> list[Competency]:
        """The competencies whose broader concepts include ``uri``."""
        return [competency for competency in self.competencies if uri in competency.broader]


def content_hash(framework: Framework) -> str:
    """SHA-256 over the framework's version and concepts in a canonical order."""
    digest = hashlib.sha256()
    digest.update(json.dumps([framework.info.id, framework.info.version]).encode())
    for competency in sorted(framework.competencies, key=lambda item: item.uri):
        digest.update(
            json.dumps(
                [
                    competency.uri,
                    competency.code,
                    competency.preferred_label,
                    list(competency.alt_labels),
                    competency.description,
                    competency.type.value if competency.type else None,
                    list(competency.broader),
                    list(competency.collections),
                    competency.is_group,
                ],
                ensure_ascii=False,
            ).encode()
        )
    for occupation in sorted(framework.occupations, key=lambda item: item.uri):
        digest.update(
            json.dumps(
                [
                    occupation.uri,
                    occupation.code,
                    occupation.preferred_label,
                    list(occupation.alt_labels),
                    occupation.description,
                    occupation.group_code,
                    sorted(occupation.essential),
                    sorted(occupation.optional),
                ],
                ensure_ascii=False,
            ).encode()
        )
    return digest.hexdigest()


def parse_type(value: str | None) -> CompetencyType | None:
    """A competency type from ESCO's or CASE's wording (None when blank or unknown)."""
    if not value:
        return None
    text = value.strip().lower()
    if text in ("skill/competence", "skill"):
        return CompetencyType.SKILL
    for member in CompetencyType:
        if text == member.value:
            return member
    return None
