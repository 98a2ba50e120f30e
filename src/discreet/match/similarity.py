"""How alike two normalised tokens are, and why: exact, phonetic, fuzzy, initial, skeleton.

Token comparisons repeat endlessly across queries (the same first names, the same surnames),
so :func:`token_similarity` is a pure function behind an ``lru_cache``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from discreet.match.rules import RULES
from discreet.text.given_names import different_names, given_class
from discreet.text.phonetic import (
    abjad_other_skeletons,
    abjad_skeleton,
    chinese_key,
    consonants,
    east_slavic_key,
    korean_key,
    phonetic_key,
)

__all__ = ["BALTIC_ENDINGS", "BARE", "DIMINUTIVES", "FOLDED_SIM", "diminutive", "doubled",
           "dropped_first", "dropped_letter", "dropped_on_variant", "dropped_read_back",
           "egyptian_g", "folded_skeleton", "folded_skeletons", "initial_twice",
           "latin_vowelless",
           "monophthong", "opens_on_consonant", "phonetic_folded", "slipped_variant",
           "start_slip", "swap_readings",
           "swapped_at",
           "swapped_variant", "syllable_similarity", "token_similarity",
           "transcription_key", "transcription_similarity",
           "typed_thrice", "typed_twice", "variant_similarity", "voicing_differs",
           "vowel_skeleton", "written_once", "y_skeleton"]

_VOWELS = frozenset("aeiou")
# ``abjad`` as the token rules read it: 0 (False) Latin names, 1 (True) a name written in an
# abjad script, BARE a Latin query written without its vowels, every word a skeleton
# (prepare.written_without_vowels): compared as an abjad's transliteration is, by its
# consonants, and as a Latin word without vowels is, against a spelling variant too
BARE = 2
_SKELETON_DROPS = frozenset("aeiouy")  # y may be written or left out as a vowel ("Kdyrv", "Kdrv")
# the letters as str.translate deletes them; ASCII text deletes them faster as bytes
_DROP_SKELETON = str.maketrans("", "", "aeiouy")
_DROP_VOWELS = str.maketrans("", "", "aeiou")


def _without(text: str, table: dict[int, int | None], letters: bytes) -> str:
    """``text`` without ``letters`` (``table``: the same as str.translate reads them)."""
    if text.isascii():
        return text.encode("ascii").translate(None, letters).decode("ascii")
    return text.translate(table)
# Latvian and Lithuanian add a nominative ending to every man's name, foreign ones too
BALTIC_ENDINGS = ("s", "as", "is", "us", "ys")


def _baltic(a: str, b: str) -> bool:
    """One token is the other with a Baltic nominative ending ("sergejs" / "sergey")."""
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if len(shorter) < RULES.variant_letters:
        return False
    key = phonetic_key(shorter)
    return any(longer.endswith(end) and len(longer) - len(end) >= len(shorter) - 1
               and phonetic_key(longer[:-len(end)]) == key for end in BALTIC_ENDINGS)


def _swapped(a: str, b: str) -> bool:
    """``b`` is ``a`` with two neighbouring letters swapped ("Kmi" / "Kim"): a slip of the
    fingers, not another name, however short the word."""
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
        and a[diff[1]] == b[diff[0]]


def _swap_edit(a: str, b: str, written: bool = False) -> float:
    """The share of an edit two neighbouring letters swapped count (``b`` is ``a`` so
    swapped, :func:`_swapped`): ``RULES.inner_swap_edit`` inside the word, where two names
    seldom differ so (Garcia / Gracia), ``RULES.swap_edit`` at its first or last letter,
    where they often do (Ahmad / Hamad, Hamid / Hamdi). Inside two words as written
    (``written``: not keys, not an abjad's skeletons), ``RULES.written_swap_edit``: there a
    swap makes another listed word about 1/40 as often as a letter changed does
    ("Roamna" / Romana, "Recah" / Reach), while keys a swap apart are two spellings'
    sounds in another order as often (Zaira / Shaariya)."""
    first = 0
    while a[first] == b[first]:
        first += 1
    if 0 < first < len(a) - 2:
        return RULES.written_swap_edit if written else RULES.inner_swap_edit
    return RULES.swap_edit


# letters no romanisation of an Arabic name writes; and "ng", which ends a Chinese, Korean or
# Vietnamese syllable (Jiang / Giang, Jang / Gang are other names)
_NOT_ARABIC = frozenset("cpvxq")


def egyptian_g(a: str, b: str) -> bool:
    """The two words differ only where one writes g and the other j: the Egyptian reading of
    the Arabic letter jim (Gamal / Jamal, Ragab / Rajab, Hegazi / Hejazi, Abdel Gawad /
    Abdel Jawad). Only in words of ``RULES.egyptian_g_letters`` letters or more that an Arabic
    name's romanisation can spell (no c, p, q, v, x, no "ng"), with an edit similarity of
    at least min_sim (the score bound, match/prune.py, counts them pairable)."""
    if len(a) != len(b) or len(a) < RULES.egyptian_g_letters or not (
            a.isascii() and a.isalpha() and b.isascii() and b.isalpha()):
        return False
    edits = 0
    for x, y in zip(a, b, strict=True):
        if x != y:
            if not ((x == "g" and y == "j") or (x == "j" and y == "g")):
                return False
            edits += 1
    return (edits > 0 and 1.0 - edits / len(a) >= RULES.min_sim
            and _NOT_ARABIC.isdisjoint(a) and _NOT_ARABIC.isdisjoint(b)
            and "ng" not in a and "ng" not in b)


# a diphthong before a consonant or at the end, as one spelling writes it and another writes
# the vowel it is read as: aw, au, ow as o (Nawfal / Nofal, Shawki / Shoki), ay, ai, ei, ey
# as e (Zaynab / Zeinab, Haydar / Heidar, Shaykh / Sheikh, Mayer / Meier)
_DIPHTHONG = re.compile(r"(?:aw|au|ow|ay|ai|ei|ey)(?![aeiou])")


def monophthong(token: str) -> str:
    """``token`` with each diphthong before a consonant or at the end written as the vowel
    it is read as (:data:`_DIPHTHONG`)."""
    return _DIPHTHONG.sub(lambda m: "o" if m.group()[1] in "wu" else "e", token)


def _same_vowel(a: str, b: str) -> bool:
    """The two words differ only in how they write a diphthong, in words of
    ``RULES.variant_letters`` letters or more, with an edit similarity of at least min_sim
    (the score bound, match/prune.py, counts them pairable)."""
    return (min(len(a), len(b)) >= RULES.variant_letters and a.isascii() and b.isascii()
            and monophthong(a) == monophthong(b)
            and OSA.normalized_similarity(a, b) >= RULES.min_sim)


# the diminutive endings Spanish adds to a given name or a nickname (Juanito, Rosita,
# Chapito, Nachillo), longest first; not Portuguese -inho, whose forms are more often a
# name of their own (Ronaldinho, Robinho: other people than Ronaldo, Robson)
DIMINUTIVES = ("cito", "cita", "illo", "illa", "ito", "ita")


def diminutive(a: str, b: str) -> bool:
    """One word is the other with a diminutive ending (:data:`DIMINUTIVES`) in place of its
    final a, e or o, or after its last letter: Juan / Juanito, Rosa / Rosita, Chapo /
    Chapito, Nacho / Nachillo. The name left once the ending is off has three letters at
    least, and the two words an edit similarity of min_sim (the score bound, match/prune.py,
    counts them pairable)."""
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    if not (shorter.isascii() and shorter.isalpha() and longer.isascii()
            and longer.isalpha()):
        return False
    stem = shorter[:-1] if shorter[-1:] in ("a", "e", "o") else shorter
    return (len(stem) >= 3 and longer.startswith(stem)
            and longer[len(stem):] in DIMINUTIVES
            and OSA.normalized_similarity(a, b) >= RULES.min_sim)


def _fuzzy(a: str, b: str, written: bool = False) -> float:
    """Edit similarity that forgives less in short tokens (one edit in "Snow" is a lot),
    two letters swapped aside: a swap is a slip of the fingers, not the look-alike of
    another name that a letter typed for another makes, so it counts ``RULES.swap_edit``
    of an edit, and in words of three letters or more a word with one swap is worth
    ``RULES.swapped_sim`` at least (Hqa / Haq, Atm / Tam; two letters swapped in a word of
    two reverse it: Al / La stay apart). A swap on top of other edits (Imsael / Ismail) is
    discounted so too, once the words reach min_sim as edited (the score bound's test).
    ``written``: ``a`` and ``b`` are two words as written, not keys (:func:`_swap_edit`)."""
    longest = max(len(a), len(b))
    edits = OSA.distance(a, b)  # a transposition (Macron / Marcon) is one edit
    sim = 1.0 - edits / longest
    swapped = edits == 1 and _swapped(a, b)
    if swapped and longest >= RULES.short_token:
        return max(1.0 - _swap_edit(a, b, written) / longest, RULES.swapped_sim)
    if longest <= RULES.short_token and edits:
        return sim if swapped else min(sim, RULES.short_token_cap)
    if edits > 1 and sim >= RULES.min_sim:
        # the edits the swaps save against a distance without them: one a swap
        swaps = Levenshtein.distance(a, b) - edits
        sim = 1.0 - (edits - swaps * (1.0 - RULES.swap_edit)) / longest
    if edits > 1 and longest <= RULES.short_word:
        return sim * RULES.short_word_factor
    return sim


# The letters a Latin spelling writes for what an abjad writes with w (waw, vav) and with y
# (ya, yod) after the first letter: a long vowel or a diphthong (Yusuf, Hussein, Dawood,
# Haidar) or the consonant itself (Marwan, Javad, Sayyid).
_MATRES = {"w": "ouwv", "y": "iey"}


def _writes_mater(bare: str, i: int, vowelled: str, at: int) -> bool:
    """``vowelled[at]`` writes what the abjad token ``bare`` writes with its w or y at ``i``;
    a final y is also the alif maqsura that Persian writes as ya, read a (``ysy`` Isa,
    ``mwsy`` Musa, ``mstfy`` Mustafa): the other word's final a, after the consonant the
    abjad writes before the y (not ``rshy`` for Raza, not ``mjtbwy`` for Mujtaba)."""
    if vowelled[at] in _MATRES[bare[i]]:
        return True
    return bare[i] == "y" and i == len(bare) - 1 and at == len(vowelled) - 1 \
        and vowelled[at] == "a" and vowelled[at - 1] == bare[i - 1]


def _matres_unmatched(a: str, b: str) -> bool:
    """One token is a vowel-less (abjad) transliteration whose w and y (the letters that
    write long vowels; a doubled one counted once, the first letter a consonant) the other,
    vowelled, token does not write in that order: ``hsyn`` (Hussein) is not Hassan, ``lwy``
    (Levi) not Ali, ``hmydy`` (Hamidi) not Ahmad, ``ly`` (Ali) not Al. Or the vowelled
    token writes the consonant w (:func:`consonant_w`) and the abjad's has no w. The
    consonants alone make these one name; the letters the abjad writes tell them apart."""
    if _VOWELS.isdisjoint(a) == _VOWELS.isdisjoint(b):
        return False
    bare, vowelled = (a, b) if _VOWELS.isdisjoint(a) else (b, a)
    if "w" not in bare and consonant_w(vowelled):
        return True
    at = 1
    for i in range(1, len(bare)):
        if bare[i] not in _MATRES or (i >= 2 and bare[i - 1] == bare[i]):
            continue
        while at < len(vowelled) and not _writes_mater(bare, i, vowelled, at):
            at += 1
        if at == len(vowelled):
            return True
        at += 1
    return False


def consonant_w(vowelled: str) -> bool:
    """A vowelled spelling writes a w after its first letter that a vowel (or a w) stands
    before and a vowel after: the consonant waw (Hawwat, Lawi, Dawud, Huwaida), which an
    abjad writes as it writes every consonant, where a w beside one vowel may be the long
    vowel's letter or a Latin spelling's own (Tawfiq, Yawar). An abjad token without a w
    is not that name: ``hd`` (الحداء, al-Hadda) is not Hawwat, ``ly`` (Ali) not Lawi
    (:func:`_matres_unmatched`)."""
    return any(vowelled[k] == "w" and vowelled[k + 1] in _VOWELS
               and (vowelled[k - 1] in _VOWELS or vowelled[k - 1] == "w")
               for k in range(1, len(vowelled) - 1))


def _skeletons_sim(ca: str, cb: str, unmatched: bool) -> float:
    """How alike two abjad skeletons are (``unmatched``: one more letter differs, a long
    vowel the abjad writes that the other spelling does not)."""
    longest = max(len(ca), len(cb))
    edits = Levenshtein.distance(ca, cb)
    if unmatched:
        sim = RULES.abjad_sim * (1.0 - (edits + 1) / (longest + 1))
    else:
        sim = RULES.abjad_sim * (1.0 - edits / longest)
    # one or two consonants are shared by many names: weaker evidence
    return sim * (1.0 if longest >= RULES.skeleton_letters else RULES.short_skeleton)


def _skeleton_sim(a: str, b: str, fuzzy: float, abjad: int) -> float:
    """Similarity from consonants alone: decisive for vowel-less (abjad) transliterations
    and for the words of a Latin query written without vowels (``BARE``), which keep their
    first letter: a word begun by a vowel (or y) is not one begun by a consonant (an abjad
    may leave a first vowel unwritten; "Ntn" is not Antonio)."""
    if (abjad and (_VOWELS.isdisjoint(a) or _VOWELS.isdisjoint(b)) and min(len(a), len(b)) >= 2
            and a.isalpha() and b.isalpha()
            and (abjad != BARE or (a[0] in _SKELETON_DROPS) == (b[0] in _SKELETON_DROPS))
            and not (abjad != BARE and glides_differ(a, b))):
        ca, cb = abjad_skeleton(a), abjad_skeleton(b)
        if ca and cb:
            unmatched = (_matres_unmatched(a, b)
                         or (abjad != BARE and voicing_differs(a, b)))
            # a vowel-less token's th, dh, sh, kh, gh may be one letter or two: the
            # reading closest to the other token's
            found = max(_skeletons_sim(x, y, unmatched)
                        for x in (ca, *abjad_other_skeletons(a))
                        for y in (cb, *abjad_other_skeletons(b)))
            # a Latin query written without vowels keeps the Latin rule too
            return max(found, _consonant_sim(a, b, fuzzy)) if abjad == BARE else found
    return _consonant_sim(a, b, fuzzy)


# letter groups a Latin spelling writes for one consonant
_CONSONANT_GROUPS = frozenset({"sh", "kh", "th", "dh", "gh", "ch", "zh", "ph"})


def opens_on_consonant(token: str) -> bool:
    """A Latin word that cannot be an Arabic-script word opening with a vowel letter (alif,
    ayn: text.normalize.vowel_opened), whose transliteration has lost that letter: it
    opens with one consonant (or a letter group for one: sh, kh) and a vowel (or y) after
    it, or has no vowel at all. "sharifi" is not اشرفی (Ashrafi, ``shrfy``), "hassan" not
    احسان (Ehsan), "rg" not ارج. A word opening with a vowel writes the letter (Ashrafi,
    Ali, Omar, Ebrahim), and one opening with two consonants before its first vowel may be
    the word with its first vowel unsounded (Maghrebi Brahim, Smail; Persian and Arabic
    write a foreign Stroy, Sberbank with an alif before the s)."""
    if not token or token[0] in _VOWELS:
        return False
    if _VOWELS.isdisjoint(token):
        return True
    at = 2 if token[:2] in _CONSONANT_GROUPS else 1
    return at >= len(token) or token[at] in _SKELETON_DROPS


def opening_glide(token: str) -> str:
    """The consonant w or y a vowelled (Latin) spelling opens with: its first letter when
    a vowel follows (Walid, Youmin), else "" (Wladimir, a vowel, any other consonant)."""
    if len(token) > 1 and token[0] in "wy" and token[1] in _VOWELS:
        return token[0]
    return ""


def glides_differ(a: str, b: str) -> bool:
    """A vowelled spelling opened by the consonant w or y (:func:`opening_glide`) and an
    abjad (vowel-less) one that does not open with that letter: an abjad writes that
    consonant with its first letter (waw, ya), where the skeletons drop w and y everywhere
    as the long vowels they also write, so without this ``myn`` (Moein) read as Youmin.
    Not the other way: a transliteration leaves out a first alif or ayn, so an abjad word
    opened by w or y may begin with a vowel (``ywb`` Ayyub, ``ysy`` Isa, ``wl`` Awal)."""
    if _VOWELS.isdisjoint(a) == _VOWELS.isdisjoint(b):
        return False
    bare, vowelled = (a, b) if _VOWELS.isdisjoint(a) else (b, a)
    glide = opening_glide(vowelled)
    return bool(glide) and bare[0] != glide


# The letters the skeletons merge, voiced with voiceless, that an abjad writes apart (د ت, ز س,
# پ ب), each pair with its letter an abjad may write for the other letter of a Latin spelling:
# Arabic writes a foreign p with ba (بوتين, Putin), and the s a Latin spelling writes between
# vowels, sounded z, with za (تيريز, Therese; روزا, Rosa).
_WRITTEN_APART = (("dt", ""), ("sz", "z"), ("bp", "b"))


def _letters_of(token: str, pair: str) -> list[int]:
    """Where ``token`` writes a letter of ``pair``, in order: a letter doubled once, and
    neither before an h (a letter group: th, dh, sh, zh, or two letters,
    :func:`abjad_other_skeletons`)."""
    found: list[int] = []
    for i, ch in enumerate(token):
        if (ch in pair and token[i + 1:i + 2] != "h"
                and not (found and found[-1] == i - 1 and token[i - 1] == ch)):
            found.append(i)
    return found


def voicing_differs(a: str, b: str) -> bool:
    """A vowel-less (abjad) token writes d where the vowelled one writes t (or the other
    way; s where it writes z, p where it writes b), the letters of each pair taken in
    order, but at the vowelled word's end. The skeletons merge voiced and voiceless letters, but an
    abjad writes these with letters of their own, which a Latin spelling follows: only a
    Turkish spelling devoices a final d or b (Mehmet, Murat, Recep for محمد, مراد, رجب).
    So سعدي (``sdy``) is not Satya, nor ותד (``wtd``) Dawood."""
    if _VOWELS.isdisjoint(a) == _VOWELS.isdisjoint(b):
        return False
    bare, vowelled = (a, b) if _VOWELS.isdisjoint(a) else (b, a)
    last = len(vowelled) - 1
    for pair, either in _WRITTEN_APART:
        x, y = _letters_of(bare, pair), _letters_of(vowelled, pair)
        if len(x) == len(y) and any(
                bare[i] != vowelled[j] and j != last and bare[i] not in either
                for i, j in zip(x, y, strict=True)):
            return True
    return False


def _consonant_sim(a: str, b: str, fuzzy: float) -> float:
    """Two vowelled words with the same consonants and an edit similarity ``fuzzy`` of
    consonant_fuzzy at least: the vowels one spelling writes another writes otherwise."""
    if fuzzy >= RULES.consonant_fuzzy and min(len(a), len(b)) >= RULES.variant_letters:
        ca = consonants(a)
        if len(ca) >= 2 and ca == consonants(b):
            return RULES.consonant_base + RULES.consonant_scale * fuzzy
    return 0.0


def latin_vowelless(token: str) -> bool:
    """A Latin-script word of two letters or more with no vowel a-e-i-o-u after its first
    letter: how people abbreviate a name ("Vldmr", "Ahmd", "Kdyrv")."""
    return (len(token) >= 2 and token.isascii() and token.isalpha()
            and _VOWELS.isdisjoint(token[1:]))


def vowel_skeleton(token: str) -> str:
    """The first letter and every later letter but a-e-i-o-u and y: what is left of a word
    written without its vowels ("kadyrov", "kdyrv" and "kdrv" all give "kdrv")."""
    return token[:1] + _without(token[1:], _DROP_SKELETON, b"aeiouy")


def y_skeleton(token: str) -> str:
    """:func:`vowel_skeleton` with its y kept ("my" and "mayu" give "my"): what a short word
    written without its vowels a-e-i-o-u is compared by when its vowel skeleton is one
    letter."""
    return token[:1] + _without(token[1:], _DROP_VOWELS, b"aeiou")


_TWICE = re.compile(r"(.)\1", re.DOTALL)  # a character written twice in a row
_RUNS = re.compile(r"(.)\1+", re.DOTALL)  # a run of one character written twice or more


def _first_letter(run: re.Match[str]) -> str:
    return run.group(1)


def written_once(text: str) -> str:
    """``text`` with each run of one letter written once ("hssn": "hsn"). Most words have
    no letter written twice: one search of the compiled pattern says so, and they are
    returned as they are (a query's every new word and pair of words is asked)."""
    if _TWICE.search(text) is None:
        return text
    return _RUNS.sub(_first_letter, text)


def folded_skeleton(token: str) -> str:
    """The vowel skeleton of a word read through the key that folds its spelling variants:
    a word without vowels after its first letter by its phonetic key (kh, sh, ch, gh one
    letter; c and q k, w v, z s; a leading a read o, as the east-Slavic key reads every a),
    any other word of ``RULES.variant_letters`` letters or more by its east-Slavic key
    (Belarusian u for v, h for g, dz for d: "Paulavich" gives "pvlvc" as "Pvlvch" does).
    Empty for the words the rule leaves alone (shorter, not letters only)."""
    if not (token.isascii() and token.isalpha()):
        return ""
    if latin_vowelless(token):
        return phonetic_folded(phonetic_key(token))
    if len(token) < RULES.variant_letters:
        return ""
    return vowel_skeleton(east_slavic_key(token))


@lru_cache(maxsize=65536)
def folded_skeletons(token: str) -> tuple[str, ...]:
    """The folded skeletons the index posts a word with vowels under, and looks a word
    without them up by: :func:`folded_skeleton`; for a word with vowels also (when it
    differs) the vowel skeleton of its phonetic key, its first a read o as the vowel-less
    word's is (:func:`_folded_sim` compares the two phonetic readings with the a kept;
    equal so, they are equal with it read o). The east-Slavic key reads h as the
    Belarusian g, so the kh or the h of a name spelled from Arabic or Persian (Khanif /
    Hanif, Ghazaleh written without its last h) meets its variant only by the phonetic
    key, as the two words written with their vowels do. None for the words the rule leaves
    alone."""
    folded = folded_skeleton(token)
    if not folded or latin_vowelless(token):
        return (folded,) if folded else ()
    other = phonetic_folded(phonetic_key(token))
    return (folded,) if other == folded else (folded, other)


def _phonetic_skeleton(token: str) -> str:
    """The vowel skeleton of a word's phonetic key (kh, sh, ch, gh one letter; c and q k,
    w v, z s; a letter written twice once; a last h after a vowel left out)."""
    return vowel_skeleton(phonetic_key(token))


def phonetic_folded(key: str) -> str:
    """The folded skeleton of a word's phonetic key: its vowel skeleton, a leading a read o
    as the east-Slavic key reads every a (the same as :func:`_phonetic_skeleton`'s with its
    leading a read o)."""
    return vowel_skeleton("o" + key[1:] if key[:1] == "a" else key)


# a word without vowels against a spelling variant of it, before any edit: the variant's
# similarity times the vowels' (index.py credits the "f:" keys with it too)
FOLDED_SIM = RULES.vowelless_sim * RULES.east_slavic_sim


def _folded_sim(a: str, b: str) -> float:
    """A word written without its vowels against a spelling variant of the word: their
    :func:`folded_skeleton` equal (one edit forgiven in skeletons of five letters or more),
    both of ``RULES.skeleton_letters`` letters at least (two consonants name too many
    words); the variant's similarity times the vowels' ("Vgr" for Vehera, Vegera's
    Belarusian spelling: 0.81). Or so their phonetic keys' skeletons (:func:`folded_skeletons`:
    "Khnf" for Hanif)."""
    if latin_vowelless(a) == latin_vowelless(b):
        return 0.0
    bare, vowelled = (a, b) if latin_vowelless(a) else (b, a)
    fb = folded_skeleton(vowelled)
    if not fb:
        return 0.0
    # by the east-Slavic key (the opening vowel read by its class on both sides:
    # :func:`opening_vowel_read`), or by the phonetic key
    return max(_folded_pair_sim(opening_vowel_read(folded_skeleton(bare)),
                                opening_vowel_read(fb)),
               _folded_pair_sim(_phonetic_skeleton(bare), _phonetic_skeleton(vowelled)))


# the vowel a word opens with, which a name written without vowels keeps as its first letter,
# read by its class: transliterations write one Arabic, Persian or Turkic short vowel two
# ways (damma o or u: Omar / Umar, Osman / Usman; kasra e or i: Esmail / Ismail, Ebrahim /
# Ibrahim), and the east-Slavic reading already reads a as o
_OPENING_VOWELS = str.maketrans("aeiou", "oiioo")


def opening_vowel_read(skeleton: str) -> str:
    """A folded skeleton with the vowel it opens with read by its class (a o u as o, e i as
    i): "Umr" is Omar's skeleton, "Isml" Esmail's, as Umar and Omar are one name written
    with their vowels. Only between a word written without vowels and a Latin word (the
    first reading of :func:`_folded_sim`: an abjad's transliterations are compared by their
    own skeletons), so a skeleton of three letters at least; the index's keys are left
    as they are (a one-word query so written meets its names by them only)."""
    return skeleton[:1].translate(_OPENING_VOWELS) + skeleton[1:]


def _folded_pair_sim(fa: str, fb: str) -> float:
    """:func:`_folded_sim` of two folded skeletons (a vowel-less word's, a reading of the
    other word's)."""
    if min(len(fa), len(fb)) < RULES.skeleton_letters:
        return 0.0
    longest = max(len(fa), len(fb))
    edits = Levenshtein.distance(fa, fb)
    if edits > (1 if longest >= RULES.vowelless_slip_letters else 0):
        return 0.0
    return FOLDED_SIM * (1.0 - edits / longest)


def _edit_letters(a: str, b: str, abjad: int) -> int:
    """The letters an edit at either end of two vowel skeletons is one of (:func:`_end_edit`):
    the longer word's as written, when neither name is in an abjad. A Latin word written
    without its vowels stands for the word with them, and at its ends a spelling variant
    shows in the skeleton as a consonant ("Tchpr" for Tchapori, a variant of CHAPORI: tch
    for ch; "Svngs" for Savings, SAVING; "Astrl" for Australi, USTRALI: a leading vowel
    kept as the first letter): one letter of that word, as it is between the words with
    their vowels, not one of its shorter skeleton's (one edit in five consonants cost as
    much as two in a word of seven, and a name written without vowels on top of a variant
    fell below what either costs alone). Between its first and last letters the
    consonants are what tells two names apart (Almnsr, Al-Mansur's skeleton, is no
    Almuntasir): an edit there stays one of the skeleton's letters. So does any edit in a
    name written in an abjad, which writes its skeleton as the word itself (0: the
    caller's skeleton length)."""
    return 0 if abjad and abjad != BARE else max(len(a), len(b))


def _end_edit(x: str, y: str) -> bool:
    """``x`` and ``y`` are one edit apart at the first or the last letter (a letter more,
    left out or written otherwise there)."""
    return (x[1:] == y[1:] or x[1:] == y or y[1:] == x
            or x[:-1] == y[:-1] or x[:-1] == y or y[:-1] == x)


def _vowelless_sim(a: str, b: str, abjad: int) -> float:
    """A word written without its vowels against the word: the same skeleton (one edit
    forgiven in skeletons of five letters or more; a letter written twice in one skeleton
    and once in the other is no edit, in skeletons of three letters or more written once);
    two-letter skeletons are weaker. Or against a spelling variant of it (:func:`_folded_sim`;
    not when a name is written in an abjad (``abjad``): its vowel-less words are
    transliterations, which the abjad skeletons compare, Belarusian or Russian spellings
    they are not; a Latin name written without vowels, ``BARE``, is Latin still)."""
    if not (latin_vowelless(a) or latin_vowelless(b)) or not (
            a.isascii() and a.isalpha() and b.isascii() and b.isalpha()):
        return 0.0
    written = _written_vowelless_sim(a, b, abjad == BARE, _edit_letters(a, b, abjad))
    return written if abjad and abjad != BARE else max(written, _folded_sim(a, b))


def _written_vowelless_sim(a: str, b: str, bare: bool, letters: int = 0) -> float:
    """:func:`_vowelless_sim` of the words as written; ``bare``: a Latin query written
    wholly without its vowels (prepare.written_without_vowels), whose longer skeletons, the
    same letters, are worth more (:func:`_skeleton_credit`). Not an abjad's
    transliteration (its short vowels are left out of every word, and the skeletons of
    names in Arabic script meet many names), nor a word of a name with vowels elsewhere (a
    list's such word is mostly an acronym). ``letters``: what an edit at either end of the
    skeletons is one letter of, when more than the longer skeleton (:func:`_edit_letters`)."""
    sa, sb = vowel_skeleton(a), vowel_skeleton(b)
    longest = max(len(sa), len(sb))
    shortest = min(len(sa), len(sb))  # the letters both skeletons have (Llpz / Lopez: 3)
    if longest < 2:
        # one letter left once y goes too ("My" for Mayu, "Ly" for Loya): the y the short
        # word kept is its skeleton's second letter, on both sides
        sa, sb = y_skeleton(a), y_skeleton(b)
        longest = max(len(sa), len(sb))
        if longest < 2:
            return 0.0
    edits = Levenshtein.distance(sa, sb)
    at_end = edits == 1 and _end_edit(sa, sb)
    if edits:  # a letter written twice in one is written once in the other: Hsn / Hassan
        oa, ob = written_once(sa), written_once(sb)
        if max(len(oa), len(ob)) >= RULES.skeleton_letters:  # not "al" for Alla
            once = Levenshtein.distance(oa, ob)
            at_end = at_end or (once == 1 and _end_edit(oa, ob))
            edits = min(edits, once)
    if edits > (1 if longest >= RULES.vowelless_slip_letters else 0):
        return 0.0
    # a slip besides the vowels is no surer for a longer skeleton (Almnsr / Almuntasir)
    credit = _skeleton_credit(shortest) if bare and not edits else RULES.vowelless_sim
    sim = credit * (1.0 - edits / (max(longest, letters) if at_end else longest))
    return sim * (1.0 if longest >= RULES.skeleton_letters else RULES.short_skeleton)


def _skeleton_credit(letters: int) -> float:
    """What a word's vowel skeleton of ``letters`` letters is worth against the word: the
    vowels' doubt (1 - ``vowelless_sim``) for a skeleton of ``skeleton_letters``, spread
    over the letters of a long one (``vowelless_slip_letters`` or more, as long as one the
    rule forgives an edit in), which fewer words share ("Ghrb" 0.9, "Aljrb" 0.94)."""
    if letters < RULES.vowelless_slip_letters:
        return RULES.vowelless_sim
    return 1.0 - (1.0 - RULES.vowelless_sim) * RULES.skeleton_letters / letters


def _spelling(a: str, b: str) -> tuple[float, str] | None:
    """The spelling rules that read the two words as written: g for j, a diphthong written
    as its vowel, a diminutive, a Baltic ending, a Belarusian or Ukrainian romanisation.
    Each asks an edit similarity of at least min_sim too: they only raise pairs the score
    bound (match/prune.py) already counts as pairable."""
    if egyptian_g(a, b):
        return RULES.phonetic_sim, "phonetic"
    if _same_vowel(a, b):
        return RULES.diphthong_sim, "phonetic"
    if diminutive(a, b):
        return RULES.diminutive_sim, "fuzzy"
    if _baltic(a, b) and OSA.normalized_similarity(a, b) >= RULES.min_sim:
        return RULES.baltic_sim, "declined"
    if (min(len(a), len(b)) >= RULES.variant_letters and east_slavic_key(a) == east_slavic_key(b)
            and OSA.normalized_similarity(a, b) >= RULES.min_sim):
        return RULES.east_slavic_sim, "romanised"
    return None


def doubled(a: str, b: str) -> bool:
    """Two different words of letters that are one once each run of a letter is written
    once: a letter written twice is the sound written once, in every language the lists
    use (Mohamad / Mohammad, Hasan / Hassan, Roomeo / Romeo: a key held a moment too
    long). Two letters at least once so written (a letter alone is an initial)."""
    if not (a.isalpha() and b.isalpha()):
        return False
    once = written_once(a)
    return len(once) >= 2 and once == written_once(b)


def initial_twice(a: str, b: str) -> bool:
    """One word is the other with the consonant it begins with written twice ("Yyakutumba"
    / Yakutumba, "Lluqman" / Luqman): a key held a moment too long, where no spelling of a
    name doubles a letter (a vowel written twice there is a long vowel some languages
    write so: Aalto, Aarav, Ooms). ASCII letters only, the other word begun by that
    consonant once, then a vowel, and ``RULES.variant_letters`` long at least: a shorter
    word, or one without a vowel there, is an acronym as often (M.M.E. is not "Me", MMKOI
    not MKOI); not in a name written in an abjad, whose
    skeletons write two letters a vowel kept apart so (token_similarity passes ``abjad``)."""
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return (len(longer) == len(shorter) + 1 and len(shorter) >= RULES.variant_letters
            and longer[1:] == shorter
            and longer[0] == shorter[0] and shorter[0] not in _VOWELS and shorter[1] in _VOWELS
            and shorter.isascii() and shorter.isalpha())


_THRICE = re.compile(r"(.)\1\1+", re.DOTALL)  # a character written three times or more
_ROMAN_LETTERS = frozenset("ivxlcdm")


def _twice_at_most(text: str) -> str:
    return _THRICE.sub(r"\1\1", text)


def typed_thrice(a: str, b: str) -> bool:
    """One word is the other with a letter it writes twice written once more, or the other
    way ("Abdelllah" / Abdellah, "Mohammmad" / Mohammad): a key held a moment too long
    where no spelling of a name writes a letter three times in a row, so the word is the
    word (German Schifffahrt / Schiffahrt, two spellings of one word, agree). ASCII words
    (a run of a letter is a run of bytes in the kernel); not a roman numeral's letters
    (XIII / XII are two numbers)."""
    if a == b or not (a.isascii() and b.isascii()):
        return False
    fewer = _twice_at_most(a)
    return fewer == _twice_at_most(b) and not _ROMAN_LETTERS.issuperset(fewer)


def typed_twice(a: str, b: str) -> tuple[float, str] | None:
    """The spelling rules (:func:`_spelling`), else the consonant rule (by the edit
    similarity of the texts), on the two words with each run of a letter written once: a
    letter typed twice on top of a spelling variant ("Nawwfal" / Nofal, "Ruubinov" /
    Rubinau, "Sullayman" / Suleiman) defeats rules that read the words as written, as it
    does not the phonetic key, which writes it once. A letter written twice is the letter
    once: no edit (the rule's similarity). Letters only; one word written so, not both
    (Jagged / Gajjed: a letter two words both write twice is no slip); and not when the
    words are one once written so (:func:`doubled`'s rule). Not the phonetic key of the
    words so written: a doubled e or o is a vowel of its own there (ee is i, oo is u:
    Shaleesh is not Sales). The score bound counts such words pairable by the edit
    similarity of their forms written once (min_sim, as each rule asks)."""
    if not (a.isalpha() and b.isalpha()):
        return None
    once_a, once_b = written_once(a), written_once(b)
    if (once_a == a) == (once_b == b) or once_a == once_b:
        return None
    found = _spelling(once_a, once_b)
    if found is None:
        sim = _consonant_sim(once_a, once_b, _fuzzy(once_a, once_b))
        if not sim:
            return None
        found = sim, "skeleton"
    return found


# a slip and a spelling variant change a word's length by two letters at most; more is
# another form of the name (Miguel / Miguelito: a diminutive, its own rule)
_SLIP_LENGTHS = 2


def one_slip(x: str, y: str) -> bool:
    """``y`` is ``x`` with one letter more or less, or two neighbouring letters swapped: a
    slip of the fingers (not a letter typed for another, which spells another name as
    often). Keys of ``RULES.variant_letters`` letters at least: one letter more or less in
    a shorter key is another name as often (hi / hai: Hejeij is not Haji). Not a letter
    more at the end: another ending (sonco / soncos: Sancho is not Sanchez)."""
    if x == y or min(len(x), len(y)) < RULES.variant_letters or OSA.distance(x, y) != 1:
        return False
    if len(x) == len(y):
        return _swapped(x, y)
    shorter, longer = (x, y) if len(x) < len(y) else (y, x)
    return not longer.startswith(shorter)


def slipped_variant(a: str, b: str) -> tuple[float, str] | None:
    """A slip (:func:`one_slip`: a letter dropped or two swapped) on top of a spelling
    variant: the keys that erase how a romanisation writes a name (the east-Slavic key,
    the phonetic key) are one slip apart ("Vikor" / Viktar: vikor / viktor; "Kadni" /
    Kadzin: kodni / kodin). Not the consonants, which leave the vowels free: a name and
    another one slip off so are too common (Hernando / Hernandez, Bento / Bueno,
    Shuchenka / Shevchenko). The rules that read a word as written stop working once
    a slip lands on it. Letters only, both words ``RULES.variant_letters`` long or longer,
    their lengths two letters apart at most, with an edit similarity of min_sim at least
    once the slip's edit is forgiven (the score bound counts such words pairable whatever
    its cut: ``_prune.pxi: _pairs``). A variant less one slip: east_slavic_sim times
    1 - 1 / the longer word's letters (a swap: ``RULES.swap_edit`` / its letters, as a
    swap costs everywhere), below the variant without the slip."""
    if not (a.isalpha() and b.isalpha()) or min(len(a), len(b)) < RULES.variant_letters \
            or abs(len(a) - len(b)) > _SLIP_LENGTHS \
            or 1.0 - (OSA.distance(a, b) - 1) / max(len(a), len(b)) < RULES.min_sim:
        return None
    edit = 0.0  # the slip's share of an edit: a swap's less (:func:`_fuzzy`)
    for x, y in ((east_slavic_key(a), east_slavic_key(b)), (phonetic_key(a), phonetic_key(b))):
        if one_slip(x, y):
            slip = RULES.swap_edit if len(x) == len(y) else 1.0
            edit = slip if not edit else min(edit, slip)
    if not edit:
        return None
    return RULES.east_slavic_sim * (1.0 - edit / max(len(a), len(b))), "fuzzy"


def swapped_at(token: str, i: int) -> str:
    """``token`` with its letters ``i`` and ``i + 1`` swapped: a typing slip, or a slip read
    back (:func:`swap_readings`, swaps.posted_readings, prepare's swapped legal forms)."""
    return token[:i] + token[i + 1] + token[i] + token[i + 2:]


def swap_readings(token: str) -> tuple[str, ...]:
    """``token`` with two neighbouring letters (not the same letter) swapped, at each place
    in turn, each reading once: the words a query word with two letters swapped may have
    been typed for. ASCII letters, ``RULES.variant_letters`` of them or more (a shorter
    word with a swap is its own rule's, :func:`_fuzzy`); else none."""
    if len(token) < RULES.variant_letters or not (token.isascii() and token.isalpha()):
        return ()
    return tuple(dict.fromkeys(swapped_at(token, i)
                               for i in range(len(token) - 1) if token[i] != token[i + 1]))


@lru_cache(maxsize=65536)
def swapped_variant(a: str, b: str, abjad: int = False,
                    readings: tuple[str, ...] | None = None) -> tuple[float, str] | None:
    """Query word ``a`` with two neighbouring letters swapped on top of a spelling variant
    of list word ``b``: the swap breaks the rules that read a word as written or by its
    keys ("Rahihgi" / Rahiqi: gh is no longer one letter; "Chaipto" / Chapo: no
    diminutive; "Nikolia" / Mikalai: no east-Slavic key), which the keys' one-slip rule
    (:func:`slipped_variant`) does not mend when the swap moves a letter of a group the key
    folds. Each reading of ``a`` with two letters swapped back (:func:`swap_readings`) is
    compared with ``b`` by :func:`variant_similarity`; the best, times 1 - ``swap_edit`` /
    the longer word's letters (what a swap costs everywhere): below the variant without
    the swap. Only a query's word (align reads it so; a list's words are as the list
    writes them). Both words ASCII letters, their lengths two letters apart at most, their
    edit similarity min_sim at least once the swap's edit is forgiven (the score bound's
    test, ``_prune.pxi: _pairs``). A reading counts only where a spelling rule reads it
    closer to ``b`` than the edits of its letters or of its key do (:func:`_edit_sim`): a
    swap on top of other slips is the edit rule's, which forgives it already (Kransoav is
    not Kraskova, one letter off Krasnova); and not by the consonant rule when the swap
    moves a vowel past a consonant: that rule leaves the vowels free, and with their
    places free too, names of the same consonants meet (Mahmud read Mhamud is not
    Mohammad). ``readings``: those compared (None: every one; a matcher gives those some
    list word shares a key with, swaps.posted_readings). None when no reading applies."""
    if not (b.isascii() and b.isalpha()) or abs(len(a) - len(b)) > _SLIP_LENGTHS:
        return None
    if readings is None:
        readings = swap_readings(a)
    longest = max(len(a), len(b))
    if not readings or 1.0 - (OSA.distance(a, b) - 1) / longest < RULES.min_sim:
        return None
    best = 0.0
    for reading in readings:
        sim, method = variant_similarity(reading, b, abjad)
        if sim <= best or sim <= _edit_sim(reading, b):
            continue  # the letters' or the keys' edits: the edit rule's
        if method == "skeleton" and _moves_vowel(a, reading):
            continue  # the consonant rule leaves the vowels free already
        best = sim
    if not best:
        return None
    found = best * (1.0 - RULES.swap_edit / longest), "fuzzy"
    # two known given names stay two names when one is read with a swap (Alejandro's
    # readings are no known name: the cap of token_similarity must be asked of the words)
    return two_names(found) if different_names(a, b) else found


def _edit_sim(a: str, b: str) -> float:
    """The edit similarity token_similarity reads two words by when no rule applies: of
    the texts or, when the phonetic keys differ, of the keys, the higher."""
    ka, kb = phonetic_key(a), phonetic_key(b)
    texts = _fuzzy(a, b)
    return texts if ka == kb else max(texts, _fuzzy(ka, kb))


def _moves_vowel(token: str, reading: str) -> bool:
    """``reading`` (``token`` with two neighbouring letters swapped) moves a vowel a-e-i-o-u
    past a consonant."""
    i = next(k for k in range(len(token)) if token[k] != reading[k])
    return (token[i] in _VOWELS) != (token[i + 1] in _VOWELS)


def _vowels_apart(x: str, y: str) -> int:
    """How many letters two words of one length differ by, each a vowel written for
    another (-1: of other lengths, or another letter differs)."""
    if len(x) != len(y):
        return -1
    apart = 0
    for p, q in zip(x, y, strict=True):
        if p != q:
            if p not in _VOWELS or q not in _VOWELS:
                return -1
            apart += 1
    return apart


def start_slip(a: str, b: str) -> tuple[float, str] | None:
    """One word is the other with a slip at its start: its first letter dropped ("Ortez" /
    Cortez) or its first two letters swapped ("Lfaco" / Flaco), the rest as written or with
    vowels written otherwise ("Afez" / Hafiz, "Amhir" / Maher), as the consonant rule reads
    them. The first letter is what the keys, the consonants (which drop a leading vowel)
    and the rules that read a word as written begin with: a slip there leaves the word
    nothing else to be recognised by. The slip costs ``RULES.start_slip_edit`` of an edit,
    less than a different first letter (Mahir / Tahir: another name as often); vowels
    written otherwise cost what the consonant rule makes of them (at an edit similarity of
    consonant_fuzzy at least). Letters only, both words ``RULES.variant_letters`` long or
    longer, their first letters different."""
    if min(len(a), len(b)) < RULES.variant_letters or a[0] == b[0] \
            or not (a.isascii() and a.isalpha() and b.isascii() and b.isalpha()):
        return None
    longest = max(len(a), len(b))
    vowels = -1
    for x, y in ((a, b), (b, a)):
        if x[0] != y[1]:
            continue
        for apart in (_vowels_apart(x, y[1:]),
                      _vowels_apart(x[2:], y[2:]) if x[1] == y[0] else -1):
            if apart >= 0 and (vowels < 0 or apart < vowels):
                vowels = apart
    if vowels < 0:
        return None
    slip = 1.0 - RULES.start_slip_edit / longest
    if vowels == 0:
        return slip, "fuzzy"
    fuzzy = 1.0 - vowels / longest
    if fuzzy < RULES.consonant_fuzzy:
        return None
    return slip * (RULES.consonant_base + RULES.consonant_scale * fuzzy), "fuzzy"


# letters a word's ending declines or genders with (Petrov / Petrova, Ivan / Ivana, Carlo /
# Carlos): a word without one is another form of the name, not a slip
_ENDINGS = frozenset("aeiouys")


def _left_out_at(shorter: str, longer: str) -> int:
    """Where ``longer`` has the one letter ``shorter`` lacks (-1: not so)."""
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return i if shorter[i:] == longer[i + 1:] else -1


def dropped_letter(a: str, b: str) -> tuple[float, str] | None:
    """One word is the other with one letter left out after its first ("Oma" / Omar,
    "Hji" / Haji; the first letter left out is :func:`start_slip`'s, of a word of four
    :func:`dropped_first`'s), where that one edit
    falls below fuzzy_knee, where look-alike names begin: words of four letters and
    three (one edit in five letters or more is above it already, and a longer brand one
    letter off is another brand as often: Paris / Pardis). A slip of the fingers that
    types no letter for another spells another name less often than a letter changed
    does (Omar / Amar). Not a vowel, y or s left out at the end, where words decline and
    names take their feminine (Dan / Dana, Jan / Jana). ASCII letters only, the shorter
    ``RULES.short_token`` letters or longer; not in a name written in an abjad, whose
    words are skeletons already (align passes ``abjad``). The slip costs
    ``RULES.dropped_edit`` of an edit."""
    if abs(len(a) - len(b)) != 1 or a[0] != b[0] \
            or not (a.isascii() and a.isalpha() and b.isascii() and b.isalpha()):
        return None
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    if len(shorter) < RULES.short_token or 1.0 - 1.0 / len(longer) >= RULES.fuzzy_knee:
        return None
    at = _left_out_at(shorter, longer)
    if at < 0 or (at == len(shorter) and longer[at] in _ENDINGS):
        return None
    return 1.0 - RULES.dropped_edit / len(longer), "fuzzy"


def dropped_first(a: str, b: str) -> tuple[float, str] | None:
    """A word of three letters is one of four with its first letter left out ("Bsi" /
    Absi, "Alu" / Nalu): :func:`start_slip` asks four letters of both words (a slip there
    leaves a short word nothing to be recognised by), and as a plain edit one letter in
    four scored 0.75, below fuzzy_knee, where look-alike names begin, though no letter was
    typed for another. Priced as a letter left out elsewhere in a short word
    (:func:`dropped_letter`). The rest as written (a vowel written otherwise too leaves
    two letters of three alike: Abu / Kabi). Not when either word is a known given name
    (``text.given_names``): a given name of three letters and a letter before it are two
    names as often as a slip (Ali / Mali, Ana / Dana, Ida / Rida). ASCII letters only;
    not in a name written in an abjad, whose words are skeletons already (align passes
    ``abjad``)."""
    if len(a) + len(b) != 2 * RULES.short_token + 1 or a[0] == b[0] \
            or not (a.isascii() and a.isalpha() and b.isascii() and b.isalpha()):
        return None
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    if len(shorter) != RULES.short_token or shorter != longer[1:] \
            or given_class(shorter) or given_class(longer):
        return None
    return 1.0 - RULES.dropped_edit / len(longer), "fuzzy"


def _consonant_cuts(x: str, y: str) -> list[int]:
    """The positions in ``y`` (its first and last letters aside) of a consonant (not
    a-e-i-o-u, y) which, left out, leaves ``y`` the consonants of ``x`` in order (a run of
    one consonant gives each of its letters)."""
    sx, sy = vowel_skeleton(x), vowel_skeleton(y)
    if len(sy) != len(sx) + 1:
        return []
    where = [0, *(i for i in range(1, len(y)) if y[i] not in _SKELETON_DROPS)]
    return [where[j] for j in range(1, len(sy))
            if where[j] < len(y) - 1 and sy[:j] + sy[j + 1:] == sx]


def dropped_consonant(a: str, b: str) -> tuple[float, str] | None:
    """One consonant left out of a word whose vowels are written otherwise ("Ahad" /
    Ahmed: ahmad, the m left out; "Barham" / Barshem: barsham, the s left out): the same
    first letter and, the one consonant put back, the same consonants and one vowel
    written otherwise (one edit: a vowel for another, or one more or less). A slip of the
    fingers on top of a spelling variant that no key reads: the keys and the consonant
    rule (:func:`_consonant_sim`) see a consonant more, an edit besides the vowels. Two
    vowels written otherwise leave the vowels free enough that another name one consonant
    off reads so (Shuchenka / Shevchenko, as :func:`slipped_variant` says). Not the word's
    first letter (:func:`start_slip`'s), nor its last (another ending: Koshla / Koshlaf
    as Sancho / Sanchez); ASCII letters, both words ``RULES.variant_letters`` long or
    longer, their lengths two apart at most, and three consonants at least in the shorter
    skeleton (two are shared by too many names: Sara / Sahar); not in a name written in
    an abjad (token_similarity passes ``abjad``). The consonant rule's value for that one
    edit, times 1 - 1 / the longer word's letters, as a slip on a variant costs
    (:func:`slipped_variant`). The score bound counts such words pairable."""
    if a[0] != b[0] or min(len(a), len(b)) < RULES.variant_letters \
            or abs(len(a) - len(b)) > _SLIP_LENGTHS \
            or max(len(a), len(b)) > _DROPPED_VARIANT_LETTERS \
            or not (a.isascii() and a.isalpha() and b.isascii() and b.isalpha()):
        return None
    best = 0.0
    for x, y in ((a, b), (b, a)):
        if len(vowel_skeleton(x)) < RULES.skeleton_letters:
            continue
        for i in _consonant_cuts(x, y):
            cut = y[:i] + y[i + 1:]
            # one vowel written otherwise, no more: with two the consonants leave the vowels
            # free enough that another name one consonant off reads so (Shuchenka /
            # Shevchenko); none is one letter left out, the edit rules'
            if OSA.distance(x, cut) == 1:
                fuzzy = 1.0 - 1.0 / max(len(x), len(cut))
                best = max(best, RULES.consonant_base + RULES.consonant_scale * fuzzy)
    if not best:
        return None
    return best * (1.0 - 1.0 / max(len(a), len(b))), "fuzzy"


# what dropped_on_variant gives at most (a word of many letters): a pair scoring this
# already is not asked
_DROPPED_VARIANT_MOST = RULES.east_slavic_sim
_DROPPED_VARIANT_LETTERS = 64  # longer words are left alone (the kernel's buffer)
# the edits dropped_read_back reads: the letter left out, and one the variant writes otherwise
# (ee for i, g for j, a letter written twice); fewer are the edit rules', more another name
_READ_BACK_EDITS = 2
# what dropped_read_back gives at most (a key's similarity less a letter left out, in a word
# of many letters): a pair scoring this already is not asked
_READ_BACK_MOST = RULES.phonetic_sim
# a letter left out changes a key by this many edits at most, in the words the rule reads
# (a vowel between two letters the key writes once: three); keys further apart, or begun
# otherwise (a slip at the start is start_slip's), are not asked: each letter left out is a
# key to make, and the score bound asks this of many pairs
_DROPPED_VARIANT_KEY_EDITS = 3


def _differing(x: str, y: str) -> range:
    """The letters of ``y`` (as long as ``x`` or longer) after the beginning the two words
    share and before their shared end: where a letter ``x`` lacks may have been left out."""
    start, end = _shared_ends(x, y)
    return range(start, len(y) - end)


def dropped_on_variant(a: str, b: str) -> tuple[float, str] | None:
    """A letter left out of a spelling variant: one word, with one of its letters (where the
    two words differ) left out, shares the other's east-Slavic key ("Svyatslav" /
    Sviataslau: sviatslau; "Rostslav" / Rastsislau: rassislau). The key erases how the
    Russian, Belarusian and Ukrainian romanisations write a name; a letter left out before
    it changes what it reads (a letter of a group it reads, ts, kh, or a vowel between two
    letters it writes once), so the keys of the words as written can be more than one slip
    apart, which :func:`slipped_variant` asks. Not the phonetic key: it folds vowels and y
    so freely that a surname one consonant short of another reads as a slip (Shiyan /
    Sheyman: si-an). Not the last letter: a word one letter longer at its end has another
    ending (Sancho / Sanchez, as :func:`one_slip` says). Letters only, both words
    ``RULES.variant_letters`` long or longer, their lengths two letters apart at most, more
    than one edit apart (one edit is the other rules'), with an edit similarity of min_sim
    at least once the slip's edit is forgiven (the score bound counts such words pairable:
    ``_prune.pxi: _pairs``). The variant's similarity times 1 - 1 / the longer word's
    letters, below the variant without the slip, as :func:`slipped_variant` scores."""
    if not (a.isascii() and a.isalpha() and b.isascii() and b.isalpha()) \
            or min(len(a), len(b)) < RULES.variant_letters \
            or abs(len(a) - len(b)) > _SLIP_LENGTHS \
            or max(len(a), len(b)) > _DROPPED_VARIANT_LETTERS:
        return None
    longest = max(len(a), len(b))
    edits = OSA.distance(a, b)
    key_a, key_b = east_slavic_key(a), east_slavic_key(b)
    if edits < 2 or 1.0 - (edits - 1) / longest < RULES.min_sim or key_a[0] != key_b[0] \
            or OSA.distance(key_a, key_b) > _DROPPED_VARIANT_KEY_EDITS:
        return None
    for x, y in ((a, b), (b, a)):
        if len(y) < len(x):
            continue
        slavic = east_slavic_key(x)
        for i in _differing(x, y):
            if i == len(y) - 1:  # its last letter: another ending (Sancho / Sanchez)
                continue
            cut = y[:i] + y[i + 1:]
            if len(cut) >= RULES.variant_letters and east_slavic_key(cut) == slavic:
                return RULES.east_slavic_sim * (1.0 - 1.0 / longest), "fuzzy"
    return None


def dropped_read_back(a: str, b: str) -> tuple[float, str] | None:
    """A letter left out of a spelling variant that a key reads: one word (as long as the
    other or shorter), with one of the other word's letters put back before one of its
    own where the two differ (after the letters they begin with alike, before those they
    end with alike; the letter one of those the other writes there, not one beside the
    same letter: a letter written twice, no key's), reads as the other by its phonetic key
    ("Khaeel" / Khalil: khaleel, ee read i; "Chchi" / Chuchy: chuchi), by g for j ("Ajib"
    / Nagib: najib, the first letter left out) or with a letter written twice in one of
    the two ("Ayaz" / Fayyaz: fayaz). The
    letter left out breaks what the rule reads (the key reads ee as i no longer once the l
    between is gone; a word without its first letter shares none of its keys), and the
    plain edits then price the spelling variant and the slip as two look-alike edits (0.48
    to 0.67), below what either costs alone. Not a letter put back after the last (another
    ending, as every slip rule says), nor words one edit apart (a plain letter left out,
    replaced or swapped: the edit rules') or more than two (the letter left out and one
    edit of the variant: ee for i counts one against a letter typed for another, g for j
    one, a letter written twice one), nor a reading that is the other word as written
    (:func:`dropped_letter`'s). A reading counts only where its rule reads it closer to the
    other word than the edits of its letters or keys do (:func:`_edit_sim`), as
    :func:`swapped_variant` asks. Not the east-Slavic key (:func:`dropped_on_variant`'s:
    with a letter put back anywhere it folds words as far apart as Thanh / Chang, tchanh)
    nor the consonant rule (:func:`dropped_consonant`'s: with a consonant put back the
    vowels are free, Bento / Bueno). The word read back is ``RULES.short_token`` letters
    or longer, both ASCII letters, their lengths two apart at most and their edit
    similarity min_sim at least (the score bound pairs them so at min_sim; at a higher cut
    it asks the rule: ``_prune.pxi: _pairs``). The reading's similarity times 1 -
    ``RULES.dropped_edit`` / the longer word's letters (the reading's, when it is the
    longer): what a letter left out costs (:func:`dropped_letter`), below the variant
    without the slip. Not in a name written in an abjad (token_similarity passes
    ``abjad``): its words are skeletons already."""
    if not (a.isascii() and a.isalpha() and b.isascii() and b.isalpha()) \
            or abs(len(a) - len(b)) > _SLIP_LENGTHS \
            or min(len(a), len(b)) < RULES.short_token \
            or max(len(a), len(b)) >= _DROPPED_VARIANT_LETTERS:
        return None
    edits = OSA.distance(a, b)
    if edits != _READ_BACK_EDITS or 1.0 - edits / max(len(a), len(b)) < RULES.min_sim:
        return None
    best = 0.0
    for x, y in ((a, b), (b, a)):
        if len(x) > len(y):
            continue
        key = phonetic_key(y)
        start, end = _shared_ends(x, y)
        letters = tuple(dict.fromkeys(y[start:len(y) - end]))
        # where the two differ, and not after its last letter: another ending
        for at in range(start, min(len(x) - end, len(x) - 1) + 1):
            for letter in letters:
                if letter == x[at] or (at and letter == x[at - 1]):
                    continue  # a letter written twice: the doubled rule's, and no key's
                reading = x[:at] + letter + x[at:]
                if reading == y:
                    continue
                sim = _read_back_sim(reading, y, key)
                if sim:
                    best = max(best, sim * (1.0 - RULES.dropped_edit
                                            / max(len(reading), len(y))))
    return (best, "fuzzy") if best else None


def _shared_ends(x: str, y: str) -> tuple[int, int]:
    """How many letters ``x`` and ``y`` (as long or longer) begin with alike, and how many
    of ``x``'s others they end with alike."""
    start = 0
    while start < len(x) and x[start] == y[start]:
        start += 1
    end = 0
    while end < len(x) - start and x[-1 - end] == y[-1 - end]:
        end += 1
    return start, end


def _read_back_sim(reading: str, y: str, key: str) -> float:
    """What :func:`dropped_read_back` reads ``reading`` (a word with a letter put back) as
    against ``y`` (its phonetic key ``key``): by the phonetic key, g for j, or a letter
    written twice in one of the two; 0 when none, or not above the edits' reading."""
    if phonetic_key(reading) == key or egyptian_g(reading, y):
        sim = RULES.phonetic_sim
    elif doubled(reading, y):
        sim = RULES.doubled_sim
    else:
        return 0.0
    return sim if sim > _edit_sim(reading, y) else 0.0


@lru_cache(maxsize=524288)
def token_similarity(a: str, b: str, abjad: int = True,
                     without_vowels: bool = True, slips: bool = True) -> tuple[float, str]:
    """(similarity in [0, 1], method) for two normalised tokens; symmetric.

    ``abjad``: one of the names is written in an abjad script (Arabic, Persian, Hebrew), so
    a vowel-less token is a transliteration to compare by consonants, not an acronym
    (:data:`BARE`: the query is a Latin name written without its vowels, read so too);
    ``without_vowels``: a Latin word without vowels may be the other written so (align
    says no for an organisation's words of three letters: "SMN" is an acronym);
    ``slips``: also the rules for a slip besides the spelling (:func:`variant_similarity`).
    """
    if a == b:
        return 1.0, "exact"
    if len(a) == 1 or len(b) == 1:
        if a[0] == b[0] and a.isalpha() and b.isalpha():
            return RULES.initial_sim, "initial"
        return 0.0, "none"
    if a.isdigit() or b.isdigit():
        return 0.0, "none"
    if doubled(a, b):
        # not in an abjad's skeleton: two letters a vowel kept apart (lyl, Layla)
        return (RULES.initial_twice_sim if not abjad and (
            initial_twice(a, b) or typed_thrice(a, b)) else RULES.doubled_sim, "phonetic")
    if different_names(a, b):
        # two known given names of two names (Alejandro / Alejandra, Ahmed / Mohamed): a
        # reviewer reads two people, but a slip lands on another name too (Marina typed
        # Maria): a cost, not a zero (a letter typed twice, the commonest slip, is forgiven
        # above: Michele / Michelle)
        return two_names(spelled_similarity(a, b, abjad, without_vowels, slips))
    return spelled_similarity(a, b, abjad, without_vowels, slips)


def two_names(found: tuple[float, str]) -> tuple[float, str]:
    """The similarity two different known given names keep: their letters' similarity, at
    most :attr:`~discreet.match.rules.Rules.two_names_sim` (a look-alike, not a variant),
    so that with the rest of a name agreeing a slip onto another name still alerts."""
    return min(found[0], RULES.two_names_sim), found[1]


def spelled_similarity(a: str, b: str, abjad: int, without_vowels: bool,
                       slips: bool = True) -> tuple[float, str]:
    """(similarity, method) of two tokens by the spelling rules (phonetic key, spelling
    variants, edit distance, skeletons, typing slips when ``slips``): token_similarity's
    rules after the exact, initial, digit and doubled-letter ones."""
    ka, kb = phonetic_key(a), phonetic_key(b)
    if ka == kb:
        return RULES.phonetic_sim, "phonetic"
    found = _spelling(a, b)
    if found is not None:
        return found
    # a swap inside the words as written is priced as a slip (_swap_edit), not in an abjad
    # or in a Latin name written without vowels, whose words are skeletons
    written = not abjad
    fuzzy = _fuzzy(ka, kb, written and ka == a and kb == b)
    if ka != a or kb != b:
        fuzzy = max(fuzzy, _fuzzy(a, b, written))
    skel = _skeleton_sim(a, b, fuzzy, abjad)
    # an abjad transliteration's w and y are long vowels the other token must write
    vowelless = 0.0 if not without_vowels or (abjad and _matres_unmatched(a, b)) \
        else _vowelless_sim(a, b, abjad)
    # a Latin query's word without vowels is read so before its consonants when the two
    # agree (the rules for one-word brands and acronyms know the method)
    if vowelless > fuzzy and (vowelless > skel or (abjad == BARE and vowelless == skel)):
        found = vowelless, "vowelless"
    else:
        found = (skel, "skeleton") if skel > fuzzy else (fuzzy, "fuzzy")
    if not slips:
        return found
    twice = typed_twice(a, b)
    if twice is not None and twice[0] > found[0]:
        found = twice
    slipped = slipped_variant(a, b)
    if slipped is not None and slipped[0] > found[0]:
        found = slipped
    started = start_slip(a, b)
    if started is not None and started[0] > found[0]:
        found = started
    dropped = None if abjad else dropped_letter(a, b)
    if dropped is not None and dropped[0] > found[0]:
        found = dropped
    dropped = None if abjad else dropped_first(a, b)
    if dropped is not None and dropped[0] > found[0]:
        found = dropped
    dropped = None if abjad else dropped_consonant(a, b)
    if dropped is not None and dropped[0] > found[0]:
        found = dropped
    dropped = None if abjad or found[0] >= _DROPPED_VARIANT_MOST else dropped_on_variant(a, b)
    if dropped is not None and dropped[0] > found[0]:
        found = dropped
    dropped = None if abjad or found[0] >= _READ_BACK_MOST else dropped_read_back(a, b)
    return dropped if dropped is not None and dropped[0] > found[0] else found


def variant_similarity(a: str, b: str, abjad: int = True) -> tuple[float, str]:
    """:func:`token_similarity` without the rules for a slip besides the spelling (a letter
    typed twice, dropped or swapped on a variant, a slip at the start) and without reading
    a word as written without its vowels (an organisation's short word so written is an
    acronym, align says): how alike two words are as spellings of one name."""
    return token_similarity(a, b, abjad, without_vowels=False, slips=False)


_SYLLABLE_KEYS = {"han": chinese_key, "hangul": korean_key}


@lru_cache(maxsize=65536)
def syllable_similarity(a: str, b: str, script: str) -> tuple[float, str]:
    """(similarity, method) of two tokens when one name is written in Chinese characters
    (``script`` "han") or Korean Hangul ("hangul").

    Each character is a syllable the other name spells in one of a few romanisations
    (pinyin or Wade-Giles, :func:`~discreet.text.phonetic.chinese_key`; Revised, McCune-
    Reischauer or customary, :func:`~discreet.text.phonetic.korean_key`); syllables that
    merely look alike are different names (xie / shi, yan / jian, sang / song, yang / jang),
    so edit distance and the European phonetic rules (j read as y) do not apply.
    """
    if a == b:
        return 1.0, "exact"
    if (len(a) == 1 and a not in _VOWELS) or (len(b) == 1 and b not in _VOWELS):
        # a consonant alone is an initial; a vowel alone is a whole syllable (이 I, 오 O)
        if a[0] == b[0] and a.isalpha() and b.isalpha():
            return RULES.initial_sim, "initial"
        return 0.0, "none"
    key = _SYLLABLE_KEYS[script]
    if key(a) == key(b):
        return RULES.phonetic_sim, "phonetic"
    return 0.0, "none"


# -- a foreign name written in Chinese characters by its sounds (text.scripts.transcribed) ---
# Chinese writes a foreign name with the syllables nearest its sounds: one stop for b and p,
# d and t, g and k; l for l and r (er for a final r); f or w for v; j, q, x, z, c, s, zh, ch,
# sh for the hissing sounds; a nasal for m, n, ng; a vowel after every consonant that closes
# a syllable (Barack: bei-la-ke; Trump: te-lang-pu; Lavrov: la-fu-luo-fu). Each spelling
# reduced to those classes (vowels, h and the glide y left out, a class written once in a
# row) leaves the same consonants: beilake and barack both p-l-k.
_PINYIN_CLASSES = {**dict.fromkeys("bp", "p"), **dict.fromkeys("dt", "t"),
                   **dict.fromkeys("gk", "k"), **dict.fromkeys("jqxzcs", "s"),
                   **dict.fromkeys("fw", "f"), **dict.fromkeys("lr", "l"),
                   **dict.fromkeys("mn", "n")}
_LATIN_CLASSES = {**dict.fromkeys("bp", "p"), **dict.fromkeys("dt", "t"),
                  **dict.fromkeys("gkq", "k"), **dict.fromkeys("sjz", "s"),
                  **dict.fromkeys("fvw", "f"), **dict.fromkeys("lr", "l"),
                  **dict.fromkeys("mn", "n")}
_TRANSCRIPTION_LETTERS = 64  # longer words are no names' (the kernel's buffer)


def transcription_key(word: str, pinyin: bool) -> str:
    """``word``'s consonants as Chinese transcription tells them apart (see above): the
    reading of a name written in Han characters (``pinyin``: c, q, x are hissing sounds) or
    a Latin spelling (c a k but before e, i, y; ch and sh hissing, ph f, x k-s). "" for a
    word of other characters than ASCII letters, or of _TRANSCRIPTION_LETTERS or more."""
    if not (word.isascii() and word.isalpha()) or len(word) >= _TRANSCRIPTION_LETTERS:
        return ""
    out = ""
    n = len(word)
    for i, c in enumerate(word):
        after = word[i + 1] if i + 1 < n else ""
        if c == "g" and i and word[i - 1] == "n":
            continue  # ng: one nasal
        if pinyin:
            found = _PINYIN_CLASSES.get(c, "")
        elif c == "c":
            found = "s" if after in ("e", "i", "y", "h") else "k"
        elif c == "p" and after == "h":
            found = "f"
        elif c == "x":
            found = "ks"
        else:
            found = _LATIN_CLASSES.get(c, "")
        for letter in found:
            if not out or out[-1] != letter:
                out += letter
    return out


def _transcribed_apart(a: str, b: str) -> bool:
    """``a`` and ``b`` are one letter put in, left out or typed for another apart."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return len(longer) == len(shorter) + 1 and any(
        longer[:k] + longer[k + 1:] == shorter for k in range(len(longer)))


def transcription_similarity(reading: str, latin: str) -> float:
    """How the reading of a word written in Han characters by its sounds (``reading``:
    "beilake") is that Latin word (``latin``: "barack"): transcribed_sim when their
    consonants (:func:`transcription_key`) are the same, three or more; transcribed_near_sim
    when one apart, of three or more on one side (Chinese tables keep irregular syllables:
    普京 pu-jing for Putin); else 0. Two consonants say too little of a name."""
    a, b = transcription_key(reading, True), transcription_key(latin, False)
    if not a or not b:
        return 0.0
    if a == b and len(a) >= RULES.transcribed_letters:
        return RULES.transcribed_sim
    if max(len(a), len(b)) >= RULES.transcribed_letters and _transcribed_apart(a, b):
        return RULES.transcribed_near_sim
    return 0.0
