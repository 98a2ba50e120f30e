"""The browser application: server-rendered pages under ``/ui`` on the API's port.

Pages are built on the same services as the API (the store gate, the index holder) and the
review library, so a decision taken in the browser obeys the rules the CLI and HTTP obey.
Every asset ships inside the package: nothing is fetched from elsewhere at run time.
"""

from discreet import collector_paused

with collector_paused(freeze=True):  # the pages (and the service under them)
    from discreet.web.app import app_from_env, create_web_app, mount

__all__ = ["app_from_env", "create_web_app", "mount"]
