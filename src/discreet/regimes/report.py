"""``discreet regime report``: has this regime been eased since a date? Answered with data.

The report puts side by side, per source (an authority's list): its size in the regime in
the version in force on ``since`` (the baseline) and on ``until``, the net change, who was
delisted (when, by whom, and how the date is known), who was designated or relisted, how
the alignment between authorities moved, and on which versions every figure rests. Where a
source has no version covering a date, the figure is left out and the gap is said, never
filled in.

The report is built once as data (:class:`RegimeReport`), then laid out once as a document
(:func:`document`: headed parts of paragraphs, tables and charts) that Markdown, HTML and
PDF all render, so the three formats state the same numbers.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from discreet.programmes.catalogue import Regime
from discreet.regimes.analytics import (
    DELISTING,
    DESIGNATION,
    RELISTING,
    Alignment,
    Coverage,
    FlowRow,
    RegimeData,
    RegimeEvent,
    Relisting,
    SizeSeries,
    VersionRef,
    alignment,
    coverage,
    events,
    flows,
    load_regime,
    name_events,
    relistings,
    size_series,
    version_at,
)
from discreet.store import Store

__all__ = ["FORMATS", "AlignmentShift", "Part", "RegimeReport", "SourceChange", "build_report",
           "document", "render", "render_html", "render_markdown", "render_pdf_report",
           "write_report"]

FORMATS = ("md", "html", "pdf")
NAMES_SHOWN = 200  # names listed per table before "and N more"


@dataclass(slots=True)
class SourceChange:
    """One source's part of the answer: its size on ``since`` and ``until`` and what
    happened between (``None``: no version covers that date)."""

    source: str
    authority: str
    baseline: VersionRef | None
    end: VersionRef | None
    before: int | None
    after: int | None
    designations: int = 0
    relistings: int = 0
    delistings: int = 0
    programme_changes: int = 0  # of the above: entering or leaving while listed otherwise
    note: str = ""
    unknown: bool = False  # nothing held after ``since``: one old version on both dates

    @property
    def net(self) -> int | None:
        if self.unknown or self.before is None or self.after is None:
            return None
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "authority": self.authority,
                "baseline": self.baseline.to_dict() if self.baseline else None,
                "end": self.end.to_dict() if self.end else None, "before": self.before,
                "after": self.after, "net": self.net, "designations": self.designations,
                "relistings": self.relistings, "delistings": self.delistings,
                "programme_changes": self.programme_changes, "note": self.note,
                "unknown": self.unknown}


@dataclass(slots=True)
class AlignmentShift:
    """How many parties listed by ``a`` in the regime ``b`` also listed, then and now, and
    who ``b`` stopped or started listing that ``a`` lists on both dates."""

    a: str
    b: str
    shared_before: int
    shared_after: int
    dropped_by_b: list[str]
    added_by_b: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "shared_before": self.shared_before,
                "shared_after": self.shared_after, "dropped_by_b": self.dropped_by_b,
                "added_by_b": self.added_by_b}


@dataclass(slots=True)
class RegimeReport:
    """Everything the report states, as data (``--json``, the API, and the renderers)."""

    regime: Regime
    since: str
    until: str
    changes: list[SourceChange]
    delistings: list[RegimeEvent]
    designations: list[RegimeEvent]  # relistings included (kind says which)
    relistings: list[Relisting]
    alignment_before: Alignment
    alignment_after: Alignment
    shifts: list[AlignmentShift]
    coverage: Coverage
    series: list[SizeSeries]
    flows: list[FlowRow]
    by: str = "month"
    summary: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"regime": {"id": self.regime.id, "name": self.regime.name},
                "since": self.since, "until": self.until, "summary": self.summary,
                "changes": [c.to_dict() for c in self.changes],
                "delistings": [e.to_dict() for e in self.delistings],
                "designations": [e.to_dict() for e in self.designations],
                "relistings": [r.to_dict() for r in self.relistings],
                "alignment_before": self.alignment_before.to_dict(),
                "alignment_after": self.alignment_after.to_dict(),
                "shifts": [s.to_dict() for s in self.shifts],
                "coverage": self.coverage.to_dict(),
                "series": [s.to_dict() for s in self.series], "by": self.by,
                "flows": [f.to_dict() for f in self.flows]}


def _change(data: RegimeData, series: SizeSeries, since: str, until: str,
            found: Sequence[RegimeEvent]) -> tuple[SourceChange, list[RegimeEvent]]:
    """A source's counts and the events between its baseline and end versions."""
    base = version_at(data, series.source, since)
    end = version_at(data, series.source, until)
    counts = {p.version: p.count for p in series.points}
    change = SourceChange(series.source, series.authority, base, end,
                          counts[base.version] if base else None,
                          counts[end.version] if end else None)
    if end is None:
        change.note = f"no version as of {until} or before"
        return change, []
    lo = base.position if base else 1
    if base is not None and base.position == len(data.versions[series.source]):
        change.unknown = True
        change.note = (f"nothing held after {since} (the latest version is as of "
                       f"{base.as_of}): the change since then is unknown")
        return change, []
    if base is None:
        first = data.versions[series.source][0]
        change.note = (f"no version as of {since} or before: changes counted from the first "
                       f"held, as of {first.as_of} ({counts[first.version]} then)")
    between = [e for e in found if e.source == series.source and lo < e.position <= end.position]
    change.designations = sum(e.kind == DESIGNATION for e in between)
    change.relistings = sum(e.kind == RELISTING for e in between)
    change.delistings = sum(e.kind == DELISTING for e in between)
    change.programme_changes = sum(e.other_programmes for e in between)
    return change, between


