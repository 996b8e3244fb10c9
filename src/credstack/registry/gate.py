"""The publishing gate: the registry's configured quality standard must pass."""

from __future__ import annotations

from credstack.domain.credential import MicroCredential
from credstack.registry.service import Gate


def quality_gate(standard: str) -> Gate:
    """A gate that lists the failing required rules of ``standard`` for a record."""
    from credstack.quality.service import publish_blockers  # the quality capability's service

    def gate(record: MicroCredential) -> list[dict[str, str]]:
        return [
            {"rule": result.rule_id, "message": result.message}
            for result in publish_blockers(record, standard)
        ]

    return gate
