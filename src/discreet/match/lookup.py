"""What the API reads of the listed entities besides screening, as arrays: which position an
entity id is at, which entities a word of a name starts (``/search``), each entity's facets
(countries, schema, dataset, topics), and who names whom (relationships, name keys).

Made once per index, at its build (:func:`attach`, called by ``match/persist.py`` before the
index is written), so the arrays are files every process maps and shares, like the rest of
the index; a matcher built in memory makes it at its first use (:func:`lookup_of`). Nothing
here decodes an entity: a request decodes only the entities it returns.

* ids: every entity's id, as UTF-8 bytes one after another (``ids``), and a
  :class:`KeyTable` from a 64-bit hash of the id to its positions; a hit is confirmed against
  the id itself (two ids may share a hash). The first position with an id wins.
* words: the sorted vocabulary (every word of every name, :func:`words`, and every
  identifier, case-folded) as UTF-8 bytes, whose order is the strings' order, and the
  positions each word is in (postings, ascending).
* facets: per facet, the distinct values and each entity's codes (:class:`Facet`).
* keys: a :class:`KeyTable` from ``b:`` + a name's words (the entities bearing the name),
  ``i:`` + an id a relationship names and ``l:`` + the words of a name a relationship
  names (the entities stating it).
"""

from __future__ import annotations

import array
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from discreet.match._rows import Texts
from discreet.match.matcher import LOOKUP_ATTRIBUTE, EntityRecords, Matcher
from discreet.match.topics import entity_topics
from discreet.model import Entity

__all__ = ["ATTRIBUTE", "FACETS", "PREFIX_WORDS", "EntityLookup", "Facet", "KeyTable",
           "Positions", "build", "lookup_of", "name_key", "words"]

FACETS = ("countries", "schema", "datasets", "topics")
PREFIX_WORDS = 500  # vocabulary words a query word may start (as /search always read them)
ATTRIBUTE = LOOKUP_ATTRIBUTE  # where a matcher carries its lookup (pickled with it)
_WORD = re.compile(r"\w+")
Positions = npt.NDArray[np.int64]


def words(text: str) -> list[str]:
    """Lower-case words without accents: what the search index and queries compare."""
    plain = text.casefold()
    if not plain.isascii():  # ASCII is its own NFKD form, and has no combining marks
        plain = unicodedata.normalize("NFKD", plain)
        plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def name_key(text: str) -> str:
    """A name as relationships compare it: its words, lower case, without accents."""
    return " ".join(words(text))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # byte order is the strings' order


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(_utf8(text), digest_size=8).digest(), "little")


class KeyTable:
    """Strings -> positions: the strings' 64-bit hashes, sorted, and the positions in that
    order (a key's ascending, each once). Positions of another key sharing the hash may
    come too: callers confirm."""

    def __init__(self, hashes: npt.NDArray[np.uint64], positions: npt.NDArray[np.int32]) -> None:
        self.hashes = hashes
        self.positions = positions

    @classmethod
    def build(cls, hashes: array.array[int], positions: array.array[int]) -> KeyTable:
        keys = np.frombuffer(hashes, np.uint64) if hashes else np.zeros(0, np.uint64)
        where = np.frombuffer(positions, np.int32) if positions else np.zeros(0, np.int32)
        order = np.lexsort((where, keys))
        keys, where = keys[order], where[order]
        fresh = np.ones(len(keys), bool)
        fresh[1:] = (keys[1:] != keys[:-1]) | (where[1:] != where[:-1])
        return cls(keys[fresh].copy(), where[fresh].copy())

    def candidates(self, key: str) -> list[int]:
        wanted = np.uint64(_hash(key))
        lo = int(np.searchsorted(self.hashes, wanted, "left"))
        hi = int(np.searchsorted(self.hashes, wanted, "right"))
        found: list[int] = self.positions[lo:hi].tolist()
        return found