def _shifts(before: Alignment, after: Alignment) -> list[AlignmentShift]:
    out = []
    for cell in after.cells:
        try:
            old = before.cell(cell.a, cell.b)
        except KeyError:
            continue
        both = before.parties.get(cell.a, set()) & after.parties.get(cell.a, set())
        was = before.parties.get(cell.b, set()) & both
        now = after.parties.get(cell.b, set()) & both
        out.append(AlignmentShift(cell.a, cell.b, old.also_by_b, cell.also_by_b,
                                  sorted(was - now), sorted(now - was)))
    return out


def _period_by(since: str, until: str) -> str:
    """Months for up to three years, years beyond."""
    return "month" if int(until[:4]) - int(since[:4]) <= 3 else "year"


def build_report(store: Store, regime: str, since: str, until: str | None = None, *,
                 parties: Mapping[str, str] | None = None) -> RegimeReport:
    """The report's data: one read of the regime's spans, then counting."""
    until = until or dt.date.today().isoformat()
    if since > until:
        raise ValueError(f"since ({since}) is after until ({until})")
    data = load_regime(store, regime)
    links = dict(parties) if parties is not None else store.parties()
    found = events(data)
    series = size_series(data)
    changes, between = [], []
    for s in series:
        change, evs = _change(data, s, since, until, found)
        changes.append(change)
        between.extend(evs)
    name_events(data, between, links)
    delisted = sorted((e for e in between if e.kind == DELISTING),
                      key=lambda e: (e.date, e.authority, e.caption))
    designated = sorted((e for e in between if e.kind != DELISTING),
                        key=lambda e: (e.date, e.authority, e.caption))
    in_range = {id(e) for e in between}
    relisted = [r for r in relistings(data, found) if id(r.relisted) in in_range]
    for r in relisted:
        r.caption, r.party = r.relisted.caption, r.relisted.party
    before, after = alignment(data, links, since), alignment(data, links, until)
    by = _period_by(since, until)
    report = RegimeReport(data.regime, since, until, changes, delisted, designated, relisted,
                          before, after, _shifts(before, after), coverage(data, since, until),
                          series, flows(data, by=by, found=between), by)
    report.summary = _summary(report)
    return report


def _n(value: int | None) -> str:
    return "no data" if value is None else f"{value:,}"


