"""The service commands: ``serve`` the screening API, and manage its API ``keys``.

Standalone click commands that the ``discreet`` group registers; each parses its options,
makes one library call and writes the result.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import click

from discreet.cli_common import open_store

__all__ = ["keys", "serve"]


def _db(ctx: click.Context) -> str:
    return str(ctx.find_root().params.get("db") or os.environ.get("DISCREET_DB", "discreet.db"))


def _settings_options(command: Callable[..., None]) -> Callable[..., None]:
    """One option per setting of ApiSettings that has a flag: name, default, range and help
    come from the settings table, so none of them is written twice."""
    from discreet.api.settings import ApiSettings, Flag

    for f in reversed(fields(ApiSettings)):
        spec: Flag | None = f.metadata.get("flag")
        if spec is None:
            continue
        kind: Any
        if isinstance(f.default, bool):
            decls = [f"{spec.flag}/--no-{spec.flag[2:]}", f.name]
            kind = None
        elif isinstance(f.default, int):
            decls, kind = [spec.flag, f.name], click.IntRange(
                None if spec.low is None else int(spec.low),
                None if spec.high is None else int(spec.high))
        elif isinstance(f.default, float):
            decls, kind = [spec.flag, f.name], click.FloatRange(spec.low, spec.high)
        else:
            decls, kind = [spec.flag, f.name], str
        command = click.option(*decls, type=kind, default=f.default,
                               show_default=f.default != "", help=spec.help)(command)
    return command


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes; each holds its own index and polls the store.")
@click.option("--no-auth", is_flag=True,
              help="Serve without API keys (refused unless --host is a loopback address).")
@click.option("--update-every", help="Download and load new list versions this often "
              "(e.g. 6h, 30m); default: never.")
@_settings_options
@click.pass_context
def serve(ctx: click.Context, /, port: int, workers: int, no_auth: bool,
          update_every: str | None, **settings: Any) -> None:
    """Serve the yente-compatible screening API (and OpenRefine reconciliation).

    Example: discreet keys create ops --scope screen && discreet serve --port 8000
    """
    from discreet.api.serve import run_server
    from discreet.api.settings import ApiSettings

    checked = ApiSettings(db=_db(ctx), auth=not no_auth, **settings).check()
    if no_auth:
        click.echo(f"warning: serving WITHOUT API keys on {checked.host}:{port} (--no-auth)",
                   err=True)
    run_server(checked, port=port, workers=workers, update_every=update_every)


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
