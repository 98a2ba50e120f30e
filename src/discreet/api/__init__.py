"""The screening service: a yente-compatible HTTP API with OpenRefine reconciliation.

>>> app = create_app(ApiSettings(db="discreet.db"))   # then serve it with uvicorn

See docs/api.md. Nothing runs at import: the store is opened when the app starts.
"""

from __future__ import annotations

from discreet import collector_paused

with collector_paused(freeze=True):  # the service and its routes: frozen after
    from discreet.api.app import app_from_env, create_app
    from discreet.api.settings import ApiSettings

__all__ = ["ApiSettings", "app_from_env", "create_app"]
