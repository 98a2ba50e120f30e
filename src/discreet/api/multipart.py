"""A multipart form cut short is refused, not read as if it were whole.

The multipart parser (python-multipart) does not check that a body ends with its closing
boundary: a form whose sender stopped early (a proxy or client that cut the body and
its ``Content-Length`` with it) would be read with its last parts silently missing, and
answered as if those fields had been left empty ("choose a file" for a file that was
sent). This middleware watches the end of every ``multipart/form-data`` body as it
streams through and, when the closing boundary is not there, makes reading it fail with a
400 that says so.
"""

from __future__ import annotations

from python_multipart.multipart import parse_options_header
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive, Scope, Send

from discreet.api.limits import BodyGuard

__all__ = ["CutShort", "WholeMultipart"]

EPILOGUE = 256  # bytes a sender may put after the closing boundary (RFC 2046 allows some)
_SAID = ("the form was cut short: its body ends before the closing multipart boundary, "
         "so part of it (a file, or the fields after it) is missing; send it again")


class CutShort(HTTPException):
    """Raised inside ``receive`` at the end of a multipart body without its closing
    boundary (FastAPI and Starlette pass an HTTPException from the body on as it is)."""

    def __init__(self) -> None:
        super().__init__(400, _SAID)


class WholeMultipart(BodyGuard):
    """ASGI middleware: a multipart body must end with ``--<boundary>--``."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        close = _closing(scope) if scope["type"] == "http" else None
        if close is None:
            await self.app(scope, receive, send)
            return
        tail = b""
        seen = 0

        async def checked() -> Message:
            nonlocal tail, seen
            message = await receive()
            if message["type"] != "http.request":
                return message
            body = message.get("body", b"")
            seen += len(body)
            tail = (tail + body)[-(len(close) + EPILOGUE):]
            if not message.get("more_body") and seen and close not in tail:
                raise CutShort()
            return message

        await self._guarded(scope, checked, send, CutShort)


def _closing(scope: Scope) -> bytes | None:
    """``--<boundary>--`` of a multipart request, or None (not multipart, no boundary)."""
    for key, value in scope.get("headers") or []:
        if key.lower() == b"content-type":
            kind, options = parse_options_header(value)
            boundary = options.get(b"boundary")
            if kind == b"multipart/form-data" and boundary:
                return b"--" + boundary + b"--"
            return None
    return None
