"""Canada: the Consolidated Canadian Autonomous Sanctions List (SEMA and JVCFOA regulations)."""

from __future__ import annotations

__all__: list[str] = []
