"""UN Security Council: the consolidated sanctions list XML."""

from __future__ import annotations

__all__: list[str] = []
