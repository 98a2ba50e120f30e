"""The regime pages: the monitoring dashboard and a regime's drill-down (see docs/ui.md).

Every figure comes from :mod:`discreet.regimes.analytics` (the calls ``discreet regime`` and
``/regimes/…`` make): one read of the regime's spans per answer, then counting. Each chart
is an SVG of :mod:`discreet.regimes.charts` served from its own URL (an ``<img>``: no
script can run in it), with the same numbers as an HTML table and as CSV; the table's rows
lead to the entities behind a point (a version date) or a bar (a period).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from discreet.api.errors import ApiError
from discreet.regimes.analytics import (
    DELISTING,
    Alignment,
    FlowRow,
    RegimeData,
    RegimeEvent,
    SizeSeries,
    alignment,
    events,
    flows,
    load_regime,
    name_events,
    regime_summaries,
    size_series,
    version_at,
)
from discreet.store import Store
from discreet.text.csvtext import spreadsheet_safe
from discreet.web.pages import lookup, render
from discreet.web.session import Viewer, services_of

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False)

RegimeId = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")]
# a form's date fields, read as text: an empty field is no date (parse_day)
Since = Annotated[str, Query(alias="since", max_length=40)]
Until = Annotated[str, Query(alias="until", max_length=40)]
At = Annotated[str, Query(alias="at", max_length=40)]
By = Annotated[Literal["month", "year"], Query()]
Source = Annotated[str, Query(max_length=200)]
Offset = Annotated[int, Query(ge=0, le=10**7)]
PAGE = 100  # entities or events a page
CHARTED = ("stated", "inferred")  # flows drawn as bars (dated changes), as the report does
SIZE_HEAD = ("authority", "source", "date", "version", "count", "basis")
FLOW_HEAD = ("period", "authority", "source", "basis", "designations", "delistings")
ALIGN_HEAD = ("a", "b", "listed_by_a", "also_by_b", "other_regime_by_b", "not_by_b")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


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


def _days(**values: str) -> dict[str, dt.date | None]:
    return {name: parse_day(value, name) for name, value in values.items()}


def _order(since: dt.date | None, until: dt.date | None) -> None:
    if since is not None and until is not None and since > until:
        raise ApiError(400, f"since ({since}) is after until ({until})", fields=["since"])


class RegimeCache:
    """What the regime pages read from the store, kept per app until a version is added.

    Reading a regime walks every span of the store (seconds on a long history), and the
    answer changes only when a list version is loaded: the pages keep the last reads
    (``SIZE`` of them), keyed by the regime and the store's versions, read on each
    request (one small query). Entity names are always read from the store at the time.
    """

    SIZE = 64

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[object, ...], Any] = OrderedDict()

    def get(self, key: tuple[object, ...], make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two first readers may both read, never block
        if value is not None:
            self.put(key, value)
        return value

    def put(self, key: tuple[object, ...], value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.SIZE:
                self._items.popitem(last=False)


_CACHE_LOCK = threading.Lock()


def _cache(request: Request) -> RegimeCache:
    state = request.app.state
    with _CACHE_LOCK:
        found = getattr(state, "regime_cache", None)
        if not isinstance(found, RegimeCache):
            found = state.regime_cache = RegimeCache()
        return found


def _stamp(store: Store) -> tuple[object, ...]:
    """The store's versions: any load (of any date) changes it."""
    return tuple((v.source, v.version, v.loaded_at, v.as_of) for v in store.versions())


def _regime_data(request: Request, store: Store, regime: str) -> RegimeData:
    """The regime's runs (cached), their names read through ``store`` (held by the caller)."""
    data: RegimeData = _cache(request).get(("data", regime, _stamp(store)),
                                           lambda: load_regime(store, regime))
    return replace(data, captions=store.record_captions)


def _regime_events(request: Request, store: Store, data: RegimeData) -> list[RegimeEvent]:
    """Every change of the regime (cached and shared: copy one before changing it)."""
    found: list[RegimeEvent] = _cache(request).get(
        ("events", data.regime.id, _stamp(store)), lambda: events(data))
    return found


@dataclass(slots=True)
class Figures:
    """What the dashboard shows of one regime: read once, then tables and charts."""

    data: RegimeData
    series: list[SizeSeries]
    flows: list[FlowRow]
    alignment: Alignment

    def size_rows(self, source: str = "") -> list[tuple[str, str, str, int, int, str]]:
        return [(s.authority, s.source, p.date, p.version, p.count, p.as_of_basis)
                for s in self.series if not source or s.source == source for p in s.points]

    def flow_rows(self, source: str = "") -> list[tuple[str, str, str, str, int, int]]:
        return [(f.period, f.authority, f.source, f.basis, f.designations, f.delistings)
                for f in self.flows if not source or f.source == source]

    def align_rows(self) -> list[tuple[str, str, int, int, int, int]]:
        return [(c.a, c.b, c.listed_by_a, c.also_by_b, c.other_regime_by_b, len(c.not_by_b))
                for c in self.alignment.cells]


