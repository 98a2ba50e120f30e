"""The customer's own watchlist: a CSV with a column mapping."""

from __future__ import annotations

__all__: list[str] = []
