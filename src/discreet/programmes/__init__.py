"""Sanctions regimes: the programme catalogue that maps each authority's codes to one regime.

See :mod:`discreet.programmes.catalogue` and ``docs/regimes.md``.
"""

from __future__ import annotations

from discreet.programmes.catalogue import (
    Programme,
    Regime,
    programmes,
    regime_of,
    regimes,
    resolve,
)

__all__ = ["Programme", "Regime", "programmes", "regime_of", "regimes", "resolve"]
