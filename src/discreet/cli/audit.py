"""``discreet audit``: the tamper-evident audit trail: verify, anchor, export, prune, seal,
recover.

``verify`` walks the hash chain and names the first bad record in one line (exit code 1);
``anchor`` writes the chain's head (sequence number and hash) to keep elsewhere, and
``verify --anchor FILE`` checks the chain still reaches it (a cut tail, a rewrite).
``export`` writes records exactly as hashed; ``verify --file EXPORT`` checks one offline.
``recover`` replays the audit journals API servers left when they died.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import click

from discreet.cli.options import json_option, open_store, store_url
from discreet.cli.render import emit
from discreet.errors import ConfigError
from discreet.store import Store
from discreet.store.chain import Anchor, verify_export

__all__ = ["audit"]

WHEN = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"])


def _iso(value: datetime | None) -> str | None:
    """A date or time given on the command line, as audit records are stamped (UTC)."""
    if value is None:
        return None
    stamped = value if value.tzinfo else value.replace(tzinfo=UTC)
    return stamped.astimezone(UTC).isoformat(timespec="milliseconds")


@contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    """The file to write (``-`` or none: standard output)."""
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    try:
        with path.open("w", encoding="utf-8") as handle:
            yield handle
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _read_anchor(path: Path) -> Anchor:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return Anchor.from_dict(data)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not an audit anchor ({exc})") from exc


def _write_anchor(found: Anchor, path: Path | None) -> None:
    with _output(path) as out:
        out.write(json.dumps(found.to_dict()) + "\n")


@click.group()
def audit() -> None:
    """The audit trail: a hash chain of every screening request and store event.

    Example: discreet audit anchor -o anchor-2026-12-03.json
    """


@audit.command("verify")
@click.option("--anchor", "anchor_file", type=click.Path(path_type=Path, dir_okay=False),
              help="An anchor written by `audit anchor`: the chain must still reach it.")
@click.option("--file", "export_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Verify this export (`audit export`) instead of the store: no database "
                   "needed.")
@json_option("Print the verdict as JSON.")
@click.pass_context
def verify(ctx: click.Context, anchor_file: Path | None, export_file: Path | None,
           as_json: bool) -> None:
    """Check every record's hash and link; name the first bad one (exit code 1).

    Example: discreet audit verify --anchor anchor-2026-12-03.json
    Example: discreet audit verify --file q1.jsonl --anchor anchor-2026-04-01.json
    """
    pin = _read_anchor(anchor_file) if anchor_file is not None else None
    if export_file is not None:
        try:
            with export_file.open(encoding="utf-8", errors="surrogateescape") as lines:
                verdict = verify_export(lines, pin)
        except OSError as exc:
            raise ConfigError(f"cannot read {export_file}: {exc.strerror or exc}") from exc
    else:
        verdict = open_store(ctx).verify_audit(pin)
    if as_json:
        emit(verdict.to_dict())
    else:
        click.echo(verdict.line(), err=not verdict.ok)
    if not verdict.ok:
        sys.exit(1)  # not ctx.exit: main() runs click with standalone_mode=False


@audit.command("anchor")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: standard output).")
@click.pass_context
def anchor(ctx: click.Context, output: Path | None) -> None:
    """Write the chain's head (sequence number and hash) as JSON, to keep elsewhere.

    Example: discreet audit anchor -o /safe/place/anchor.json
    """
    _write_anchor(open_store(ctx).audit_anchor(), output)


@audit.command("export")
@click.option("--since", type=WHEN, help="Records stamped at or after (UTC date or time).")
@click.option("--until", type=WHEN, help="Records stamped before (UTC date or time).")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl",
              show_default=True, help="One JSON record a line, in chain order.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: standard output).")
@click.option("--anchor", "anchor_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the chain's head, taken before the export, to this file.")
@click.pass_context
def export(ctx: click.Context, since: datetime | None, until: datetime | None, fmt: str,
           output: Path | None, anchor_file: Path | None) -> None:
    """Export records (screening requests and store events) exactly as hashed.

    Each line is one record with every field as stored (the JSON columns as their text),
    so `discreet audit verify --file` recomputes every hash without the database.

    Example: discreet audit export --since 2026-01-01 --until 2026-04-01 -o q1.jsonl
    """
    del fmt  # one format for now
    store = open_store(ctx)
    if anchor_file is not None:
        _write_anchor(store.audit_anchor(), anchor_file)
    count = 0
    with _output(output) as out:
        for record in store.audit_export(since=_iso(since), until=_iso(until)):
            out.write(json.dumps(record, ensure_ascii=True) + "\n")
            count += 1
    if output is not None and str(output) != "-":
        click.echo(f"{count} records written to {output}", err=True)


@audit.command("prune")
@click.option("--before", type=WHEN, required=True,
              help="Remove the chain's segment of records stamped before this (UTC).")
@json_option("Print JSON for scripts.")
@click.pass_context
def prune(ctx: click.Context, before: datetime, as_json: bool) -> None:
    """Remove the expired start of the chain as one segment, keeping its summary.

    Example: discreet audit prune --before 2025-12-01
    """
    cutoff = _iso(before)
    assert cutoff is not None
    removed = open_store(ctx).prune_audit(cutoff)
    if as_json:
        emit({"removed": removed, "before": cutoff})
    else:
        click.echo(f"{removed} records removed (before {cutoff}); the chain still verifies "
                   "from its segment summary")


@audit.command("seal")
@click.pass_context
def seal(ctx: click.Context) -> None:
    """Chain the records written before the chain existed (the next append does it too).

    Example: discreet audit seal
    """
    found = open_store(ctx).audit_anchor()
    click.echo(f"chain head {found.seq} {found.hash}")


@audit.command("recover")
@click.option("--journal-dir", type=click.Path(path_type=Path, file_okay=False),
              help="The API's audit journal directory (default: the one `discreet serve` "
                   "uses for this store: beside a SQLite file; for PostgreSQL, in the "
                   "working directory).")
@json_option("Print JSON for scripts.")
@click.pass_context
def recover(ctx: click.Context, journal_dir: Path | None, as_json: bool) -> None:
    """Replay into the chain the audit journals of API servers that died.

    Records after a journal's last checkpoint are appended in order; those already stored
    are skipped by id; a line cut short by the crash is named (file and offset) and
    skipped. Journals of running servers are left alone. A starting server does the same.
    Spill files of versions before the journal, beside the default directory, are replayed too.

    Example: discreet audit recover --journal-dir /var/lib/discreet/.store.db.audit-journal
    """
    from discreet.api.audit import recover_journals
    from discreet.api.audit_journal import journal_dir as default_dir

    url = store_url(ctx)
    directory = journal_dir if journal_dir is not None else default_dir(url)
    found = recover_journals(directory, lambda: Store.open(url))
    if as_json:
        emit({"journal_dir": str(directory), "journals": [r.to_dict() for r in found]})
        return
    for report in found:
        for problem in report.problems:
            click.echo(problem, err=True)
        if report.live:
            click.echo(f"{report.name}: in use by a running server (or another recover): "
                       "left alone")
        else:
            click.echo(f"{report.name}: {report.chained} records chained, {report.already} "
                       f"already stored, {report.committed} committed before the crash")
    replayed = [r for r in found if not r.live]
    click.echo(f"{len(replayed)} journals recovered from {directory}", err=True)
