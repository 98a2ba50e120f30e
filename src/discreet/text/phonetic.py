"""Phonetic keys that fold romanisation variants of one name together.

One Cyrillic, Arabic or Korean name reaches the lists in many Latin spellings: ICAO, BGN/PCGN,
French, German and Scandinavian systems (Vladimirovich, Vladimirovitch, Wladimirowitsch,
Vladimirovitj), English and French Arabic (Mohammed, Muhammad, Mohamad). :func:`phonetic_key`
rewrites the letter groups those systems use for one sound to one symbol. :func:`skeleton` keeps
only consonant classes, for scripts that write no short vowels (Arabic, Persian, Hebrew).
"""

from __future__ import annotations

import re
from functools import lru_cache

from discreet.text import _phonetic as _compiled

__all__ = ["abjad_other_skeletons", "abjad_skeleton", "abjad_spellings", "abjad_written",
           "consonants", "east_slavic_key", "phonetic_key", "reference_abjad_skeleton",
           "reference_consonants", "reference_east_slavic_key", "reference_other_skeletons",
           "reference_phonetic_key", "reference_swap_keys", "skeleton", "swap_keys",
           "word_keys"]

# Ordered: longer letter groups first. Upper-case letters are placeholders for one sound
# (C = the "ch" of Chekhov, S = the "sh" of Shostakovich, Z = the "zh" of Zhukov) so that the
# single-letter rules below do not rewrite them again.
_GROUPS: tuple[tuple[str, str], ...] = (
    ("shch", "S"), ("sch", "S"), ("tsch", "C"), ("tch", "C"), ("tsh", "C"), ("dzh", "J"),
    ("dj", "J"), ("zh", "Z"), ("sh", "S"), ("sz", "S"), ("sj", "S"), ("cz", "C"), ("ch", "C"),
    ("tj", "C"), ("kh", "H"), ("gh", "G"), ("ph", "F"), ("th", "T"), ("dh", "D"), ("ck", "K"),
    ("tz", "Z"), ("ts", "Z"), ("ks", "X"),
)
# x is ks, as the group ks is (Maxim / Maksim, Aleksandr / Alexander): one pass of
# str.translate does not rewrite what it wrote, so x maps to the letters, not to X
_LETTERS = str.maketrans({
    "c": "k", "q": "k", "x": "ks", "w": "v", "j": "i", "y": "i", "z": "s",
    "C": "c", "S": "s", "Z": "s", "J": "i", "H": "h", "G": "g", "F": "f", "T": "t", "D": "d",
    "K": "k", "X": "ks",
})
# "iee" first: a j or y read as i before "ee" would take the "ie" and leave an e (Wajeeh,
# Majeed against Wajih, Majid)
_VOWEL_GROUPS: tuple[tuple[str, str], ...] = (
    ("iee", "ii"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "i"), ("ie", "i"),
    ("ue", "u"), ("oe", "o"), ("ae", "e"), ("eu", "u"), ("eo", "o"),
)
_DOUBLE = re.compile(r"(.)\1+")
_GROUP_RE = re.compile("|".join(re.escape(g) for g, _ in _GROUPS))
_GROUP_MAP = dict(_GROUPS)
# A vowel-less (abjad) transliteration writes a letter group for one sound only where one
# abjad letter is written with two Latin ones (sh, kh, th, dh, gh, ch); every other group is
# two letters there: ``tsm`` is t-s-m, ``szmn`` s-z-m-n. "zh" is z then h far more often than
# Persian zhe: ``zhd`` is Zahed.
ABJAD_GROUPS = frozenset({"sh", "kh", "th", "dh", "gh", "ch"})
_ABJAD_GROUP_RE = re.compile("|".join(re.escape(g) for g, _ in _GROUPS if g in ABJAD_GROUPS))
_VOWEL_RE = re.compile("|".join(re.escape(g) for g, _ in _VOWEL_GROUPS))
_VOWEL_MAP = dict(_VOWEL_GROUPS)
_VOWELS = frozenset("aeiou")
_CLASSES = str.maketrans({"g": "k", "d": "t", "b": "p", "v": "f", "w": "f", "z": "s", "c": "s"})


@lru_cache(maxsize=262144)
def phonetic_key(token: str) -> str:
    """Romanisation-folded form of a normalised token: ``wladimirowitsch`` -> ``vladimirovic``."""
    found = _compiled.phonetic_key(token)
    return reference_phonetic_key(token) if found is None else found


