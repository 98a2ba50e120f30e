"""``HEAD`` answered as ``GET`` without the body, on every path.

HTTP requires a general-purpose server to support ``HEAD`` wherever it supports ``GET``
(RFC 9110, 9.3.2); load balancers and link checkers send it. FastAPI routes declare only
``GET``, so without this a ``HEAD`` would be a 405. The answer has the headers ``GET``
would have (status, type, length) and no body.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGet"]


class HeadAsGet:
    """ASGI middleware: run a ``HEAD`` request as ``GET`` and drop the body it answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def bodiless(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return  # the rest of a streamed body: nobody reads it
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, bodiless)
