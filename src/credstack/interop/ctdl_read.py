"""Reading CTDL JSON-LD as it is found: current graphs, older single resources, drafts.

Values come as plain strings, language maps (``{"en": "..."}``), ``@value`` objects or
lists of any of these; references as URIs or ``{"@id": ...}``. The helpers here give
plain Python values whichever form a publisher used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from credstack.interop.ids import ctid_of

Node = dict[str, Any]
Note = Callable[[str, str], None]

# The 2017 pre-release drafts used schema.org names for the basics.
ALIASES = {
    "schema:name": "ceterms:name",
    "schema:description": "ceterms:description",
    "schema:url": "ceterms:subjectWebpage",
    "schema:address": "ceterms:address",
}
_DURATION = re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def nodes_of(data: Any) -> list[tuple[str, Node]]:
    """(location, resource) for every resource in a document: a graph, a list or one node."""
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        return [
            (f"@graph[{i}]", normalise(n))
            for i, n in enumerate(data["@graph"])
            if isinstance(n, dict)
        ]
    if isinstance(data, list):
        found: list[tuple[str, Node]] = []
        for index, item in enumerate(data):
            found += [
                (f"[{index}]" + (f".{where}" if where else ""), node)
                for where, node in nodes_of(item)
            ]
        return found
    if isinstance(data, dict):
        return [("", normalise(data))]
    return []


def normalise(node: Node) -> Node:
    """The node with draft-era names mapped to current CTDL names."""
    return {ALIASES.get(key, key): value for key, value in node.items()}


def is_empty(value: Any) -> bool:
    """Whether a value says nothing (old records carry many empty members)."""
    if value in (None, "", [], {}):
        return True
    if isinstance(value, list):
        return all(is_empty(item) for item in value)
    return isinstance(value, dict) and set(value) <= {"@type"}


def text(value: Any, lang: str | None = None) -> str | None:
    """One string from a string, a language map, an ``@value`` object or a list of them."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for item in value:
            if found := text(item, lang):
                return found
        return None
    if isinstance(value, dict):
        if "@value" in value:
            return text(value["@value"])
        if lang and lang in value:
            return text(value[lang])
        for item in value.values():
            if found := text(item, lang):
                return found
    return None


def texts(value: Any) -> list[str]:
    """Every string of a list, a language map of lists, or a list of language maps."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [item for part in value for item in texts(part)]
    if isinstance(value, dict):
        if "@value" in value:
            return texts(value["@value"])
        first = next(iter(value.values()), None)
        return texts(first)
    return []


def language_of(value: Any) -> str | None:
    """The language key of a language map, if the value is one."""
    if isinstance(value, dict) and value and "@value" not in value:
        return str(next(iter(value)))
    return None


def refs(value: Any) -> list[str]:
    """The URIs a reference member points at."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and isinstance(value.get("@id"), str):
        return [value["@id"]]
    if isinstance(value, list):
        return [uri for item in value for uri in refs(item)]
    return []


def objects(value: Any) -> list[Node]:
    """The embedded objects of a member (one object or a list)."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def hours(duration: str) -> float | None:
    """Hours in an ISO 8601 duration (days count 24 h, weeks 7 days; years, months: None)."""
    match = _DURATION.match(duration.strip()) if isinstance(duration, str) else None
    if match is None or match.group("y") or match.group("mo") or duration.strip() in ("P", "PT"):
        return None
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    total = (parts.get("w", 0) * 7 + parts.get("d", 0)) * 24 + parts.get("h", 0)
    return round(total + parts.get("mi", 0) / 60 + parts.get("s", 0) / 3600, 4)


class Pool:
    """Every resource read in one import, found by ``@id`` or by CTID."""

    def __init__(self) -> None:
        self.by_key: dict[str, Node] = {}

    def add(self, node: Node) -> None:
        if isinstance(node.get("@id"), str):
            self.by_key[node["@id"]] = node
            if found := ctid_of(node["@id"]):
                self.by_key[found] = node
        if isinstance(node.get("ceterms:ctid"), str):
            self.by_key[node["ceterms:ctid"].lower()] = node

    def get(self, uri: str) -> Node | None:
        found = self.by_key.get(uri)
        if found is None and (key := ctid_of(uri)):
            found = self.by_key.get(key)
        return found


class Reader:
    """One credential node being read into a record's plain data, with the report hooks."""

    def __init__(
        self,
        node: Node,
        document: dict[str, Any],
        lang: str | None,
        pool: Pool,
        note: Note,
        assume: Note,
    ) -> None:
        self.node, self.document, self.lang, self.pool = node, document, lang, pool
        self.note, self.assume = note, assume

    def text(self, value: Any) -> str | None:
        return text(value, self.lang)

    def values(self, member: str) -> list[Node]:
        return objects(self.node.get(member))


def enum_value(value: str | None, values: set[str]) -> str | None:
    """``value`` if it is one of ``values``, else None."""
    return value if value in values else None
