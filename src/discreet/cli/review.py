"""``discreet customers``, ``discreet alerts``, ``discreet book``: the review workflow.

Each command parses its options, makes one library call (:mod:`discreet.review`) and
prints a table, or JSON with ``--json``. Who acts is ``--as NAME --role ROLE`` (repeat
``--role`` for several) until discreet has users of its own; the roles are checked by the
library (analyst, reviewer, admin, auditor = read only).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from discreet.cli.options import json_option, open_store, workers_option
from discreet.cli.render import emit
from discreet.review import (
    DECISIONS,
    ROLES,
    Actor,
    ReviewSettings,
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
    screen_list_changes,
)
from discreet.screen.readers import parse_map
from discreet.screen.rows import load_matcher
from discreet.store import Store
from discreet.store.review import ALERT_SORTS, CursorError

__all__ = ["alerts", "book", "customers"]

ACTOR_HELP = ("Who acts (until discreet has users, the name is taken as given and shown in "
              "the trail).")
ROLE_HELP = f"A role of the actor ({', '.join(r for r in ROLES if r != 'system')}); repeat " \
    "for several. Until users exist the role is taken as given: the library checks what " \
    "each role may do."


def _actor_options(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option("--role", "roles", multiple=True, required=True,
                        type=click.Choice([r for r in ROLES if r != "system"],
                                          case_sensitive=False), help=ROLE_HELP)(func)
    return click.option("--as", "actor_name", required=True, metavar="NAME",
                        help=ACTOR_HELP)(func)


def _settings_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option("--review-config", "review_config",
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="Review settings TOML (four eyes, SLA, limits; default: "
                        "DISCREET_REVIEW_CONFIG or ./review.toml).")(func)


def _print(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    table = Table(*header, title=Text(title))
    for row in rows:
        table.add_row(*(Text("" if c is None else str(c)) for c in row))
    Console(soft_wrap=False, highlight=False, width=160).print(table)


def _run_line(run_dict: dict[str, object]) -> str:
    return (f"run {run_dict['id']} ({run_dict['kind']}): {run_dict['screened']} screened, "
            f"{run_dict['opened']} opened, {run_dict['reopened']} reopened, "
            f"{run_dict['suppressed']} suppressed")


# -- customers ------------------------------------------------------------------------------


@click.group()
def customers() -> None:
    """The customer book: import, list, show (with every version)."""


@customers.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "mapping", help="Column mapping, as for screen-file "
              "(id=Ref,name=Full Name,birth_date=DOB,…); id is the firm's reference.")
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", "csv", "tsv", "xlsx", "parquet", "jsonl"]))
@click.option("--screening-only", is_flag=True,
              help="Keep only what screening uses (drop every other column).")
@click.option("--no-screen", is_flag=True, help="Do not screen the new and changed customers.")
@_actor_options
@_settings_option
@workers_option
@json_option()
@click.pass_context
def import_(ctx: click.Context, path: Path, mapping: str | None, fmt: str,
            screening_only: bool, no_screen: bool, actor_name: str, roles: tuple[str, ...],
            review_config: Path | None, workers: int, as_json: bool) -> None:
    """Import or update customers from a file (CSV/TSV, Excel, Parquet, JSON lines), by
    reference; new and changed customers are screened at once unless --no-screen.

    Example: discreet customers import book.xlsx --map "id=Ref,name=Full Name" --as ana
    --role analyst
    """
    actor = Actor.of(actor_name, roles)
    store = open_store(ctx)
    settings = load_review_settings(review_config)
    summary = import_customers(store, path, actor, mapping=parse_map(mapping), fmt=fmt,
                               screening_only=screening_only)
    out: dict[str, object] = {"import": summary.to_dict()}
    if summary.changed and not no_screen:
        run = screen_customers(store, load_matcher(store), summary.changed, actor, settings,
                               workers=workers)
        out["run"] = run.to_dict()
    if as_json:
        emit(out)
        return
    s = summary
    click.echo(f"{path.name}: {s.rows} rows, {s.created} created, {s.updated} updated, "
               f"{s.unchanged} unchanged, {s.rejected} rejected")
    for reject in s.rejects[:20]:
        click.echo(f"  {reject}", err=True)
    if "run" in out:
        click.echo(_run_line(out["run"]))  # type: ignore[arg-type]


@customers.command("list")
@click.option("--status", type=click.Choice(["active", "closed", "all"]), default="active",
              show_default=True)
@click.option("--rows", type=click.IntRange(min=1), default=100, show_default=True,
              help="Most customers listed (a page; --offset for the next).")
@click.option("--offset", type=click.IntRange(min=0), default=0)
@json_option()
@click.pass_context
def list_customers(ctx: click.Context, status: str, rows: int, offset: int,
                   as_json: bool) -> None:
    """Customers of the book, by reference."""
    store = open_store(ctx)
    found = store.review.customers(status=None if status == "all" else status, limit=rows,
                                   offset=offset)
    if as_json:
        emit([c.to_dict() for c in found])
        return
    _print("customers", ["ref", "names", "birth date", "countries", "status", "version"],
           [(c.ref, "; ".join(c.fields.get("names", [])), c.fields.get("birth_date"),
             ", ".join(c.fields.get("countries", [])), c.status, c.version) for c in found])


@customers.command("show")
@click.argument("ref")
@json_option()
@click.pass_context
def show_customer(ctx: click.Context, ref: str, as_json: bool) -> None:
    """One customer: what the book holds now, every version, and its alerts."""
    store = open_store(ctx)
    found = store.review.customer(ref)
    versions = store.review.customer_versions(ref)
    alerts_ = store.review.alerts(customer_ref=ref, limit=1000)
    if as_json:
        emit({"customer": found.to_dict(), "versions": [v.to_dict() for v in versions],
              "alerts": [a.to_dict() for a in alerts_]})
        return
    click.echo(f"{found.ref} ({found.status}, version {found.version})")
    for key, value in found.fields.items():
        click.echo(f"  {key}: {value}")
    for key, value in found.attributes.items():
        click.echo(f"  [{key}] {value}")
    _print("versions", ["version", "changed at", "by", "status", "screening hash"],
           [(v.version, v.changed_at, v.actor, v.status, v.screening_hash[:12])
            for v in versions])
    _print("alerts", ["id", "entity", "caption", "score", "state", "decision"],
           [(a.id, a.entity_id, a.caption, a.score, a.state, a.decision) for a in alerts_])


# -- alerts ---------------------------------------------------------------------------------


@click.group()
def alerts() -> None:
    """Alerts and their cases: list, show, assign, comment, decide, approve, close.

    A change names the alert version you read with --version N (optimistic locking: if
    someone changed the alert since, nothing is written and the command says so).
    """


@alerts.command("list")
@click.option("--state", type=click.Choice(["open", "in_review", "pending_approval",
                                            "decided", "closed"]))
@click.option("--assignee")
@click.option("--customer", "customer_ref")
@click.option("--decision", type=click.Choice(list(DECISIONS)))
@click.option("--rows", type=click.IntRange(min=1), default=100, show_default=True,
              help="Most alerts (or suppressions) listed.")
@click.option("--suppressed", is_flag=True,
              help="List the pairs runs found and remembered decisions kept closed.")
@click.option("--sort", type=click.Choice(list(ALERT_SORTS)), default="due", show_default=True,
              help="The order: due (SLA), score, age (opened at), updated or id; ties by id.")
@click.option("--descending", is_flag=True, help="The --sort order reversed.")
@click.option("--after", metavar="CURSOR",
              help="The page after the one listed before: the cursor it printed (with the "
                   "same --sort and --descending).")
@json_option()
@click.pass_context
def list_alerts(ctx: click.Context, state: str | None, assignee: str | None,
                customer_ref: str | None, decision: str | None, rows: int, suppressed: bool,
                sort: str, descending: bool, after: str | None, as_json: bool) -> None:
    """The alert queue, soonest due first (or --sort). When more alerts follow, the cursor
    of the next page is printed on standard error (--after CURSOR lists it)."""
    store = open_store(ctx)
    if suppressed:
        kept = store.review.suppressions(limit=rows)
        if as_json:
            emit([s.to_dict() for s in kept])
            return
        _print("suppressed", ["run", "alert", "customer", "entity", "score", "at"],
               [(s.run_id, s.alert_id, s.customer_ref, s.entity_id, s.score, s.at)
                for s in kept])
        return
    try:
        page = store.review.alert_page(state=state, assignee=assignee,
                                       customer_ref=customer_ref, decision=decision, limit=rows,
                                       sort=sort, descending=descending, after=after)
    except CursorError as exc:
        raise click.BadParameter(str(exc), param_hint="--after") from exc
    found = page.alerts
    if as_json:
        emit([a.to_dict() for a in found])
    else:
        _print("alerts", ["id", "customer", "entity", "caption", "score", "state", "decision",
                          "assignee", "due", "version"],
               [(a.id, a.customer_ref, a.entity_id, a.caption, a.score, a.state, a.decision,
                 a.assignee, a.due_at, a.version) for a in found])
    if page.next is not None:
        click.echo(f"more alerts follow: --after {page.next}", err=True)


@alerts.command("show")
@click.argument("alert_id", type=int)
@json_option()
@click.pass_context
def show_alert(ctx: click.Context, alert_id: int, as_json: bool) -> None:
    """One alert's whole case: its hits, history, attachments and what changed."""
    found = case(open_store(ctx), alert_id)
    if as_json:
        emit(found.to_dict())
        return
    a = found.alert
    click.echo(f"alert {a.id}: {a.customer_ref} ~ {a.entity_id} ({a.caption}), score "
               f"{a.score}, {a.state}, decision {a.decision or '-'}, version {a.version}")
    _print("hits", ["run", "score", "outcome", "at"],
           [(h.run_id, h.score, h.outcome, h.at) for h in found.hits])
    _print("history", ["at", "who", "what", "details"],
           [(e.at, e.actor, e.kind, e.details) for e in found.events])
    for change in found.entity_changes:
        click.echo(f"  changed: {change}")


