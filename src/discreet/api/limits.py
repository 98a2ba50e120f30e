"""Request-size limit as ASGI middleware: a body over the limit is refused with 413.

Checked on ``Content-Length`` before anything is read, and again while a chunked body
streams in, so a large upload never reaches a route or fills memory.
"""

from __future__ import annotations

from fastapi import HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from discreet.api.errors import TrackedSend, error_body

__all__ = ["BodyGuard", "BodyLimit", "BodyTooLarge"]


class BodyTooLarge(HTTPException):
    """Raised inside ``receive`` when a streamed body passes the limit (becomes a 413)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"request body over {max_bytes} bytes")


class BodyGuard:
    """Base of the ASGI middlewares that check a request body as it streams in: their
    ``receive`` raises an HTTPException (of the class given to :meth:`_guarded`), which,
    when nothing inside turned it into an answer and no response has started, is answered
    with the API's JSON error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def _guarded(self, scope: Scope, receive: Receive, send: Send,
                       refused: type[StarletteHTTPException]) -> None:
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except refused as exc:  # only when a route let it through unhandled
            if not tracked.started:
                await self._answer(send, exc.status_code, str(exc.detail))

    @staticmethod
    async def _answer(send: Send, status: int, detail: str) -> None:
        data = error_body(status, detail)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})


class BodyLimit(BodyGuard):
    """Refuse request bodies larger than ``max_bytes`` with the API's JSON error (413)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)
            return message

        await self._guarded(scope, limited, send, BodyTooLarge)

    async def _refuse(self, send: Send) -> None:
        await self._answer(send, 413, f"request body over {self.max_bytes} bytes")