def _signed(value: int | None) -> str:
    return "no data" if value is None else f"{value:+,}"


def _summary(report: RegimeReport) -> list[str]:
    """The answer in a few sentences, each a count the tables below detail."""
    lines = []
    known = [c for c in report.changes if c.net is not None]
    shrank = [c for c in known if c.net is not None and c.net < 0]
    grew = [c for c in known if c.net is not None and c.net > 0]
    delisted = sum(c.delistings for c in report.changes)
    lines.append(
        f"Between {report.since} and {report.until}, {len(report.changes)} list(s) hold "
        f"{report.regime.name} listings: {len(shrank)} shrank, {len(grew)} grew, "
        f"{len(known) - len(shrank) - len(grew)} did not change in size, and "
        f"{len(report.changes) - len(known)} cannot be compared (no version covers "
        "one of the dates, or none is held after the first).")
    for c in report.changes:
        lines.append(f"{c.authority} ({c.source}): {_n(c.before)} → {_n(c.after)} "
                     f"({_signed(c.net)}); {c.designations} designation(s), "
                     f"{c.relistings} relisting(s), {c.delistings} delisting(s)"
                     + (f", {c.programme_changes} of them programme changes of entities "
                        "listed otherwise" if c.programme_changes else "")
                     + (f". {c.note}" if c.note else "") + ".")
    lines.append(f"{delisted} delisting(s) in all; {len(report.relistings)} relisting(s) of "
                 "entities delisted before.")
    if report.coverage.missing_authorities:
        lines.append("No figures for " + ", ".join(report.coverage.missing_authorities)
                     + ": no list of theirs in the store names an entity in this regime "
                     "(see the coverage): their part is unknown, not counted as zero.")
    return lines


# -- the document all formats render --------------------------------------------------------


