"""The audit trail and the evidence reports (see docs/ui.md).

``/ui/audit`` (auditors and admins): the hash-chained audit trail searched by time, actor,
kind, event and text, newest first, a page at a time (keyset on the sequence number); the
chain's state from :meth:`Store.verify_audit`, the call ``discreet audit verify`` makes;
the chain's head (an anchor) and its records exactly as hashed, as downloads (what
``discreet audit anchor`` and ``audit export`` write). Verifying walks the whole chain:
a short chain is verified on every visit, a long one on request ("verify now"), and each
verification is itself appended to the chain (``audit.verify``), so every worker shows the
last one and the trail says who verified when.

``/ui/reports``: the evidence reports of :mod:`discreet.review.evidence` (a customer, an
alert, a period, "screened as of date D"), the functions ``discreet report`` and
``/review/evidence/…`` call, downloaded as HTML, PDF or JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from discreet.api.errors import ApiError
from discreet.store import Store
from discreet.store.chain import KINDS, ChainRecord, Verdict
from discreet.web.pages import render
from discreet.web.session import Changer, Forbidden, User, require_role, services_of

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False)

AUDITORS = ("auditor", "admin")
READERS = ("analyst", "reviewer", "admin", "auditor")  # who reads evidence (as the API)
Auditor = Annotated[User, require_role(*AUDITORS)]
Reader = Annotated[User, require_role(*READERS)]
PAGE = 50  # records a page
LIVE_VERIFY = 5000  # chains up to this many records are verified on every visit (~0.15 s)
LOOK_BACK = 50_000  # records searched back for the last recorded verification (~0.2 s)
VERIFY_EVENT = "audit.verify"
DETAIL_CHARS = 400
Text = Annotated[str, Query(max_length=200)]
Format = Annotated[Literal["html", "pdf", "json"], Query()]


def parse_day(value: str, field: str) -> dt.date | None:
    """A date field of a form (``YYYY-MM-DD``); empty is no date, anything else a 422."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, f"{field} must be a date YYYY-MM-DD, not {value[:40]!r}",
                       fields=[field]) from None


def _stamp(day: dt.date) -> str:
    """The first instant of a UTC day, as audit records are stamped."""
    return dt.datetime.combine(day, dt.time(), dt.UTC).isoformat(timespec="milliseconds")


def _window(since: str, until: str) -> tuple[str | None, str | None]:
    """[since, until] as whole UTC days: from the start of one to the end of the other."""
    first, last = parse_day(since, "since"), parse_day(until, "until")
    if first is not None and last is not None and first > last:
        raise ApiError(400, f"since ({first}) is after until ({last})", fields=["since"])
    return (_stamp(first) if first else None,
            _stamp(last + dt.timedelta(days=1)) if last else None)


def _details(record: ChainRecord) -> str:
    text = json.dumps(record.request, ensure_ascii=False, sort_keys=True,
                      separators=(", ", ": "))
    return text if len(text) <= DETAIL_CHARS else text[:DETAIL_CHARS] + " …"


@dataclass(frozen=True, slots=True)
class ChainState:
    """What the page says of the chain: a verdict, when and by whom it was reached."""

    ok: bool
    line: str
    at: str
    by: str
    live: bool  # verified for this visit (else: the last recorded verification)
    bad_seq: int | None = None


def _recorded(record: ChainRecord) -> ChainState | None:
    details = record.request if isinstance(record.request, dict) else {}
    if "ok" not in details:
        return None
    bad = details.get("bad_seq")
    return ChainState(bool(details["ok"]), str(details.get("line", "")), record.at,
                      record.actor, False, bad if isinstance(bad, int) else None)


def _state(store: Store, head: int) -> ChainState | None:
    """The chain verified now when it is short, else its last recorded verification (None:
    never verified within the last ``LOOK_BACK`` records)."""
    if head <= LIVE_VERIFY:
        verdict = store.verify_audit()
        return ChainState(verdict.ok, verdict.line(), _now(), "", True, verdict.bad_seq)
    for record in store.audit_search(kind="event", event=VERIFY_EVENT, limit=1,
                                     after=max(0, head - LOOK_BACK)):
        return _recorded(record)
    return None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@router.get("/audit")
def audit_page(request: Request, user: Auditor,
               since: Text = "", until: Text = "", actor: Text = "",
               kind: Annotated[Literal["", "api", "event"], Query()] = "",
               event: Text = "", text: Text = "",
               before: Annotated[int | None, Query(ge=1, le=2**62)] = None) -> Response:
    """The trail, searched; the chain's state; the downloads."""
    start, end = _window(since, until)
    with services_of(request).gate() as store:
        newest = store.audit_search(limit=1)
        head = newest[0].seq if newest else 0
        records = store.audit_search(since=start, until=end, actor=actor.strip() or None,
                                     kind=kind or None, event=event.strip() or None,
                                     text=text.strip() or None, before=before,
                                     limit=PAGE + 1)
        state = _state(store, head)
    more = len(records) > PAGE
    records = records[:PAGE]
    query = {k: v for k, v in (("since", since), ("until", until), ("actor", actor),
                               ("kind", kind), ("event", event), ("text", text)) if v}
    return render(request, "audit/index.html", {
        "records": [(r, _details(r)) for r in records], "head": head, "state": state,
        "more": more, "older": records[-1].seq if records and more else None,
        "before": before, "query": query, "kinds": KINDS,
        "form": {"since": since, "until": until, "actor": actor, "kind": kind,
                 "event": event, "text": text}, "page": PAGE,
        "live_limit": LIVE_VERIFY, "look_back": LOOK_BACK})


