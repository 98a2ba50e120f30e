"""Rendering a page: the Jinja2 templates, the English text catalogue, the common context.

Every word the pages show comes from ``text/*.yml`` (one file per area of the application,
merged into one catalogue ``t``), so a translation replaces files, not templates. A
missing key fails loudly (StrictUndefined) in the tests, never shows as blank text.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from fastapi import Request
from fastapi.responses import HTMLResponse

from discreet.errors import ConfigError

__all__ = ["NAV", "TEXT_DIR", "render", "templates", "text"]

HERE = Path(__file__).parent
TEXT_DIR = HERE / "text"
# (path, text key, roles that see it): the navigation, in order
NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("/ui/screen", "nav.screen", frozenset({"analyst", "reviewer", "admin"})),
    ("/ui/alerts", "nav.alerts", frozenset({"analyst", "reviewer", "admin", "auditor"})),
    ("/ui/customers", "nav.customers", frozenset({"analyst", "reviewer", "admin", "auditor"})),
    ("/ui/entities", "nav.entities", frozenset({"analyst", "reviewer", "admin", "auditor"})),
    ("/ui/lists", "nav.lists", frozenset({"analyst", "reviewer", "admin", "auditor"})),
    ("/ui/regimes", "nav.regimes", frozenset({"analyst", "reviewer", "admin", "auditor"})),
    ("/ui/audit", "nav.audit", frozenset({"admin", "auditor"})),
    ("/ui/reports", "reports.nav", frozenset({"analyst", "reviewer", "admin", "auditor"})),
    ("/ui/admin", "nav.admin", frozenset({"admin"})),
)


class Text(dict[str, Any]):
    """A nested catalogue whose keys read as attributes (``t.nav.screen``).

    A key wins over the dict method of the same name, so ``t.admin.keys`` or
    ``t.regimes.update`` is the text, never a bound method rendered into the page."""

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("__") and dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        return super().__getattribute__(name)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no UI text {name!r}") from None


def _nest(data: Mapping[str, Any]) -> Text:
    return Text({k: _nest(v) if isinstance(v, Mapping) else v for k, v in data.items()})


@cache
def text() -> Text:
    """Every file of ``text/`` merged; the same key in two files is an error."""
    merged: dict[str, Any] = {}
    for path in sorted(TEXT_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: UI text must be a mapping")
        for key, value in data.items():
            if key in merged:
                raise ConfigError(f"{path}: UI text {key!r} is defined twice")
            merged[key] = value
    return _nest(merged)


def lookup(key: str) -> str:
    """One UI text by dotted key (``nav.screen``)."""
    node: Any = text()
    for part in key.split("."):
        node = node[part]
    return str(node)


@cache
def templates() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.globals["lookup"] = lookup
    return env


def render(request: Request, template: str, context: Mapping[str, Any] | None = None, *,
           status: int = 200, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """A page: the template with the text catalogue, the person and the navigation."""
    user = getattr(request.state, "user", None)
    nav = [(path, lookup(key)) for path, key, roles in NAV
           if user is not None and user.roles & roles]
    values = {"t": text(), "user": user, "csrf": user.csrf if user is not None else "",
              "nav": nav, "path": request.url.path, **(context or {})}
    body = templates().get_template(template).render(values)
    return HTMLResponse(body, status_code=status, headers=dict(headers or {}))