class Facet:
    """One facet's values per entity: ``values`` (distinct), and entity ``i``'s codes into
    them at ``codes[starts[i]:starts[i + 1]]``."""

    def __init__(self, values: tuple[str, ...], starts: npt.NDArray[np.int64],
                 codes: npt.NDArray[np.int32]) -> None:
        self.values = values
        self.starts = starts
        self.codes = codes

    def rows(self, positions: Positions) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        """The codes of the entities at ``positions``, and for each the index (into
        ``positions``) of the entity it belongs to."""
        lo = self.starts[positions]
        counts = self.starts[positions + 1] - lo
        owner = np.repeat(np.arange(len(positions)), counts)
        first = np.cumsum(counts) - counts
        at = np.arange(int(counts.sum())) - np.repeat(first - lo, counts)
        return owner, self.codes[at]

    def any_of(self, positions: Positions, wanted: Iterable[str]) -> npt.NDArray[np.bool_]:
        """For each entity at ``positions``: whether it carries any of ``wanted``."""
        wanted_set = set(wanted)
        numbers = [i for i, value in enumerate(self.values) if value in wanted_set]
        hit = np.zeros(len(positions), bool)
        if numbers:
            owner, codes = self.rows(positions)
            hit[owner[np.isin(codes, numbers)]] = True
        return hit

    def counts(self, positions: Positions, most: int) -> list[tuple[str, int]]:
        """The ``most`` commonest values over the entities at ``positions`` with their
        counts, commonest first (ties: in the order they first occur)."""
        _, codes = self.rows(positions)
        if not len(codes):
            return []
        found, first, counted = np.unique(codes, return_index=True, return_counts=True)
        order = np.lexsort((first, -counted))[:most]
        return [(self.values[int(found[i])], int(counted[i])) for i in order]


class _Row(NamedTuple):
    """What the lookup reads of one entity."""

    id: str
    names: list[str]
    identifiers: list[str]
    links: list[tuple[str, bool]]  # target, whether it is an id
    facets: tuple[Iterable[str], ...]  # in FACETS' order


def _row_of_entity(entity: Entity) -> _Row:
    return _Row(entity.id, [n.value for n in entity.names],
                [i.value for i in entity.identifiers],
                [(link.target, link.target_is_id) for link in entity.links],
                (sorted({c.lower() for c in (*entity.countries, *entity.nationalities,
                                             *entity.citizenships)}),
                 (entity.schema,), (entity.source,) if entity.source else (),
                 entity_topics(entity)))


def _row_of_json(data: dict[str, Any]) -> _Row:
    """As :func:`_row_of_entity` of ``Entity.from_dict(data)``, without making it."""
    places = (*data.get("countries", ()), *data.get("nationalities", ()),
              *data.get("citizenships", ()))
    source = data.get("source", "")
    topics = entity_topics(Entity(data["id"], data["schema"], authority=data.get(
        "authority", ""), programmes=list(data.get("programmes", ())),
        topics=list(data.get("topics", ()))))
    return _Row(data["id"], [n["value"] for n in data.get("names", ())],
                [i["value"] for i in data.get("identifiers", ())],
                [(x["target"], bool(x.get("target_is_id", False)))
                 for x in data.get("links", ())],
                (sorted({c.lower() for c in places}), (data["schema"],),
                 (source,) if source else (), topics))


def _rows(entities: Sequence[Entity]) -> Iterator[_Row]:
    """Each entity's row; stored JSON is read as JSON (no entity made)."""
    if type(entities) is EntityRecords:
        blob, offsets = entities._blob, entities._offsets  # the records' own arrays
        view = blob.data
        starts = offsets.tolist()
        for i in range(len(starts) - 1):
            yield _row_of_json(json.loads(bytes(view[starts[i]:starts[i + 1]])))
    else:
        for entity in entities:
            yield _row_of_entity(entity)