def reference_phonetic_key(token: str) -> str:
    """:func:`phonetic_key` by the rules as written here (the compiled one must agree)."""
    if not token.isalpha():
        return token
    if token[0] == "x" or (token.startswith("hs") and not _VOWELS.isdisjoint(token)):
        # pinyin x, Wade-Giles hs (not the h-s of a vowel-less Arabic transliteration: hsyn)
        token = "s" + token[2 if token[0] == "h" else 1:]
    groups = _GROUP_RE if not _VOWELS.isdisjoint(token) else _ABJAD_GROUP_RE
    text = groups.sub(lambda m: _GROUP_MAP[m.group(0)], token)
    text = text.translate(_LETTERS)
    text = _VOWEL_RE.sub(lambda m: _VOWEL_MAP[m.group(0)], text)
    text = _DOUBLE.sub(r"\1", text)
    if len(text) > 3 and text.endswith("h") and text[-2] in _VOWELS:
        text = text[:-1]
    return text


@lru_cache(maxsize=262144)
def consonants(token: str) -> str:
    """The consonants of the phonetic key, voiced and voiceless merged (g/k, d/t, b/p, v/f).

    ``muhammad``, ``mohamed`` and the Arabic-script ``mhmd`` all give ``mhmt``. The semi-vowels
    w/y/v are dropped too when the token has no vowel at all: abjad scripts write long vowels
    with them (``ms`wd`` is Masoud).
    """
    found = _compiled.consonants(token)
    return reference_consonants(token) if found is None else found


def reference_consonants(token: str) -> str:
    """:func:`consonants` by the rules as written here (the compiled one must agree)."""
    key = reference_phonetic_key(token)
    if not key.isalpha():
        return key
    vowelless = not any(c in _VOWELS for c in token)
    drop = _VOWELS | ({"i", "v", "u"} if vowelless else set())
    # A leading vowel is dropped too: abjad scripts often write it as a bare hamza or alif.
    return "".join(c for c in key if c not in drop).translate(_CLASSES)


_DJ = re.compile("dzh|dj")  # j as French and Russian romanisations write it (Djamal, Dzhamal)
# c before e or i, read s in the Romance languages (Feliciano, Vicente, Marcelo, Lucia): an
# abjad writes it with sin (فلسيانو, מרסלו), not kaf
_SOFT_C = re.compile("c(?=[ei])")
_SEMIVOWELS = _VOWELS | {"v"}  # in a phonetic key: w and v are "v", y and j are "i"


@lru_cache(maxsize=262144)
def abjad_skeleton(token: str) -> str:
    """The consonants an abjad (Arabic, Persian, Hebrew) spelling of the name would write.

    Those scripts write no short vowels, write long vowels with the letters also used for w
    and y, and write a doubled consonant once: ``فرناندو`` (``frnndw``) is Fernando,
    ``مروان`` (``mrwn``) Marwan, ``ولی جان`` Walijan. So vowels and the semi-vowels (w, y,
    and the v that Latin spellings use for w) are dropped on both sides, voiced and
    voiceless pairs merge, and a final h (ta marbuta, or the h Latin spellings add after a
    final vowel) is dropped: both ``فاطمة`` and ``Fatimah`` give ``ftm``. A Latin doubled
    letter is one consonant (Hassan: ``hsn``), but two consonants a vowel separates stay two
    (``ليلى`` Layla ``ll``, not the ``l`` of Al), and j is the consonant jim (Jalal ``jll``).
    """
    found = _compiled.abjad_skeleton(token)
    return reference_abjad_skeleton(token) if found is None else found


def _abjad_key(token: str) -> str:
    """The phonetic key an abjad skeleton is read from: j kept as a consonant (an abjad
    spelling writes jim, ``jll`` is Jalal; the phonetic key reads j as y), and a vowel-less
    token's letters never merged (two letters written are two consonants: ``bll`` is Bilal,
    ``lyl`` Layla), but for the article's l doubled before Allah (``bdllh``, Abdullah). In a
    vowelled token zh is z then h, as a vowel-less one reads it (ABJAD_GROUPS): Azhar and
    Mazhar are written with za and ha (``zhr``), and the zhe of Zhukov is written zh too; c
    before e or i is s (Feliciano ``flsn``)."""
    if _VOWELS.isdisjoint(token):
        if token.endswith("llh"):
            token = token[:-2] + "h"
        if token[0] == "x":
            token = "s" + token[1:]
        text = _ABJAD_GROUP_RE.sub(lambda m: _GROUP_MAP[m.group(0)], token.replace("j", "Q"))
        return text.translate(_LETTERS)
    return reference_phonetic_key(_SOFT_C.sub("s", _DJ.sub("j", token)).replace("j", "Q")
                                  .replace("zh", "zH"))


