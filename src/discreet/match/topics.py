"""Risk topics (FtM ``topics``: sanction, role.pep, crime…): what each listed entity carries,
so screening can restrict to some topics and label each result.

The rule, one place for every path (the matcher's topic views, /match, /search, the
results' ``topics`` property):

* an entity whose file states topics (an OpenSanctions export) carries exactly those;
* an entity that states none carries ``sanction`` when it is a sanctions listing: it was
  read from an official sanctions list (its authority is one of the programme catalogue's
  own authorities, OFAC, UN, EU, UK, CA, AU: every official list's parser records one), or
  it is an FtM entity described by a ``Sanction`` record (it names sanctions programmes);
* any other entity carries none: a firm's own watchlist (authority ``internal``), an FtM
  entity whose publisher stated no topic and no sanction. A topic filter leaves it out;
  screening without one still compares it.

Topics are compared exactly, as yente compares them (``role.pep`` does not select
``role.pep.frmr``); a topic nobody carries selects nobody. A topic a caller asks for
(:func:`wanted_topics`: the CLI's ``--topic``, ``screen_file``, Spark) may not be blank: a
blank would select nobody and screen no one. The HTTP API alone leaves blanks out, as yente
does with an empty ``topics=`` parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from discreet.errors import ConfigError
from discreet.model import Entity
from discreet.programmes.catalogue import catalogue

__all__ = ["SANCTION", "entity_topics", "wanted_topics"]

SANCTION = "sanction"
_SANCTIONED = (SANCTION,)


@lru_cache(maxsize=256)
def _official(authority: str) -> bool | None:
    """True for an authority of the programme catalogue with its own programmes (an
    official list), False for one that publishes others' lists (FtM files), None when the
    catalogue does not know it (a firm's own list)."""
    found = catalogue().authority(authority)
    if found is None:
        return None
    return not found.also


def entity_topics(entity: Entity) -> tuple[str, ...]:
    """The topics an entity carries (see the module docstring), each once, as stated."""
    if entity.topics:
        return tuple(dict.fromkeys(t for t in entity.topics if t))
    official = _official(entity.authority)
    if official or (official is not None and entity.programmes):
        return _SANCTIONED
    return ()


def wanted_topics(topics: str | Sequence[str]) -> tuple[str, ...]:
    """The topics a screening asks for, each once and stripped (a single string is one
    topic, not its letters); a blank one is refused, never read as 'every' or 'none'."""
    given = (topics,) if isinstance(topics, str) else tuple(topics)
    if any(not t.strip() for t in given):
        raise ConfigError("a topic is blank: give one such as sanction or role.pep")
    return tuple(dict.fromkeys(t.strip() for t in given))
