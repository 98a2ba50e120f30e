"""United Kingdom: the FCDO UK Sanctions List (XML and CSV) and HM Treasury OFSI's
Consolidated List (ConList CSV)."""

from __future__ import annotations

__all__: list[str] = []
