"""The review pages: the alert queue, an alert's case, the customer book (see docs/ui.md).

Every change goes through the review library (``discreet.review``), exactly as the API's
``/review`` routes and the CLI do, so its rules hold here too: roles, four eyes (the decider
cannot approve), the attachment limit and optimistic locking (each form carries the alert
version it was read at). A refusal of the library is shown on the alert's own page with the
library's words and the fitting status (403, 409, 400), never as a 500; a change that
succeeds redirects (303) back to the page with a short confirmation.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from discreet.api.errors import ApiError
from discreet.api.index import Generation
from discreet.api.uploads import as_utf8, check_unpacked
from discreet.errors import ConfigError, NotFoundError, ParseError, UnknownFormatError
from discreet.review import (
    DECISIONS,
    ReviewPermissionError,
    StaleAlertError,
    approve,
    assign,
    attach,
    case,
    close,
    comment,
    decide,
    import_customers,
    load_review_settings,
    screen_book,
    screen_customers,
)
from discreet.screen.readers import parse_map
from discreet.store import Store
from discreet.web import review_views as views
from discreet.web.pages import lookup, render
from discreet.web.session import Changer, User, Viewer, services_of

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False)
MAX_ID = 2**53
AlertId = Annotated[int, Path(ge=0, le=MAX_ID)]
_STATES = f"^({'|'.join(views.STATES)})?$"  # empty: the filter form's "any"
_SORTS = f"^({'|'.join(views.SORTS)})$"
_DECISIONS = f"^({'|'.join(DECISIONS)})$"
# confirmations shown after a change (?done=KEY): only these keys, each a UI text
_DONE = frozenset({"assigned", "commented", "attached", "decided", "approved", "rejected",
                   "closed", "bulk", "screened"})
_ACTIONS = ("assign", "comment", "attach", "decide", "approve", "close", "import", "screen")
_FORMATS = ("auto", "csv", "tsv", "xlsx", "parquet", "jsonl")
_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".parquet", ".jsonl", ".json", ".ndjson"}
_BULK = re.compile(r"^(\d{1,15}):(\d{1,15})$")
Text = Annotated[str, Form(max_length=10_000)]
Version = Annotated[int, Form(ge=0, le=MAX_ID)]
FACETS_SECONDS = 15.0
_FACETS: dict[str, tuple[float, dict[str, list[str]]]] = {}


def _may(user: User) -> dict[str, bool]:
    """What the person may do, as the library's roles say (forms are shown by this)."""
    actor = user.actor
    return {action: actor.may(action) for action in _ACTIONS}


def _facets(request: Request, store: Store) -> dict[str, list[str]]:
    """The queue's filter choices (lists, programmes, assignees), read at most every
    ``FACETS_SECONDS`` per store: three scans of the alerts that change rarely."""
    key = services_of(request).settings.db
    kept = _FACETS.get(key)
    now = time.monotonic()
    if kept is None or now - kept[0] > FACETS_SECONDS:
        kept = _FACETS[key] = (now, store.review.alert_facets())
    return kept[1]


def _generation(request: Request) -> Generation:
    current = services_of(request).holder.current
    if current is None:
        raise ApiError(503, "the lists are still being loaded: try again in a moment")
    return current


# -- the queue ---------------------------------------------------------------------------------


