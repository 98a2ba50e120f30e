"""``discreet links``: same-party links between lists: compute, list, show, confirm, reject.

A link says two entities of different lists are one party, with its basis (identifier or
name), confidence and evidence. The machine proposes; an analyst confirms or rejects, and
every decision is kept (who, when, why). ``list --json`` carries both entities' names,
dates, nationalities and identifiers, so that a link can be judged from the output alone.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import click
from rich.table import Table

from discreet.cli.options import json_option, open_store
from discreet.cli.render import console, emit
from discreet.errors import DiscreetError, NotFoundError
from discreet.model import Entity
from discreet.regimes.links import LinkReport, refresh_links
from discreet.store import SameAs, Store
from discreet.store.parties import BASES, STATUSES

__all__ = ["entity_brief", "links", "refresh_after_write", "report_brief", "report_lines"]


@click.group()
def links() -> None:
    """Same-party links between lists (one party listed by several authorities).

    Example: discreet links refresh && discreet links show un-6908555
    """


def report_lines(report: LinkReport) -> list[str]:
    """The report for people: totals, then links and parties per pair of lists."""
    lines = [report.summary() + f" ({report.seconds:.1f} s)"]
    for pair, count in report.by_source_pair.items():
        lines.append(f"  {pair}: {count} links, "
                     f"{report.parties_by_source_pair.get(pair, 0)} parties on both")
    if report.conflicts:
        lines.append(f"  {len(report.conflicts)} doubtful links not proposed (an entity "
                     "matching two of one list); `discreet links refresh --json` lists them")
    if report.refused:
        lines.append(f"  {len(report.refused)} shared identifiers not linked (the names "
                     "differ)")
    return lines


@links.command()
@json_option()
@click.pass_context
def refresh(ctx: click.Context, as_json: bool) -> None:
    """Compute the links between the active versions of every list (decisions are kept)."""
    report = refresh_links(open_store(ctx))
    if as_json:
        emit(report.to_dict())
    else:
        for line in report_lines(report):
            click.echo(line)


def entity_brief(entity: Entity | None, entity_id: str) -> dict[str, Any]:
    """What judging a link needs of one side: names, dates, countries, identifiers."""
    if entity is None:
        return {"id": entity_id, "listed": False}
    return {"id": entity.id, "source": entity.source, "authority": entity.authority,
            "schema": entity.schema, "caption": entity.caption,
            "names": [n.value for n in entity.names],
            "birth_dates": [str(d) for d in entity.birth_dates],
            "birth_places": entity.birth_places, "nationalities": entity.nationalities,
            "citizenships": entity.citizenships, "countries": entity.countries,
            "genders": entity.genders,
            "identifiers": [i.to_dict() for i in entity.identifiers],
            "programmes": entity.programmes, "listed_on": entity.listed_on,
            "un_reference": entity.properties.get("unReference", [])}


def _entities(store: Store, wanted: set[str]) -> dict[str, Entity]:
    """The wanted entities as the active versions state them (one pass per list), else
    as last listed."""
    found: dict[str, Entity] = {}
    for version in store.active():
        for entity in store.entities(version.source):
            if entity.id in wanted and entity.id not in found:
                found[entity.id] = entity
    for entity_id in wanted - set(found):
        try:
            found[entity_id] = store.entity(entity_id)
        except NotFoundError:
            continue
    return found


def _link_row(link: SameAs, known: dict[str, Entity], party: str | None) -> dict[str, Any]:
    row = link.to_dict()
    row["party"] = party
    row["entity_a"] = entity_brief(known.get(link.a), link.a)
    row["entity_b"] = entity_brief(known.get(link.b), link.b)
    return row


def _table(rows: list[SameAs], known: dict[str, Entity], title: str) -> Table:
    table = Table("a", "b", "basis", "conf.", "status", "names", "evidence", title=title)
    for link in rows:
        a, b = known.get(link.a), known.get(link.b)
        names = f"{a.caption if a else '?'} / {b.caption if b else '?'}"
        table.add_row(link.a, link.b, link.basis, f"{link.confidence:.2f}", link.status, names,
                      "; ".join(link.evidence))
    return table


@links.command("list")
@click.option("--entity", "entity_id", help="Only the links of this entity.")
@click.option("--status", type=click.Choice(STATUSES), help="Only links of this status.")
@click.option("--basis", type=click.Choice(BASES), help="Only links on this basis.")
@click.option("--rows", "most", type=click.IntRange(min=0), default=0, show_default=True,
              help="Most links shown; 0: every one.")
@json_option("Print JSON: each link with both entities' names, dates and identifiers.")
@click.pass_context
def list_links(ctx: click.Context, entity_id: str | None, status: str | None,
               basis: str | None, most: int, as_json: bool) -> None:
    """List links (every status unless --status), in order of their entity ids.

    Example: discreet links list --basis name --status proposed --json
    """
    store = open_store(ctx)
    rows = [link for link in store.links(entity_id, status=status)
            if basis is None or link.basis == basis]
    if most:
        rows = rows[:most]
    known = _entities(store, {x for link in rows for x in (link.a, link.b)})
    if as_json:
        parties = store.parties()
        emit([_link_row(link, known, parties.get(link.a)) for link in rows])
        return
    console.print(_table(rows, known, f"{len(rows)} links"))


@links.command()
@click.argument("entity_id")
@json_option()
@click.pass_context
def show(ctx: click.Context, entity_id: str, as_json: bool) -> None:
    """An entity's party: every listing of it and the links (with evidence) joining them.

    Example: discreet links show un-6908555
    """
    store = open_store(ctx)
    parties = store.parties()
    party = parties.get(entity_id)
    members = sorted(x for x, p in parties.items() if p == party) if party else [entity_id]
    rows: dict[tuple[str, str], SameAs] = {}
    for member in members:
        for link in store.links(member):
            rows[(link.a, link.b)] = link
    ordered = [rows[k] for k in sorted(rows)]
    known = _entities(store, {*members, *(x for link in ordered for x in (link.a, link.b))})
    if entity_id not in known:
        raise NotFoundError(f"no entity {entity_id!r} in the store")
    if as_json:
        emit({"entity": entity_id, "party": party,
              "listings": [entity_brief(known.get(m), m) for m in members],
              "links": [_link_row(link, known, parties.get(link.a)) for link in ordered],
              "decisions": [d.to_dict() for d in store.link_decisions(entity_id)]})
        return
    if party is None:
        click.echo(f"{entity_id}: no other listing linked"
                   + (f" ({len(ordered)} rejected link(s) below)" if ordered else ""))
    else:
        by_source: dict[str, list[str]] = defaultdict(list)
        for member in members:
            found = known.get(member)
            by_source[found.source if found else "?"].append(member)
        click.echo(f"{entity_id}: party {party}, {len(members)} listings: "
                   + "; ".join(f"{s} {', '.join(ids)}" for s, ids in sorted(by_source.items())))
    if ordered:
        console.print(_table(ordered, known, "links"))


def _decide(ctx: click.Context, a: str, b: str, status: str, by: str, note: str | None,
            as_json: bool) -> None:
    link = open_store(ctx).decide_link(a, b, status, by=by, note=note)
    if as_json:
        emit(link.to_dict())
    else:
        click.echo(f"{link.a} = {link.b}: {link.status} by {link.decided_by} at "
                   f"{link.decided_at}" + (f" ({link.note})" if link.note else ""))


_BY = click.option("--by", required=True, help="Who decides (kept in the audit).")
_NOTE = click.option("--note", help="Why (kept in the audit).")


@links.command()
@click.argument("a")
@click.argument("b")
@_BY
@_NOTE
@json_option()
@click.pass_context
def confirm(ctx: click.Context, a: str, b: str, by: str, note: str | None,
            as_json: bool) -> None:
    """Confirm that two linked entities are one party (kept through every refresh).

    Example: discreet links confirm ofac-12669 un-2962519 --by "A. Analyst"
    """
    _decide(ctx, a, b, "confirmed", by, note, as_json)


@links.command()
@click.argument("a")
@click.argument("b")
@_BY
@_NOTE
@json_option()
@click.pass_context
def reject(ctx: click.Context, a: str, b: str, by: str, note: str | None,
           as_json: bool) -> None:
    """Reject a link: the two entities are not one party (never proposed again).

    Example: discreet links reject au-791 ofac-10117 --by "A. Analyst" --note "other person"
    """
    _decide(ctx, a, b, "rejected", by, note, as_json)


@links.command()
@click.option("--entity", "entity_id", help="Only decisions on this entity's links.")
@json_option()
@click.pass_context
def decisions(ctx: click.Context, entity_id: str | None, as_json: bool) -> None:
    """The audit of analyst decisions on links, oldest first."""
    rows = open_store(ctx).link_decisions(entity_id)
    if as_json:
        emit([d.to_dict() for d in rows])
        return
    table = Table("a", "b", "status", "by", "at", "note", title="Link decisions")
    for d in rows:
        table.add_row(d.a, d.b, d.status, d.decided_by, d.decided_at, d.note or "")
    console.print(table)


def refresh_after_write(store: Store, changed: bool) -> LinkReport | None:
    """Links follow the active versions: recomputed after a write that made a new version
    active. A failure leaves the write in place and says how to retry."""
    if not changed:
        return None
    try:
        return refresh_links(store)
    except DiscreetError as exc:
        click.echo(f"warning: same-party links not refreshed ({exc}); the lists are loaded; "
                   "run `discreet links refresh`", err=True)
        return None


def report_brief(report: LinkReport | None) -> dict[str, Any] | None:
    """The counts ``load --json`` and ``update --json`` carry."""
    if report is None:
        return None
    return {"links": report.links, "by_basis": report.by_basis, "parties": report.parties,
            "entities_linked": report.entities_linked}
