"""Regimes across authorities: same-party links between lists and regime analytics.

Reads the store through its facade (never ``store.db``) and may use the matcher.
"""

__all__: list[str] = []  # import what you need from the modules (links, analytics…)