def _figures(request: Request, regime: str, *, by: str, since: dt.date | None,
             until: dt.date | None, at: dt.date | None) -> Figures:
    """One read of the regime (the store held only while reading), then the counting."""
    _order(since, until)
    with services_of(request).gate() as store:
        data = _regime_data(request, store, regime)
        found = _regime_events(request, store, data)
        day = _iso(at) or dt.date.today().isoformat()
        # the counts need no names (reading thousands made the matrix slow)
        unnamed = replace(data, captions=lambda _hashes: {})
        matrix: Alignment = _cache(request).get(
            ("alignment", regime, _stamp(store), day, store.links_stamp()),
            lambda: alignment(unnamed, store.parties(), day))
    return Figures(data, size_series(data),
                   flows(data, by=by, since=_iso(since), until=_iso(until), found=found),
                   matrix)


def _periods(first: str, last: str, by: str) -> list[str]:
    """Every month (``YYYY-MM``) or year from ``first`` to ``last``: a bar chart over time
    shows the quiet periods too."""
    out: list[str] = []
    if by == "year":
        return [str(y) for y in range(int(first[:4]), int(last[:4]) + 1)]
    year, month = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last[:7]:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def chart_bars(rows: Iterable[FlowRow], by: str) -> list[tuple[str, int, int]]:
    """(period, designations, delistings) of the dated flows, every period in between."""
    per: dict[str, list[int]] = {}
    for f in rows:
        if f.basis in CHARTED:
            slot = per.setdefault(f.period, [0, 0])
            slot[0] += f.designations
            slot[1] += f.delistings
    if not per:
        return []
    zero = [0, 0]
    return [(p, per.get(p, zero)[0], per.get(p, zero)[1])
            for p in _periods(min(per), max(per), by)]


def _period_range(period: str) -> tuple[str, str] | None:
    """The days a flows row's period covers (a drill-down's since and until)."""
    if period.startswith("≤"):
        day = period[1:]
        return day, day
    if len(period) == 4 and period.isdigit():
        return f"{period}-01-01", f"{period}-12-31"
    if len(period) == 7 and period[4] == "-":
        start = dt.date(int(period[:4]), int(period[5:7]), 1)
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return start.isoformat(), end.isoformat()
    return None


def _csv(head: Sequence[str], rows: Iterable[Sequence[object]], name: str) -> Response:
    """A CSV download; a text cell that a spreadsheet would run as a formula is quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(head)
    for row in rows:
        writer.writerow([spreadsheet_safe(c) for c in row])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _svg(body: bytes) -> Response:
    return Response(body, media_type="image/svg+xml")


# -- the dashboard ---------------------------------------------------------------------------


@router.get("/regimes")
def dashboard(request: Request, user: Viewer,
              regime: Annotated[str, Query(max_length=100)] = "",
              by: By = "year", since_: Since = "",
              until_: Until = "",
              at_: At = "") -> Response:
    """Every regime at a glance; the chosen one's charts, tables and alignment."""
    since, until, at = _days(since=since_, until=until_, at=at_).values()
    _order(since, until)
    with services_of(request).gate() as store:
        summaries = [dict(r) for r in _cache(request).get(
            ("summaries", _stamp(store)), lambda: regime_summaries(store))]
    for row in summaries:
        row["total"] = sum(row["active"].values())
    chosen = regime or next((r["id"] for r in sorted(summaries, key=lambda r: -r["total"])
                             if r["total"]), "")
    figures = None
    if chosen:
        if chosen not in {r["id"] for r in summaries}:
            raise ApiError(404, f"no regime {chosen!r}", fields=["regime"])
        figures = _figures(request, chosen, by=by, since=since, until=until, at=at)
    query = {"by": by, **{k: v.isoformat() for k, v in
                          (("since", since), ("until", until)) if v}}
    return render(request, "regimes/index.html", {
        "summaries": summaries, "chosen": chosen, "figures": figures, "by": by,
        "since": _iso(since) or "", "until": _iso(until) or "", "at": _iso(at) or "",
        "query": query, "period_range": _period_range})


@router.get("/regimes/{regime}/size.svg")
def size_svg(request: Request, user: Viewer, regime: RegimeId) -> Response:
    """The regime's size over time, one step line per list (authority)."""
    with services_of(request).gate() as store:
        data = _regime_data(request, store, regime)
        key = ("size.svg", regime, _stamp(store))

    def draw() -> bytes:
        from discreet.regimes.charts import size_chart  # matplotlib: at the first chart

        series = {s.label: [(dt.date.fromisoformat(p.date), p.count) for p in s.points]
                  for s in size_series(data)}
        return size_chart(series, title=lookup("regimes.size_title").format(
            regime=data.regime.name))

    return _svg(_cache(request).get(key, draw))


