"""The screening service: a yente-compatible HTTP API with OpenRefine reconciliation.

>>> app = create_app(ApiSettings(db="discreet.db"))   # then serve it with uvicorn

See docs/api.md. Nothing runs at import: the store is opened when the app starts.
"""

from __future__ import annotations

import gc

# Importing the service (FastAPI, its models, the routes, the matcher) makes hundreds of
# thousands of objects and no garbage: no collector passes meanwhile (a tenth of the time),
# and what it made (modules, classes, routes: there for the life of the process) frozen
# after, so that later passes do not walk it either (as the API's index is, settle()).
_collecting = gc.isenabled()
gc.disable()
try:
    from discreet.api.app import app_from_env, create_app
    from discreet.api.settings import ApiSettings
finally:
    if _collecting:
        gc.freeze()
        gc.enable()

__all__ = ["ApiSettings", "app_from_env", "create_app"]
