"""``discreet users``: the people who sign in to the review API, their roles and passwords.

Passwords are read from a hidden prompt (asked twice) or, for scripts, from the first line
of standard input (``--password-stdin``); never from an option, which would land in the
shell history. Every change is appended to the audit chain as by ``--as`` (default: this
process's user).
"""

from __future__ import annotations

import sys

import click

from discreet.cli.options import json_option, open_store
from discreet.cli.render import emit
from discreet.store.users import USER_ROLES

__all__ = ["users"]

_ROLE = click.Choice(USER_ROLES)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    text: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return text


@click.group()
def users() -> None:
    """Add, list and disable users; set their roles and passwords."""


@users.command("add")
@click.argument("name")
@click.option("--role", "roles", multiple=True, type=_ROLE, required=True,
              help="A role (repeat for several).")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@click.option("--as", "by", help="Who makes the change, for the audit trail.")
@json_option("Print JSON for scripts.")
@click.pass_context
def users_add(ctx: click.Context, name: str, roles: tuple[str, ...], password_stdin: bool,
              by: str | None, as_json: bool) -> None:
    """Add a user with a password (stored as its argon2 hash).

    Example: echo "$PW" | discreet users add ana --role analyst --password-stdin
    """
    user = open_store(ctx).users.add(name, roles, _password(password_stdin), by=by)
    if as_json:
        emit(user.to_dict())
        return
    click.echo(f"added {user.name} ({', '.join(user.roles)})")


@users.command("list")
@json_option("Print JSON for scripts.")
@click.pass_context
def users_list(ctx: click.Context, as_json: bool) -> None:
    """List users and their roles (never a password or its hash)."""
    found = open_store(ctx).users.users()
    if as_json:
        emit([u.to_dict() for u in found])
        return
    for u in found:
        state = f"disabled {u.disabled_at}" if u.disabled_at else "active"
        click.echo(f"{u.name:24} {','.join(u.roles):28} {u.origin:6} {state}")


@users.command("disable")
@click.argument("name")
@click.option("--as", "by", help="Who makes the change, for the audit trail.")
@click.pass_context
def users_disable(ctx: click.Context, name: str, by: str | None) -> None:
    """Disable a user: no more sign-in, and open sessions end now."""
    user = open_store(ctx).users.disable(name, by=by)
    click.echo(f"disabled {user.name} at {user.disabled_at}")


@users.command("set-roles")
@click.argument("name")
@click.option("--role", "roles", multiple=True, type=_ROLE, required=True,
              help="A role (repeat for several); replaces the user's roles.")
@click.option("--as", "by", help="Who makes the change, for the audit trail.")
@click.pass_context
def users_set_roles(ctx: click.Context, name: str, roles: tuple[str, ...],
                    by: str | None) -> None:
    """Replace a user's roles (effective at their next request)."""
    user = open_store(ctx).users.set_roles(name, roles, by=by)
    click.echo(f"{user.name}: {', '.join(user.roles)}")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@click.option("--as", "by", help="Who makes the change, for the audit trail.")
@click.pass_context
def users_passwd(ctx: click.Context, name: str, password_stdin: bool, by: str | None) -> None:
    """Set a user's password; their open sessions end."""
    user = open_store(ctx).users.set_password(name, _password(password_stdin), by=by)
    click.echo(f"password of {user.name} changed")
