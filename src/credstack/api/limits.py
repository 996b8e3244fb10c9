"""Request body size limits: bodies over the limit are refused with 413 before use.

A pure ASGI middleware, so it sees every request before any framework reads it: a
declared ``Content-Length`` over the limit is refused at once; a body streamed without
one (chunked) is counted as it arrives and refused when the count passes the limit.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    """A request body over its limit (an HTTPException, so FastAPI answers 413 with it)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"request body larger than {limit} bytes")


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class BodyLimit:
    """Refuse request bodies over ``limit_for(path)`` bytes (None: the route checks itself)."""

    def __init__(self, app: ASGIApp, *, limit_for: Callable[[str], int | None]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limit_for(scope["path"]) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _refuse(BodyTooLarge(limit), scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as error:
            # Raised where no exception handler answered it (outside FastAPI's routes).
            if started:
                raise
            await _refuse(error, scope, receive, send)


async def _refuse(error: BodyTooLarge, scope: Scope, receive: Receive, send: Send) -> None:
    # Connection: close, since the rest of the body is not read.
    response = JSONResponse(
        {"detail": error.detail}, status_code=413, headers={"Connection": "close"}
    )
    await response(scope, receive, send)
