"""Charts for regime reports: size over time and designations/delistings, as SVG or PNG.

Drawn with matplotlib's object API (``Figure`` and its Agg/SVG canvases): pyplot is never
imported and the process-wide backend is never switched, so a program that uses matplotlib
for its own windows is not disturbed. The few settings a chart needs (a fixed SVG id salt,
text kept as text, the default style whatever the caller's) apply only while one chart is
drawn, under a lock, and are restored after it.

Every chart is deterministic: the same input gives the same bytes (no date in the file, ids
from a fixed salt). Every chart is readable without sight of it: the SVG opens with a
``<title>`` and a ``<desc>`` that states the data in words, and keeps its labels as text.
Empty input gives a chart saying "no data"; huge input is bounded (at most ``MAX_NAMED``
authorities named in the legend, the rest drawn thin and grey under one entry; at most
``MAX_POINTS`` points a line and ``MAX_BARS`` bars a chart, merged so that totals and
peaks stay true). The PDF report is ``pdf.py``'s, re-exported here.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
from matplotlib import dates as mdates
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.typing import RcKeyType

from discreet.regimes.pdf import RenderError, Section, Table, png_size, render_pdf

__all__ = [
    "FORMATS",
    "MAX_BARS",
    "MAX_NAMED",
    "MAX_POINTS",
    "RenderError",
    "Section",
    "Table",
    "flows_chart",
    "png_size",
    "render_pdf",
    "size_chart",
]

FORMATS = ("svg", "png")
MAX_NAMED = 10  # authorities with their own colour and legend entry
MAX_POINTS = 400  # points kept per line (the plot is about 800 pixels wide)
MAX_BARS = 120  # periods drawn as bars; longer runs are merged into spans of periods

_WIDTH_IN, _HEIGHT_IN, _DPI = 10.0, 5.5, 100  # 1000 x 550 pixels as PNG
_UP, _DOWN, _OTHER = "#2b6cb0", "#c05621", "#b0b0b0"
# Lines differ by marker and dash as well as colour, so a chart reads without colour.
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<")
_DASHES = ("-", "--", "-.", ":")
_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "discreet-charts",  # ids from a fixed salt, not a random one
    "svg.fonttype": "none",  # labels stay text: searchable, read aloud, small
    "font.family": ["DejaVu Sans"],  # shipped with matplotlib: the same on every machine
    "path.simplify": True,
}
_LOCK = threading.Lock()
_EPOCH = date(1970, 1, 1).toordinal()  # datetime64[D] counts days from it
_SVG_ROOT = re.compile(rb"<svg\b[^>]*>")


def _check_fmt(fmt: str) -> str:
    if fmt not in FORMATS:
        raise RenderError(f"chart format {fmt!r} is not one of {', '.join(FORMATS)}")
    return fmt


def _count(value: object, what: str) -> int:
    """A count as int; RenderError for anything else (bools, floats, negatives)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RenderError(f"{what} must be a whole number of listings >= 0, not {value!r}")
    return value


def _day(value: object, what: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise RenderError(f"{what} must be a date, not {value!r}")
    return value


@contextmanager
def _settings() -> Iterator[None]:
    """Matplotlib's defaults plus ``_RC`` for one chart, restored after (one chart at a time)."""
    with _LOCK, mpl.rc_context():
        mpl.rcdefaults()
        with mpl.rc_context(rc=_RC):
            yield


def _figure() -> tuple[Figure, Axes]:
    fig = Figure(figsize=(_WIDTH_IN, _HEIGHT_IN), dpi=_DPI, layout="constrained")
    return fig, fig.add_subplot()


def _no_data(ax: Axes) -> None:
    ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center",
            fontsize=16, color="#555555", gid="no-data")
    ax.set_xticks([])
    ax.set_yticks([])


def _save(fig: Figure, fmt: str, title: str, desc: str) -> bytes:
    """The figure's bytes; an SVG gains ``role="img"``, ``<title>`` and ``<desc>``."""
    out = io.BytesIO()
    if fmt == "png":
        fig.savefig(out, format="png", dpi=_DPI, metadata={"Software": None})
        return out.getvalue()
    fig.savefig(out, format="svg", metadata={"Date": None})  # <title> and <desc> are ours
    svg = out.getvalue()
    root = _SVG_ROOT.search(svg)
    if root is None:  # matplotlib always writes one; never ship a chart without its text
        raise RenderError("matplotlib wrote an SVG without an <svg> element")
    start_tag = root.group()[:-1].rstrip(b"/")
    # ids unique per chart, so that two charts inlined in one HTML page keep their own text
    key = "chart-" + hashlib.sha256(f"{title}\n{desc}".encode()).hexdigest()[:12]
    accessible = (start_tag + f' role="img" aria-labelledby="{key}-title {key}-desc">'
                  f'<title id="{key}-title">{escape(title)}</title>'
                  f'<desc id="{key}-desc">{escape(desc)}</desc>'.encode())
    return svg[:root.start()] + accessible + svg[root.end():]


