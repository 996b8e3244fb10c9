"""JSON-LD expansion and conversion to RDF in "safe mode", bounded in time.

A signature over canonical N-Quads covers only what survives expansion. pyld silently
drops the rest: keys that look like keywords but are not (``@evil``), terms no context
defines, null values, properties that expand to relative IRIs or blank nodes, relative
``@id`` values. A verifier that accepted such a document would vouch for members the
issuer never signed, so each dropped member is an error naming its JSON path, the rule
jsonld.js's safe mode applies (and stricter: every null value is refused, since none is
signed). pyld 3.3 has no safe mode of its own (STANDARDS.md section 5), so the same
test pyld uses to drop a key is run on every key before pyld drops it. The JSON-LD
work also checks the verification's deadline as it goes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

from credstack.badges.errors import ContextRefused, InvalidJsonLd, WorkLimitExceeded
from credstack.badges.limits import check_deadline
from credstack.badges.loader import document_loader
from credstack.jsonparse import member_path

# Resolved contexts are cached here, not in pyld's process-wide cache: a context that
# another caller resolved with a network loader must never be served to us.
_CONTEXT_CACHE: LRUCache[Any, Any] = LRUCache(maxsize=128)
_RESOLVER = ContextResolver(_CONTEXT_CACHE, document_loader)

# jsonld.js "safe mode" rejects terms no context defines; pyld drops them (or, under
# VC 2.0's issuer-dependent ``@vocab``, accepts them). An extra trailing ``@vocab``
# makes them visible: they expand into this namespace and are refused. When none do,
# the expansion equals the one without it (``@vocab`` affects only undefined terms).
UNDEFINED = "urn:credstack:undefined-term#"
_DEADLINE_EVERY = 64
_NOT_SIGNED = "canonicalization drops it, so the signature does not cover it"


def is_absolute(iri: str) -> bool:
    """Whether ``iri`` has a scheme (RFC 3987 section 2.2): ALPHA *( ALPHA / DIGIT / + - . ) ":"."""
    scheme, colon, _rest = iri.partition(":")
    return bool(
        colon
        and scheme
        and scheme[0].isascii()
        and scheme[0].isalpha()
        and all(char.isascii() and (char.isalnum() or char in "+-.") for char in scheme)
    )


def _iri_problem(iri: Any, what: str) -> str | None:
    if not isinstance(iri, str):
        return None
    if iri.startswith(UNDEFINED):
        return f"{what} '{iri.removeprefix(UNDEFINED)}' is not defined by any of the contexts"
    if not iri.startswith("_:") and not is_absolute(iri):
        return (
            f"'{iri}' is a relative IRI, which canonicalization drops; expected an absolute "
            "IRI such as https:, urn:uuid: or did:"
        )
    return None


class _SafeProcessor(jsonld.JsonLdProcessor):  # type: ignore[misc]
    """pyld's processor, noting every member it would drop and watching the deadline."""

    def __init__(self) -> None:
        super().__init__()
        self.root: Any = None
        self.dropped: list[tuple[Any, str | int, str]] = []
        self._calls = 0
        self._values_seen: dict[tuple[int, str], set[Any]] = {}

    def _tick(self) -> None:
        self._calls += 1
        if self._calls % _DEADLINE_EVERY == 0:
            check_deadline()

    def _expand(self, active_ctx: Any, active_property: Any, element: Any,
                *args: Any, **kwargs: Any) -> Any:
        if self.root is None:
            self.root = element  # pyld's own copy of the document: the paths' origin
        self._tick()
        return super()._expand(active_ctx, active_property, element, *args, **kwargs)

    def _expand_object(self, active_ctx: Any, active_property: Any, expanded_active_property: Any,
                       element: Any, expanded_parent: Any, options: Any, inside_list: bool = False,
                       type_key: Any = None, type_scoped_ctx: Any = None) -> Any:
        for key, value in element.items():
            if key != "@context":
                self._check_member(active_ctx, type_scoped_ctx or active_ctx, element, key, value)
        return super()._expand_object(
            active_ctx, active_property, expanded_active_property, element, expanded_parent,
            options, inside_list, type_key, type_scoped_ctx,
        )

    def _check_member(self, active_ctx: Any, type_ctx: Any, element: Any, key: str,
                      value: Any) -> None:
        """The same test pyld's ``_expand_object`` uses to drop a key, plus its values."""
        if value is None:
            self.dropped.append((element, key, f"a null value; {_NOT_SIGNED}"))
            return
        if isinstance(value, list):
            for index, item in enumerate(value):
                if item is None:
                    self.dropped.append((value, index, f"a null item; {_NOT_SIGNED}"))
        expanded = self._expand_iri(active_ctx, key, vocab=True)
        if expanded is None:
            reason = ("looks like a JSON-LD keyword but is not one" if key.startswith("@")
                      else "is mapped to null by the context")
            self.dropped.append((element, key, f"{reason}; {_NOT_SIGNED}"))
        elif expanded == "@type":
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                problem = _iri_problem(self._expand_iri(type_ctx, item, vocab=True), "type")
                if problem:
                    self.dropped.append((value, index, problem) if isinstance(value, list)
                                        else (element, key, problem))
        elif expanded == "@id":
            problem = _iri_problem(self._expand_iri(active_ctx, value, base=None), "@id")
            if problem:
                self.dropped.append((element, key, problem))
        elif expanded.startswith("@"):
            return
        elif expanded.startswith("_:"):
            self.dropped.append((element, key, f"expands to a blank node, never a property; "
                                               f"{_NOT_SIGNED}"))
        else:
            problem = _iri_problem(expanded, "term")
            if problem:
                self.dropped.append((element, key, problem))

    def _create_node_map(self, input_: Any, graph_map: Any, active_graph: Any, issuer: Any,
                         active_subject: Any = None, active_property: Any = None,
                         list_: Any = None) -> None:
        self._tick()
        if self._add_literal(input_, graph_map, active_graph, active_subject, active_property,
                             list_):
            return
        super()._create_node_map(input_, graph_map, active_graph, issuer, active_subject,
                                 active_property, list_)

    def _add_literal(self, input_: Any, graph_map: Any, active_graph: Any, active_subject: Any,
                     active_property: Any, list_: Any) -> bool:
        # pyld adds each literal after comparing it with every literal before it on the
        # same property (quadratic: 4,000 tags took 16 s); a set gives the same result.
        if not (isinstance(input_, dict) and "@value" in input_ and list_ is None
                and isinstance(active_subject, str)):
            return False
        datatype = input_.get("@type")
        if isinstance(datatype, str) and datatype.startswith("_:"):
            return False
        subject_node = graph_map.setdefault(active_graph, {}).get(active_subject)
        if not subject_node:
            return False
        value = input_["@value"]
        # pyld's compare_values: same @type, @language, @index and value (True is not 1)
        fingerprint = (datatype, input_.get("@language"), input_.get("@index"),
                       isinstance(value, bool), value)
        try:
            seen = self._values_seen.setdefault((id(subject_node), active_property), set())
            if fingerprint not in seen:
                seen.add(fingerprint)
                subject_node.setdefault(active_property, []).append(input_)
        except TypeError:  # an unhashable @json value: pyld's own path
            return False
        return True

    def dropped_members(self) -> list[str]:
        """Each dropped member as ``path: why``, in document order."""
        paths = _container_paths(self.root)
        found = [
            f"{member_path(paths.get(id(container), '?'), key)}: {reason}"
            for container, key, reason in self.dropped
        ]
        return sorted(set(found))