@dataclass(slots=True)
class Part:
    """One headed part of the report: paragraphs, tables, and the charts shown in it."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[list[str], list[list[str]]]] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # "size", "flows"


def _ref(ref: VersionRef | None) -> str:
    if ref is None:
        return "none"
    basis = "" if ref.as_of_basis == "file" else f", date from: {ref.as_of_basis}"
    return f"v{ref.version} as of {ref.as_of}{basis}"


def _limit(rows: list[list[str]], what: str) -> tuple[list[list[str]], str]:
    if len(rows) <= NAMES_SHOWN:
        return rows, ""
    return rows[:NAMES_SHOWN], f"The first {NAMES_SHOWN} of {len(rows)} {what} are shown; " \
        "--format json or the API lists them all."


def _event_rows(found: Sequence[RegimeEvent]) -> list[list[str]]:
    return [[e.caption, e.entity_id, e.authority, e.source, e.when, e.dated,
             "yes" if e.other_programmes else ""] for e in found]


def _caption(report: RegimeReport, party: str) -> str:
    return report.alignment_after.captions.get(party) or \
        report.alignment_before.captions.get(party) or party


def document(report: RegimeReport) -> list[Part]:
    """The report laid out once: what Markdown, HTML and PDF all show."""
    parts = [Part("Answer", list(report.summary), charts=["size", "flows"])]
    parts.append(Part("Net change per list", [
        f"Size in the regime in the version in force on {report.since} (before) and on "
        f"{report.until} (after). Designations include programme additions to entities "
        "listed otherwise, delistings programme removals (counted under 'programme "
        "changes')."], [(
            ["authority", "source", "before (version)", "after (version)", "net",
             "designations", "relistings", "delistings", "programme changes", "note"],
            [[c.authority, c.source, f"{_n(c.before)} ({_ref(c.baseline)})",
              f"{_n(c.after)} ({_ref(c.end)})", _signed(c.net), str(c.designations),
              str(c.relistings), str(c.delistings), str(c.programme_changes), c.note]
             for c in report.changes])]))
    header = ["name", "entity", "authority", "source", "when", "date is", "programme change"]
    rows, more = _limit(_event_rows(report.delistings), "delistings")
    parts.append(Part("Delistings", [
        f"{len(report.delistings)} entities left the regime: who, when and by whom. 'between "
        "A and B' is a change first seen in the version as of B; 'programme change' marks "
        "an entity still listed under other programmes.", *([more] if more else [])],
        [(header, rows)] if rows else []))
    rows, more = _limit(_event_rows(report.designations), "designations")
    parts.append(Part("Designations and relistings", [
        f"{sum(e.kind == DESIGNATION for e in report.designations)} designations and "
        f"{sum(e.kind == RELISTING for e in report.designations)} relistings.",
        *([more] if more else [])], [(header, rows)] if rows else []))
    parts.append(Part("Relisted after a delisting", [
        f"{len(report.relistings)} entities delisted and later relisted in the same list."],
        [(["name", "entity", "authority", "delisted", "relisted"],
          [[r.caption, r.entity_id, r.authority, r.delisted.when, r.relisted.when]
           for r in report.relistings])] if report.relistings else []))
    flow_rows = [[f.period, f.authority, f.source, f.basis, str(f.designations),
                  str(f.delistings)] for f in report.flows]
    parts.append(Part(f"Designations and delistings per {report.by}", [
        f"The changes first seen after the versions in force on {report.since}, by date: "
        "stated (the list's own date, which may be earlier when the version in force then "
        "was older) or inferred (between two versions, counted in the later one's period)."],
        [(["period", "authority", "source", "basis", "designations", "delistings"],
          flow_rows)] if flow_rows else []))
    parts.append(_alignment_part(report))
    parts.append(_coverage_part(report))
    return parts


def _alignment_part(report: RegimeReport) -> Part:
    after, before = report.alignment_after, report.alignment_before
    part = Part("Alignment between authorities", [
        f"Parties (same-as links joined; an entity with no link is its own party) listed "
        f"in the regime by A on {report.until}, and how many B also lists in it then "
        f"(on {report.since} in brackets); 'other regime' counts those B lists only under "
        "another regime's programmes."])
    if not after.cells:
        part.paragraphs.append(f"Fewer than two authorities list parties in this regime on "
                               f"{report.until}: no alignment to measure.")
    shift = {(s.a, s.b): s for s in report.shifts}
    rows = []
    for cell in after.cells:
        s = shift.get((cell.a, cell.b))
        was = f" ({s.shared_before})" if s else " (no data)"
        rows.append([cell.a, cell.b, str(cell.listed_by_a), f"{cell.also_by_b}{was}",
                     str(cell.other_regime_by_b), str(len(cell.not_by_b))])
    if rows:
        part.tables.append((["A", "B", "listed by A", "also by B", "other regime by B",
                             "not by B"], rows))
    moved = [[s.b, _caption(report, p), p, s.a, "stopped listing"]
             for s in report.shifts for p in s.dropped_by_b] + \
            [[s.b, _caption(report, p), p, s.a, "started listing"]
             for s in report.shifts for p in s.added_by_b]
    if moved:
        rows, more = _limit(moved, "shifts")
        part.paragraphs.append("The second table lists the shifts: parties A lists on both "
                               "dates that B stopped or started listing between them."
                               + (f" {more}" if more else ""))
        part.tables.append((["B", "party", "party id", "A", "change"], rows))
    if before.gaps or after.gaps:
        part.paragraphs.append("No data: " + "; ".join(sorted(set(before.gaps + after.gaps)))
                               + ".")
    return part


def _coverage_part(report: RegimeReport) -> Part:
    cov = report.coverage
    rows = [[s.authority, s.source, _ref(s.first), _ref(s.last), _ref(s.baseline),
             _ref(s.end), ", ".join(f"v{r.version} ({r.as_of})" for r in s.used)]
            for s in cov.sources]
    paragraphs = ["Every figure above rests on these versions (as-of dates; 'date from' "
                  "names who dates a file that states no date itself)."]
    paragraphs.append("Gaps: " + " ".join(f"{g}." for g in cov.gaps) if cov.gaps
                      else "Gaps: none: every list has a version covering both dates.")
    return Part("Coverage and data gaps", paragraphs, [(
        ["authority", "source", "first held", "last held", f"on {report.since}",
         f"on {report.until}", "versions used"], rows)])


# -- charts and formats ---------------------------------------------------------------------


def charts(report: RegimeReport, fmt: str) -> dict[str, bytes]:
    """The report's charts as SVG or PNG: size over time, flows per period."""
    from discreet.regimes.charts import flows_chart, size_chart

    name = report.regime.name
    series = {s.label: [(dt.date.fromisoformat(p.date), p.count) for p in s.points]
              for s in report.series}
    per: dict[str, list[int]] = {}
    for f in report.flows:
        if f.basis in ("stated", "inferred"):
            slot = per.setdefault(f.period, [0, 0])
            slot[0] += f.designations
            slot[1] += f.delistings
    rows = [(p, d, x) for p, (d, x) in sorted(per.items())]
    return {
        "size": size_chart(series, title=f"{name}: listings per list at each version",
                           fmt=fmt),
        "flows": flows_chart(rows, title=f"{name}: designations and delistings per "
                             f"{report.by}, after the versions in force on {report.since}",
                             fmt=fmt)}