def _sentence(names: Sequence[str], limit: int = MAX_NAMED) -> str:
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(f"{len(names) - limit} more")
    return ", ".join(shown)


@dataclass(frozen=True, slots=True)
class _Line:
    """One authority's points in date order, thinned (see ``_thin``)."""

    name: str
    days: npt.NDArray[np.datetime64]
    counts: npt.NDArray[np.int64]

    def first(self) -> str:
        return f"{int(self.counts[0]):,} on {self.days[0]}"

    def last(self) -> str:
        return f"{int(self.counts[-1]):,} active listings on {self.days[-1]}"


def _thin(days: npt.NDArray[np.datetime64], counts: npt.NDArray[np.int64],
          budget: int) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.int64]]:
    """A step line's points, at most about ``budget``: runs of one value become their first
    point (the line drawn is the same); past the budget, each span of time keeps its lowest,
    highest and last value, so no peak or dip disappears. The first and last points stay."""
    keep = np.ones(len(counts), dtype=bool)
    keep[1:-1] = counts[1:-1] != counts[:-2]
    days, counts = days[keep], counts[keep]
    if len(counts) <= budget:
        return days, counts
    ordinal = days.astype(np.int64)
    spans = max(1, budget // 3)
    width = int(ordinal[-1] - ordinal[0]) + 1
    span = (ordinal - ordinal[0]) * spans // width
    by_value = np.lexsort((counts, span))  # per span, lowest value first, highest last
    starts = np.flatnonzero(np.r_[True, span[by_value][1:] != span[by_value][:-1]])
    ends = np.r_[starts[1:], len(by_value)] - 1
    lasts = np.flatnonzero(np.r_[span[1:] != span[:-1], True])
    chosen = np.unique(np.concatenate([by_value[starts], by_value[ends], lasts, [0]]))
    return days[chosen], counts[chosen]


def _line(name: str, points: Sequence[tuple[date, int]], budget: int) -> _Line | None:
    """One series checked (dates, whole counts >= 0), sorted and thinned; None when empty."""
    if not points:
        return None
    try:  # ordinals, not datetime64 from objects: ten times faster on long series
        ordinals = np.fromiter((point[0].toordinal() for point in points), np.int64,
                               len(points))
        counts = np.array([point[1] for point in points])
    except (AttributeError, TypeError, IndexError, KeyError) as exc:
        raise RenderError(f"{name}: each point must be a (date, count) pair") from exc
    bad_day = next((p[0] for p in points if not isinstance(p[0], date)), None)
    if bad_day is not None:
        raise RenderError(f"{name}: a version date must be a date, not {bad_day!r}")
    if counts.ndim != 1 or counts.dtype.kind not in "iu" or counts.min() < 0:
        bad = next((p[1] for p in points
                    if isinstance(p[1], bool) or not isinstance(p[1], int) or p[1] < 0), None)
        raise RenderError(f"{name}: active listings must be whole numbers >= 0, not {bad!r}")
    days = (ordinals - _EPOCH).astype("datetime64[D]")
    order = np.argsort(days, kind="stable")  # two versions of one day keep their order
    days, counts = _thin(days[order], counts[order].astype(np.int64), budget)
    return _Line(name, days, counts)


def _lines(series: Mapping[str, Sequence[tuple[date, int]]]) -> tuple[list[_Line], list[str]]:
    """The series with points, checked and thinned (caller's order), and the empty ones."""
    lines: list[_Line] = []
    empty: list[str] = []
    budget = MAX_POINTS if len(series) <= MAX_NAMED else MAX_POINTS // 4
    for name, points in series.items():
        line = _line(str(name), points, MAX_POINTS)
        if line is None:
            empty.append(str(name))
        else:
            lines.append(line)
    if len(lines) > MAX_NAMED:  # grey lines of the lesser authorities need fewer points
        ranked = sorted(lines, key=lambda ln: (-int(ln.counts[-1]), ln.name))
        lesser = {id(ln) for ln in ranked[MAX_NAMED:]}
        lines = [_Line(ln.name, *_thin(ln.days, ln.counts, budget)) if id(ln) in lesser else ln
                 for ln in lines]
    return lines, empty


def size_chart(series: Mapping[str, Sequence[tuple[date, int]]], *, title: str,
               fmt: str = "svg") -> bytes:
    """A regime's size over time: one step line per authority, active listings at each
    version date (the count holds until the next version). ``fmt`` is "svg" or "png".

    The ``MAX_NAMED`` authorities with the most listings at their last version get a
    colour and a legend entry, in the caller's order; the others are thin grey lines
    under one entry.
    """
    _check_fmt(fmt)
    lines, empty = _lines(series)
    ranked = sorted(lines, key=lambda ln: (-int(ln.counts[-1]), ln.name))
    named_ids = {id(ln) for ln in ranked[:MAX_NAMED]}
    named = [ln for ln in lines if id(ln) in named_ids]
    others = [ln for ln in lines if id(ln) not in named_ids]
    with _settings():
        fig, ax = _figure()
        ax.set_title(title)
        ax.set_xlabel("version date")
        ax.set_ylabel("active listings")
        if not lines:
            _no_data(ax)
            desc = "No data: no version of any authority in this chart."
            return _save(fig, fmt, title, desc)
        handles: list[Artist] = []
        for number, line in enumerate(named, 1):
            # every version marked while they fit, else about 30 marks: the mark names the
            # line without colour; the name is also written at the line's end
            every = max(1, len(line.days) // 30)
            (drawn,) = ax.step(line.days, line.counts, where="post",
                               linewidth=1.8, marker=_MARKERS[(number - 1) % len(_MARKERS)],
                               markevery=every, markersize=4.5,
                               linestyle=_DASHES[(number - 1) % len(_DASHES)],
                               label=line.name, gid=f"series-{number}", zorder=3)
            handles.append(drawn)
            ax.annotate(line.name, (line.days[-1], int(line.counts[-1])), xytext=(4, 4),
                        textcoords="offset points", fontsize="x-small",
                        gid=f"label-{number}", zorder=4)
        for number, line in enumerate(others, 1):
            (drawn,) = ax.step(line.days, line.counts, where="post",
                               color=_OTHER, linewidth=0.7, gid=f"other-{number}", zorder=2,
                               label=f"{len(others)} other authorities")
            if number == 1:
                handles.append(drawn)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=10)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(
            mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  fontsize="small", title="authority", frameon=False)
        parts = [f"{ln.name}: {ln.last()} (from {ln.first()})" for ln in named]
        if others:
            parts.append(f"{len(others)} other authorities in grey: "
                         f"{_sentence([ln.name for ln in others])}")
        desc = "Active listings at each version date, per authority. " + "; ".join(parts)
        if empty:
            desc += f". No versions for: {_sentence(empty)}"
        return _save(fig, fmt, title, desc + ".")


def _spans(rows: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """At most ``MAX_BARS`` bars: consecutive periods merged into spans ("A–B") with their
    totals, so every designation and delisting is still counted."""
    if len(rows) <= MAX_BARS:
        return rows
    bounds = [i * len(rows) // MAX_BARS for i in range(MAX_BARS + 1)]  # even spans
    merged: list[tuple[str, int, int]] = []
    for start, end in itertools.pairwise(bounds):
        chunk = rows[start:end]
        label = chunk[0][0] if len(chunk) == 1 else f"{chunk[0][0]}–{chunk[-1][0]}"
        merged.append((label, sum(r[1] for r in chunk), sum(r[2] for r in chunk)))
    return merged


def flows_chart(rows: Sequence[tuple[str, int, int]], *, title: str, fmt: str = "svg") -> bytes:
    """Designations (bars up) and delistings (bars down) per period, in the rows' order.

    ``rows`` are (period label, designations, delistings), e.g. ("2024-05", 31, 4); the
    labels are drawn as given. ``fmt`` is "svg" or "png".
    """
    _check_fmt(fmt)
    checked = [(str(label), _count(up, f"designations in {label}"),
                _count(down, f"delistings in {label}")) for label, up, down in rows]
    bars = _spans(checked)
    with _settings():
        fig, ax = _figure()
        ax.set_title(title)
        ax.set_xlabel("period")
        ax.set_ylabel("listings: designated (up) / delisted (down)")
        if not bars:
            _no_data(ax)
            desc = "No data: no period in this chart."
        else:
            xs = list(range(len(bars)))
            ups = ax.bar(xs, [b[1] for b in bars], color=_UP, label="designations",
                         gid="designations")
            downs = ax.bar(xs, [-b[2] for b in bars], color=_DOWN, label="delistings",
                           gid="delistings", hatch="//", edgecolor="#ffffff")
            for kind, container in (("designation", ups), ("delisting", downs)):
                for x, patch in zip(xs, container.patches, strict=True):
                    patch.set_gid(f"{kind}-{x + 1}")
            ax.axhline(0, color="#333333", linewidth=0.8)
            step = max(1, -(-len(bars) // 24))  # at most about 24 labels under the bars
            ax.set_xticks(xs[::step], [b[0] for b in bars][::step],
                          rotation=45 if step > 1 or len(bars) > 12 else 0,
                          ha="right" if step > 1 or len(bars) > 12 else "center",
                          fontsize="small")
            ax.set_xlim(-0.6, len(bars) - 0.4)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{abs(v):,.0f}"))
            ax.grid(True, axis="y", alpha=0.3)
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
                      frameon=False)
            total_up, total_down = sum(r[1] for r in checked), sum(r[2] for r in checked)
            desc = (f"Designations and delistings per period, {len(checked)} periods from "
                    f"{checked[0][0]} to {checked[-1][0]}: {total_up:,} designations, "
                    f"{total_down:,} delistings, net {total_up - total_down:+,}.")
            if len(bars) < len(checked):
                desc += f" Drawn as {len(bars)} bars of consecutive periods."
            else:
                desc += " " + "; ".join(f"{label}: +{up:,} −{down:,}"
                                        for label, up, down in bars[:MAX_BARS]) + "."
        return _save(fig, fmt, title, desc)

