"""What every list parser shares: the parser base, the guards against hostile input, CSV and
XML reading that refuses damaged files, and value cleaning (dates, genders, joined text)."""

from __future__ import annotations

__all__: list[str] = []
