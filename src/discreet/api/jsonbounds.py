"""Every JSON the API reads is bounded: nesting depth, size, and text that cannot be stored.

Python's JSON decoder recurses once per nesting level, so a body of ten thousand ``[``
would end in a ``RecursionError`` (a 500) before anything validates it. Depth is checked
here first, without recursion and without decoding, on request bodies (:class:`JsonGuard`)
and on JSON sent inside parameters or form fields (:func:`loads_bounded`). Size is bounded
by the body limit and the parameters' own length limits.

Lone UTF-16 surrogates (``"\\ud800"``) decode to text that cannot be encoded as UTF-8: it
could be neither stored in the audit log nor sent back. Such text is screened with each
lone surrogate replaced by U+FFFD (the Unicode replacement character), as a decoder does
with any other broken byte sequence; the rest of the request is kept.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from discreet.api.errors import ApiError, error_response
from discreet.store.audit import replace_surrogates

__all__ = ["MAX_DEPTH", "JsonGuard", "clean_text", "clean_value", "header", "loads_bounded",
           "shape_problem"]

MAX_DEPTH = 32  # a /match body needs 4 levels, a reconciliation batch 5
_INLINE_BYTES = 64 * 1024  # larger bodies are checked in the thread pool (~0.1 s per MB)
# A string; one that never closes (a truncated or hostile body) runs to the end, so a
# failed match is never retried from each later quote (quadratic: 1 MB took minutes).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_INNERMOST = re.compile(rb"\[\]|\{\}")
# A \uD800-\uDFFF escape, or the three bytes of a surrogate encoded as if it were UTF-8.
_SURROGATE_HINT = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")
_JSON_KINDS = ("application/json",)
_SNIFFED_KINDS = ("", "text/plain", "application/x-www-form-urlencoded")


def shape_problem(data: bytes, limit: int = MAX_DEPTH) -> str | None:
    """Why ``data`` cannot be decoded safely, or None: nested deeper than ``limit``, or
    brackets that do not close (a truncated body).

    Strings are removed first (brackets inside them do not count), then each pass removes
    the innermost empty pairs: what remains after ``limit`` passes is deeper than that.
    Regular expressions only: linear passes in C, no recursion, whatever the input.
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return None  # too few to nest deeper (whether they close is the decoder's to say)
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", data))
    for _ in range(limit):
        if not brackets:
            return None
        shorter = _INNERMOST.sub(b"", brackets)
        if shorter == brackets:
            return "its brackets do not close (truncated?)"
        brackets = shorter
    return f"it is nested deeper than {limit} levels" if brackets else None


clean_text = replace_surrogates  # one helper; the store's clean() also removes NUL


def clean_value(value: Any) -> Any:
    """``value`` (decoded JSON) with every string, keys included, through :func:`clean_text`."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(v) for v in value]
    return value


def loads_bounded(text: str | bytes, field: str, *, status: int = 400,
                  limit: int = MAX_DEPTH) -> Any:
    """Decode JSON sent in a parameter or form field; ``status`` (4xx) naming ``field`` if bad."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    problem = shape_problem(raw, limit)
    if problem:
        raise ApiError(status, f"{field!r} is not usable JSON: {problem}", fields=[field])
    try:
        return clean_value(json.loads(raw))
    except (ValueError, RecursionError) as exc:
        raise ApiError(status, f"{field!r} is not valid JSON: {str(exc).splitlines()[0]}",
                       fields=[field]) from exc


def header(scope: Scope, name: bytes) -> str | None:
    """The first ``name`` header of an ASGI request (``name`` in lower case), or None."""
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _looks_like_json(body: bytes) -> bool:
    return body.lstrip(b" \t\r\n")[:1] in (b"{", b"[")


class JsonGuard:
    """ASGI middleware that checks a JSON request body before any route decodes it.

    - A body declared as JSON (or sent with no type, ``text/plain`` or the form type that
      ``curl -d`` uses, but starting with ``{`` or ``[``) is read whole, which the body
      limit outside this middleware bounds, and refused with 422 if nested deeper than
      :data:`MAX_DEPTH`.
    - Such a body is handed on as ``application/json``, so the documented ``curl -d``
      examples work without a ``Content-Type`` header.
    - Lone surrogates are replaced (see the module's docstring) before the route sees them.
    """

    def __init__(self, app: ASGIApp, max_depth: int = MAX_DEPTH) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        kind = (header(scope, b"content-type") or "").split(";")[0].strip().lower()
        declared = kind in _JSON_KINDS or kind.endswith("+json")
        if not declared and kind not in _SNIFFED_KINDS:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay(b"", message, receive), send)
                return
            chunks.append(message.get("body", b""))
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        if body and (declared or _looks_like_json(body)):
            problem = (shape_problem(body, self.max_depth) if len(body) < _INLINE_BYTES
                       else await run_in_threadpool(shape_problem, body, self.max_depth))
            if problem:
                refusal = error_response(422, f"the JSON body is not usable: {problem}",
                                         fields=["body"])
                await refusal(scope, receive, send)
                return
            repaired = _repaired(body)
            if repaired is not body or kind != "application/json":
                body = repaired
                scope = _with_headers(scope, {b"content-type": b"application/json",
                                              b"content-length": str(len(body)).encode()})
        await self.app(scope, _replay(body, None, receive), send)


def _repaired(body: bytes) -> bytes:
    """The body with lone surrogates replaced; unchanged when it has none or is not JSON."""
    if not _SURROGATE_HINT.search(body):
        return body
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return body  # the route refuses it with its own error
    return json.dumps(clean_value(data), ensure_ascii=False).encode("utf-8")


def _with_headers(scope: Scope, replace: dict[bytes, bytes]) -> Scope:
    drop = {*replace, b"transfer-encoding"}
    headers = [(k, v) for k, v in scope.get("headers") or [] if k.lower() not in drop]
    headers.extend(replace.items())
    return {**scope, "headers": headers}


def _replay(body: bytes, first: Message | None, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the buffered body once, then the real channel."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            if first is not None:
                return first
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replay
