"""``discreet regime``: a regime across authorities: its size over time, designations and
delistings, alignment, relistings, and the report "has this regime been eased?".

Each command parses its options, makes one library call (:mod:`discreet.regimes.analytics`,
:mod:`discreet.regimes.report`) and prints a table, or JSON with ``--json``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from discreet.cli.options import json_option, open_store
from discreet.cli.render import emit
from discreet.regimes.analytics import (
    regime_alignment,
    regime_flows,
    regime_relistings,
    regime_sizes,
    regime_summaries,
)
from discreet.regimes.report import FORMATS, build_report, render, write_report

__all__ = ["regime"]

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def _print(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A table whose cells are never read as markup (names hold brackets)."""
    table = Table(*header, title=Text(title))
    for row in rows:
        table.add_row(*(Text(str(c)) for c in row))
    Console(soft_wrap=False, highlight=False).print(table)


@click.group()
def regime() -> None:
    """A sanctions regime across authorities: size, flows, alignment, relistings, report.

    REGIME is a regime id of the programme catalogue (`discreet regime list`), e.g.
    russia-ukraine or isil-al-qaida.
    """


@regime.command("list")
@json_option()
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """Every regime of the catalogue, its authorities, and its listings in the active versions.

    Example: discreet regime list
    """
    rows = regime_summaries(open_store(ctx))
    if as_json:
        emit(rows)
        return
    _print("Regimes", ["regime", "name", "authorities", "listed now (per authority)"],
           [[r["id"], r["name"], ", ".join(r["authorities"]),
             ", ".join(f"{a} {n}" for a, n in r["active"].items()) or "-"] for r in rows])


@regime.command()
@click.argument("regime_id", metavar="REGIME")
@json_option()
@click.pass_context
def size(ctx: click.Context, regime_id: str, as_json: bool) -> None:
    """The regime's listings in each version of each list (a step series per list).

    Example: discreet regime size isil-al-qaida
    """
    series = regime_sizes(open_store(ctx), regime_id)
    if as_json:
        emit([s.to_dict() for s in series])
        return
    _print(f"Size of {regime_id}", ["list", "as of", "version", "date from", "listings"],
           [[s.label, p.date, p.version, p.as_of_basis, p.count]
            for s in series for p in s.points])


@regime.command()
@click.argument("regime_id", metavar="REGIME")
@click.option("--by", type=click.Choice(["month", "year"]), default="month", show_default=True)
@click.option("--since", type=DATE, help="Only events dated on or after this day.")
@click.option("--until", type=DATE, help="Only events dated on or before this day.")
@json_option()
@click.pass_context
def flows(ctx: click.Context, regime_id: str, by: str, since: datetime | None,
          until: datetime | None, as_json: bool) -> None:
    """Designations (relistings included) and delistings per period and list.

    basis: stated (the list's own date), inferred (between two versions, counted in the
    later one's period), on or before (present in the first version held: not a
    designation), undated (a version dated by its load time).

    Example: discreet regime flows russia-ukraine --by year
    """
    rows = regime_flows(open_store(ctx), regime_id, by=by, since=_day(since),
                        until=_day(until))
    if as_json:
        emit([r.to_dict() for r in rows])
        return
    _print(f"Designations and delistings of {regime_id}",
           ["period", "authority", "source", "basis", "designations", "delistings"],
           [[r.period, r.authority, r.source, r.basis, r.designations, r.delistings]
            for r in rows])


@regime.command()
@click.argument("regime_id", metavar="REGIME")
@click.option("--at", type=DATE, help="The day (default: today, the latest versions).")
@json_option()
@click.pass_context
def alignment(ctx: click.Context, regime_id: str, at: datetime | None, as_json: bool) -> None:
    """How many parties listed by A in the regime B lists too, and who B does not list.

    Parties join same-as linked entities; an entity with no link is its own party.

    Example: discreet regime alignment russia-ukraine --at 2024-06-01
    """
    found = regime_alignment(open_store(ctx), regime_id, _day(at))
    if as_json:
        emit(found.to_dict())
        return
    _print(f"Alignment of {regime_id} on {found.at}",
           ["A", "B", "listed by A", "also by B", "other regime by B", "not by B"],
           [[c.a, c.b, c.listed_by_a, c.also_by_b, c.other_regime_by_b, len(c.not_by_b)]
            for c in found.cells])
    click.echo("versions: " + ", ".join(f"{v.source} v{v.version} ({v.as_of})"
                                        for v in found.versions))
    for gap in found.gaps:
        click.echo(f"no data: {gap}")


@regime.command()
@click.argument("regime_id", metavar="REGIME")
@json_option()
@click.pass_context
def relisted(ctx: click.Context, regime_id: str, as_json: bool) -> None:
    """Entities delisted from the regime and later relisted in the same list, with dates.

    Example: discreet regime relisted isil-al-qaida
    """
    found = regime_relistings(open_store(ctx), regime_id)
    if as_json:
        emit([r.to_dict() for r in found])
        return
    _print(f"Relisted in {regime_id}", ["name", "entity", "list", "delisted", "relisted"],
           [[r.caption, r.entity_id, r.source, r.delisted.when, r.relisted.when]
            for r in found])


@regime.command()
@click.argument("regime_id", metavar="REGIME")
@click.option("--since", type=DATE, required=True, help="The day to compare with.")
@click.option("--until", type=DATE, help="The day compared (default: today).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (Markdown: its charts as SVG files beside it); default: "
                   "standard output (not for pdf on a terminal).")
@json_option("Print the report's data as JSON instead of a document.")
@click.pass_context
def report(ctx: click.Context, regime_id: str, since: datetime, until: datetime | None,
           fmt: str, output: Path | None, as_json: bool) -> None:
    """Has this regime been eased since DATE? Net change per list, delistings (who, when,
    by whom), designations, relistings, alignment shifts, coverage and data gaps, charts.

    Example: discreet regime report russia-ukraine --since 2022-01-01 --format html -o r.html
    """
    start, end = _day(since), _day(until) or date.today().isoformat()
    assert start is not None
    if end < start:
        raise click.BadParameter(f"{end} is before --since {start}", param_hint="--until")
    found = build_report(open_store(ctx), regime_id, start, end)
    if as_json:
        emit(found.to_dict())
        return
    if output is not None:
        for path in write_report(found, fmt, output):
            click.echo(f"wrote {path}", err=True)
        return
    if fmt == "pdf" and sys.stdout.isatty():
        raise click.BadParameter("a PDF is not written to a terminal: give -o FILE",
                                 param_hint="--format")
    sys.stdout.buffer.write(render(found, fmt))
    sys.stdout.buffer.flush()