@router.post("/audit/verify")
def verify_now(request: Request, user: Changer) -> Response:
    """Walk the whole chain now (on a store of its own: the pages' shared one stays free)
    and append the verdict to the chain."""
    if not user.has(*AUDITORS):
        raise Forbidden(f"verifying the audit chain needs the role auditor or admin; "
                        f"{user.name} has {', '.join(sorted(user.roles)) or 'none'}")
    services = services_of(request)
    with services.open_store() as store:
        verdict: Verdict = store.verify_audit()
        store.append_audit(VERIFY_EVENT, user.name, {"roles": sorted(user.roles),
                                                     **verdict.to_dict()})
    return RedirectResponse("/ui/audit#chain-status", status_code=303)


@router.get("/audit/anchor.json")
def anchor_download(request: Request, user: Auditor) -> Response:
    """The chain's head now: keep it elsewhere, then ``discreet audit verify --anchor``."""
    with services_of(request).gate() as store:
        found = store.audit_anchor()
    name = f"audit-anchor-{found.seq}.json"
    return Response(json.dumps(found.to_dict()) + "\n", media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/audit/export.jsonl")
def export_download(request: Request, user: Auditor, since: Text = "",
                    until: Text = "") -> Response:
    """Records exactly as hashed, one JSON a line (``discreet audit verify --file``),
    streamed from a store of its own so a long export holds no page up."""
    start, end = _window(since, until)
    services = services_of(request)

    def lines() -> Iterator[bytes]:
        with services.open_store() as store:
            for record in store.audit_export(since=start, until=end):
                yield (json.dumps(record, ensure_ascii=True) + "\n").encode()

    stamp = "-".join(v for v in (since, until) if v) or "all"
    return StreamingResponse(lines(), media_type="application/x-ndjson", headers={
        "Content-Disposition": f'attachment; filename="audit-{stamp}.jsonl"'})


# -- evidence reports ------------------------------------------------------------------------


@router.get("/reports")
def reports_page(request: Request, user: Reader) -> Response:
    """The forms of the four reports."""
    return render(request, "reports/index.html", {"today": dt.date.today().isoformat()})


def _download(request: Request, gather: Callable[[Store], dict[str, Any]], fmt: str,
              name: str) -> Response:
    """The report gathered (the store held only meanwhile), drawn, sent as a file."""
    with services_of(request).gate() as store:
        report = gather(store)
    from discreet.review.evidence import render as render_report  # PDF library: when used

    drawn = render_report(report, fmt)
    return Response(drawn.body, media_type=drawn.media_type, headers={
        "Content-Disposition": f'attachment; filename="evidence-{name}.{fmt}"'})


def _safe(value: str) -> str:
    """A file name part: letters, digits, dot, dash and underscore only."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_"
                   for c in value)[:80] or "report"


@router.get("/reports/customer")
def customer_report(request: Request, user: Reader,
                    ref: Annotated[str, Query(min_length=1, max_length=200)],
                    format: Format = "html") -> Response:
    ref = ref.strip()
    if not ref:
        raise ApiError(422, "give the customer's reference", fields=["ref"])
    from discreet.review.evidence import customer_evidence

    return _download(request, lambda store: customer_evidence(store, ref), format,
                     f"customer-{_safe(ref)}")


@router.get("/reports/alert")
def alert_report(request: Request, user: Reader,
                 alert: Annotated[int, Query(ge=1, le=2**62)],
                 format: Format = "html") -> Response:
    from discreet.review.evidence import alert_evidence

    return _download(request, lambda store: alert_evidence(store, alert), format,
                     f"alert-{alert}")


@router.get("/reports/period")
def period_report(request: Request, user: Reader, since: Text = "", until: Text = "",
                  format: Format = "html") -> Response:
    first, last = parse_day(since, "since"), parse_day(until, "until")
    if first is None or last is None:
        raise ApiError(422, "give both dates of the period", fields=["since", "until"])
    if first > last:
        raise ApiError(400, f"since ({first}) is after until ({last})", fields=["since"])
    from discreet.review.evidence import period_evidence

    return _download(request, lambda store: period_evidence(
        store, first.isoformat(), last.isoformat()), format, f"period-{first}-{last}")


@router.get("/reports/as-of")
def as_of_report(request: Request, user: Reader, date: Text = "", customer: Text = "",
                 name: Annotated[str, Query(max_length=500)] = "",
                 threshold: Annotated[str, Query(max_length=20)] = "",
                 format: Format = "html") -> Response:
    day = parse_day(date, "date")
    if day is None:
        raise ApiError(422, "give the date to check", fields=["date"])
    ref, who = customer.strip() or None, name.strip() or None
    if (ref is None) == (who is None):
        raise ApiError(400, "give a customer reference or a name (one of them)",
                       fields=["customer", "name"])
    limit = None
    if threshold.strip():
        try:
            limit = float(threshold)
        except ValueError:
            limit = -1.0
        if not 0 <= limit <= 1:
            raise ApiError(422, f"the threshold is a number from 0 to 1, not {threshold!r}",
                           fields=["threshold"])

    from discreet.review.evidence import as_of_check

    def gather(store: Store) -> dict[str, Any]:
        try:
            return as_of_check(store, day.isoformat(), ref=ref, name=who, threshold=limit)
        except ValueError as exc:
            raise ApiError(400, str(exc)) from exc

    return _download(request, gather, format, f"as-of-{day}")