def _title(report: RegimeReport) -> str:
    return f"{report.regime.name}: has the regime been eased since {report.since}?"


def _env() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: resources.files("discreet.regimes").joinpath("templates", name)
        .read_text("utf-8"))
    return jinja2.Environment(loader=loader, autoescape=jinja2.select_autoescape(["html.j2"]),
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def _md_cell(text: str) -> str:
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def render_markdown(report: RegimeReport, chart_files: Mapping[str, str] | None = None) -> str:
    """Markdown; ``chart_files`` maps a chart's name to the file written beside it."""
    env = _env()
    env.filters["cell"] = _md_cell
    text = env.get_template("report.md.j2").render(
        title=_title(report), report=report, parts=document(report),
        chart_files=dict(chart_files or {}))
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def render_html(report: RegimeReport, with_charts: bool = True) -> str:
    """One self-contained HTML page, charts inline as SVG."""
    svgs = charts(report, "svg") if with_charts else {}
    inline = {k: _strip_prolog(v.decode("utf-8")) for k, v in svgs.items()}
    return _env().get_template("report.html.j2").render(
        title=_title(report), report=report, parts=document(report), svgs=inline,
        escape=html.escape)


def _strip_prolog(svg: str) -> str:
    """An SVG file's markup without its XML declaration and DOCTYPE, to inline in HTML."""
    at = svg.find("<svg")
    return svg[at:] if at >= 0 else ""


def render_pdf_report(report: RegimeReport) -> bytes:
    """PDF: the same parts, charts as PNG."""
    from discreet.regimes.pdf import Section, Table, render_pdf

    pngs = charts(report, "png")
    sections = [Section(p.heading, list(p.paragraphs), [Table(h, r) for h, r in p.tables],
                        [pngs[c] for c in p.charts]) for p in document(report)]
    return render_pdf(_title(report), sections)


def render(report: RegimeReport, fmt: str) -> bytes:
    """The report as one document in ``fmt`` (md without its chart files)."""
    if fmt == "md":
        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        return render_pdf_report(report)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def write_report(report: RegimeReport, fmt: str, path: Path) -> list[Path]:
    """Write the report to ``path`` (Markdown: its charts as SVG files beside it, named
    after it); returns every file written."""
    if fmt != "md":
        data = render(report, fmt)
        path.write_bytes(data)
        return [path]
    written = []
    files = {}
    for name, svg in charts(report, "svg").items():
        chart = path.with_name(f"{path.stem}-{name}.svg")
        chart.write_bytes(svg)
        files[name] = chart.name
        written.append(chart)
    path.write_text(render_markdown(report, files), encoding="utf-8")
    return [path, *written]
