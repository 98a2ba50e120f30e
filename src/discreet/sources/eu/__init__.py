"""EU: the Financial Sanctions Files (FSF) XML."""

from __future__ import annotations

__all__: list[str] = []
