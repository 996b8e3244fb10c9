"""Identifiers other registries see: CTIDs and resource URIs, stable across versions.

A CTID (Credential Transparency Identifier) is ``ce-`` and a UUID (CTDL ``ceterms:ctid``).
credstack derives it from the kind and id of the thing (a name-based UUID, RFC 9562
section 5.5), so every version of a record, and every export of it, has the same CTID.
"""

from __future__ import annotations

import re
import uuid

# The namespace of credstack's name-based CTIDs; fixed forever (changing it renames all).
CTID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://credstack.org/ns/ctid")
REGISTRY_RESOURCES = "https://credentialengineregistry.org/resources/"
CTID_PATTERN = re.compile(
    r"^ce-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def ctid(kind: str, identifier: str) -> str:
    """The CTID of ``identifier`` of ``kind`` (credential, organization, competency, ...)."""
    return f"ce-{uuid.uuid5(CTID_NAMESPACE, f'{kind}:{identifier}')}"


def resource_uri(ctid_value: str) -> str:
    """The registry URI of the resource with ``ctid_value``."""
    return f"{REGISTRY_RESOURCES}{ctid_value}"


def ctid_of(uri: str) -> str | None:
    """The CTID at the end of a registry URI, if there is one."""
    tail = uri.rstrip("/").rsplit("/", 1)[-1]
    return tail.lower() if CTID_PATTERN.match(tail) else None
