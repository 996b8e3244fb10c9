"""Parameters several operations share, with the bounds the database can hold.

Integers are bounded to what a 32-bit column holds, so an out-of-range number is a 422
naming the parameter, never an overflow in the database.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Query

from credstack.errors import InvalidInput, Problem

MAX_INT = 2**31 - 1
# Amounts, hours and credits in range filters: finite and far above any real value.
MAX_AMOUNT = 1e9

VersionQuery = Annotated[
    int | None,
    Query(ge=1, le=MAX_INT, description="A version number (default: the current version)."),
]
OffsetQuery = Annotated[int, Query(ge=0, le=MAX_INT, description="Items to skip.")]
AmountQuery = Annotated[float | None, Query(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
# ISO 3166-1 alpha-2 (and "EU"), or an ISO 3166-2 subdivision such as CA-BC.
JURISDICTION_PATTERN = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"

ENTITY_TAG = r'^(\*|"[1-9][0-9]{0,9}"|[1-9][0-9]{0,9})$'
IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        pattern=ENTITY_TAG,
        description=(
            'The version the change is based on, as the ETag of a read gave it ("3"); '
            "409 with the current version if another is stored now. * matches any version."
        ),
    ),
]


def expected_version(if_match: str | None) -> int | None:
    """The version an ``If-Match`` header names (RFC 9110 section 13.1.1); None for * or none."""
    if if_match is None or if_match == "*":
        return None
    version = int(if_match.strip('"'))
    if version > MAX_INT:
        raise InvalidInput([Problem("header.If-Match", f"a version is at most {MAX_INT}")])
    return version
