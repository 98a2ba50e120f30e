"""The list commands: ``load`` and ``update`` lists, then look at what was loaded: ``sources``,
``diff``, ``entity``, ``history``, ``timeline``, ``export``, ``formats``.

Each parses its options, makes one library call and prints (:mod:`discreet.cli.render`).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from discreet.cli import render
from discreet.cli.options import config_option, json_option, open_store
from discreet.cli.render import emit
from discreet.errors import DiscreetError
from discreet.lists.load import load_file
from discreet.sources.opensanctions.ftm import entity_to_ftm
from discreet.store import LoadResult, Store

__all__ = ["diff", "entity", "export", "formats", "history", "load", "sources",
           "timeline", "update"]


@click.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", help="Source name (default: from the file, e.g. us_ofac_sdn).")
@click.option("--format", "fmt", default="auto", show_default=True,
              help="auto, or a format name (see `discreet formats`).")
@click.option("--map", "mapping", help="Column mapping for --format csv: name=Full Name,…")
@click.option("--force", is_flag=True,
              help="Accept a list that removes more entities than the removal gate allows.")
@click.option("--max-removal", "--max-drop", "max_removal", type=click.FloatRange(0, 1),
              help="Largest share of the active entities a new version may remove without "
                   "--force (default: [load] max_removal in discreet.toml, else 0.05).")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The date the file's content is as of, for a file that states none "
                   "(OFAC sdn.csv); default: the file's own date, else the load time.")
@config_option
@json_option()
@click.pass_context
def load(ctx: click.Context, paths: tuple[Path, ...], source: str | None, fmt: str,
         mapping: str | None, force: bool, max_removal: float | None,
         published: datetime | None, config_path: Path | None, as_json: bool) -> None:
    """Load published list files, each as a version of its source placed by its date.

    A file dated before the active version is inserted into the history; the active
    version stays. A file that removes more than the removal gate's share of the
    entities of the version it follows is refused; --force accepts it.

    Example: discreet load sdn.csv --source us_ofac_sdn --published 2024-05-03
    """
    if published is not None and published.date() > datetime.now(UTC).date():
        raise click.BadParameter("a list cannot be published in the future",
                                 param_hint="--published")
    stated = published.date().isoformat() if published else None
    if max_removal is None:
        from discreet.lists.settings import load_settings

        max_removal = load_settings(config_path).max_drop
    store = open_store(ctx)
    extra = {"mapping": mapping} if mapping else None
    results = [_load_one(store, path, source=source, fmt=fmt, force=force,
                         max_drop=max_removal, extra=extra, published=stated)
               for path in paths]
    from discreet.cli.links import refresh_after_write, report_brief

    linked = refresh_after_write(store, any(r.status == "new" for r in results))
    _build_index(store, any(r.status == "new" for r in results))
    book = _rescreen_book(store, any(r.status == "new" and r.active for r in results))
    if as_json:
        rows = [{"source": r.source, "version": r.version, "status": r.status,
                 "entities": r.entities, "added": r.added, "removed": r.removed,
                 "changed": r.changed, "as_of": r.as_of, "as_of_basis": r.as_of_basis,
                 "active": r.active, "warnings": r.warnings, "links": report_brief(linked),
                 "book": book}
                for r in results]
        emit(rows[0] if len(rows) == 1 else rows)
    else:
        render.load_results(results)
        if linked is not None:
            click.echo(linked.summary())
        _say_book(book)


def _build_index(store: Store, changed: bool) -> None:
    """The persisted index of the active versions and links, built now that they changed
    (:func:`discreet.match.persist.build_index`): the next screening, in any process, opens
    it instead of building. A failure leaves the lists loaded (it is built when first used)."""
    if not changed:
        return
    from discreet.match.persist import build_index

    try:
        build_index(store)
    except DiscreetError as exc:
        click.echo(f"warning: the screening index was not built now ({exc}); it is built "
                   "when first used", err=True)


def _rescreen_book(store: Store, changed: bool) -> dict[str, Any] | None:
    """Continuous screening: the customer book (if the store holds one) re-screened against
    what the new active versions changed; its counts. A failure leaves the lists loaded."""
    from discreet.review.continuous import after_list_change

    try:
        return after_list_change(store, changed)
    except DiscreetError as exc:
        click.echo(f"warning: the customer book was not re-screened ({exc}); the lists are "
                   "loaded; run `discreet book screen --changes`", err=True)
        return None


def _say_book(book: dict[str, Any] | None) -> None:
    if book is not None:
        click.echo(f"customer book re-screened (run {book['run']}): {book['screened']} "
                   f"screened, {book['opened']} alerts opened, {book['reopened']} reopened, "
                   f"{book['suppressed']} suppressed")


class _LoadProgress:
    """Entities read and rows/s on stderr, as ``screen-file`` reports its progress: on a
    terminal a line that rewrites itself at most once a second (after the first second);
    otherwise a JSON line every 10 s, only for a load that has run 30 s (a big dump:
    a scheduler's log of ordinary loads stays as it was)."""

    def __init__(self, path: Path) -> None:
        self.name, self.shown = path.name, False
        self.tty = sys.stderr.isatty()
        self.every, self.last = (1.0, 1.0) if self.tty else (10.0, 30.0)

    def __call__(self, entities: int, seconds: float) -> None:
        if seconds < self.last:
            return
        self.last = seconds + self.every
        rate = entities / seconds if seconds else 0.0
        if self.tty:
            self.shown = True
            sys.stderr.write(f"\rloading {self.name}: {entities:,} entities, {rate:,.0f}/s")
        else:
            sys.stderr.write(json.dumps({"file": self.name, "rows": entities,
                                         "rows_per_s": round(rate, 1)}) + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


def _load_one(store: Store, path: Path, **options: Any) -> LoadResult:
    """One file; an unexpected failure gets the file named (main() says it on one line)."""
    progress = _LoadProgress(path)
    try:
        return load_file(store, path, progress=progress, **options)
    except DiscreetError:
        raise
    except Exception as exc:
        exc.add_note(f"{path}: not loaded (the previous version stays active)")
        raise
    finally:
        progress.close()


@click.command()
@click.argument("sources", nargs=-1)
@config_option
@click.option("--force", is_flag=True,
              help="Accept a list that removes more entities than the removal gate allows "
                   "([load] max_removal in discreet.toml, else 0.05).")
@json_option()
@click.pass_context
def update(ctx: click.Context, sources: tuple[str, ...], config_path: Path | None,
           force: bool, as_json: bool) -> None:
    """Download the current official lists and load the ones that changed.

    Example: discreet update un_sc_sanctions eu_fsf
    """
    from discreet.cli.links import refresh_after_write, report_brief
    from discreet.lists.update import update_sources

    store = open_store(ctx)
    outcomes = update_sources(store, list(sources), config_path=config_path, force=force)
    linked = refresh_after_write(store, any(o.status == "new" for o in outcomes))
    _build_index(store, any(o.status == "new" for o in outcomes))
    book = _rescreen_book(store, any(o.status == "new" for o in outcomes))
    if as_json:
        emit([o.to_dict() | {"links": report_brief(linked), "book": book}
              for o in outcomes])
    else:
        render.update_outcomes(outcomes)
        if linked is not None:
            click.echo(linked.summary())
        _say_book(book)
    if any(o.error for o in outcomes):
        sys.exit(1)


@click.command()
@click.option("--all", "show_all", is_flag=True, help="Every version, not only the active.")
@json_option()
@click.pass_context
def sources(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """List the loaded sources and their versions."""
    store = open_store(ctx)
    rows = store.versions() if show_all else store.active()
    if as_json:
        emit([{"source": v.source, "version": v.version, "active": v.active,
               "entities": v.entities, "published": v.published, "as_of": v.as_of,
               "as_of_basis": v.as_of_basis, "loaded_at": v.loaded_at,
               "sha256": v.sha256} for v in rows])
    else:
        render.versions(rows)


@click.command()
@click.argument("source")
@click.option("--from", "from_version", type=int, help="Older version (default: active - 1).")
@click.option("--to", "to_version", type=int, help="Newer version (default: active).")
@json_option()
@click.pass_context
def diff(ctx: click.Context, source: str, from_version: int | None, to_version: int | None,
         as_json: bool) -> None:
    """What was added, removed and changed between two versions of a source.

    Example: discreet diff us_ofac_sdn --from 1 --to 2
    """
    result = open_store(ctx).diff(source, from_version, to_version)
    if as_json:
        data = result.to_dict()
        data["changed"] = [{"id": c.id, "caption": c.caption, "fields": c.fields,
                            "before": c.before, "after": c.after} for c in result.changed]
        emit(data)
    else:
        render.diff(result)


@click.command()
@click.argument("entity_id")
@click.option("--format", "fmt", type=click.Choice(["discreet", "ftm"]), default="discreet",
              show_default=True, help="JSON shape with --json.")
@json_option()
@click.pass_context
def entity(ctx: click.Context, entity_id: str, fmt: str, as_json: bool) -> None:
    """Show one entity as its source's active version states it.

    Example: discreet entity ofac-36
    """
    store = open_store(ctx)
    found = store.entity(entity_id)
    if as_json:
        emit(entity_to_ftm(found) if fmt == "ftm" else found.to_dict())
    else:
        render.entity(found, listed=store.is_listed(entity_id))


@click.command()
@click.argument("entity_id")
@json_option()
@click.pass_context
def history(ctx: click.Context, entity_id: str, as_json: bool) -> None:
    """When an entity was listed, each change, and when it was delisted, in as-of order.

    Each date says how it is known: stated by the list, between two versions, on or
    before the first version held, or not stated (a version dated by its load time).
    """
    events = open_store(ctx).history(entity_id)
    if as_json:
        emit([e.to_dict() for e in events])
    else:
        render.history(entity_id, events)


@click.command()
@click.option("--programme", "--program", "programme", help="Only this programme code.")
@click.option("--authority", help="Only this authority (OFAC, UN, EU, UK, CA, AU).")
@click.option("--by", type=click.Choice(["month", "year"]), default="month", show_default=True)
@json_option()
@click.pass_context
def timeline(ctx: click.Context, programme: str | None, authority: str | None, by: str,
             as_json: bool) -> None:
    """Designations and delistings per programme over time, and how each date is known.

    basis: stated (the list's own dates), inferred (between two versions, counted in the
    later one's period), on or before (present in the first version held: period ≤DATE),
    undated (a version dated by its load time: period "after DATE").

    Example: discreet timeline --authority UN --by year
    """
    rows = open_store(ctx).timeline(programme=programme, authority=authority, by=by)
    if as_json:
        emit([r.to_dict() for r in rows])
    else:
        render.timeline(rows)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["ftm"]), default="ftm", show_default=True)
@click.option("--source", "source_names", multiple=True, help="Only these sources.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default="-", help="Output file (default: standard output).")
@click.pass_context
def export(ctx: click.Context, fmt: str, source_names: tuple[str, ...], output: Path) -> None:
    """Export the active entities as FollowTheMoney JSON lines.

    Each party once: the listings of one party (same-as links that are proposed or
    confirmed, or one id in several sources) merged into one FtM entity whose id is the
    party's and whose `referents` are the other listings' ids; then one Sanction per listing
    (authority, programme, legal basis, dates) and its Identification, CryptoWallet and
    relation entities, as OpenSanctions models them.

    Example: discreet export --format ftm -o entities.ftm.json
    """
    from itertools import chain

    from discreet.sources.opensanctions.ftm_json import write_ftm

    store = open_store(ctx)
    names = list(source_names) or [v.source for v in store.active()]
    with click.open_file(str(output), "w", encoding="utf-8") as handle:
        listed, total = write_ftm(chain.from_iterable(store.entities(n) for n in names), handle,
                                  store.parties())
    click.echo(f"{listed} parties exported ({total} FtM entities with their sanctions, "
               "identifications and relations)", err=True)


@click.command()
@json_option()
def formats(as_json: bool) -> None:
    """List the formats `load --format` accepts."""
    from discreet.sources import parsers

    found = {name: parser.title for name, parser in parsers().items()}
    if as_json:
        emit([{"format": name, "title": title} for name, title in found.items()])
        return
    for name, title in found.items():
        click.echo(f"{name:16} {title}")
