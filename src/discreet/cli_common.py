"""Pieces every command module shares; kept apart from ``cli.py`` so that the command
modules it registers can import them without a circular import."""

from __future__ import annotations

import click

from discreet.store import Store

__all__ = ["open_store"]


def open_store(ctx: click.Context) -> Store:
    """The group's store, closed when the command ends."""
    store: Store = ctx.obj["open"]()
    ctx.call_on_close(store.close)
    return store