def _container_paths(root: Any) -> dict[int, str]:
    paths: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            paths[id(value)] = path
            stack.extend((item, member_path(path, key)) for key, item in value.items()
                         if isinstance(item, dict | list))
        elif isinstance(value, list):
            paths[id(value)] = path
            stack.extend((item, member_path(path, index)) for index, item in enumerate(value)
                         if isinstance(item, dict | list))
    return paths


def _with_sentinel(document: dict[str, Any]) -> dict[str, Any]:
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [] if context is None else [context]
    return {**document, "@context": [*contexts, {"@vocab": UNDEFINED}]}


def _root_cause(error: BaseException) -> BaseException:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ContextRefused | WorkLimitExceeded):
            return current
        nested = current.__cause__ or getattr(current, "cause", None)
        current = nested if isinstance(nested, BaseException) else None
    return error


def _iter_iris(expanded: Any) -> Iterator[tuple[str, str]]:
    """Every (role, IRI) in an expanded document: property keys, @id and @type values."""
    stack = [expanded]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key == "@id" and isinstance(item, str):
                    yield "@id", item
                elif key == "@type":
                    for type_iri in item if isinstance(item, list) else [item]:
                        if isinstance(type_iri, str):
                            yield "@type", type_iri
                elif key != "@value":
                    if not key.startswith("@"):
                        yield "property", key
                    stack.append(item)