def reference_abjad_skeleton(token: str) -> str:
    """:func:`abjad_skeleton` by the rules as written here (the compiled one must agree)."""
    if not token.isalpha():
        return token
    out = "".join(c for c in _abjad_key(token) if c not in _SEMIVOWELS).translate(_CLASSES)
    out = out.replace("Q", "j")
    return out[:-1] if len(out) > 2 and out.endswith("h") else out


# an abjad's two letters side by side (t, d, s, k or g, then ha or ha'), which its Latin
# transliteration writes as the group one letter is written with: تح in اتحاد (Ittihad) is
# "th", as ث is; سه in سهيل (Suhail) "sh", as ش is; كة in بركة (Baraka) "kh", as خ is
_TWO_LETTERS = re.compile(r"(?<=[tdskg])h")
_SPLIT_GROUPS = 4  # groups read either way in a token at most (the first ones)


@lru_cache(maxsize=262144)
def abjad_other_skeletons(token: str) -> tuple[str, ...]:
    """The other readings of a vowel-less (abjad) transliteration's letter groups th, dh,
    sh, kh and gh, each one letter or two, the second ha (``thd``, اتحاد, is ``tht`` as
    Ittihad is, where :func:`abjad_skeleton` reads ث: ``tt``; ``shbkh``, شبكة, is ``spk``
    as Shabaka is: ش, then ك and ta marbuta): the skeletons that differ from
    :func:`abjad_skeleton`'s, in a fixed order. None for a token with vowels (a Latin
    spelling writes a vowel between two letters, or the group for one) or no such group.
    A token of lowercase ASCII letters in one compiled call (``_phonetic.other_skeletons``);
    any other by :func:`reference_other_skeletons`."""
    found = _compiled.other_skeletons(token, _SPLIT_GROUPS)
    return reference_other_skeletons(token) if found is None else found


def reference_other_skeletons(token: str) -> tuple[str, ...]:
    """:func:`abjad_other_skeletons` by the rule as written here (the compiled one must
    agree: ``tests/text/test_other_skeletons.py``)."""
    if not token.isalpha() or not _VOWELS.isdisjoint(token):
        return ()
    places = [m.start() for m in _TWO_LETTERS.finditer(token)][:_SPLIT_GROUPS]
    if not places:
        return ()
    first = abjad_skeleton(token)
    out: dict[str, None] = {}
    for chosen in range(1, 1 << len(places)):
        # a group read as two letters: its h written H, which no group begins (h once read;
        # such spellings are no words: not kept in the skeletons' cache)
        letters = list(token)
        for bit, at in enumerate(places):
            if chosen >> bit & 1:
                letters[at] = "H"
        out[abjad_skeleton.__wrapped__("".join(letters))] = None
    out.pop(first, None)
    return tuple(out)


_MATRES_OF = {"e": "i", "i": "i", "o": "v", "u": "v"}  # phonetic-key vowels an abjad may write
_MAX_SPELLINGS = 16  # abjad spellings kept per word (a short word has a handful)


def _written(letters: str) -> str:
    """An abjad spelling's letters as :func:`abjad_spellings` compares them: consonants in
    their voiced/voiceless classes (j the jim), i for ya / yod and v for waw / vav, a letter
    written twice once, and a final h (ta marbuta, or the h Latin spellings add) dropped
    after two letters, as :func:`abjad_skeleton` drops it."""
    out = _DOUBLE.sub(r"\1", "".join(
        c if c in "iv" else c.translate(_CLASSES) for c in letters)).replace("Q", "j")
    return out[:-1] if len(out) > 2 and out.endswith("h") else out


