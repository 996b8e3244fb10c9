"""Text the database cannot store is a 422 at the edge, not an error at commit.

JSON may carry ``\\u0000`` and unpaired surrogates (``\\ud800``); PostgreSQL refuses NUL in
text and neither engine stores a lone surrogate as UTF-8. Every API route checks the
strings of its JSON body, path and query before the handler runs, and names the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

Location = tuple[str | int, ...]


def _unstorable(text: str) -> str | None:
    if "\x00" in text:
        return "must not contain the NUL character (U+0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must not contain an unpaired surrogate (not valid Unicode text)"
    return None


def _strings(value: Any, location: Location) -> Iterator[tuple[Location, str]]:
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*location, key), key
            yield from _strings(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*location, index))


def unstorable_text(value: Any, location: Location) -> list[dict[str, Any]]:
    """Validation errors (FastAPI's shape) for every string in ``value`` no database stores."""
    errors = []
    for where, text in _strings(value, location):
        message = _unstorable(text)
        if message is not None:
            errors.append({"loc": where, "msg": message, "type": "string_unstorable"})
    return errors


async def _request_errors(request: Request, *, has_body: bool) -> list[dict[str, Any]]:
    errors = unstorable_text(dict(request.path_params), ("path",))
    errors += unstorable_text(dict(request.query_params), ("query",))
    if has_body:
        # The body is read once and kept: FastAPI's own parsing reuses it.
        try:
            body = json.loads(await request.body())
        except ValueError:
            return errors  # not JSON: FastAPI reports it itself
        errors += unstorable_text(body, ("body",))
    return errors


class CheckedRoute(APIRoute):
    """An API route that refuses unstorable text (422) before its handler runs."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        # Routes that read their body themselves (verification) are left to do so.
        has_body = self.body_field is not None

        async def checked(request: Request) -> Response:
            errors = await _request_errors(request, has_body=has_body)
            if errors:
                raise RequestValidationError(errors)
            return await handle(request)

        return checked