def expand_safely(document: dict[str, Any], *, label: str = "") -> Any:
    """Expanded ``document``; ``InvalidJsonLd`` naming every member expansion would drop.

    ``label`` prefixes the member paths (e.g. ``proof`` for a proof configuration).
    """
    options = {
        "documentLoader": document_loader,
        "contextResolver": _RESOLVER,
        "base": None,
        "processingMode": "json-ld-1.1",
    }
    check_deadline()
    processor = _SafeProcessor()
    try:
        expanded = processor.expand(_with_sentinel(document), options)
    except jsonld.JsonLdError as error:
        cause = _root_cause(error)
        if cause is not error:
            raise cause from error
        # A member noted before pyld gave up is the clearer reason (a null @type item).
        _refuse(processor.dropped_members(), label)
        raise InvalidJsonLd(f"not valid JSON-LD: {error}") from error
    except RecursionError as error:
        raise WorkLimitExceeded("JSON-LD nesting too deep to process") from error
    problems = processor.dropped_members()
    if not problems:
        # A value of a term typed @id (or @vocab) is expanded where no key is in
        # sight; such IRIs are caught here and found again in the document by value.
        problems = [f"{_path_of_string(processor.root, iri)}: {problem}"
                    for role, iri in _iter_iris(expanded)
                    if (problem := _iri_problem(iri, "type" if role == "@type" else "term"))]
    _refuse(problems, label)
    return expanded


def _path_of_string(root: Any, text: str) -> str:
    """The path of the first member of ``root`` whose value is ``text`` (or a vaguer name)."""
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        value, path = stack.pop()
        if value == text:
            return path or "the document"
        if isinstance(value, dict):
            stack.extend((item, member_path(path, key)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, member_path(path, index)) for index, item in enumerate(value))
    return "a value"


def _refuse(problems: list[str], label: str) -> None:
    if not problems:
        return
    where = f"{label}." if label else ""
    shown = "; ".join(f"{where}{problem}" for problem in problems[:10])
    more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
    raise InvalidJsonLd(f"{shown}{more}")


def expanded_to_rdf(expanded: Any) -> dict[str, list[dict[str, Any]]]:
    """JSON-LD 1.1 "Deserialize JSON-LD to RDF" (section 8.1) of an expanded document.

    pyld's public ``to_rdf`` expands its input again; the expansion is most of the cost
    of verifying a credential, so the node map and RDF steps are called directly.
    """
    check_deadline()
    processor = _SafeProcessor()
    issuer = IdentifierIssuer("_:b")
    node_map: dict[str, Any] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    options = {
        "produceGeneralizedRdf": False, "rdfDirection": None, "processingMode": "json-ld-1.1"
    }
    dataset: dict[str, list[dict[str, Any]]] = {}
    for graph_name, graph in sorted(node_map.items()):
        if graph_name == "@default" or is_absolute(graph_name):
            dataset[graph_name] = processor._graph_to_rdf(graph, issuer, options)
    return dataset
