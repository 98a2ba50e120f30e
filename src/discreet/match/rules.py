"""Every number the matching rules use, in one table that both implementations read.

The rules are written in Python (``similarity.py``, ``align.py``, ``score.py``) and run
compiled in their mirrors (``_similarity.pxi``, ``_align.pxi``, ``_score.pxi``, included
by ``_kernel.pyx``). Both read their numbers here and nowhere else: Python as
``RULES.<name>``, the kernel from its C struct ``Rules``, which it fills from
:func:`kernel_rules` when it is imported (Cython copies the mapping into the struct field
by field, by name; a field missing here fails the import). Change a number here and both
change; ``tests/match/test_kernel.py`` checks the kernel holds exactly these values.

Only the name score's numbers are fixed here. The evidence besides the name (birth dates,
countries, identifiers, schema, weak aliases) starts from these values too, but each
:class:`~discreet.match.matcher.Matcher` holds its own copy (``Matcher.weights``) that a
caller may change.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from types import MappingProxyType
from typing import Final

__all__ = ["DEFAULT_THRESHOLD", "KINDS", "RULES", "UNMATCHED_WEIGHTS", "WEIGHTS", "Rules",
           "kernel_rules"]

DEFAULT_THRESHOLD: Final = 0.70  # the lowest score reported as a match unless told otherwise

# kinds of token (prepare.KIND_WEIGHTS), in the order of the kernel's codes
KINDS: Final = ("name", "patronymic", "initial", "number", "generic", "particle", "legal",
                "title")


@dataclass(frozen=True, slots=True)
class Rules:
    """The numbers of the matching rules, by the module whose rule reads them."""

    # -- token similarity (similarity.py, _similarity.pxi)
    min_sim: float = 0.55  # below this two tokens are different words, not variants of one
    phonetic_sim: float = 0.95  # same phonetic key: a romanisation variant (Wladimir / Vladimir)
    # the same word once each run of a letter is written once (Mohamad / Mohammad, a letter
    # typed twice: Kallume / Kalume): in every language the lists use, the same sound
    doubled_sim: float = 0.95
    # ... but a consonant a word begins with written twice (Yyakutumba, Lluqman) is a slip
    # and no spelling: no language the lists use begins a word so (Welsh Lloyd / Loyd aside,
    # one name), so the word is the word; and so a letter the word writes twice typed three
    # times (Abdelllah / Abdellah): no spelling writes a letter three times in a row
    initial_twice_sim: float = 1.0
    initial_sim: float = 0.85  # "V" for "Vladimir"
    # a legal form written with one slip ("AkG" / AG, "Ltdd"): the form, the slip a doubt
    form_slip_sim: float = 0.85
    # a foreign name written in Han characters by its sounds, its reading against a Latin
    # word (similarity.transcription_similarity): the same consonants as Chinese tells them
    # apart, or one apart, of this many at least
    transcribed_sim: float = 0.85
    transcribed_near_sim: float = 0.8
    transcribed_letters: int = 3
    form_slip_letters: int = 3  # letters on one side at least (a form of two, a letter more)
    # two different known given names (text.given_names.different_names, Alejandro /
    # Alejandra, Marina / Maria): their spelling similarity, at most this: the knee of the
    # name score (fuzzy_knee), where look-alike different names begin: a cost, so a namesake
    # with another given name falls, but no zero, so a slip onto another name still alerts
    # with the rest of the name agreeing
    two_names_sim: float = 0.8
    abjad_sim: float = 0.9  # a vowel-less (Arabic, Hebrew script) token against a vowelled one
    short_skeleton: float = 0.9  # factor for skeleton matches on one or two consonants
    skeleton_letters: int = 3  # ... a skeleton this long or longer is not short
    baltic_sim: float = 0.9  # "Lavrovs" / "Lavrovas" for Lavrov: the same name, declined
    east_slavic_sim: float = 0.9  # "Sviatlana" / "Svetlana": Belarusian against Russian
    egyptian_g_letters: int = 5  # g for j (Gamal / Jamal) in words this long or longer
    diphthong_sim: float = 0.9  # a diphthong written as the vowel it is read as (Nawfal / Nofal)
    diminutive_sim: float = 0.85  # a name and its diminutive (Juan / Juanito, Chapo / Chapito)
    vowelless_sim: float = 0.9  # "Rmzn" for Ramzan: the vowels left out after the first letter
    vowelless_slip_letters: int = 5  # a vowel skeleton this long forgives one edit
    variant_letters: int = 4  # declined, romanised, consonant rules: both tokens this long
    short_token: int = 3  # a token this short with an edit is another word (a swap aside)
    short_token_cap: float = 0.4  # ... whose similarity is at most this
    # two neighbouring letters swapped in a word of three letters or more: a slip of the
    # fingers, never scored below this (one edit in three or four letters otherwise costs a
    # look-alike name's steep loss: Haq / Hqa, Tam / Atm)
    swapped_sim: float = 0.8
    # ... and wherever it is, on other edits too, it counts this share of an edit: as a
    # whole edit (what a letter typed for another costs: a look-alike name) a word of five
    # or six letters with a swap scored below a spelling variant (Kranso / Krasno 0.83)
    swap_edit: float = 0.5
    # ... this share where neither letter swapped is the word's first or last: two of the
    # lists' words one swap apart differ at an end (Hamid / Hamdi, Ahmad / Hamad, Salam /
    # Salma) about seven times as often, per place, as inside (Garcia / Gracia), and a
    # slip of the fingers falls anywhere
    inner_swap_edit: float = 0.25
    # ... and this share where the two words as written (not their phonetic keys, not in an
    # abjad) are one such inner swap apart: a slip, almost never another name. Of the lists'
    # 21,422 ASCII words of four letters or more, a swap inside turns 0.3-1.9% into another
    # listed word, a letter changed inside 12-70%: 1/25 to 1/60 as often at each length from
    # four letters to nine, 1/40 over all (a letter left out or added inside: 0.4-0.9 as
    # often, about dropped_edit's 0.75).
    # Keys keep inner_swap_edit: their letters stand for sounds, and keys a swap apart are
    # as often two different names' sounds in another order (Zaira / Shaariya, Aznar /
    # Ansar: at the written price such pairs of clean names rose towards the threshold)
    written_swap_edit: float = 0.025
    # a slip at a word's start (its first letter dropped, its first two swapped) counts
    # this share of an edit: less than a different first letter, which spells another name
    # as often (Mahir / Tahir), more than nothing, which a name one letter longer can be
    # (Amir / Samir)
    start_slip_edit: float = 0.75
    # one letter left out after a word's first (Omar / Oma, Brukan / Bukan) counts this
    # share of an edit: as a whole edit a word of four letters fell below fuzzy_knee, where
    # look-alike names begin, though no letter was typed for another
    dropped_edit: float = 0.75
    short_word: int = 5  # a word this short with two edits or more ...
    short_word_factor: float = 0.8  # ... keeps this share of its edit similarity
    consonant_fuzzy: float = 0.6  # the same consonants count from this edit similarity on
    consonant_base: float = 0.65  # ... and give this much
    consonant_scale: float = 0.3  # ... plus this x the edit similarity

    # -- alignment (align.py, _align.pxi)
    join_min_sim: float = 0.8  # joined tokens must match clearly to beat the single reading
    join_letters: int = 4  # a token this long may be a run of the other's written as one
    join_slack: int = 2  # ... whose length differs by at most this many letters
    join_slack_share: int = 4  # ... or by one letter in this many
    acronym_sim: float = 0.85  # "IRGC" for Islamic Revolutionary Guard Corps: likely, not certain
    acronym_min: int = 3  # two letters stand for too many names
    acronym_max: int = 6
    spelled_out: int = 4  # an organisation's vowel-less word this long is a word, not an acronym
    regrouped_sim: float = 0.96  # "Malikn Oorzai" for Malik Noorzai: a space one letter off
    regroup_letters: int = 6  # two words regrouped have this many letters or more together
    # two query words regrouped may read two list words with this many words between at
    # most (a middle name, a patronymic: "Ivo nPetrov" / Ivon Stefanov PETROV), persons only
    regroup_gap: int = 2
    truncated_sim: float = 0.85  # the last word of a name cut by a field limit, against the word
    # ... when the cut keeps this many letters or more: a prefix that long begins few other
    # words, so it is the word as likely as a spelling variant is
    truncated_letters: int = 5
    truncated_long_sim: float = 0.95
    truncated_prefix: int = 2  # letters a cut last word keeps at least to be read as one
    # a given name and its nickname or short form (Ted / Theodore, Sasha / Alexander:
    # text/data/given_names.yml), where both names write a given name: likely, not certain
    nickname_sim: float = 0.85
    # two forms of one given name in different languages (John / Juan / Ivan), or two of
    # its short forms: weaker evidence than a nickname of the name written
    equivalent_sim: float = 0.8

    # -- name score (score.py, _score.pxi)
    fuzzy_loss: float = 2.0  # a token pair at similarity s loses (1 - s) x this x its weight
    fuzzy_steep: float = 3.0  # ... plus (fuzzy_knee - s) x this below fuzzy_knee
    fuzzy_knee: float = 0.8  # ... where look-alike different names begin
    initial_loss: float = 0.6  # an initial standing for a name loses this x its weight
    contradiction: float = 1.0  # tokens unmatched on both sides, relative to the name's weight
    contradiction_abs: float = 0.2  # ... and per token whatever the name's length
    omission: float = 0.55  # a token unmatched on one side only (per unit of weight)
    forebear_share: float = 0.5  # an ancestor left out of a lineage ("Osama bin Laden")
    generic_cap: float = 0.55  # best score when only generic words, forms or particles agree
    one_word_cap: float = 0.6  # best score of a one-word list name when a query name is left over
    # (also: a query's one word paired only as a loose variant with one word of an
    # organisation's name, or of a person's name of two words or more: score.lone_variant)
    lone_letters_per_slip: int = 5  # a lone word one slip off per this many letters is close
    legal_conflict: float = 0.25  # both names have legal forms, of different specific families
    lineage_crossed: float = 0.35  # "A bin B" against "B bin A": a son and his father, swapped
    # a name in Chinese characters or Hangul against a romanised one: the given name's
    # syllables in another order (Su-Kwang for Kwang-Su) are another given name
    syllables_reordered: float = 0.35
    # a query cut by a field limit: the list words after the last one it reaches count this
    # share of what words left out cost
    truncated_tail: float = 0.2
    # a query that is a kunya alone ("Abu Salah") met in a longer person's name: the list
    # words around the kunya count this share of what words left out cost
    kunya_share: float = 0.5
    min_total: float = 1e-9  # a name's weight, at least (the score divides by it)

    # -- evidence besides the name (features.py; Matcher.weights starts from these)
    dob_exact: float = 0.12  # birth dates equal to the day
    dob_year: float = 0.06  # the same year (or within a listed range)
    # a day, a month or a year off, or day and month swapped: a likely slip (no more than
    # dob_exact: the matcher's bound on what a birth date adds uses that)
    dob_near: float = 0.02
    dob_mismatch: float = -0.3  # dates that cannot be the same
    dob_unreadable: float = 0.0  # the query's date could not be read: no evidence either way
    country_match: float = 0.04
    country_mismatch: float = -0.06
    gender_mismatch: float = -0.2
    id_match: float = 0.35  # the same passport / registration number
    schema_mismatch: float = -0.45  # a person against a company
    # no schema stated, and the name reads as what the listed entity cannot be (a person's
    # name against a vessel; match/kind.py): inferred, so less than schema_mismatch
    schema_unlikely: float = -0.2
    weak_alias: float = -0.08  # the list marks the alias as weak (a nickname, a low-quality a.k.a.)
    # the query's name is written in a script whose transliteration is only approximate
    # (text/data/scripts.yml: Devanagari, Thai...) and the list name in another script
    approximate_script: float = -0.1


RULES: Final = Rules()

# the same table by name (features and explanations name each weight by its key)
WEIGHTS: Final = MappingProxyType(asdict(RULES))

# What a token left without partner costs, by kind (unlike matched weight, no rarity
# discount: "Mohamed" for "Ali" is a contradiction however common both names are).
UNMATCHED_WEIGHTS: Final = MappingProxyType({
    "name": 1.0, "patronymic": 0.6, "initial": 0.5, "number": 0.3, "generic": 0.6,
    "particle": 0.2, "legal": 0.15, "title": 0.05,
})


def kernel_rules() -> dict[str, object]:
    """The table as the kernel's C struct reads it: every number by name, and the cost of
    an unmatched token by kind code (:data:`KINDS`)."""
    return {**asdict(RULES), "unmatched": [UNMATCHED_WEIGHTS[kind] for kind in KINDS]}
