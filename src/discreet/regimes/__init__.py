"""Regimes across authorities: same-party links between lists and regime analytics.

Reads the store through its facade (never ``store.db``) and may use the matcher.
"""
