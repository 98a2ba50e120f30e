"""The service commands: ``serve`` the screening API, and manage its API ``keys``.

Standalone click commands that the ``discreet`` group registers; each parses its options,
makes one library call and writes the result.
"""

from __future__ import annotations

import json
import os

import click

from discreet.cli_common import open_store

__all__ = ["keys", "serve"]


def _db(ctx: click.Context) -> str:
    return str(ctx.find_root().params.get("db") or os.environ.get("DISCREET_DB", "discreet.db"))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes; each holds its own index and polls the store.")
@click.option("--no-auth", is_flag=True,
              help="Serve without API keys (refused unless --host is a loopback address).")
@click.option("--update-every", help="Download and load new list versions this often "
              "(e.g. 6h, 30m); default: never.")
@click.option("--poll-every", type=click.FloatRange(0.05, 3600), default=1.0,
              show_default=True, help="Seconds between checks of the store for new versions.")
@click.option("--rate-limit", type=click.IntRange(min=1), default=6000, show_default=True,
              help="Requests per minute per key (a key's own limit wins).")
@click.option("--max-body", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Largest request body in bytes (413 beyond).")
@click.option("--max-batch", type=click.IntRange(1, 1000), default=100, show_default=True,
              help="Most queries in one /match or /reconcile request (413 beyond).")
@click.option("--max-work", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Most name-results one /match request may ask for: names x limit, "
              "summed over its queries (413 beyond).")
@click.option("--screen-threads", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Screening threads per worker (requests beyond wait their turn).")
@click.option("--header-timeout", type=click.FloatRange(0.5, 3600), default=10.0,
              show_default=True, help="Seconds a client has to send a request's headers.")
@click.option("--body-timeout", type=click.FloatRange(0.5, 3600), default=30.0,
              show_default=True, help="Seconds a client has to send a body after its headers.")
@click.option("--max-connections", type=click.IntRange(min=1), default=2000,
              show_default=True, help="Open connections per worker; over it the one idle "
              "longest is closed.")
@click.option("--audit/--no-audit", default=True, show_default=True,
              help="Log every screening request (who, when, what, versions, results).")
@click.option("--audit-retention-days", type=click.IntRange(min=1), default=365,
              show_default=True, help="Audit records older than this are deleted.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int, no_auth: bool,
          update_every: str | None, poll_every: float, rate_limit: int, max_body: int,
          max_batch: int, max_work: int, screen_threads: int, header_timeout: float,
          body_timeout: float, max_connections: int, audit: bool,
          audit_retention_days: int) -> None:
    """Serve the yente-compatible screening API (and OpenRefine reconciliation).

    Example: discreet keys create ops --scope screen && discreet serve --port 8000
    """
    from discreet.api.serve import run_server
    from discreet.api.settings import ApiSettings

    settings = ApiSettings(db=_db(ctx), host=host, auth=not no_auth, rate_limit=rate_limit,
                           max_body_bytes=max_body, max_batch=max_batch,
                           poll_seconds=poll_every, max_work=max_work,
                           screen_threads=screen_threads, header_timeout=header_timeout,
                           body_timeout=body_timeout, max_connections=max_connections,
                           audit=audit,
                           audit_retention_days=audit_retention_days).check()
    if no_auth:
        click.echo(f"warning: serving WITHOUT API keys on {host}:{port} (--no-auth)",
                   err=True)
    run_server(settings, port=port, workers=workers, update_every=update_every)


@click.group()
def keys() -> None:
    """Create, list and revoke API keys for `discreet serve`."""


@keys.command("create")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(["screen", "admin"]),
              default=("screen",), show_default=True, help="What the key may do (repeat).")
@click.option("--rate-limit", type=click.IntRange(min=1),
              help="Requests per minute for this key (default: the server's).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def keys_create(ctx: click.Context, name: str, scopes: tuple[str, ...],
                rate_limit: int | None, as_json: bool) -> None:
    """Create a key and print it once (only its hash is stored).

    Example: discreet keys create crm --scope screen --rate-limit 600
    """
    from discreet.store.apikeys import create_key

    record, secret = create_key(open_store(ctx).db, name, scopes, rate_limit)
    if as_json:
        click.echo(json.dumps({**record.to_dict(), "key": secret}, indent=2))
        return
    click.echo(f"key id {record.id} ({name}; scopes {', '.join(record.scopes)})")
    click.echo(secret)
    click.echo("Store it now: it cannot be shown again.", err=True)


@keys.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include revoked keys.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def keys_list(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """List keys (never the secrets)."""
    from discreet.store.apikeys import list_keys

    found = list_keys(open_store(ctx).db, include_revoked=show_all)
    if as_json:
        click.echo(json.dumps([k.to_dict() for k in found], indent=2))
        return
    for k in found:
        state = f"revoked {k.revoked_at}" if k.revoked_at else "active"
        rate = f"{k.rate_limit}/min" if k.rate_limit else "default rate"
        click.echo(f"{k.id}  {k.name:20} {','.join(k.scopes):13} {rate:14} "
                   f"created {k.created_at}  {state}")


@keys.command("revoke")
@click.argument("key_id")
@click.pass_context
def keys_revoke(ctx: click.Context, key_id: str) -> None:
    """Revoke a key by id; running servers refuse it within seconds.

    Example: discreet keys revoke 3f9a1c2e
    """
    from discreet.store.apikeys import revoke_key

    record = revoke_key(open_store(ctx).db, key_id)
    click.echo(f"revoked {record.id} ({record.name}) at {record.revoked_at}")
