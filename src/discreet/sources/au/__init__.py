"""Australia: DFAT's Consolidated List of persons and entities under Australian sanctions law."""

from __future__ import annotations

__all__: list[str] = []
