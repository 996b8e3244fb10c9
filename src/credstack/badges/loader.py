"""Offline JSON-LD document loader: serves only the bundled contexts, never the network.

The issue requires that "JSON-LD contexts come only from copies bundled in the
package"; a context a verifier fetches at run time could be swapped by whoever controls
the URL, changing what a signed credential means. Every other URL raises
``ContextRefused`` naming the URL and the contexts that are known.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from credstack.badges.errors import ContextRefused

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_V2P0 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
STATUS_LIST_V1 = "https://www.w3.org/ns/credentials/status/v1"
CREDSTACK_V1 = "https://credstack.org/contexts/credstack-v1.json"


@cache
def context_index() -> dict[str, str]:
    """The bundled contexts: URL -> file name inside ``credstack.badges.contexts``."""
    text = resources.files("credstack.badges.contexts").joinpath("index.json").read_text()
    index: dict[str, str] = json.loads(text)
    return index


@cache
def _parsed(url: str) -> Any:
    name = context_index()[url]
    text = resources.files("credstack.badges.contexts").joinpath(name).read_text("utf-8")
    return json.loads(text)


def is_bundled(url: str) -> bool:
    """Whether ``url`` names a bundled context."""
    return url in context_index()


def load_context(url: str) -> dict[str, Any]:
    """The bundled context document for ``url`` (a fresh copy the caller may change)."""
    if not is_bundled(url):
        known = ", ".join(sorted(context_index()))
        raise ContextRefused(
            f"JSON-LD context '{url}' is not bundled with credstack and is never fetched "
            f"from the network; expected one of: {known}"
        )
    document: dict[str, Any] = copy.deepcopy(_parsed(url))
    return document


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld ``documentLoader``: the bundled document for ``url`` or ``ContextRefused``."""
    # tag "static" lets pyld keep the processed context across operations (bundled
    # documents never change), which makes repeated verification much faster.
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url), "tag": "static"}