def _store_actor(ctx: click.Context, actor_name: str, roles: tuple[str, ...]
                 ) -> tuple[Store, Actor]:
    return open_store(ctx), Actor.of(actor_name, roles)


def _changed(alert_dict: dict[str, object], as_json: bool) -> None:
    if as_json:
        emit(alert_dict)
    else:
        click.echo(f"alert {alert_dict['id']}: {alert_dict['state']} (decision "
                   f"{alert_dict['decision'] or '-'}, version {alert_dict['version']})")


VERSION = click.option("--version", "version", type=int,
                       help="The alert version you read (refused if it changed since).")


@alerts.command("assign")
@click.argument("alert_id", type=int)
@click.argument("assignee")
@VERSION
@_actor_options
@json_option()
@click.pass_context
def assign_alert(ctx: click.Context, alert_id: int, assignee: str, version: int | None,
                 actor_name: str, roles: tuple[str, ...], as_json: bool) -> None:
    """Give an alert to someone (an open alert goes into review)."""
    store, actor = _store_actor(ctx, actor_name, roles)
    _changed(assign(store, alert_id, assignee, actor, version=version).to_dict(), as_json)


@alerts.command("comment")
@click.argument("alert_id", type=int)
@click.argument("text")
@click.option("--attach", "attachment", type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path),
              help="A file to keep with the alert (size-limited, in the store).")