class EntityLookup:
    """Ids, words, facets and relationship keys of an index's entities (module docstring);
    positions are the matcher's entity positions."""

    def __init__(self, ids: tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]],
                 id_table: KeyTable,
                 vocabulary: tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]],
                 postings: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]],
                 facets: dict[str, Facet], keys: KeyTable) -> None:
        self.ids, self.id_table, self.keys, self.facets = ids, id_table, keys, facets
        self.vocabulary, self.postings = vocabulary, postings

    def __len__(self) -> int:
        return len(self.ids[1]) - 1

    def id_at(self, position: int) -> str:
        blob, offsets = self.ids
        return blob[int(offsets[position]):int(offsets[position + 1])].tobytes().decode(
            "utf-8", "surrogatepass")

    def ids_at(self, positions: Iterable[int]) -> list[str]:
        """:meth:`id_at` of each position (the ties of a query's results are told by their
        ids), decoded in place from the two arrays by compiled code (``_rows.Texts``, made
        at the first call and not pickled): a tenth of the instructions of a memoryview's
        slice and ``str`` of it an id, and no memoryviews of the arrays made each call."""
        texts: Texts | None = self.__dict__.get("_texts")
        if texts is None:
            blob, offsets = self.ids
            texts = self._texts = Texts(np.ascontiguousarray(blob, np.uint8),
                                        np.ascontiguousarray(offsets, np.int64))
        return texts.many(positions)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("_texts", None)  # (compiled, made again when asked)
        return state

    def positions_of(self, entity_id: str) -> list[int]:
        """Every position of an entity with this id, ascending."""
        return [p for p in self.id_table.candidates(entity_id) if self.id_at(p) == entity_id]

    def position(self, entity_id: str) -> int | None:
        """The first position with this id (None: no entity has it)."""
        found = self.positions_of(entity_id)
        return found[0] if found else None

    def locate(self, entity_ids: Sequence[str]) -> Iterator[tuple[int, int]]:
        """(i, position) for every position of an entity whose id is ``entity_ids[i]``
        (ids no entity has are left out): many ids at once, hashed and searched together."""
        table = self.id_table
        wanted = np.fromiter((_hash(i) for i in entity_ids), np.uint64, len(entity_ids))
        lows = np.searchsorted(table.hashes, wanted, "left").tolist()
        highs = np.searchsorted(table.hashes, wanted, "right").tolist()
        for i, (lo, hi) in enumerate(zip(lows, highs, strict=True)):
            for position in table.positions[lo:hi].tolist() if hi > lo else ():
                if self.id_at(position) == entity_ids[i]:
                    yield i, position

    def keyed(self, key: str) -> list[int]:
        """Positions stating ``key`` (``b:``, ``i:``, ``l:`` keys; callers confirm)."""
        return self.keys.candidates(key)

    def find(self, text: str) -> Positions:
        """Positions (ascending) whose names hold every word of ``text`` (the first 12) as
        the start of a word (or an identifier); every position when it has no word."""
        terms = list(dict.fromkeys(words(text)))[:12]
        if not terms:
            return np.arange(len(self), dtype=np.int64)
        found = self._prefix(terms[0])
        for term in terms[1:]:
            if not len(found):
                break
            found = np.intersect1d(found, self._prefix(term), assume_unique=True)
        return found

    def _word(self, i: int) -> bytes:
        blob, offsets = self.vocabulary
        return blob[int(offsets[i]):int(offsets[i + 1])].tobytes()

    def _prefix(self, word: str) -> Positions:
        """Positions of the first :data:`PREFIX_WORDS` vocabulary words ``word`` starts."""
        key = _utf8(word)
        lo, hi = 0, len(self.vocabulary[1]) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self._word(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        end = lo
        last = min(lo + PREFIX_WORDS, len(self.vocabulary[1]) - 1)
        while end < last and self._word(end).startswith(key):
            end += 1
        starts, positions = self.postings
        found = positions[int(starts[lo]):int(starts[end])].astype(np.int64)
        return found if end - lo <= 1 else np.unique(found)


class _Builder:
    """An :class:`EntityLookup` made one entity after another."""

    def __init__(self) -> None:
        self.ids = bytearray()
        self.id_offsets = array.array("q", [0])
        self.id_hashes, self.id_positions = array.array("Q"), array.array("i")
        self.vocabulary: dict[str, int] = {}
        self.word_ids, self.word_positions = array.array("i"), array.array("i")
        self.key_hashes, self.key_positions = array.array("Q"), array.array("i")
        self.values: list[dict[str, int]] = [{} for _ in FACETS]
        self.codes = [array.array("i") for _ in FACETS]
        self.starts = [array.array("q", [0]) for _ in FACETS]

    def add(self, position: int, row: _Row) -> None:
        self.ids += _utf8(row.id)
        self.id_offsets.append(len(self.ids))
        self.id_hashes.append(_hash(row.id))
        self.id_positions.append(position)
        seen: set[str] = set()
        for name in row.names:
            found = words(name)
            seen.update(found)
            self._key("b:" + " ".join(found), position)
        seen.update(value.casefold() for value in row.identifiers)
        for word in seen:
            self.word_ids.append(self.vocabulary.setdefault(word, len(self.vocabulary)))
            self.word_positions.append(position)
        for target, is_id in row.links:
            self._key("i:" + target if is_id else "l:" + name_key(target), position)
        for values, codes, starts, given in zip(self.values, self.codes, self.starts,
                                                row.facets, strict=True):
            codes.extend(values.setdefault(value, len(values)) for value in given)
            starts.append(len(codes))

    def _key(self, key: str, position: int) -> None:
        self.key_hashes.append(_hash(key))
        self.key_positions.append(position)

    def done(self) -> EntityLookup:
        ids = (_array(self.ids, np.uint8), _array(self.id_offsets, np.int64))
        words_in = list(self.vocabulary)
        order = sorted(range(len(words_in)), key=words_in.__getitem__)
        rank = np.empty(len(order), np.int64)
        rank[order] = np.arange(len(order))
        pair_words = rank[_array(self.word_ids, np.int32)]
        pair_positions = _array(self.word_positions, np.int32)
        by_word = np.lexsort((pair_positions, pair_words))
        starts = np.zeros(len(order) + 1, np.int64)
        np.cumsum(np.bincount(pair_words, minlength=len(order)), out=starts[1:])
        blob = b"".join(_utf8(words_in[i]) for i in order)
        lengths = [len(_utf8(words_in[i])) for i in order]
        offsets = np.zeros(len(order) + 1, np.int64)
        np.cumsum(np.array(lengths, np.int64), out=offsets[1:])
        facets = {name: Facet(tuple(values), _array(starts_of, np.int64), _array(codes, np.int32))
                  for name, values, codes, starts_of in zip(
                      FACETS, self.values, self.codes, self.starts, strict=True)}
        return EntityLookup(
            ids, KeyTable.build(self.id_hashes, self.id_positions),
            (_array(blob, np.uint8), offsets), (starts, pair_positions[by_word].copy()),
            facets, KeyTable.build(self.key_hashes, self.key_positions))


def _array(data: bytes | bytearray | array.array[int], dtype: type[Any]) -> npt.NDArray[Any]:
    """A numpy array (its own memory) of a buffer."""
    if not len(data):
        return np.zeros(0, dtype)
    return np.frombuffer(data, dtype).copy()


def build(entities: Sequence[Entity]) -> EntityLookup:
    """The lookup of ``entities`` (stored JSON read as JSON: no entity decoded)."""
    builder = _Builder()
    for position, row in enumerate(_rows(entities)):
        builder.add(position, row)
    return builder.done()


def lookup_of(matcher: Matcher) -> EntityLookup:
    """The matcher's lookup: the one it carries (persisted with it), else made now and
    kept on it (an index built in memory, or by :meth:`Matcher.from_entities`)."""
    found = getattr(matcher, ATTRIBUTE, None)
    if isinstance(found, EntityLookup) and len(found) == len(matcher.entities):
        return found
    made = build(matcher.entities)
    setattr(matcher, ATTRIBUTE, made)
    return made
