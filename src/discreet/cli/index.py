"""``discreet index``: the persisted screening index of the active lists: build it now, or
check every byte of it (opening checks each file's stamp; this hashes them all)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from discreet.cli.options import open_store
from discreet.errors import ConfigError
from discreet.store import Store

__all__ = ["index"]


@click.group()
def index() -> None:
    """The persisted screening index (built by load and update, opened by screening)."""


def _folder(store: Store) -> Path:
    """The folder of the index of the store's active versions; ConfigError when indexes are
    not persisted for it."""
    from discreet.match.persist import index_key, index_root

    root = index_root(store)
    if root is None:
        raise ConfigError("this store keeps no index files (an in-memory store)")
    return root / index_key(store)


@index.command("build")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def build(ctx: click.Context, as_json: bool) -> None:
    """Build the index of the active lists now, unless a sound one is there."""
    from discreet.match.persist import build_index

    started = time.perf_counter()
    folder = build_index(open_store(ctx))
    if folder is None:
        raise ConfigError("indexes are not persisted here (DISCREET_INDEX=memory or an "
                          "in-memory store): screening builds the index in memory")
    result = {"folder": str(folder), "seconds": round(time.perf_counter() - started, 2)}
    click.echo(json.dumps(result) if as_json
               else f"index ready: {folder} ({result['seconds']} s)")


@index.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def verify(ctx: click.Context, as_json: bool) -> None:
    """Hash every file of the active lists' index against its manifest.

    Exits 1 naming the first damaged file; the next screening then rebuilds the index."""
    from discreet.match.persist import verify as verify_folder

    folder = _folder(open_store(ctx))
    if not folder.is_dir():
        raise ConfigError(f"no index of the active lists at {folder}: `discreet index build` "
                          "makes one (screening also does)")
    files, size = verify_folder(folder)
    if as_json:
        click.echo(json.dumps({"folder": str(folder), "files": files, "bytes": size,
                               "ok": True}))
    else:
        click.echo(f"index sound: {files} files, {size / 2**20:.1f} MiB hashed: {folder}")
