"""RDFC-1.0 canonicalization of JSON-LD, bounded against hostile input.

Built on pyld's JSON-LD to RDF conversion and its RDFC-1.0 (URDNA2015) hashing steps,
with the traps recorded in STANDARDS.md section 5 fixed here, locally (no global patch):

1. the algorithm is always RDFC-1.0 (pyld's ``normalize`` defaults to URGNA2012);
2. literals and IRIs are serialized with the canonical N-Quads escaping of RDFC-1.0
   section 4.3 / RDF 1.1 N-Quads: ECHAR for ``\\b \\t \\n \\f \\r " \\\\`` and upper-case
   UCHAR ``\\u00XX`` for every other U+0000-U+001F and U+007F (pyld escapes only five
   characters, which breaks signatures over strings with control characters);
3. a work limit (``limits``): bounded JSON size, depth and array length, bounded quads
   and blank nodes, a budget of hashing steps, and one wall-clock deadline over
   expansion, conversion to RDF and hashing (RDFC-1.0 section 4.4 asks implementations
   to guard against "poison" graphs), each raising ``WorkLimitExceeded``;
4. jsonld.js "safe mode" (``expansion``): every member that expansion would drop is an
   error naming its path, instead of a signature that silently covers less.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.identifier_issuer import IdentifierIssuer

from credstack.badges.errors import InvalidJsonLd, WorkLimitExceeded
from credstack.badges.expansion import expand_safely, expanded_to_rdf
from credstack.badges.limits import DEFAULT_LIMITS, Limits, check_deadline, check_shape, deadline

__all__ = ["DEFAULT_LIMITS", "Limits", "canonical_hash", "canonicalize", "check_shape"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_ECHAR = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
_LITERAL_TABLE = {code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F]}
_LITERAL_TABLE.update({ord(char): escaped for char, escaped in _ECHAR.items()})
_IRI_TABLE = {code: f"\\u{code:04X}" for code in [*range(0x21), *map(ord, '<>"{}|^`\\')]}


def escape_literal(value: str) -> str:
    """Escape a literal's lexical form as canonical N-Quads (RDFC-1.0 section 4.3)."""
    return value.translate(_LITERAL_TABLE)


def escape_iri(value: str) -> str:
    """Escape an IRI for N-Quads, as UCHAR, the way RDFC-1.0 implementations do."""
    return value.translate(_IRI_TABLE)


def _term(component: dict[str, Any]) -> str:
    kind = component["type"]
    if kind == "IRI":
        return f"<{escape_iri(component['value'])}>"
    if kind == "blank node":
        return str(component["value"])
    text = f'"{escape_literal(component["value"])}"'
    datatype = component.get("datatype", XSD_STRING)
    if datatype == RDF_LANGSTRING:
        return f"{text}@{component['language']}"
    if datatype != XSD_STRING:
        return f"{text}^^<{escape_iri(datatype)}>"
    return text


def serialize_quad(quad: dict[str, Any]) -> str:
    """One quad (pyld's dict form) as a canonical N-Quads line, newline included."""
    line = f"{_term(quad['subject'])} {_term(quad['predicate'])} {_term(quad['object'])}"
    name = quad.get("name")
    if name is not None:
        line += f" {_term(name)}"
    return line + " .\n"


class _Budget:
    """Counts hashing steps and watches the clock; raises when either runs out."""

    def __init__(self, limits: Limits) -> None:
        self.remaining = limits.max_work
        self.limits = limits

    def tick(self) -> None:
        self.remaining -= 1
        if self.remaining < 0:
            raise WorkLimitExceeded(
                f"canonicalization needs more than {self.limits.max_work} hashing steps "
                "(a graph built to make RDFC-1.0 explode?)"
            )
        if self.remaining % 64 == 0:
            check_deadline()


class _CountingIssuer(IdentifierIssuer):  # type: ignore[misc]
    """The canonical issuer; every lookup inside the permutation loop costs one step."""

    def __init__(self, prefix: str, budget: _Budget) -> None:
        super().__init__(prefix)
        self._budget = budget

    def has_id(self, old: str) -> bool:
        self._budget.tick()
        return bool(super().has_id(old))


