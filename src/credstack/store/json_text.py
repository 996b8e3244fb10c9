"""JSON columns that accept text already encoded, so a document is encoded only once."""

from __future__ import annotations

import json
from typing import Any


class EncodedJSON(str):
    """JSON text that a JSON column stores as it is, without encoding it again."""

    __slots__ = ()


def serialize_json(value: Any) -> str:
    """The engine's JSON serializer: encoded text passes through, anything else is encoded."""
    if isinstance(value, EncodedJSON):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
