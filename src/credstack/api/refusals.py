"""OpenAPI entries for the policy's refusals (401, 403) of the assessment and badge routes.

Until ``api.problems`` describes 401 and 403 itself, the routes that the policy guards
add these to their ``responses``.
"""

from __future__ import annotations

from typing import Any

from credstack.api.problems import ErrorMessage

_DESCRIPTIONS = {
    401: "No valid credentials: sign in or send an API token (Authorization: Bearer).",
    403: "Signed in without the role (or token scope) this operation needs.",
}


def refusals(*codes: int) -> dict[int | str, Any]:
    """OpenAPI entries for 401 and/or 403."""
    return {code: {"model": ErrorMessage, "description": _DESCRIPTIONS[code]} for code in codes}


GUARDED = refusals(401, 403)