class _BoundedRdfc(URDNA2015):  # type: ignore[misc]
    """RDFC-1.0 (URDNA2015) with our N-Quads serializer and a work budget.

    pyld's Hash N-Degree Quads (section 4.9) is reused; the steps that serialize quads
    (Hash First Degree Quads, section 4.7, and the final relabelling, section 4.4 step 7)
    are ours so that the escaping is right in the hashes as well as in the output.
    """

    def __init__(self, budget: _Budget) -> None:
        super().__init__()
        self._budget = budget
        self.canonical_issuer = _CountingIssuer("_:c14n", budget)

    def hash_n_degree_quads(self, id_: str, issuer: IdentifierIssuer) -> Any:
        self._budget.tick()
        return super().hash_n_degree_quads(id_, issuer)

    def hash_first_degree_quads(self, id_: str) -> str:
        info = self.blank_node_info[id_]
        if "hash" in info:
            return str(info["hash"])
        self._budget.tick()
        lines = []
        for quad in info["quads"]:
            relabelled = {
                key: (
                    {"type": "blank node", "value": "_:a" if part["value"] == id_ else "_:z"}
                    if key != "predicate" and part["type"] == "blank node"
                    else part
                )
                for key, part in quad.items()
            }
            lines.append(serialize_quad(relabelled))
        lines.sort()
        digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
        info["hash"] = digest
        return digest

    def canonical_nquads(self, dataset: dict[str, list[dict[str, Any]]]) -> str:
        """Run section 4.4 on a pyld dataset and serialize it (steps 1-8)."""
        for graph_name, triples in dataset.items():
            for quad in triples:
                if graph_name != "@default":
                    kind = "blank node" if graph_name.startswith("_:") else "IRI"
                    quad["name"] = {"type": kind, "value": graph_name}
                self.quads.append(quad)
                for key, part in quad.items():
                    if key != "predicate" and part["type"] == "blank node":
                        entry = self.blank_node_info.setdefault(part["value"], {"quads": []})
                        entry["quads"].append(quad)
        self._issue_simple_labels()
        self._issue_complex_labels()
        lines = []
        for quad in self.quads:
            # Section 4.4 step 7: a relabelled copy; pyld shares component objects
            # between quads, so relabelling in place would relabel twice.
            relabelled = {
                key: (
                    {"type": "blank node", "value": self.canonical_issuer.get_id(part["value"])}
                    if key != "predicate" and part["type"] == "blank node"
                    else part
                )
                for key, part in quad.items()
            }
            lines.append(serialize_quad(relabelled))
        lines.sort()
        return "".join(lines)

    def _issue_simple_labels(self) -> None:
        # Section 4.4 steps 3-5: label blank nodes whose first-degree hash is unique.
        pending = set(self.blank_node_info)
        simple = True
        while simple:
            simple = False
            self.hash_to_blank_nodes: dict[str, list[str]] = {}
            for id_ in pending:
                digest = self.hash_first_degree_quads(id_)
                self.hash_to_blank_nodes.setdefault(digest, []).append(id_)
            for digest, ids in sorted(self.hash_to_blank_nodes.items()):
                if len(ids) > 1:
                    continue
                self.canonical_issuer.get_id(ids[0])
                pending.remove(ids[0])
                del self.hash_to_blank_nodes[digest]
                simple = True

    def _issue_complex_labels(self) -> None:
        # Section 4.4 step 6: the N-degree hashes order nodes that share a hash.
        for _digest, ids in sorted(self.hash_to_blank_nodes.items()):
            paths = []
            for id_ in ids:
                if self.canonical_issuer.has_id(id_):
                    continue
                issuer = IdentifierIssuer("_:b")
                issuer.get_id(id_)
                paths.append(self.hash_n_degree_quads(id_, issuer))
            for result in sorted(paths, key=lambda item: item["hash"]):
                for existing in result["issuer"].order:
                    self.canonical_issuer.get_id(existing)


def to_dataset(
    document: dict[str, Any], limits: Limits = DEFAULT_LIMITS, *, label: str = ""
) -> Any:
    """Expand ``document`` and convert it to a pyld RDF dataset, refusing unsafe input.

    ``label`` names the document in errors (e.g. ``proof`` for a proof configuration).
    """
    if not isinstance(document, dict):
        raise InvalidJsonLd("expected a JSON object")
    check_shape(document, limits)
    expanded = expand_safely(document, label=label)
    try:
        dataset = expanded_to_rdf(expanded)
    except jsonld.JsonLdError as error:
        raise InvalidJsonLd(f"cannot convert to RDF: {error}") from error
    quads = sum(len(triples) for triples in dataset.values())
    if quads > limits.max_quads:
        raise WorkLimitExceeded(f"document has {quads} RDF quads; the limit is {limits.max_quads}")
    return dataset


def canonicalize(
    document: dict[str, Any], limits: Limits = DEFAULT_LIMITS, *, label: str = ""
) -> str:
    """Canonical N-Quads (RDFC-1.0) of a JSON-LD document, within ``limits``.

    Every member the canonical form would not cover is an ``InvalidJsonLd`` naming it;
    the time limit is the enclosing verification's (``limits.deadline``), if any.
    """
    with deadline(limits):
        return _canonicalize(document, limits, label)


def _canonicalize(document: dict[str, Any], limits: Limits, label: str) -> str:
    dataset = to_dataset(document, limits, label=label)
    budget = _Budget(limits)
    algorithm = _BoundedRdfc(budget)
    blank_nodes = {
        part["value"]
        for triples in dataset.values()
        for quad in triples
        for key, part in quad.items()
        if key != "predicate" and part["type"] == "blank node"
    }
    if len(blank_nodes) > limits.max_blank_nodes:
        raise WorkLimitExceeded(
            f"document has {len(blank_nodes)} blank nodes; the limit is {limits.max_blank_nodes}"
        )
    try:
        return algorithm.canonical_nquads(dataset)
    except RecursionError as error:
        raise WorkLimitExceeded("canonicalization recursed too deeply") from error


def canonical_hash(
    document: dict[str, Any], limits: Limits = DEFAULT_LIMITS, *, label: str = ""
) -> bytes:
    """SHA-256 of the canonical N-Quads of ``document`` (UTF-8)."""
    try:
        data = canonicalize(document, limits, label=label).encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidJsonLd(
            f"{label + ': ' if label else ''}a string holds a lone UTF-16 surrogate "
            f"({error.object[error.start:error.end]!r}), which UTF-8 cannot encode"
        ) from None
    return hashlib.sha256(data).digest()


def canonical_json_key(document: Any) -> str:
    """A stable text key for caching results computed from a JSON value."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
