"""OFAC (US Treasury): the SDN and consolidated (non-SDN) lists as CSV, legacy XML
(``sdnList``) and ENHANCED XML."""

from __future__ import annotations

__all__: list[str] = []