@lru_cache(maxsize=262144)
def abjad_written(token: str) -> str:
    """A vowel-less (abjad) transliteration as it is written, long vowels included: ``ywb``
    (ایوب) gives ``ivp``, ``yr`` (یار) ``ir``. The key of a short word, which its
    :func:`abjad_skeleton` alone (``p``, ``r``) cannot tell from hundreds of others."""
    if not token.isalpha() or not _VOWELS.isdisjoint(token):
        return ""
    return _written(_abjad_key(token))


@lru_cache(maxsize=262144)
def abjad_spellings(token: str) -> tuple[str, ...]:
    """The ways an abjad (Arabic, Persian, Hebrew) may write a vowelled Latin word, as
    :func:`abjad_written` reads them: its consonants, with each run of vowels written with
    the matres lectionis it may stand for (ya for i and e, waw for o, u and a written w or
    v: ``ayyub`` gives ``ivp``, the ``ywb`` of ایوب, among ``p``, ``ip``, ``vp``) or not
    written (short vowels, alif, ain); a final a may be the alif maqsura written ya (Isa,
    ``ysy``). Empty for words without vowels or letters other than a-z; at most
    _MAX_SPELLINGS, in a fixed order."""
    if not token.isascii() or not token.isalpha() or _VOWELS.isdisjoint(token):
        return ()
    key = _abjad_key(token)
    parts: list[tuple[str, ...]] = []
    run = ""
    for i, c in enumerate(key + "|"):
        if c in _SEMIVOWELS:
            run += c
            continue
        if run:
            parts.append(_run_writings(run, final=c == "|" and i > len(run)))
            run = ""
        if c != "|":
            parts.append((c,))
    spellings: dict[str, None] = {"": None}
    for options in parts:
        spellings = dict.fromkeys(s + o for s in spellings for o in options)
        if len(spellings) > 4 * _MAX_SPELLINGS:
            break
    out = dict.fromkeys(_written(s) for s in spellings)
    out.pop("", None)
    return tuple(out)[:_MAX_SPELLINGS]


def _run_writings(run: str, final: bool) -> tuple[str, ...]:
    """What an abjad writes for one run of vowels (and w, v) of a Latin spelling: any of
    the matres its vowels stand for, in order; a v (w, v) always, as a consonant; a final
    a after a consonant (``final``) also as ya, the alif maqsura."""
    options = [""]
    for c in run:
        if c == "v":
            options = [o + "v" for o in options]
        elif c in _MATRES_OF:
            options += [o + _MATRES_OF[c] for o in options]
    if final and run == "a":
        options.append("i")
    return tuple(dict.fromkeys(_DOUBLE.sub(r"\1", o) for o in options))


def skeleton(token: str) -> str:
    """Alias of :func:`consonants` for readers who know the term from Arabic name matching."""
    return consonants(token)


# Belarusian and Ukrainian spellings of a name against its Russian spelling: Belarusian writes
# unstressed o as a (akanye: Rastsislau), soft t and d as ts and dz (Tsertsel, Dzmitry), g as
# h (Siarhei), e after a soft consonant as ia (Sviatlana), and a final or pre-consonant v as
# u (Zakharau, Guseu, Rastsislavauna) and initial vl as ul (Uladzimir), and Nikolai is
# Mikalai; Ukrainian writes g as h too (Oleh, Ihor). Belarusian ch, sh, zh and ts are always
# hard: the e Russian writes after them is e (э), which akanye writes a when unstressed
# (Charnavus for Chernovus, Shautsou for Shevtsov, Zaitsau for Zaitsev); not after a ts
# that begins a word or follows a consonant, which writes a soft t (Tsertsel for Tertel).
_EAST_SLAVIC = (
    (re.compile(r"(?:(?<=[aeiou]ts)|(?<=[csz]h))e"), "a"),  # Charhinets, Zaitsau
    (re.compile(r"(?<=[aeiou])u(?=[bcdfghjklmnpqrstvwxz]|$)"), "v"),  # Zakharau, Viktaravich
    (re.compile(r"^u(?=l[aeiou])"), "v"),  # Uladzimir, Uladzislau
    (re.compile(r"dz(?!h)"), "d"),  # Dzmitry
    (re.compile(r"ts(?=[iey])|(?<=[aeiou])ts(?=[aeiou])"), "t"),  # Tsertsel, Rastsislau
    (re.compile(r"(?<![kszcgtdp])h"), "g"),  # Siarhei, Oleh
    (re.compile(r"[iy][ae]"), "e"),  # Sviatlana, Aliaksei
    (re.compile(r"^mikal(?=a)"), "nikol"),  # Mikalai, Mikalaevich: Nikolai, Nikolaevich
)