@_actor_options
@_settings_option
@json_option()
@click.pass_context
def comment_alert(ctx: click.Context, alert_id: int, text: str, attachment: Path | None,
                  actor_name: str, roles: tuple[str, ...], review_config: Path | None,
                  as_json: bool) -> None:
    """Comment on an alert, optionally with a file."""
    store, actor = _store_actor(ctx, actor_name, roles)
    event = comment(store, alert_id, text, actor)
    out: dict[str, object] = {"comment": event.to_dict()}
    if attachment is not None:
        settings = load_review_settings(review_config)
        size = attachment.stat().st_size
        if size > settings.attachment_max_bytes:  # refused before reading a huge file
            raise click.ClickException(f"{attachment.name} is {size:,} bytes; the limit is "
                                       f"{settings.attachment_max_bytes:,}")
        out["attachment"] = attach(store, alert_id, attachment.name, attachment.read_bytes(),
                                   actor, settings).to_dict()
    if as_json:
        emit(out)
    else:
        click.echo(f"alert {alert_id}: comment added"
                   + (" with an attachment" if attachment else ""))


@alerts.command("decide")
@click.argument("alert_id", type=int)
@click.argument("decision", type=click.Choice(list(DECISIONS)))
@click.option("--note", help="Why (kept in the case and the audit trail).")
@VERSION
@_actor_options
@_settings_option
@json_option()
@click.pass_context
def decide_alert(ctx: click.Context, alert_id: int, decision: str, note: str | None,
                 version: int | None, actor_name: str, roles: tuple[str, ...],
                 review_config: Path | None, as_json: bool) -> None:
    """Decide an alert: false_positive, true_match or escalated (four eyes per the
    settings: it then waits for a reviewer's approval)."""
    store, actor = _store_actor(ctx, actor_name, roles)
    settings = load_review_settings(review_config)
    _changed(decide(store, alert_id, decision, actor, settings, note=note,
                    version=version).to_dict(), as_json)


