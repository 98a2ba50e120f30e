"""The service commands: ``serve`` the screening API, and manage its API ``keys``.

Standalone click commands that the ``discreet`` group registers; each parses its options,
makes one library call and writes the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import click

from discreet.cli.options import json_option, open_store, store_url
from discreet.cli.render import emit

__all__ = ["keys", "serve", "settings_options"]


def settings_options(command: Callable[..., None]) -> Callable[..., None]:
    """One option per setting of ApiSettings that has a flag, in the table's order: name,
    default, range and help come from the settings table, so none of them is written twice
    (as datasette builds its --setting options from its settings list)."""
    from discreet.api.settings import ApiSettings, Flag

    for f in reversed(fields(ApiSettings)):
        spec: Flag | None = f.metadata.get("flag")
        if spec is None:
            continue
        extra: dict[str, Any] = {}
        if isinstance(f.default, bool) and spec.flag.startswith("--no-"):
            decls, extra = [spec.flag, f.name], {"is_flag": True, "flag_value": False}
        elif isinstance(f.default, bool):
            decls = [f"{spec.flag}/--no-{spec.flag[2:]}", f.name]
        elif isinstance(f.default, int):
            decls, extra["type"] = [spec.flag, f.name], click.IntRange(
                None if spec.low is None else int(spec.low),
                None if spec.high is None else int(spec.high))
        elif spec.choices:
            decls, extra["type"] = [spec.flag, f.name], click.Choice(spec.choices)
        elif isinstance(f.default, float):
            decls, extra["type"] = [spec.flag, f.name], click.FloatRange(spec.low, spec.high)
        else:
            decls, extra["type"] = [spec.flag, f.name], str
        shown = f.default not in ("", None) and "flag_value" not in extra
        command = click.option(*decls, default=f.default, show_default=shown,
                               help=spec.help or None, **extra)(command)
    return command


@click.command()
@settings_options
@click.pass_context
def serve(ctx: click.Context, /, **settings: Any) -> None:
    """Serve the web application (/ui) and the yente-compatible screening API.

    One port serves the pages people use, the API (with OpenRefine reconciliation) and its
    description at /api.

    Example: discreet keys create ops --scope screen && discreet serve --port 8000
    """
    from discreet.api.serve import WEB_APP, run_server
    from discreet.api.settings import ApiSettings

    checked = ApiSettings(db=store_url(ctx), **settings).check()
    if not checked.auth:
        click.echo(f"warning: serving WITHOUT API keys on {checked.host}:{checked.port} "
                   "(--no-auth)", err=True)
    run_server(checked, port=checked.port, workers=checked.workers,
               update_every=checked.update_every,
               factory=WEB_APP)


@click.group()
def keys() -> None:
    """Create, list and revoke API keys for `discreet serve`."""


@keys.command("create")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(["screen", "admin"]),
              default=("screen",), show_default=True, help="What the key may do (repeat).")
@click.option("--rate-limit", type=click.IntRange(min=1),
              help="Requests per minute for this key (default: the server's).")
@click.option("--role", type=click.Choice(["analyst", "reviewer", "admin", "auditor"]),
              help="The review role the machine acts in (/review endpoints).")
@json_option("Print JSON for scripts.")
@click.pass_context
def keys_create(ctx: click.Context, name: str, scopes: tuple[str, ...],
                rate_limit: int | None, role: str | None, as_json: bool) -> None:
    """Create a key and print it once (only its hash is stored).

    Example: discreet keys create crm --scope screen --rate-limit 600 --role analyst
    """
    record, secret = open_store(ctx).create_key(name, scopes, rate_limit, role=role)
    if as_json:
        emit({**record.to_dict(), "key": secret}, ensure_ascii=True)
        return
    click.echo(f"key id {record.id} ({name}; scopes {', '.join(record.scopes)})")
    click.echo(secret)
    click.echo("Store it now: it cannot be shown again.", err=True)


@keys.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include revoked keys.")
@json_option("Print JSON for scripts.")
@click.pass_context
def keys_list(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """List keys (never the secrets)."""
    found = open_store(ctx).list_keys(include_revoked=show_all)
    if as_json:
        emit([k.to_dict() for k in found], ensure_ascii=True)
        return
    for k in found:
        state = f"revoked {k.revoked_at}" if k.revoked_at else "active"
        rate = f"{k.rate_limit}/min" if k.rate_limit else "default rate"
        click.echo(f"{k.id}  {k.name:20} {','.join(k.scopes):13} {rate:14} "
                   f"role {k.role or '-':9} created {k.created_at}  {state}")


@keys.command("revoke")
@click.argument("key_id")
@click.pass_context
def keys_revoke(ctx: click.Context, key_id: str) -> None:
    """Revoke a key by id; running servers refuse it within seconds.

    Example: discreet keys revoke 3f9a1c2e
    """
    record = open_store(ctx).revoke_key(key_id)
    click.echo(f"revoked {record.id} ({record.name}) at {record.revoked_at}")
