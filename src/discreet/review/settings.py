"""The workflow's settings, as data: four-eyes rules, SLA due dates, limits.

Read from a TOML file (``review.toml``, ``$DISCREET_REVIEW_CONFIG`` or ``--review-config``;
the list settings' ``discreet.toml`` refuses tables it does not know)::

    threshold = 0.7                 # the score at which a customer alerts
    attachment_max_bytes = 5000000

    [[four_eyes]]                   # decisions that need a second person (a reviewer)
    decision = "false_positive"
    min_score = 0.0                 # score band, inclusive; both optional
    max_score = 1.0

    [[sla]]                         # due date: hours after opening, by score band
    min_score = 0.9
    hours = 24

Without a file: every false positive and true match needs approval, escalation does not;
alerts are due in 72 hours, 24 when they score 0.9 or more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from discreet.errors import ConfigError
from discreet.lists.settings import read_settings_file
from discreet.match.rules import DEFAULT_THRESHOLD

__all__ = ["DECISIONS", "Band", "ReviewSettings", "load_review_settings",
           "review_settings_from_dict"]

DECISIONS = ("false_positive", "true_match", "escalated")
MAX_ATTACHMENT = 5_000_000


@dataclass(frozen=True, slots=True)
class Band:
    """A score band, inclusive at both ends, with what it sets."""

    min_score: float = 0.0
    max_score: float = 1.0
    decision: str | None = None  # four eyes: the decision it applies to
    hours: float = 0.0  # SLA: hours to decide

    def holds(self, score: float) -> bool:
        return self.min_score <= score <= self.max_score


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """Four-eyes rules, SLA bands, the threshold and the attachment limit."""

    threshold: float = DEFAULT_THRESHOLD
    attachment_max_bytes: int = MAX_ATTACHMENT
    four_eyes: tuple[Band, ...] = (Band(decision="false_positive"),
                                   Band(decision="true_match"))
    sla: tuple[Band, ...] = field(default=(Band(0.0, 1.0, hours=72),
                                           Band(0.9, 1.0, hours=24)))
    path: Path | None = None

    def needs_approval(self, decision: str, score: float) -> bool:
        """Whether a decision at this score needs a second person's approval."""
        return any(b.decision == decision and b.holds(score) for b in self.four_eyes)

    def due_hours(self, score: float) -> float:
        """Hours to decide an alert of this score: the shortest of the bands it falls in."""
        hours = [b.hours for b in self.sla if b.holds(score)]
        return min(hours) if hours else 72.0


def _only(data: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"review settings: unknown key {where}{unknown[0]}; known: "
                          f"{', '.join(sorted(allowed))}")


def _score(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ConfigError(f"review settings: {key} must be a number from 0 to 1, not {value!r}")
    return float(value)


def _bands(raw: Any, key: str, keys: set[str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        raise ConfigError(f"review settings: {key} must be an array of tables ([[{key}]])")
    for number, item in enumerate(raw, 1):
        _only(item, keys | {"min_score", "max_score"}, f"{key}[{number}].")
    return raw


def review_settings_from_dict(data: dict[str, Any], path: Path | None = None
                              ) -> ReviewSettings:
    """Checked settings from parsed TOML; a ConfigError names the first bad key."""
    base = ReviewSettings()
    _only(data, {"threshold", "attachment_max_bytes", "four_eyes", "sla"}, "")
    threshold = _score(data.get("threshold", base.threshold), "threshold")
    limit = data.get("attachment_max_bytes", base.attachment_max_bytes)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ConfigError(f"review settings: attachment_max_bytes must be a positive "
                          f"integer, not {limit!r}")
    four_eyes = base.four_eyes
    if "four_eyes" in data:
        rules = []
        for n, item in enumerate(_bands(data["four_eyes"], "four_eyes", {"decision"}), 1):
            decision = item.get("decision")
            if decision not in DECISIONS:
                raise ConfigError(f"review settings: four_eyes[{n}].decision must be one of "
                                  f"{', '.join(DECISIONS)}, not {decision!r}")
            rules.append(Band(_score(item.get("min_score", 0.0), "min_score"),
                              _score(item.get("max_score", 1.0), "max_score"),
                              decision=decision))
        four_eyes = tuple(rules)
    sla = base.sla
    if "sla" in data:
        bands = []
        for n, item in enumerate(_bands(data["sla"], "sla", {"hours"}), 1):
            hours = item.get("hours")
            if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
                raise ConfigError(f"review settings: sla[{n}].hours must be a positive "
                                  f"number, not {hours!r}")
            bands.append(Band(_score(item.get("min_score", 0.0), "min_score"),
                              _score(item.get("max_score", 1.0), "max_score"),
                              hours=float(hours)))
        sla = tuple(bands)
    return ReviewSettings(threshold, limit, four_eyes, sla, path)


def load_review_settings(path: Path | None = None) -> ReviewSettings:
    """Settings from ``path``, ``$DISCREET_REVIEW_CONFIG``, ``./review.toml``, else the
    defaults."""
    found = read_settings_file(path, "DISCREET_REVIEW_CONFIG", "review.toml")
    return ReviewSettings() if found is None else review_settings_from_dict(*found)