@alerts.command("approve")
@click.argument("alert_id", type=int)
@click.option("--reject", is_flag=True, help="Reject the decision: the alert returns to review.")
@click.option("--note")
@VERSION
@_actor_options
@json_option()
@click.pass_context
def approve_alert(ctx: click.Context, alert_id: int, reject: bool, note: str | None,
                  version: int | None, actor_name: str, roles: tuple[str, ...],
                  as_json: bool) -> None:
    """Approve (or --reject) a decision waiting for four eyes: a reviewer, never its
    decider."""
    store, actor = _store_actor(ctx, actor_name, roles)
    _changed(approve(store, alert_id, actor, approved=not reject, note=note,
                     version=version).to_dict(), as_json)


@alerts.command("close")
@click.argument("alert_id", type=int)
@VERSION
@_actor_options
@json_option()
@click.pass_context
def close_alert(ctx: click.Context, alert_id: int, version: int | None, actor_name: str,
                roles: tuple[str, ...], as_json: bool) -> None:
    """Close a decided alert."""
    store, actor = _store_actor(ctx, actor_name, roles)
    _changed(close(store, alert_id, actor, version=version).to_dict(), as_json)


# -- book -------------------------------------------------------------------------------------


@click.group()
def book() -> None:
    """Screening the customer book and its runs."""


@book.command("screen")
@click.option("--changes", is_flag=True,
              help="Only against the list entities added or amended since the book was "
              "last screened (what runs after a list update).")
@click.option("--segment", multiple=True, metavar="ATTRIBUTE=VALUE",
              help="Only customers whose attribute has this value (repeat to combine).")
@_actor_options
@_settings_option
@workers_option
@json_option()
@click.pass_context
def screen(ctx: click.Context, changes: bool, segment: tuple[str, ...], actor_name: str,
           roles: tuple[str, ...], review_config: Path | None, workers: int,
           as_json: bool) -> None:
    """Screen the whole book (or a segment, or only against what changed in the lists);
    the run is recorded with the list versions, threshold and algorithm."""
    store, actor = _store_actor(ctx, actor_name, roles)
    settings: ReviewSettings = load_review_settings(review_config)
    parts = {}
    for item in segment:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected ATTRIBUTE=VALUE, got {item!r}",
                                     param_hint="--segment")
        parts[key.strip()] = value.strip()
    matcher = load_matcher(store)
    if changes:
        if parts:
            raise click.BadParameter("--changes screens the whole book", param_hint="--segment")
        run = screen_list_changes(store, matcher, actor, settings, workers=workers)
    else:
        run = screen_book(store, matcher, actor, settings, segment=parts or None,
                          workers=workers)
    if as_json:
        emit(run.to_dict())
    else:
        click.echo(_run_line(run.to_dict()))


@book.command("runs")
@click.option("--rows", type=click.IntRange(min=1), default=20, show_default=True,
              help="Most runs listed, newest first.")
@json_option()
@click.pass_context
def runs(ctx: click.Context, rows: int, as_json: bool) -> None:
    """Recorded screening runs, newest first: when, against which list versions."""
    found = open_store(ctx).review.runs(limit=rows)
    if as_json:
        emit([r.to_dict() for r in found])
        return
    _print("runs", ["id", "kind", "started", "by", "lists", "threshold", "screened", "opened",
                    "reopened", "suppressed"],
           [(r.id, r.kind, r.started_at, r.actor,
             ", ".join(f"{x['source']}:{x['version']}" for x in r.lists), r.threshold,
             r.screened, r.opened, r.reopened, r.suppressed) for r in found])
