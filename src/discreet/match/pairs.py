"""Pair comparison without an index: the name benchmark's entry point.

Uses the same scorer as :class:`~discreet.match.Matcher`, with the default rarity table.
A name written as alternatives ("Al-Qa'ida/Islamic Army") is compared part by part.
"""

from __future__ import annotations

from collections.abc import Sequence

from discreet.match.explain import Explanation, build_explanation
from discreet.match.prepare import PreparedName, edge_reading, prepare_name, shift_reading
from discreet.match.rarity import default_rarity
from discreet.match.score import NameScore, name_score
from discreet.text.compound import compound_parts, may_hold_parts
from discreet.text.initials import initials_apart
from discreet.text.names import NameClass, name_class
from discreet.text.org_words import english_reading
from discreet.text.particles import particle_rejoined
from discreet.text.scripts import other_readings
from discreet.text.word_forms import other_forms

__all__ = ["alternatives", "compare_names", "explain_pair", "query_alternatives"]

# two runs of a field in two scripts side by side are the name twice when they score this
# together ("Agha Jan Alizai اغا جان عالیزی" 0.65, "Jin Tiesan 金铁三" 1.0); a name written
# in two scripts scores nothing so ("חאג' יחיא and Sons" 0.0: a company's name)
RUNS_ALIKE = 0.5


def alternatives(name: str) -> list[str]:
    """The name, and each name it holds (:func:`~discreet.text.compound.compound_parts`):
    its parts when it lists alternatives with a slash (not "A/S"), ";" or an enumeration's
    letters; the name in each script when it writes the name in two ("Jin Tiesan (金铁三)",
    "حسن غول (Hassan Ghul; Hassan Gul)"); the name without a label or a note ("(original
    script: Амир Хазмат)", "(previously listed as)", ", born in 1963") and the name a label
    labels; and, for a name that states its acronym in brackets ("KOREA KWANGSON BANKING
    CORPORATION (KKBC)"), the name without it: the name written in full, whose words the
    acronym spells (align's acronym rule). The acronym alone is no alternative: a word of
    three to six letters alone is too easily met by another word that looks like it. Runs
    side by side in two scripts are parted only when they read alike (:func:`_read_alike`). A
    bracket that is part of the name ("AERO CONTINENTE (USA) INC.": a branch, a country, a
    form) stays. A name with none of the signs such a field writes (most names) is itself
    alone, without running an expression. Each is followed by its reading in the English
    words of organisation names when it has one (:func:`_in_english`)."""
    if not may_hold_parts(name):
        return _in_english([name])
    out = [name, *compound_parts(name, _read_alike)]
    if "(" not in name:
        return _in_english(out)
    return _in_english([p for p in out if any(c.isalnum() for c in p)])


def _in_english(names: list[str]) -> list[str]:
    """Each name followed by its reading in the English words of organisation names, when
    it has one (:func:`~discreet.text.org_words.english_reading`: Муромский завод also as
    Murom Plant): a list's name is indexed both ways, a name screened compared both ways."""
    return [r for text in names for r in (text, english_reading(text)) if r is not None]


def _read_alike(run: str, other: str) -> bool:
    """Whether two runs of a field in two scripts read as one name (:data:`RUNS_ALIKE`),
    scored as written, with the default rarity weights (no class: a list name's runs are
    parted when it is indexed, before its class is read)."""
    rarity = default_rarity()
    return name_score(prepare_name(run, "any", rarity),
                      prepare_name(other, "any", rarity)).score >= RUNS_ALIKE


def query_alternatives(name: str, cls: NameClass | None = None,
                       written: Sequence[str] | None = None) -> list[str]:
    """:func:`alternatives` of a name screened, each followed by its other readings
    (:func:`~discreet.text.scripts.other_readings`: "فضل" also as Persian reads it, for
    Fazl beside Fadl) and, when ``cls`` is given and not a person's, by the name with its
    words in their other forms (:func:`~discreet.text.word_forms.other_forms`: Iranian also
    as Iran), an organisation's (``cls`` "org") also by the name with a legal form at its
    edge, or a form's word, read back behind a shifted space
    (:func:`~discreet.match.prepare.edge_reading`; a name of no class's, the form's word:
    :func:`~discreet.match.prepare.shift_reading`), beside the name as written: the shift
    it guesses may be the name's own letters ("REAL ESTATE"); when
    ``cls`` is given and not an organisation's, by the name with a person's
    initials written together read apart (:func:`~discreet.text.initials.initials_apart`:
    "JC Juncker" also as J C Juncker) and with a particle or a title a shifted space cut
    read back whole (:func:`~discreet.text.particles.particle_rejoined`: "Ab uSalah" also
    as Abu Salah). The lists' names are indexed as written, one reading
    each. ``written``: :func:`alternatives` of the name when the caller has them (not
    changed here)."""
    out = alternatives(name) if written is None else list(written)
    if cls == "org":
        out = [r for text in out for r in (text, edge_reading(text)) if r is not None]
    elif cls is not None and cls != "person":
        out = [r for text in out for r in (text, shift_reading(text)) if r is not None]
    if cls is not None and cls != "person":
        out = [r for text in out for r in (text, *other_forms(text))]
    if cls is not None and cls != "org":
        # the particles of the name as written: initials read apart are letters alone
        # ("P D Uwais"), no particle's remains
        out = [r for text in out for r in (text, particle_rejoined(text)) if r is not None]
        out = [r for text in out for r in (text, initials_apart(text)) if r is not None]
    if name.isascii():
        return out
    return list(dict.fromkeys(r for text in out for r in (text, *other_readings(text))))


def _best(name1: str, name2: str, schema: str | None,
          ) -> tuple[PreparedName, PreparedName, NameScore]:
    cls = name_class(schema)
    rarity = default_rarity()
    best: tuple[PreparedName, PreparedName, NameScore] | None = None
    for a in query_alternatives(name1, cls):
        qa = prepare_name(a, cls, rarity)
        for b in query_alternatives(name2):  # the listed name: its words as written
            lb = prepare_name(b, cls, rarity)
            ns = name_score(qa, lb)
            if best is None or ns.score > best[2].score:
                best = (qa, lb, ns)
    assert best is not None
    return best


def compare_names(name1: str, name2: str, schema: str | None = None) -> float:
    """Score in [0, 1] that two names designate the same party (alert at DEFAULT_THRESHOLD)."""
    return _best(name1, name2, schema)[2].score


def explain_pair(name1: str, name2: str, schema: str | None = None) -> Explanation:
    """Why :func:`compare_names` gives the score it gives."""
    q, listed, ns = _best(name1, name2, schema)
    return build_explanation(q, listed, ns, score=ns.score)