@router.get("/alerts")
def alert_queue(request: Request, user: Viewer,
                state: Annotated[str | None, Query(pattern=_STATES)] = None,
                assignee: Annotated[str, Query(max_length=200)] = "",
                unassigned: Annotated[str, Query(max_length=5)] = "",
                source: Annotated[str, Query(max_length=200)] = "",
                programme: Annotated[str, Query(max_length=200)] = "",
                customer: Annotated[str, Query(max_length=500)] = "",
                sort: Annotated[str, Query(pattern=_SORTS)] = "due",
                dir: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
                page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                done: Annotated[str, Query(max_length=20)] = "",
                changed: Annotated[int, Query(ge=0, le=10_000)] = 0,
                refused: Annotated[str, Query(max_length=2000)] = "") -> Response:
    """The review queue: filtered, sorted, paged; counts per state; bulk actions."""
    chosen = views.QueueFilter(
        state=state or None, assignee=" ".join(assignee.split()) or None,
        unassigned=unassigned == "1", source=source.strip() or None,
        programme=programme.strip() or None, customer=customer.strip() or None, sort=sort,
        descending=dir == "desc", page=page)
    filters = chosen.store_filters()
    with services_of(request).gate() as store:
        rows = store.review.alerts(state=chosen.state, limit=views.PAGE + 1,
                                   offset=(page - 1) * views.PAGE, sort=sort,
                                   descending=chosen.descending, **filters)
        counts = store.review.count_alerts(**filters)
        facets = _facets(request, store)
        people = [u.name for u in store.users.users(include_disabled=False)
                  if set(u.roles) & {"analyst", "reviewer", "admin"}]
    more = len(rows) > views.PAGE
    rows = rows[:views.PAGE]
    total = counts.get(state, 0) if state else sum(counts.values())
    refused_ids = [p for p in refused.split(",") if p.isdigit()][:100]
    return render(request, "review/alerts.html", {
        "rows": [{"alert": a, "age": views.age_days(a), "overdue": views.is_overdue(a),
                  "customer_url": views.customer_url(a.customer_ref)} for a in rows],
        "filter": chosen, "counts": counts, "states": views.STATES, "total": total,
        "sorts": views.SORTS, "facets": facets, "people": people, "more": more,
        "pages": max(1, -(-total // views.PAGE)), "may": _may(user),
        "done": done if done in _DONE else "", "changed": changed, "refused": refused_ids})


@router.post("/alerts/bulk")
def bulk(request: Request, user: Changer,
         action: Annotated[str, Form(pattern="^(assign_me|assign|close)$")],
         alert: Annotated[list[str] | None, Form(max_length=1000)] = None,
         assignee: Annotated[str, Form(max_length=200)] = "",
         back: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Assign the chosen alerts (to me or someone) or close them, each at the version the
    queue showed; one refused (changed meanwhile, or not in a state that allows it) leaves
    the others done, and the queue then names it."""
    picked: list[tuple[int, int]] = []
    for value in alert or []:
        found = _BULK.match(value)
        if found is None:
            raise ApiError(400, f"not an alert of the queue: {value[:40]!r}")
        picked.append((int(found.group(1)), int(found.group(2))))
    if not picked:
        raise ApiError(400, lookup("review.bulk.none"))
    actor = user.actor
    to = user.name if action == "assign_me" else " ".join(assignee.split()) or None
    done, refused = 0, []
    with services_of(request).gate() as store:
        if action == "assign" and to is not None:
            _check_person(store, to)
        for alert_id, version in picked:
            try:
                if action == "close":
                    close(store, alert_id, actor, version=version)
                else:
                    assign(store, alert_id, to, actor, version=version)
                done += 1
            except ReviewPermissionError as exc:  # the role: nothing of the batch can work
                raise ApiError(403, str(exc)) from exc
            except (StaleAlertError, ConfigError, NotFoundError):
                refused.append(str(alert_id))
    where = back if back.startswith("?") else "?"
    joiner = "&" if len(where) > 1 else ""
    query = f"done=bulk&changed={done}" + (f"&refused={','.join(refused)}" if refused else "")
    return RedirectResponse(f"/ui/alerts{where}{joiner}{query}", status_code=303)


def _check_person(store: Store, name: str) -> None:
    """An assignee must be a person of this installation who may work on alerts."""
    known = {u.name: u for u in store.users.users(include_disabled=False)}
    person = known.get(name)
    if person is None or not set(person.roles) & {"analyst", "reviewer", "admin"}:
        raise ApiError(400, f"{name!r} is not a user who works on alerts")


# -- one alert ---------------------------------------------------------------------------------


def _alert_page(request: Request, user: User, alert_id: int, *, status: int = 200,
                error: str = "", stale: bool = False, done: str = "") -> Response:
    """The alert's case page (also after a refused change: then with the refusal)."""
    generation = services_of(request).holder.current
    with services_of(request).gate() as store:
        found = case(store, alert_id)
        alert = found.alert
        try:
            seen = store.review.entity_at(alert.entity_hash)
        except NotFoundError:
            seen = None
        try:
            customer_fields = store.review.customer_version(
                alert.customer_ref, alert.customer_version).fields
        except NotFoundError:
            customer_fields = {}
        try:
            current = store.review.customer(alert.customer_ref)
        except NotFoundError:
            current = None
        people = [u.name for u in store.users.users(include_disabled=False)
                  if set(u.roles) & {"analyst", "reviewer", "admin"}]
    # "no longer listed" only when the lists in force are known (the index is loaded)
    still_listed = generation is None or alert.entity_id in generation.by_id
    may = _may(user)
    acts = any(may[a] for a in ("assign", "comment", "decide"))
    return render(request, "review/alert.html", {
        "alert": alert, "case": found, "customer": views.customer_facts(customer_fields),
        "customer_now": current, "customer_url": views.customer_url(alert.customer_ref),
        "entity": views.entity_facts(seen), "still_listed": still_listed,
        "entity_url": "/ui/entities/" + quote(alert.entity_id, safe=""),
        "explained": views.explanations(found), "reopenings": views.reopenings(found),
        "since": views.since_first(found), "events": views.event_rows(found),
        "overdue": views.is_overdue(alert), "age": views.age_days(alert), "may": may,
        "acts": acts, "people": people, "decisions": DECISIONS,
        "limit": load_review_settings().attachment_max_bytes,
        "error": error, "stale": stale, "done": done if done in _DONE else ""},
        status=status)


@router.get("/alerts/{alert_id}")
def alert_page(request: Request, user: Viewer, alert_id: AlertId,
               done: Annotated[str, Query(max_length=20)] = "") -> Response:
    """One alert: customer and listed entity side by side, the explanation of each run,
    what changed since a decision, the case's history, and the forms the role allows."""
    return _alert_page(request, user, alert_id, done=done)


def _change(request: Request, user: User, alert_id: int, work: Callable[[Store], object],
            done: str) -> Response:
    """Make one change through the library; redirect on success, else show the refusal
    on the alert's page with the library's words."""
    try:
        with services_of(request).gate() as store:
            work(store)
    except StaleAlertError as exc:
        return _alert_page(request, user, alert_id, status=409, error=str(exc), stale=True)
    except ReviewPermissionError as exc:
        return _alert_page(request, user, alert_id, status=403, error=str(exc))
    except ConfigError as exc:
        status = 413 if "the limit is" in str(exc) and done == "attached" else 400
        return _alert_page(request, user, alert_id, status=status, error=str(exc))
    return RedirectResponse(f"/ui/alerts/{alert_id}?done={done}", status_code=303)


@router.post("/alerts/{alert_id}/assign")
def assign_page(request: Request, user: Changer, alert_id: AlertId, version: Version,
                to: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Assign the alert to me, to someone, or to nobody (``to`` empty)."""
    name = " ".join(to.split()) or None

    def work(store: Store) -> object:
        if name is not None and name != user.name:
            _check_person(store, name)
        return assign(store, alert_id, name, user.actor, version=version)
    return _change(request, user, alert_id, work, "assigned")


@router.post("/alerts/{alert_id}/comment")
def comment_page(request: Request, user: Changer, alert_id: AlertId,
                 text: Text = "") -> Response:
    return _change(request, user, alert_id,
                   lambda store: comment(store, alert_id, text, user.actor), "commented")


@router.post("/alerts/{alert_id}/attach")
def attach_page(request: Request, user: Changer, alert_id: AlertId,
                file: Annotated[UploadFile, File()]) -> Response:
    """Keep a file with the alert (the library refuses one above its size limit)."""
    settings = load_review_settings()
    data = file.file.read(settings.attachment_max_bytes + 1)
    if len(data) > settings.attachment_max_bytes:
        size = file.size if file.size is not None else len(data)
        return _alert_page(request, user, alert_id, status=413, error=(
            f"attachment {file.filename or ''!r} is {size:,} bytes; the limit is "
            f"{settings.attachment_max_bytes:,} (attachment_max_bytes in the review "
            "settings)"))
    name = FilePath((file.filename or "").replace("\\", "/")).name
    media = (file.content_type or "application/octet-stream")[:200]
    return _change(request, user, alert_id, lambda store: attach(
        store, alert_id, name, data, user.actor, settings, media_type=media), "attached")


@router.get("/alerts/{alert_id}/attachments/{attachment_id}")
def attachment(request: Request, user: Viewer, alert_id: AlertId,
               attachment_id: AlertId) -> Response:
    """An attachment's bytes, always as a download (never shown in the page's origin)."""
    with services_of(request).gate() as store:
        kept = {a.id: a for a in store.review.attachments(alert_id)}
        if attachment_id not in kept:
            raise ApiError(404, f"alert {alert_id} has no attachment {attachment_id}")
        data = store.review.attachment_data(attachment_id)
    name = kept[attachment_id].name
    plain = "".join(c if c.isascii() and (c.isalnum() or c in "._- ") else "_" for c in name)
    return Response(data, media_type="application/octet-stream", headers={
        "Content-Disposition": f"attachment; filename=\"{plain or 'attachment'}\"; "
                               f"filename*=UTF-8''{quote(name, safe='')}",
        "X-Content-Type-Options": "nosniff"})


@router.post("/alerts/{alert_id}/decide")
def decide_page(request: Request, user: Changer, alert_id: AlertId, version: Version,
                decision: Annotated[str, Form(pattern=_DECISIONS)],
                note: Text = "") -> Response:
    """Decide the alert with a reason (with four eyes it then waits for a reviewer)."""
    if not note.strip():
        return _alert_page(request, user, alert_id, status=400,
                           error=lookup("review.decide.reason_missing"))
    return _change(request, user, alert_id, lambda store: decide(
        store, alert_id, decision, user.actor, load_review_settings(), note=note,
        version=version), "decided")


@router.post("/alerts/{alert_id}/approve")
def approve_page(request: Request, user: Changer, alert_id: AlertId, version: Version,
                 verdict: Annotated[str, Form(pattern="^(approve|reject)$")] = "approve",
                 note: Text = "") -> Response:
    """Approve or reject a decision waiting for four eyes (never the decider's own)."""
    approved = verdict == "approve"
    return _change(request, user, alert_id, lambda store: approve(
        store, alert_id, user.actor, approved=approved, note=note or None, version=version),
        "approved" if approved else "rejected")


@router.post("/alerts/{alert_id}/close")
def close_page(request: Request, user: Changer, alert_id: AlertId,
               version: Version) -> Response:
    return _change(request, user, alert_id,
                   lambda store: close(store, alert_id, user.actor, version=version), "closed")


# -- the customer book -------------------------------------------------------------------------


@router.get("/customers")
def customer_list(request: Request, user: Viewer,
                  q: Annotated[str, Query(max_length=500)] = "",
                  status: Annotated[str, Query(pattern="^(active|closed|all)$")] = "active",
                  page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                  done: Annotated[str, Query(max_length=20)] = "",
                  run: Annotated[int, Query(ge=0, le=MAX_ID)] = 0) -> Response:
    """The book: search by reference or name, page by page; import; screen it now."""
    wanted = None if status == "all" else status
    text = " ".join(q.split())
    with services_of(request).gate() as store:
        found = store.review.customers(status=wanted, limit=views.PAGE + 1,
                                       offset=(page - 1) * views.PAGE, match=text or None)
        # a search scans the book once (the page), not twice: no total then
        total = None if text else store.review.count_customers(wanted)
        last = store.review.run(run) if run else None
    return render(request, "review/customers.html", {
        "rows": [views.customer_summary(c) for c in found[:views.PAGE]],
        "more": len(found) > views.PAGE, "q": text, "status": status, "page": page,
        "total": total, "pages": None if total is None else max(1, -(-total // views.PAGE)),
        "may": _may(user), "formats": _FORMATS,
        "done": "screened" if done == "screened" else "", "run": last,
        "report": None, "error": ""})


@router.post("/customers/import")
def import_page(request: Request, user: Changer, file: Annotated[UploadFile, File()],
                mapping: Annotated[str, Form(max_length=2000)] = "",
                format: Annotated[str, Form(pattern="^(auto|csv|tsv|xlsx|parquet|jsonl)$")]
                = "auto",
                screening_only: Annotated[str, Form(max_length=5)] = "",
                screen: Annotated[str, Form(max_length=5)] = "") -> Response:
    """Import a customer file as ``discreet customers import`` does (the same reader, the
    same column mapping), screen the new and changed customers, and show the report."""
    actor = user.actor
    original = FilePath((file.filename or "").replace("\\", "/")).name[-100:]
    suffix = FilePath(original).suffix.lower()
    safe = re.sub(r"[^\w.\- ]", "_", original) or "customers"
    if suffix not in _SUFFIXES:
        safe += ".csv" if format == "auto" else f".{format}"

    def page(status: int, error: str = "", report: dict[str, Any] | None = None,
             run: Any = None) -> Response:
        return render(request, "review/customers.html", {
            "rows": [], "more": False, "q": "", "status": "active", "page": 1, "total": 0,
            "pages": 1, "may": _may(user), "formats": _FORMATS, "done": "", "run": run,
            "report": report, "error": error, "file_name": original}, status=status)

    try:
        columns = parse_map(mapping)
        with tempfile.TemporaryDirectory() as folder:
            path = FilePath(folder, safe)
            with path.open("wb") as out:
                while chunk := file.file.read(1 << 20):
                    out.write(chunk)
            if path.stat().st_size == 0:
                raise ConfigError(f"{original or 'the file'} is empty: choose a customer file")
            check_unpacked(path, original or "the file")
            as_utf8(path, original or "the file")
            # a connection of its own: an import takes long, and the pages' shared one
            # (every session check) must stay free for everyone else meanwhile
            with services_of(request).open_store() as store:
                summary = import_customers(store, path, actor, mapping=columns, fmt=format,
                                           screening_only=screening_only == "1")
                run = None
                if summary.changed and screen == "1":
                    run = screen_customers(store, _generation(request).matcher,
                                           summary.changed, actor, load_review_settings())
    except ReviewPermissionError as exc:
        return page(403, str(exc))
    except (ParseError, UnknownFormatError, ConfigError) as exc:
        return page(400, str(exc))
    return page(200, report=summary.to_dict(), run=run)


@router.post("/customers/screen")
def screen_now(request: Request, user: Changer) -> Response:
    """Screen the whole book now against every active list (review.screen_book)."""
    matcher = _generation(request).matcher
    try:  # the whole book takes long: on a store of its own, the shared one stays free
        with services_of(request).open_store() as store:
            run = screen_book(store, matcher, user.actor, load_review_settings())
    except ReviewPermissionError as exc:
        raise ApiError(403, str(exc)) from exc
    return RedirectResponse(f"/ui/customers?done=screened&run={run.id}", status_code=303)


@router.get("/customers/{ref:path}")
def customer_page(request: Request, user: Viewer, ref: str) -> Response:
    """One customer: what the book holds now, every version, its alerts, the runs that
    found something for it, and the list versions it was last screened against."""
    if len(ref) > 500:
        raise ApiError(400, "a customer reference of more than 500 characters")
    with services_of(request).gate() as store:
        customer = store.review.customer(ref)
        versions = store.review.customer_versions(ref)
        alerts = store.review.alerts(customer_ref=ref, limit=500)
        hits = {a.id: [h.run_id for h in store.review.hits(a.id)] for a in alerts[:100]}
        runs = [store.review.run(n) for n in views.customer_runs(alerts, hits)[:20]]
    return render(request, "review/customer.html", {
        "customer": customer, "facts": views.customer_facts(customer.fields),
        "versions": [{"v": v, "facts": views.customer_facts(v.fields)}
                     for v in reversed(versions)],
        "alerts": [{"alert": a, "overdue": views.is_overdue(a)} for a in alerts],
        "runs": runs, "screened": sorted((customer.screened or {}).items())})
