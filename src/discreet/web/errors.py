"""Error pages: the API's error shape and messages, shown as a page under ``/ui``.

The API's handlers decide the status and words (one place for both); for a page request
the JSON they produce is rendered with ``error.html`` instead. No session sends the person
to the sign-in page; a missing role or CSRF token is a 403 page.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from discreet.api.errors import ApiError, error_out
from discreet.errors import DiscreetError
from discreet.web.pages import render
from discreet.web.session import CsrfError, Forbidden, SignInRequired, sign_in_url

__all__ = ["install", "page_error"]

Handler = Callable[[Request, Exception], Awaitable[Response]]


def page_error(request: Request, status: int, detail: str, fields: list[str] | None = None,
               headers: dict[str, str] | None = None) -> Response:
    """The error page for ``status``, with the API's body shown as words."""
    body = error_out(status, detail, fields)
    return render(request, "error.html", {"error": body.model_dump()}, status=status,
                  headers=headers)


def _is_page(request: Request) -> bool:
    return request.url.path.startswith("/ui") and not request.url.path.startswith(
        "/ui/static/")


def _wrap(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        answer = await api_handler(request, exc)
        if not _is_page(request):
            return answer
        body: dict[str, Any] = json.loads(bytes(answer.body))
        keep = {k: v for k, v in answer.headers.items() if k.lower() == "retry-after"}
        return page_error(request, int(body["status"]), str(body["detail"]),
                          list(body.get("fields") or []), keep)

    return handle


async def _sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(sign_in_url(exc.next_url), status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    return page_error(request, 403, str(exc))


def install(app: FastAPI) -> None:
    """Wrap the API's handlers (installed by ``create_app``) and add the page-only ones."""
    for kind in (ApiError, RequestValidationError, StarletteHTTPException, DiscreetError,
                 Exception):
        existing = app.exception_handlers.get(kind)
        if existing is not None:
            app.add_exception_handler(kind, _wrap(existing))  # type: ignore[arg-type]
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(CsrfError, _forbidden)
