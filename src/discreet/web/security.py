"""What every page answer carries: a strict Content-Security-Policy and its companions.

Pages load scripts, styles and images only from ``/ui/static`` (shipped in the package);
no inline script runs, no other site may frame a page, and forms post only here.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "SecurityHeaders"]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
_NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    """ASGI middleware: the headers above on every answer under ``/ui`` (and ``/``);
    pages (not static assets) are also never cached, since they show list and customer
    data to a signed-in person. A JSON error written below the routes (the body limit's
    413, for an upload sent without the page's script) becomes the same error as a page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not (path == "/" or path.startswith("/ui")):
            await self.app(scope, receive, send)
            return
        static = path.startswith("/ui/static/")
        held: list[Message] = []

        async def sending(message: Message) -> None:
            if held or (message["type"] == "http.response.start" and not static
                        and int(message["status"]) >= 400 and _is_json(message)):
                held.append(message)  # a JSON error: rewritten as a page when whole
                if message["type"] == "http.response.body" and not message.get("more_body"):
                    for part in _as_page(scope, held):
                        await send(_secured(part, static))
                return
            await send(_secured(message, static))

        await self.app(scope, receive, sending)


def _is_json(start: Message) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(b"application/json")
               for k, v in start.get("headers", []))


def _as_page(scope: Scope, held: list[Message]) -> list[Message]:
    """The held JSON error (status, error, detail, fields) rendered as the error page."""
    from discreet.web.errors import page_error

    start, body = held[0], b"".join(m.get("body", b"") for m in held[1:])
    try:
        error = json.loads(body)
        detail, fields = str(error["detail"]), list(error.get("fields") or [])
    except (ValueError, KeyError, TypeError):
        return held  # not the API's error shape: passed on as it came
    keep = {k.decode("latin-1"): v.decode("latin-1") for k, v in start.get("headers", [])
            if k.lower() == b"retry-after"}
    page = page_error(Request(scope), int(start["status"]), detail, fields, keep)
    return [{"type": "http.response.start", "status": page.status_code,
             "headers": page.raw_headers},
            {"type": "http.response.body", "body": bytes(page.body)}]


def _secured(message: Message, static: bool) -> Message:
    """The message with the headers above (start messages only)."""
    if message["type"] == "http.response.start":
        headers = [h for h in message.get("headers", [])
                   if h[0].lower() not in {k for k, _ in _HEADERS}]
        headers.extend(_HEADERS)
        if not static:
            headers = [h for h in headers if h[0].lower() != b"cache-control"]
            headers.append(_NO_STORE)
        message["headers"] = headers
    return message