@router.get("/regimes/{regime}/flows.svg")
def flows_svg(request: Request, user: Viewer, regime: RegimeId, by: By = "year",
              since_: Since = "",
              until_: Until = "",
              source: Source = "") -> Response:
    """Designations (up) and delistings (down) per period, of one list or all of them."""
    since, until = _days(since=since_, until=until_).values()
    _order(since, until)
    with services_of(request).gate() as store:
        data = _regime_data(request, store, regime)
        found = _regime_events(request, store, data)
        key = ("flows.svg", regime, _stamp(store), by, since, until, source)

    def draw() -> bytes:
        from discreet.regimes.charts import flows_chart  # matplotlib: at the first chart

        rows = [f for f in flows(data, by=by, since=_iso(since), until=_iso(until),
                                 found=found) if not source or f.source == source]
        label = data.authorities.get(source, "") + f" ({source})" if source else lookup(
            "regimes.all_lists")
        return flows_chart(chart_bars(rows, by), title=lookup("regimes.flows_title").format(
            regime=data.regime.name, lists=label, by=by))

    return _svg(_cache(request).get(key, draw))


@router.get("/regimes/{regime}/{table}.csv")
def table_csv(request: Request, user: Viewer, regime: RegimeId,
              table: Annotated[Literal["size", "flows", "alignment"], Path()],
              by: By = "year", since_: Since = "",
              until_: Until = "",
              at_: At = "",
              source: Source = "") -> Response:
    """The numbers of a chart (or of the alignment) as CSV: the table's rows exactly."""
    since, until, at = _days(since=since_, until=until_, at=at_).values()
    figures = _figures(request, regime, by=by, since=since, until=until, at=at)
    rows: list[Sequence[Any]]
    if table == "size":
        head, rows = SIZE_HEAD, list(figures.size_rows(source))
    elif table == "flows":
        head, rows = FLOW_HEAD, list(figures.flow_rows(source))
    else:
        head, rows = ALIGN_HEAD, list(figures.align_rows())
    return _csv(head, rows, f"{regime}-{table}.csv")


# -- a regime's drill-down -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listing:
    """One entity in the regime on a day, as one list has it."""

    authority: str
    source: str
    entity_id: str
    since: str  # the as-of date of the version its run in the regime starts in
    caption: str


def _listings(store: Store, data: RegimeData, day: str, source: str, offset: int
              ) -> tuple[list[Listing], int, list[str]]:
    """A page of the entities in the regime on ``day`` (of one list, or all), the count,
    and the lists with no version by then."""
    where: dict[str, int] = {}
    missing: list[str] = []
    for name in data.sources:
        ref = version_at(data, name, day)
        if ref is None:
            missing.append(name)
        else:
            where[name] = ref.position
    found = sorted(((m.source, m.entity_id, m) for m in data.members
                    if (not source or m.source == source) and m.source in where
                    and m.first <= where[m.source]
                    and (m.last is None or m.last >= where[m.source])),
                   key=lambda t: (t[0], t[1]))
    page = found[offset:offset + PAGE]
    names = store.record_captions(m.last_hash for _, _, m in page)
    out = []
    for name, eid, m in page:
        ref = data.version(name, m.first)
        out.append(Listing(data.authorities.get(name, ""), name, eid,
                           ref.as_of if ref else "", names.get(m.last_hash, eid)))
    return out, len(found), missing


def _events(store: Store, data: RegimeData, every: list[RegimeEvent], since: str,
            until: str, source: str, kind: str, offset: int) -> tuple[list[RegimeEvent], int]:
    """A page of the designations, relistings and delistings dated in [since, until]."""
    found = [e for e in every
             if since <= e.date <= until and (not source or e.source == source)
             and (not kind or (e.kind == DELISTING) == (kind == DELISTING))]
    found.sort(key=lambda e: (e.date, e.authority, e.entity_id))
    page = [replace(e) for e in found[offset:offset + PAGE]]  # the cached ones stay as read
    name_events(data, page, store.parties())
    return page, len(found)


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier; 28 February for 29 February (a date.replace would
    raise, and the page fail, on that day)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@router.get("/regimes/{regime}")
def regime_page(request: Request, user: Viewer, regime: RegimeId,
                at_: At = "",
                since_: Since = "",
                until_: Until = "", source: Source = "",
                kind: Annotated[Literal["", "designation", "delisting"], Query()] = "",
                offset: Offset = 0, eoffset: Offset = 0) -> Response:
    """The regime's entities per list on a day, and its changes in a period."""
    at, since, until = _days(at=at_, since=since_, until=until_).values()
    _order(since, until)
    today = dt.date.today()
    day = (at or today).isoformat()
    start = (since or year_before(today)).isoformat()
    end = (until or today).isoformat()
    if start > end:
        raise ApiError(400, f"since ({start}) is after until ({end})", fields=["since"])
    with services_of(request).gate() as store:
        data = _regime_data(request, store, regime)
        if source and source not in data.sources:
            raise ApiError(404, f"no list {source!r} has entities in the regime {regime}",
                           fields=["source"])
        listings, total, missing = _listings(store, data, day, source, offset)
        every = _regime_events(request, store, data)
        changes, changed = _events(store, data, every, start, end, source, kind, eoffset)
    base = {"at": day, "since": start, "until": end, "source": source, "kind": kind}
    return render(request, "regimes/regime.html", {
        "data": data, "regime": data.regime, "listings": listings, "total": total,
        "missing": missing, "changes": changes, "changed": changed, "page": PAGE,
        "offset": offset, "eoffset": eoffset, "base": base,
        "authorities": data.authorities})