@lru_cache(maxsize=262144)
def east_slavic_key(token: str) -> str:
    """A key shared by the Russian, Belarusian and Ukrainian romanisations of one name:
    ``sviatlana`` and ``svetlana``, ``zakharau`` and ``zakharov`` (vowels a and o merged)."""
    found = _compiled.east_slavic_key(token)
    return reference_east_slavic_key(token) if found is None else found


def word_keys(token: str, slavic: bool) -> tuple[bytes, bytes, bytes, bytes]:
    """:func:`phonetic_key`, :func:`east_slavic_key` (``slavic``; else empty),
    :func:`consonants` and :func:`abjad_skeleton` of an ASCII token, as bytes: what the
    matcher's compiled tables read of each query word, computed in one call (not cached:
    a query's new words and word pairs are met once)."""
    found = _compiled.token_keys(token, slavic)
    if found is not None:
        return found
    return (phonetic_key(token).encode("ascii"),
            east_slavic_key(token).encode("ascii") if slavic else b"",
            consonants(token).encode("ascii"), abjad_skeleton(token).encode("ascii"))


SwapKeys = tuple[tuple[int, str, str | None, str | None], ...]


def swap_keys(token: str, slavic: str | None, skeleton: str) -> SwapKeys:
    """The keys of ``token`` read with two neighbouring letters swapped, for each place i
    where the two differ, in order: (i, the reading's :func:`phonetic_key`, ``slavic`` + its
    :func:`east_slavic_key` — when ``slavic`` is given and the word has a vowel — or None,
    ``skeleton`` + its :func:`abjad_skeleton` — when the two letters are consonants — or
    None). One compiled call for every reading of an ASCII word (the swap rule asks these of
    each query word no list word writes; key by key, each reading's string and cached keys
    cost more than the rest of the rule); :func:`reference_swap_keys` for any other."""
    found = _compiled.swap_keys(token, slavic, skeleton)
    return reference_swap_keys(token, slavic, skeleton) if found is None else found


def reference_swap_keys(token: str, slavic: str | None, skeleton: str) -> SwapKeys:
    """:func:`swap_keys` by the reference keys of each reading (the compiled one must
    agree)."""
    out = []
    vowels = not _VOWELS.isdisjoint(token)
    for i in range(len(token) - 1):
        x, y = token[i], token[i + 1]
        if x == y:
            continue
        back = token[:i] + y + x + token[i + 2:]
        out.append((i, reference_phonetic_key(back),
                    slavic + reference_east_slavic_key(back) if slavic is not None and vowels
                    else None,
                    skeleton + reference_abjad_skeleton(back)
                    if x not in _VOWELS and y not in _VOWELS else None))
    return tuple(out)


def reference_east_slavic_key(token: str) -> str:
    """:func:`east_slavic_key` by the rules as written here (the compiled one must agree)."""
    if not token.isalpha() or _VOWELS.isdisjoint(token):
        return token
    text = token
    for pattern, repl in _EAST_SLAVIC:
        text = pattern.sub(repl, text)
    return reference_phonetic_key(text).replace("a", "o")


# Pinyin against Wade-Giles (older lists, Taiwan) once apostrophes and umlauts are gone: one
# initial written two ways is one letter here (zh, ch, j, q: Wade-Giles ch; z, c: ts, tz;
# x: hs; b/p, d/t, g/k: Wade-Giles writes the voiceless letter for both), then the finals
# the two systems spell apart (ung / ong, ien / ian, ieh / ie, ih / i, uei / ui, kuo / guo,
# ko / ge; and lee for li).
_CHINESE_INITIALS = (("zh", "j"), ("ch", "j"), ("tz", "z"), ("ts", "z"), ("hs", "x"),
                     ("sz", "s"), ("ss", "s"), ("q", "j"), ("c", "z"), ("b", "p"), ("d", "t"),
                     ("g", "k"))
