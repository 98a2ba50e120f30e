"""Sanctions regimes: the programme catalogue that maps each authority's codes to one regime.

See :mod:`discreet.regimes.catalogue` and ``docs/regimes.md``.
"""

from __future__ import annotations

from discreet.regimes.catalogue import (
    Programme,
    Regime,
    programmes,
    regime_of,
    regimes,
    resolve,
)

__all__ = ["Programme", "Regime", "programmes", "regime_of", "regimes", "resolve"]
