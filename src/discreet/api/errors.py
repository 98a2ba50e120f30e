"""One JSON error shape for every failure the API reports.

``{"status": 422, "error": "invalid_request", "detail": "…", "fields": [...]}``: ``detail``
is what yente clients read; ``fields`` lists the offending inputs of a 422 (else empty).
Bad input never becomes a 500: validation, store and matcher errors are mapped here, and
so is a ``RecursionError`` wherever it happens (input nested too deeply is bad input).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from discreet.errors import ConfigError, DiscreetError, NotFoundError

__all__ = ["ERROR_RESPONSES", "ApiError", "ErrorOut", "RecursionGuard", "TrackedSend",
           "error_body", "error_out", "error_response", "install_handlers"]

log = logging.getLogger("discreet.api")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 408: "timeout", 413: "too_large",
          415: "unsupported_media_type", 422: "invalid_request", 429: "rate_limited",
          431: "too_large", 500: "internal_error", 503: "not_ready"}


_TOO_DEEP = ("the request is nested too deeply to be read; send at most 32 levels of arrays "
             "and objects")


class ErrorOut(BaseModel):
    """The body of every error response."""

    status: int
    error: str
    detail: str
    fields: list[str] = Field(default_factory=list)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": name.replace("_", " ")}
    for code, name in _CODES.items() if code not in (405, 408, 415, 431, 500)
}


class ApiError(Exception):
    """Raised by routes and dependencies for an expected failure with an HTTP status."""

    def __init__(self, status: int, detail: str, *, headers: dict[str, str] | None = None,
                 fields: list[str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.fields = fields or []


def error_out(status: int, detail: str, fields: list[str] | None = None) -> ErrorOut:
    """The error body for ``status``: the one shape every refusal has."""
    return ErrorOut(status=status, error=_CODES.get(status, "error"), detail=detail,
                    fields=fields or [])


def error_body(status: int, detail: str, fields: list[str] | None = None) -> bytes:
    """:func:`error_out` as JSON bytes, for answers written below the app (ASGI, h11)."""
    return error_out(status, detail, fields).model_dump_json().encode()


def error_response(status: int, detail: str, *, headers: dict[str, str] | None = None,
                   fields: list[str] | None = None) -> JSONResponse:
    return JSONResponse(error_out(status, detail, fields).model_dump(), status_code=status,
                        headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.detail, headers=exc.headers, fields=exc.fields)


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    names = [_field(e.get("loc", ())) for e in errors]
    detail = "; ".join(f"{_field(e.get('loc', ()))}: {e.get('msg', 'invalid')}"
                       for e in errors[:10]) or "invalid request"
    return error_response(422, detail, fields=names)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return error_response(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))


async def _discreet(_: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, NotFoundError):
        return error_response(404, str(exc))
    if isinstance(exc, ConfigError):
        return error_response(400, str(exc))
    log.error("store or matcher error: %s", exc)
    return error_response(503, f"the service cannot answer now: {exc}")


async def _too_deep(_: Request, exc: Exception) -> JSONResponse:
    """Input nested past what Python can walk is bad input, whoever tripped over it."""
    log.warning("request refused: nesting too deep (%s)", exc)
    return error_response(400, _TOO_DEEP)


_GONE = "the client disconnected before its request was read whole"


async def _client_gone(request: Request, _: Exception) -> JSONResponse:
    """The client hung up mid-body: nobody reads the answer, and nothing failed here."""
    log.info("%s %s: %s", request.method, request.url.path, _GONE)
    return error_response(400, _GONE)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, RecursionError):
        return await _too_deep(request, exc)
    log.exception("internal error", exc_info=exc)
    return error_response(500, f"internal error ({type(exc).__name__})")


class TrackedSend:
    """An ASGI ``send`` that remembers whether the response has started: a middleware that
    catches an error may still answer it only when nothing was sent yet."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self.send(message)


class RecursionGuard:
    """ASGI middleware: a ``RecursionError`` raised by the middleware inside it is a 400.

    Routes' errors are mapped by the handlers below; this catches what the middleware
    around the routes raises, so that it is neither a 500 nor a traceback in the log.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except RecursionError as exc:
            log.warning("request refused: nesting too deep (%s)", exc)
            if scope["type"] == "http" and not tracked.started:
                await error_response(400, _TOO_DEEP)(scope, receive, send)
        except ClientDisconnect:  # raised by a middleware reading the body: nobody to answer
            log.info("%s %s: %s", scope.get("method"), scope.get("path"), _GONE)


def install_handlers(app: FastAPI) -> None:
    """Route every error through :func:`error_response`."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(DiscreetError, _discreet)
    app.add_exception_handler(RecursionError, _too_deep)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(Exception, _unexpected)