# the same by the letters they begin with (each two-letter one is tried before one letter)
_CHINESE_BY_TWO = {written: sound for written, sound in _CHINESE_INITIALS if len(written) == 2}
_CHINESE_BY_ONE = {written: sound for written, sound in _CHINESE_INITIALS if len(written) == 1}
_CHINESE_FINALS = ((re.compile(r"ung$"), "ong"), (re.compile(r"ien$"), "ian"),
                   (re.compile(r"eh$"), "e"), (re.compile(r"(?<=[jsrh])ih$"), "i"),
                   (re.compile(r"ee$"), "i"), (re.compile(r"uei$"), "ui"),
                   (re.compile(r"uo$"), "o"), (re.compile(r"(?<=^[ptkhlzjsrxmnf])e$"), "o"))


@lru_cache(maxsize=65536)
def chinese_key(token: str) -> str:
    """One key for the pinyin and Wade-Giles spellings of a Chinese syllable: ``zhang`` and
    ``chang``, ``xie`` and ``hsieh``, ``zhong`` and ``chung``, ``guo`` and ``kuo`` agree;
    different syllables (``xie`` / ``shi``, ``yan`` / ``jian``) keep different keys."""
    text = token
    if text.startswith("j") and not text.startswith(("ji", "ju")):
        text = "r" + text[1:]  # Wade-Giles j is pinyin r (jen: ren)
    elif (sound := _CHINESE_BY_TWO.get(text[:2])) is not None:
        text = sound + text[2:]
    elif (sound := _CHINESE_BY_ONE.get(text[:1])) is not None:
        text = sound + text[1:]
    if "\n" in text:  # "$" matches before a last newline too: the expressions' own way
        for pattern, repl in _CHINESE_FINALS:
            text = pattern.sub(repl, text)
        return text
    return _chinese_finals(text)


def _chinese_finals(text: str) -> str:
    """_CHINESE_FINALS applied in turn, as string tests (a word's key is made for every
    word of an index: a million at a million entities)."""
    if text.endswith("ung"):
        text = text[:-3] + "ong"
    if text.endswith("ien"):
        text = text[:-3] + "ian"
    if text.endswith("eh"):
        text = text[:-2] + "e"
    if text.endswith("ih") and len(text) > 2 and text[-3] in "jsrh":
        text = text[:-2] + "i"
    if text.endswith("ee"):
        text = text[:-2] + "i"
    if text.endswith("uei"):
        text = text[:-3] + "ui"
    if text.endswith("uo"):
        text = text[:-2] + "o"
    if len(text) == 2 and text[1] == "e" and text[0] in "ptkhlzjsrxmnf":
        text = text[0] + "o"
    return text


# Korean romanisations of one syllable: Revised Romanisation (eo, eu; g, d, b, j), McCune-
# Reischauer without its breves and apostrophes (o, u; k, t, p, ch), and customary spellings
# (oo, ee, ou: Young; Lee, Sung, Chul, Oh). Vowels o and u are one (eo, o and u all write
# some of them); an initial r or l is dropped, as South Korean spelling drops it (Ri / Yi /
# Lee, Ryong / Yong, Rim / Lim / Im).
_KOREAN_VOWELS = (("eo", "o"), ("eu", "u"), ("oo", "u"), ("ou", "o"), ("ee", "i"), ("u", "o"))
_KOREAN_CONSONANTS = str.maketrans({"g": "k", "d": "t", "b": "p", "j": "c", "r": "l"})


@lru_cache(maxsize=65536)
def korean_key(token: str) -> str:
    """One key for the romanisations of a Korean syllable (or syllables written together):
    ``jeong``, ``jong``, ``chong`` and ``jung`` agree, ``pag`` and ``pak``, ``ri``, ``yi``
    and ``lee``; ``sang`` / ``song`` and ``yang`` / ``jang`` do not."""
    text = token.replace("ch", "c").replace("sh", "s")
    for written, sound in _KOREAN_VOWELS:
        text = text.replace(written, sound)
    if len(text) > 1 and text[0] in "rl" and text[1] in "aeiouyw":
        text = text[1:]
    if text.startswith("yi"):
        text = text[1:]
    if len(text) > 1 and text.endswith("h") and text[-2] in "aeiou":
        text = text[:-1]  # Oh, Ahn
    return text.translate(_KOREAN_CONSONANTS)


# the compiled keys apply the rules above (the regular expressions' tables, and the
# east-Slavic rules as code mirroring _EAST_SLAVIC)
_compiled.configure(_GROUPS, _LETTERS, _VOWEL_GROUPS, _CLASSES, ABJAD_GROUPS)
