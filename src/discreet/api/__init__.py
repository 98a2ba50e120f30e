"""The screening service: a yente-compatible HTTP API with OpenRefine reconciliation.

>>> app = create_app(ApiSettings(db="discreet.db"))   # then serve it with uvicorn

See docs/api.md. Nothing runs at import: the store is opened when the app starts. The app
and its routes are imported when first asked for, so that a process that needs only the
settings (``discreet serve``'s supervisor of several workers) does not load them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discreet import collector_paused

if TYPE_CHECKING:
    from discreet.api.app import app_from_env, create_app
    from discreet.api.settings import ApiSettings

__all__ = ["ApiSettings", "app_from_env", "create_app"]


def __getattr__(name: str) -> Any:
    """``ApiSettings``, ``create_app`` and ``app_from_env``, imported when asked for."""
    if name == "ApiSettings":
        from discreet.api.settings import ApiSettings

        return ApiSettings
    if name in ("app_from_env", "create_app"):
        with collector_paused(freeze=True):  # the service and its routes: frozen after
            from discreet.api import app
        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
