"""Token alignment: which token of one name corresponds to which of the other.

Order is ignored ("PUTIN Vladimir" = "Vladimir PUTIN"). Exact tokens pair first (set work,
cheap); only the rest go through the similarity matrix, where adjacent tokens may also be
joined ("Abdul Rahman" / "Abdulrahman", "Patr ushev" / "Patrushev", "VladimirPutin"). Each
token is used once; the best pairs are taken first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from rapidfuzz.distance import OSA

from discreet.match.rules import RULES
from discreet.match.similarity import (
    BARE,
    latin_vowelless,
    opens_on_consonant,
    swapped_at,
    swapped_variant,
    syllable_similarity,
    token_similarity,
    transcription_similarity,
    vowel_skeleton,
)
from discreet.text.given_names import relation
from discreet.text.phonetic import abjad_skeleton

__all__ = ["ACRONYM_LENGTHS", "Alignment", "Pair", "Span", "acronym_runs", "align", "cut_sim",
           "cut_text", "join_spans", "prefix_of", "shifted_words", "spells_across"]

ACRONYM_LENGTHS = range(RULES.acronym_min, RULES.acronym_max + 1)
# words an acronym leaves out ("Banco Nacional de Cuba": BNC)
_UNSPELLED = frozenset({"of", "the", "and", "for", "de", "del", "la", "le", "des", "du", "di",
                        "da", "y", "et", "und", "fur", "i", "e", "al", "in", "on"})
_VOWELS = frozenset("aeiou")
_SPELLED_KINDS = frozenset({"name", "generic", "patronymic"})
# the company word a French, Spanish or Italian organisation's name begins with (Compagnie,
# Compañía, Corporación: the legal forms co and corp), which its acronym spells like the words
# after it (Compagnie Aérienne des Grands Lacs: CAGL; Corporación Andina de Fomento: CAF);
# other forms before the words (OOO, JSC) spell nothing
_LEADING_WORDS = frozenset({"co", "corp"})
# the legal forms whose first letter an acronym spells after the words it spells: the
# company words written out (Company, Corporation, Incorporated, Limited: Urmia
# Petrochemical Company is UPC). A form of one kind (LLC, OOD, JSC, GmbH) is written as its
# own abbreviation, and its code's first letter is none the name writes: Games Unlimited
# OOD is no GUL (OOD's code is llc)
_TRAILING_WORDS = frozenset({"co", "corp", "inc", "ltd"})
_MAX_JOIN = 3  # runs of up to this many tokens may be written as one word
_NO_JOIN = frozenset({"number"})


@dataclass(frozen=True, slots=True)
class Pair:
    """Query token(s) matched to list token(s) with a similarity and the method that found it."""

    query: tuple[int, ...]
    listed: tuple[int, ...]
    sim: float
    method: str


@dataclass(frozen=True, slots=True)
class Alignment:
    """The pairs, and the token positions of each side left without a partner."""

    pairs: tuple[Pair, ...]
    unmatched_query: tuple[int, ...]
    unmatched_listed: tuple[int, ...]


Span = tuple[int, int, str]  # (first token, number of tokens, the tokens joined)
Similarity = Callable[[str, str], tuple[float, str]]  # token_similarity, or a stricter one
Reading = Callable[..., tuple[float, str] | None]  # a rule that may not apply


def join_spans(texts: Sequence[str], kinds: Sequence[str]) -> tuple[Span, ...]:
    """Every run of 2-3 adjacent tokens (no numbers) with its joined text; a run of two
    vowel-less (abjad) words around the article joined as Latin spellings join them, and
    the conjunction wa or the preposition li, the article and a word as one word
    (:func:`_article_joined`); a run that holds the article before a word that begins with
    a sun letter also as Latin spellings write it assimilated (:func:`_assimilated`).

    A name's runs do not depend on the other name, so prepared names compute them once.
    """
    # the article's rules (_article_joined, _assimilated) read only runs that hold "al":
    # a name without it nor a number (most) joins its runs' words as they are
    article = _ARTICLE in texts
    if not article and _NO_JOIN.isdisjoint(kinds):
        return _plain_spans(texts)
    return _spans_by_rule(texts, kinds, article)


def _spans_by_rule(texts: Sequence[str], kinds: Sequence[str], article: bool,
                   ) -> tuple[Span, ...]:
    """:func:`join_spans` by its rule, for every name (``article``: "al" is a token)."""
    out: list[Span] = []
    for start in range(len(texts)):
        if kinds[start] in _NO_JOIN:
            continue
        joined = texts[start]
        for size in range(2, _MAX_JOIN + 1):
            end = start + size - 1
            if end >= len(texts) or kinds[end] in _NO_JOIN:
                break
            joined += texts[end]
            if not article:
                out.append((start, size, joined))
                continue
            written = _article_joined(texts, kinds, start, joined) if size == 3 else joined
            out.append((start, size, written))
            assimilated = _assimilated(texts, kinds, start, size)
            if assimilated is not None and assimilated != written:
                out.append((start, size, assimilated))
    return tuple(out)


def _plain_spans(texts: Sequence[str]) -> tuple[Span, ...]:
    """:func:`join_spans` of a name with no article and no number (every run of two and
    of three words, :data:`_MAX_JOIN`, joined as written), in the rule's order, without
    its loops' per-run tests."""
    out: list[Span] = []
    last = len(texts) - 1
    for k in range(last):
        two = texts[k] + texts[k + 1]
        out.append((k, 2, two))
        if k + 1 < last:
            out.append((k, 3, two + texts[k + 2]))
    return tuple(out)


_SUN_LETTERS = frozenset("tdrzsnl")  # the article's l is spoken as these (ad-Din, ar-Rahman)
_SUN_DIGRAPHS = ("sh", "th", "dh")  # sun letters Latin spellings write with two (ash-Sham)
_CASE_VOWEL = "u"  # the vowel Latin spellings most write for the article joined (Hizbut)
# the conjunction wa ("and") and the preposition li ("for"), which the Arabic script writes
# as one word with the article and the word after it (والجهاد, للدعوة), by their letter
_PROCLITICS = {"wa": "w", "li": "l"}


def _assimilated(texts: Sequence[str], kinds: Sequence[str], start: int,
                 size: int) -> str | None:
    """A run of Latin words holding the article before a word that begins with a sun letter
    (not l), written as Latin spellings join them: the article a vowel and that letter
    (doubled where the word follows in the run): "hizb al | tahrir" -> "hizbut" (Hizbut
    Tahrir), "al din" -> "uddin" (Bashir Uddin), "nasr al din" -> "nasruddin"; after a
    vowel-less (abjad) word, the letter alone ("hl al | snh" -> "hls", Ahlis Sunna's
    skeleton). None for any other run."""
    out = ""
    for k in range(start, start + size):
        text = texts[k]
        if text != "al" or kinds[k] != "particle":
            out += text
            continue
        after = texts[k + 1] if k + 1 < len(texts) else ""
        abjad = latin_vowelless(texts[k - 1] if k > start else after)
        if not after or after[0] not in _SUN_LETTERS or after[0] == "l" or (
                abjad and k + 1 < start + size):
            return None  # an abjad's article before the word: _article_joined's
        letter = after[:2] if after.startswith(_SUN_DIGRAPHS) else after[0]
        out += ("" if abjad else _CASE_VOWEL) + letter
    return None if out == "".join(texts[start:start + size]) else out


def _article_joined(texts: Sequence[str], kinds: Sequence[str], start: int,
                    joined: str) -> str:
    """Three words joined, the middle one the article between two vowel-less words (an
    abjad transliteration: "shms al dyn"): written as a Latin spelling writes the compound
    (Shamsuddin, Abdulkarim), the article's l assimilated to a sun letter after it (written
    once, as the abjad writes it: "shmsdyn") and an l before any other ("bdlkrym").

    The conjunction wa or the preposition li, the article and a word ("wa al jhd", as the
    parser splits والجهاد and "wal-Jihad"; "li al Sirafa") as one word: as the abjad writes
    them when the word is vowel-less ("wljhd", which "Waljihad" meets), as a Latin spelling
    does otherwise ("lilsirafa", which للصرافة, ``llsrfh``, meets).
    """
    first, middle, last = texts[start], texts[start + 1], texts[start + 2]
    if middle != "al" or kinds[start + 1] != "particle":
        return joined
    vowelless = latin_vowelless(last)
    if first in _PROCLITICS:
        return (_PROCLITICS[first] if vowelless else first) + "l" + last
    if not (vowelless and latin_vowelless(first)):
        return joined
    return first + ("" if last[0] in _SUN_LETTERS else "l") + last


_SPECIAL = frozenset({"legal", "number"})


def prefix_of(cut: str, word: str) -> bool:
    """``cut`` is what a field limit left of ``word``: its first letters (two or more)."""
    return len(word) > len(cut) >= RULES.truncated_prefix and word.startswith(cut) \
        and cut.isalpha()


def cut_sim(cut: str) -> float:
    """What a cut last word is worth against a word it begins: truncated_long_sim when the
    cut keeps ``RULES.truncated_letters`` letters or more ("PSKOVNEFT" of Pskovnefteprodukt),
    truncated_sim when fewer (a short prefix begins many words)."""
    return RULES.truncated_long_sim if len(cut) >= RULES.truncated_letters \
        else RULES.truncated_sim


def cut_text(q: Sequence[str], qk: Sequence[str], q_sources: Sequence[str] | None) -> str:
    """What a query's last word is read as when a field limit may have cut it: a particle as
    written, not as the parser reads it ("VORTAN EL" is VORTAN ELECTRONIC cut, not the
    article al; a particle stands before a name, never at a name's end), else the token."""
    if not q:
        return ""
    if qk[-1] == "particle" and q_sources is not None and q_sources[-1] != q[-1] \
            and q_sources[-1].isalpha():
        return q_sources[-1]
    return q[-1]


def _cut_form(a: str, ka: str, kb: str, source: str | None) -> bool:
    """The cut last word ``a`` of a query (not a form itself) begins the one word a list
    name's legal form was written as ("COMPA" for the "co" of "Company")."""
    return kb == "legal" and ka != "legal" and source is not None and " " not in source \
        and prefix_of(a, source)


def _singles(q: Sequence[str], qk: Sequence[str], lt: Sequence[str], lk: Sequence[str],
             free_q: list[int], free_l: list[int], similarity: Similarity, truncated: bool,
             l_sources: Sequence[str] | None, abjad: int | None, forms: bool = False,
             given: tuple[int, int] = (0, 0), swapped: Reading | None = None,
             swaps: Sequence[tuple[str, ...]] | None = None,
             cut: str = "", q_sources: Sequence[str] | None = None,
             article: bool = False, opened: int = 0, org: bool = False,
             transcribed: bool = False) -> list[tuple[float, int, Pair]]:
    """Pairs of single free tokens similar enough to be variants of one word; when the
    query was cut by a field limit (``truncated``), its last word with a word it begins
    (or the word a legal form was written as, ``l_sources``). ``abjad`` is None unless an
    organisation is compared: then a word of three letters or fewer without vowels that is
    its name's only word (legal forms, particles and titles aside) is an acronym, not a word
    written without them ("JSC SMN" is not Simon; "SVRNY VRF" is Severnaya Verf), but in a
    query written without vowels (``BARE``: "SBW LMTD", its legal form so written too).
    ``given``: the tokens of each name that are given names (bits); see :func:`_nickname`.
    ``swapped``: a query word read with two letters swapped back against a list word
    (similarity.swapped_variant), when that is higher; None for syllables; ``swaps``:
    per query word, the readings it compares (see :func:`align`; None: all of them);
    ``cut``: what the last word is read as when cut (:func:`cut_text`; "": the word);
    ``q_sources``: the query's words as written (a given particle's, :func:`_nickname`);
    ``article``: one name is written in an abjad (see :func:`_article_apart`);
    ``opened``: the query's words (bits) that are Arabic-script words opening with a vowel
    letter, against a Latin name (see :func:`_opened_apart`); ``org``: an organisation's
    name is compared (a legal form pairs with a word that writes it with a slip,
    :func:`_form_slip`); ``transcribed``: the query is a foreign name written in Han
    characters by its sounds, compared with a Latin name (its readings pair with words of
    the same consonants as Chinese tells them apart:
    similarity.transcription_similarity)."""
    out: list[tuple[float, int, Pair]] = []
    last = len(q) - 1
    cut = cut or (q[last] if q else "")
    for i in free_q:
        a, ka = q[i], qk[i]
        la = len(a)
        special_a = ka in _SPECIAL
        for j in free_l:
            b, kb = lt[j], lk[j]
            if truncated and i == last and l_sources is not None \
                    and _cut_form(a, ka, kb, l_sources[j]):
                out.append((cut_sim(a), 2, Pair((i,), (j,), cut_sim(a), "truncated")))
                continue
            if org and (ka == "legal") != (kb == "legal") \
                    and _form_slip(q, qk, q_sources, i, lt, lk, l_sources, j):
                out.append((RULES.form_slip_sim, 2,
                            Pair((i,), (j,), RULES.form_slip_sim, "fuzzy")))
                continue
            if forms and ka == "initial" and kb == "legal" and l_sources is not None \
                    and _form_initial(a, l_sources[j]):
                out.append((RULES.initial_sim, 2,
                            Pair((i,), (j,), RULES.initial_sim, "initial")))
                continue
            if (special_a or kb in _SPECIAL) and ka != kb:
                continue  # legal forms and numbers pair only with their own kind
            if article and _article_apart(a, ka, b, kb):
                continue
            if _opened_apart(opened, i, b):
                continue
            lb = len(b)
            if given[0] >> i & 1 and given[1] >> j & 1:
                # a particle opening the name as a given name's short form: the word as
                # written (Ben, the token its canonical "bin"; text.given_names.opening_given)
                nick = _nickname(q_sources[i] if ka == "particle" and q_sources else a, b,
                                 similarity)
                if nick is not None:
                    out.append((nick[0], 2, Pair((i,), (j,), *nick)))
                    continue
            if truncated and i == last and not special_a and prefix_of(cut, b):
                sim, method = similarity(a, b)
                if sim < cut_sim(cut):
                    sim, method = cut_sim(cut), "truncated"
                out.append((sim, 2, Pair((i,), (j,), sim, method)))
                continue
            if transcribed and (heard := transcription_similarity(a, b)) > 0.0:
                sim, method = similarity(a, b)
                if heard > sim:
                    sim, method = heard, "romanised"
                if sim >= RULES.min_sim:
                    out.append((sim, 2, Pair((i,), (j,), sim, method)))
                continue
            if la > 1 and lb > 1 and min(la, lb) < max(la, lb) * RULES.min_sim - 1 \
                    and not (latin_vowelless(a) or latin_vowelless(b)):
                continue  # an edit similarity this high is impossible at these lengths
            sim, method = similarity(a, b)
            if method == "vowelless" and abjad is not None and (
                    (la < RULES.spelled_out and latin_vowelless(a) and _only_word(qk, i)
                     and abjad != BARE)
                    or (lb < RULES.spelled_out and latin_vowelless(b)
                        and _listed_acronym(b, lk, j, ka))):
                sim, method = token_similarity(a, b, abjad, without_vowels=False)
            readings = None if swaps is None else swaps[i]
            if swapped is not None and readings != ():
                other = swapped(a, b, readings=readings)
                if other is not None and other[0] > sim:
                    sim, method = other
            if sim >= RULES.min_sim:
                out.append((sim, 2, Pair((i,), (j,), sim, method)))
    return out


def _article_apart(a: str, ka: str, b: str, kb: str) -> bool:
    """The Arabic article against a word that is not the article, across an abjad and a
    Latin spelling: the article an abjad writes joined to its word (السهول) is split off by
    the transliteration as "al", and it names no one. Written so beside a Latin name, "al"
    is not Ali, which an abjad writes with its ayn and ya (علي, ``ly``), and the ``ly`` of
    an abjad's Ali is not a Latin spelling's article. (Between two Latin names a word
    written without its vowels may be Ali shortened, "Al HYDR": not this rule's.)"""
    return (ka == "particle" and a == _ARTICLE) != (kb == "particle" and b == _ARTICLE)


def _opened_apart(opened: int, i: int, b: str) -> bool:
    """Query word ``i`` is an Arabic-script word opening with a vowel letter, alif or ayn
    (``opened``: bits; text.normalize.vowel_opened), which its transliteration leaves out,
    and ``b``, a word or run of a Latin name, opens on a consonant where the vowel was
    (similarity.opens_on_consonant): they are not one word, whatever their consonants
    (اشرفی, Ashrafi, ``shrfy``, is not SHARIFI; ارج, ``rj``, not RJ). Not a word pair
    by a rule: align never pairs them, as it never pairs the article with a name."""
    return bool(opened >> i & 1) and opens_on_consonant(b)


def _after_article(tokens: Sequence[str], kinds: Sequence[str], start: int) -> int:
    """The first word of the run at ``start``, the article aside (the next one)."""
    return start + 1 if kinds[start] == "particle" and tokens[start] == _ARTICLE else start


def _nickname(a: str, b: str, similarity: Similarity) -> tuple[float, str] | None:
    """Two given names that are one name (text/data/given_names.yml): a short form and
    the full form (Ted / Theodore, Sasha / Alexander) at ``nickname_sim``, two forms in
    other languages or two short forms (John / Juan / Ivan) at ``equivalent_sim``; the
    spelling's similarity when it is higher (Aleksandr / Alexander); None when no group
    holds both. Only given names: a family name (Bill Smith / John Bill) is not William."""
    how = relation(a, b)
    if how is None:
        return None
    credit = RULES.nickname_sim if how == "nickname" else RULES.equivalent_sim
    sim, method = similarity(a, b)
    return (sim, method) if sim >= credit else (credit, how)


def slip_apart(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one slip of the fingers: a letter more or less (one typed
    twice, one put in, one left out) or two neighbouring letters swapped; not a letter
    typed for another (AG and AB are two forms)."""
    la, lb = len(a), len(b)
    if la == lb + 1:
        return any(a[:k] + a[k + 1:] == b for k in range(la))
    if lb == la + 1:
        return any(b[:k] + b[k + 1:] == a for k in range(lb))
    return la == lb and a != b and any(swapped_at(a, k) == b for k in range(la - 1))


def _form_slip(q: Sequence[str], qk: Sequence[str], q_sources: Sequence[str] | None, i: int,
               lt: Sequence[str], lk: Sequence[str], l_sources: Sequence[str] | None,
               j: int) -> bool:
    """One name's legal form, written as one word, and the other's first or last word
    (a word, not a form) that writes that word with one slip (:func:`slip_apart`: "Siemens
    AkG" / Siemens AG, "GmbbH", "Ltdd"), three letters or more on one side, its first and
    last letters the form's: the form so typed. A letter put before or after a short form
    makes a word ("Gas", "Bag" are no AS, AG); a letter typed for another makes another
    form (AB for AG); a word one slip from a form the other name does not write stays a
    word."""
    if q_sources is None or l_sources is None:
        return False
    if lk[j] == "legal" and qk[i] != "legal":
        word, source, at, last = q[i], l_sources[j], i, len(q) - 1
    elif qk[i] == "legal" and lk[j] != "legal":
        word, source, at, last = lt[j], q_sources[i], j, len(lt) - 1
    else:
        return False
    return (at in (0, last) and last > 0 and abs(len(word) - len(source)) <= 1
            and " " not in source and len(source) >= 2
            and max(len(word), len(source)) >= RULES.form_slip_letters
            and word[0] == source[0] and word[-1] == source[-1]
            and word.isascii() and word.isalpha() and slip_apart(word, source))


def _form_initial(letter: str, source: str) -> bool:
    """A letter alone in an organisation's name (the query's) is the list name's legal
    form, written as one word
    (``source``), without its vowels: "O" for OOO or OAO, "Z" for ZAO, "A" for AO ("LZRNY,
    O" for LAZURNAYA, OOO). A legal form pairs with nothing else but a form."""
    return " " not in source and vowel_skeleton(source) == letter


_FORMAL = frozenset({"legal", "particle", "title"})


# a list name's short word without vowels is an acronym beside generic words too (SMP
# BANK, AGR INTERNATIONAL LIMITED: the lists write no name so; a query may drop its
# vowels, so its generic words keep counting)
_LISTED_ASIDE = _FORMAL | {"generic"}


def _listed_acronym(word: str, kinds: Sequence[str], j: int, against: str) -> bool:
    """An organisation's list word ``word`` (token ``j``), short and without vowels after
    its first letter, is an acronym, not the query word (of kind ``against``) without its
    vowels: as the name's only word beside generic ones (ABR MANAGEMENT); and wherever it
    stands when it has no vowel at all (SMP BANK, SCF PRIMORYE: the lists write no name so,
    and a word beside it that is no generic one, "bank", does not make it a name), but
    against a generic word (the lists write those so: T.R.D. for Trade). One begun by a
    vowel (Amr, Abd) may be a name the lists write so."""
    return _only_word(kinds, j, _LISTED_ASIDE) or (
        word[0] not in "aeiou" and against != "generic")


def _only_word(kinds: Sequence[str], i: int, aside: frozenset[str] = _FORMAL) -> bool:
    """Token ``i`` is its name's only word besides the kinds ``aside`` (legal forms,
    particles and titles)."""
    return all(k in aside for j, k in enumerate(kinds) if j != i)


def _regrouped(q: Sequence[str], qk: Sequence[str], q_spans: Sequence[Span],
               lt: Sequence[str], lk: Sequence[str], l_spans: Sequence[Span],
               used_q: int, used_l: int, similarity: Similarity, persons: bool,
               ) -> list[tuple[float, int, Pair]]:
    """Two adjacent free words on each side that are the same letters with the space
    elsewhere ("Malikn Oorzai" / "Malik Noorzai"; one edit of the letters forgiven), or
    whose query words, the space moved one letter, are each like the list word
    (:func:`_shifted`: "Hafe zMakhlouf" / Hafiz Makhluf; the better reading when both
    are), each word still like its counterpart (edit similarity of at least
    ``min_sim``); then, between ``persons``' names, the query's words against list words
    with a middle name between (:func:`_regrouped_across`)."""
    out: list[tuple[float, int, Pair]] = []
    q_runs = [(start, text) for start, size, text in q_spans
              if size == 2 and not used_q & (3 << start)
              and qk[start] not in _SPECIAL and qk[start + 1] not in _SPECIAL]
    if not q_runs:
        return out
    for j, size, joined in l_spans:
        if size != 2 or used_l & (3 << j) or lk[j] in _SPECIAL or lk[j + 1] in _SPECIAL:
            continue
        for i, text in q_runs:
            longest = max(len(text), len(joined))
            if longest < RULES.regroup_letters or (q[i] == lt[j] and q[i + 1] == lt[j + 1]):
                continue
            if not (OSA.normalized_similarity(q[i], lt[j]) >= RULES.min_sim
                    and OSA.normalized_similarity(q[i + 1], lt[j + 1]) >= RULES.min_sim):
                continue
            edits = OSA.distance(text, joined) if abs(len(text) - len(joined)) <= 1 else 2
            sim = RULES.regrouped_sim * max(
                1.0 - edits / longest if edits <= 1 else 0.0,
                _shifted(q[i], q[i + 1], lt[j], lt[j + 1], similarity))
            if sim:
                out.append((_rank(sim, q[i], q[i + 1], lt[j], lt[j + 1], similarity), 4,
                            Pair((i, i + 1), (j, j + 1), sim, "regrouped")))
    if persons:
        out.extend(_regrouped_across(q, [i for i, _ in q_runs], lt, lk, used_q, used_l,
                                     similarity))
    return out


def _regrouped_across(q: Sequence[str], starts: Sequence[int], lt: Sequence[str],
                      lk: Sequence[str], used_q: int, used_l: int, similarity: Similarity,
                      ) -> list[tuple[float, int, Pair]]:
    """Two adjacent free query words (runs from ``starts``) whose space, moved one letter
    (:func:`_shifted`), reads two free list words in order with one or two words between
    ("Ivo nPetrov" / Ivon Stefanov PETROV): a customer's record writes a person's given
    name and surname, the list their middle name or patronymic too, which stays unmatched
    and costs what it costs when the query leaves it out. Each query word is still like
    its list word (``min_sim``); the words between are free names' words (no legal form,
    no number) the query leaves out (:func:`_left_out`): a query that writes them has
    its words where the list has them ("Fatkhi Akhmad Mokhammad Khammad" is not "akhmadm
    okhammad" across Mohammad)."""
    out: list[tuple[float, int, Pair]] = []
    for j in range(len(lt)):
        if used_l >> j & 1 or lk[j] in _SPECIAL:
            continue
        for k in range(j + 2, min(j + 2 + RULES.regroup_gap, len(lt))):
            if lk[k - 1] in _SPECIAL or used_l >> (k - 1) & 1:
                break
            if used_l >> k & 1 or lk[k] in _SPECIAL:
                continue
            for i in starts:
                longest = max(len(q[i]) + len(q[i + 1]), len(lt[j]) + len(lt[k]))
                if longest < RULES.regroup_letters or (q[i] == lt[j] and q[i + 1] == lt[k]):
                    continue
                if not (OSA.normalized_similarity(q[i], lt[j]) >= RULES.min_sim
                        and OSA.normalized_similarity(q[i + 1], lt[k]) >= RULES.min_sim
                        and _left_out(q, used_q | 3 << i, lt[j + 1:k])):
                    continue
                sim = RULES.regrouped_sim * _shifted(q[i], q[i + 1], lt[j], lt[k], similarity)
                if sim:
                    out.append((_rank(sim, q[i], q[i + 1], lt[j], lt[k], similarity), 4,
                                Pair((i, i + 1), (j, k), sim, "regrouped")))
    return out


def _left_out(q: Sequence[str], used_q: int, between: Sequence[str]) -> bool:
    """No free query word (bit clear in ``used_q``) is like a word ``between`` (edit
    similarity ``min_sim``, as the regrouped words are like theirs)."""
    return not any(OSA.normalized_similarity(q[x], word) >= RULES.min_sim
                   for x in range(len(q)) if not used_q >> x & 1 for word in between)


def _rank(sim: float, a: str, b: str, x: str, y: str, similarity: Similarity) -> float:
    """How early :func:`align` takes two words regrouped (``sim``) against list words ``x``
    ``y``: when the reading beats the words as written (their two similarities' mean, by
    the list words' letters), before either word's own pair with its list word, and by its
    likeness, the space's cost (regrouped_sim) aside; else by ``sim``. Taken after a single
    pair a little more alike, "Ayu bBashar" left "ayu" to a poor pair with Ayyub once
    "bbashar" took Bashir, though "ayub bashar" reads Ayyub Bashir better; and a word
    alike on its own ("hkhodanovich" / Khadanovich, the skeletons) took its list word from
    a reading of two spelling variants ("Aleksandrovic hKhodanovich": Alyaksandrauvich
    Khadanovich); "Sergeii Yevgeneviich" is better read word by word."""
    left, right = similarity(a, x)[0], similarity(b, y)[0]
    if sim <= _by_letters(left, right, x, y):
        return sim
    return max(sim / RULES.regrouped_sim, math.nextafter(max(left, right), math.inf))


def _by_letters(left: float, right: float, x: str, y: str) -> float:
    """Two words' similarities to list words ``x`` and ``y``, their mean weighted by the
    list words' letters (as one word's edit similarity counts its letters)."""
    return (left * len(x) + right * len(y)) / (len(x) + len(y))


def shifted_words(a: str, b: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """Two words with the space between them one letter to the left, then one to the
    right, each word of two letters or more (else None): ("hafe", "zmakhlouf") gives
    ("haf", "ezmakhlouf"), ("hafez", "makhlouf")."""
    return ((a[:-1], a[-1] + b) if len(a) >= 3 else None,
            (a + b[0], b[1:]) if len(b) >= 3 else None)


def _shifted(a: str, b: str, x: str, y: str, similarity: Similarity) -> float:
    """The query words ``a`` ``b`` with their space one letter off (:func:`shifted_words`)
    against the list words ``x`` ``y``, each word so written like its list word by at
    least join_min_sim (a spelling variant besides the shifted space: "hafez" / Hafiz,
    "makhlouf" / Makhluf): the two similarities' mean, by the list words' letters (as one
    word's edit similarity counts its letters), the better of the two shifts; 0.0 when
    neither."""
    best = 0.0
    for words in shifted_words(a, b):
        if words is None:
            continue
        left, right = similarity(words[0], x)[0], similarity(words[1], y)[0]
        if left >= RULES.join_min_sim and right >= RULES.join_min_sim:
            best = max(best, _by_letters(left, right, x, y))
    return best


def _letters(text: str, token: str, abjad: int) -> int:
    """How many letters a run written as one word (``text``) counts against ``token``: its
    length, or, when one of the two is a vowel-less transliteration from an abjad and the
    other is not, its abjad skeleton's length minus the token's plus the token's length (the
    vowels the abjad does not write are no letters more: "khdyrhym" for Khudai Rahim)."""
    if abjad and _vowelless(text) != _vowelless(token):
        return len(abjad_skeleton(text)) - len(abjad_skeleton(token)) + len(token)
    return len(text)


def _vowelless(text: str) -> bool:
    return _VOWELS.isdisjoint(text)


def _joined(q: Sequence[str], qk: Sequence[str], q_spans: Sequence[Span],
            lt: Sequence[str], lk: Sequence[str], l_spans: Sequence[Span],
            free_q: list[int], free_l: list[int], used_q: int, used_l: int,
            similarity: Similarity, abjad: int, opened: int = 0,
            ) -> list[tuple[float, int, Pair]]:
    """One token on one side against 2-3 adjacent free tokens joined on the other
    (``abjad``: one name is written in an abjad, see :func:`_letters`). A run holding a
    legal form pairs with no word spelt in the other script (one vowel-less, the other
    not): an abjad writes a legal form as a word of its own (شركة, ش.م.م), never joined
    to a name's word, so "mwrkh" (موركة) is not AMIR CO. A query's word or run opening
    with a word in ``opened`` (bits) pairs with no list word, or run whose first word (the
    article aside: "al sharif" is الشريف) opens on a consonant (:func:`_opened_apart`)."""
    out: list[tuple[float, int, Pair]] = []
    for side_a, kinds_a, free_a, spans_b, side_b, kinds_b, used_b, nfree_b, flip in (
            (q, qk, free_q, l_spans, lt, lk, used_l, len(free_l), False),
            (lt, lk, free_l, q_spans, q, qk, used_q, len(free_q), True)):
        if nfree_b < 2:
            continue
        runs = [(start, size, text) for start, size, text in spans_b
                if not used_b & (((1 << size) - 1) << start)]
        if not runs:
            continue
        for i in free_a:
            token = side_a[i]
            target = len(token)
            if target < RULES.join_letters or kinds_a[i] in _SPECIAL:
                continue
            slack = max(RULES.join_slack, target // RULES.join_slack_share)
            for start, size, text in runs:
                if abjad and _vowelless(text) != _vowelless(token) and "legal" in kinds_b[
                        start:start + size]:
                    continue
                if _opened_apart(opened, start, token) if flip else opened and _opened_apart(
                        opened, i, side_b[_after_article(side_b, kinds_b, start)]):
                    continue
                by_text = abs(len(text) - target) <= slack
                if not by_text and abs(_letters(text, token, abjad) - target) > slack:
                    continue
                sim, method = similarity(token, text)
                # a run as long as the token only by its skeleton pairs by its skeleton
                if sim >= RULES.join_min_sim and (by_text or method == "skeleton"):
                    method = "joined" if method == "exact" else method
                    span = tuple(range(start, start + size))
                    pair = Pair(span, (i,), sim, method) if flip else Pair((i,), span, sim,
                                                                          method)
                    out.append((sim, 1 + size, pair))
    return out


def acronym_runs(tokens: Sequence[str], kinds: Sequence[str]) -> dict[str, tuple[int, ...]]:
    """The initials of every run of 3-6 words an acronym may spell, with the words' positions
    (function words such as "of" and "de" are left out of the initials, not out of the run);
    a company word right after a run of 2-5 words spells its first letter too (Urmia
    Petrochemical Company: UPC, :data:`_TRAILING_WORDS`), as acronyms of companies often
    do, and so does the company
    word a name begins with (Compagnie Aérienne des Grands Lacs: CAGL, :data:`_LEADING_WORDS`).

    Cached (names are compared again and again): do not change the dict returned.
    """
    if len(tokens) < ACRONYM_LENGTHS[0]:
        return {}
    return _acronym_runs(tuple(tokens), tuple(kinds))


@lru_cache(maxsize=4096)
def _acronym_runs(tokens: tuple[str, ...], kinds: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    leading = kinds[0] == "legal" and tokens[0] in _LEADING_WORDS
    spelled = [i for i, (t, k) in enumerate(zip(tokens, kinds, strict=True))
               if (k in _SPELLED_KINDS and t not in _UNSPELLED and t[:1].isalpha())
               or (i == 0 and leading)]
    # the words before each position that cannot stand inside a run (a legal form, a
    # number), counted once: a run holds one when the counts at its two ends differ
    breaks = [0]
    for j, (t, k) in enumerate(zip(tokens, kinds, strict=True)):
        breaks.append(breaks[-1] + (k not in _SPELLED_KINDS and t not in _UNSPELLED
                                    and not (j == 0 and leading)))
    firsts = [tokens[j][0] for j in spelled]  # the letter each word spells
    runs: dict[str, tuple[int, ...]] = {}
    for start in range(len(spelled)):
        # from one word fewer: two words and the legal form after them spell three letters
        for size in range(ACRONYM_LENGTHS[0] - 1, ACRONYM_LENGTHS[-1] + 1):
            chosen = spelled[start:start + size]
            if len(chosen) < size:
                break
            if breaks[chosen[-1] + 1] != breaks[chosen[0]]:
                break  # a legal form or a number inside: not one run of words
            initials = "".join(firsts[start:start + size])
            if size >= ACRONYM_LENGTHS[0]:
                runs.setdefault(initials, tuple(range(chosen[0], chosen[-1] + 1)))
            after = chosen[-1] + 1
            if (len(initials) < ACRONYM_LENGTHS[-1] and after < len(tokens)
                    and kinds[after] == "legal" and tokens[after] in _TRAILING_WORDS):
                # the legal form that ends the run spells its letter too (Urmia
                # Petrochemical Company: UPC; China Railway Construction Corporation: CRCC)
                runs.setdefault(initials + tokens[after][0],
                                tuple(range(chosen[0], after + 1)))
    return runs


def _acronyms(q: Sequence[str], qk: Sequence[str], lt: Sequence[str], lk: Sequence[str],
              free_q: list[int], free_l: list[int]) -> list[tuple[float, int, Pair]]:
    """One token on one side spelling the initials of a run of free words on the other."""
    out: list[tuple[float, int, Pair]] = []
    for tokens, kinds, free_a, other, other_kinds, free_b, flip in (
            (q, qk, free_q, lt, lk, free_l, False), (lt, lk, free_l, q, qk, free_q, True)):
        words = [i for i in free_a if len(tokens[i]) in ACRONYM_LENGTHS
                 and kinds[i] in ("name", "generic") and tokens[i].isalpha()]
        if not words or len(free_b) < 3:
            continue
        runs = acronym_runs(other, other_kinds)
        free = set(free_b)
        for i in words:
            span = runs.get(tokens[i])
            if span is None or not free.issuperset(span):
                continue
            pair = Pair(span, (i,), RULES.acronym_sim, "acronym") if flip else Pair(
                (i,), span, RULES.acronym_sim, "acronym")
            out.append((RULES.acronym_sim, 1 + len(span), pair))
    return out


def spells_across(abjad_q: bool, abjad_l: bool) -> bool:
    """A word of one name may spell the initials of the other's words unless one name only
    is written in an abjad script: an acronym is made of the letters of its own script, and
    the transliterated consonants of an Arabic or Persian word ("طسم", tsm) spell the Latin
    initials of a company's words (Tankers Scf Mgmt) by chance alone."""
    return abjad_q == abjad_l


def _unless_spelled(found: list[tuple[float, int, Pair]],
                    spelled: list[tuple[float, int, Pair]]) -> list[tuple[float, int, Pair]]:
    """``found`` without the pairs that read a word spelling an acronym as a word written
    without vowels."""
    words_q = {p.query[0] for _, _, p in spelled if len(p.query) == 1}
    words_l = {p.listed[0] for _, _, p in spelled if len(p.listed) == 1}
    return [c for c in found if c[2].method != "vowelless"
            or not (words_q.intersection(c[2].query) or words_l.intersection(c[2].listed))]


_ARTICLE = "al"  # the Arabic article, as particles canonicalise it (al, el, ul, ol)


def _exact(q: Sequence[str], qk: Sequence[str], lt: Sequence[str], lk: Sequence[str],
           q_sources: Sequence[str] | None, l_sources: Sequence[str] | None,
           truncated: bool = False, opened: int = 0) -> list[Pair]:
    """Identical tokens pair first, in order of appearance; so does a legal form with a
    word of the other name written as that form is ("S.A." read as a form, "SA" read as a
    name: see :func:`_same`). The Arabic article written more often in one name than in
    the other pairs from the end: the article a name repeats is the one inside a compound
    the other name writes as one word (Abu al-Hassan al-Shami, Abulhassan al-Shami; Shams
    al-Din al-Tikriti, Shamsuddin al-Tikriti), not the one before the family name; unless
    the query may be cut by a field limit (``truncated``: the words it reaches are the
    first ones). An article after the conjunction wa or the preposition li pairs only with
    such an article, and the others only with the others: it is the one a compound holds
    that the other name may write as one word ("wa al Nasr", "Walnasr"; "wlml", wa al-Amal),
    wherever it stands. A query word in ``opened`` (bits) is not the same word as a Latin
    one it is written as, opening on a consonant (:func:`_opened_apart`: ارج, ``rj``, is
    no RJ)."""
    if q_sources is not None and l_sources is not None and (
            "legal" in qk or "legal" in lk):
        pairs: list[Pair] = []
        used = [False] * len(lt)
        for i in range(len(q)):
            for j in range(len(lt)):
                if not used[j] and _same(q, qk, q_sources, i, lt, lk, l_sources, j) \
                        and not _opened_apart(opened, i, lt[j]):
                    used[j] = True
                    pairs.append(Pair((i,), (j,), 1.0, "exact"))
                    break
        return pairs
    pairs = []
    positions: dict[str, list[int]] = {}
    for j, text in enumerate(lt):
        positions.setdefault(text, []).append(j)
    after: dict[bool, int] = {}  # the article's occurrences in the query after this one
    particles: set[str] = set()
    for i in range(len(q) - 1, -1, -1):
        if qk[i] == "particle" and q[i] == _ARTICLE and not truncated:
            particles.add(q[i])
            group = _after_proclitic(q, i)
            rank = after.get(group, 0)
            after[group] = rank + 1
            alike = [j for j in positions.get(q[i], ()) if _after_proclitic(lt, j) == group]
            if rank < len(alike):
                pairs.append(Pair((i,), (alike[len(alike) - 1 - rank],), 1.0, "exact"))
    for i, text in enumerate(q):
        slots = positions.get(text)
        if slots and text not in particles and not _opened_apart(opened, i, text):
            pairs.append(Pair((i,), (slots.pop(0),), 1.0, "exact"))
    return sorted(pairs, key=lambda p: p.query[0]) if particles else pairs


def _after_proclitic(tokens: Sequence[str], i: int) -> bool:
    """Token ``i`` (the article) follows the conjunction wa or the preposition li."""
    return i > 0 and tokens[i - 1] in _PROCLITICS


def _same(q: Sequence[str], qk: Sequence[str], qs: Sequence[str], i: int,
          lt: Sequence[str], lk: Sequence[str], ls: Sequence[str], j: int) -> bool:
    """Token ``i`` of the query and ``j`` of the list name are the same word: the same
    text, or one a legal form and the other, not one, the word it was written as (a name
    of unknown class keeps "SA" a name; the listed company's "S.A." is the form jsc)."""
    if q[i] == lt[j]:
        return True
    if lk[j] == "legal":
        return qk[i] != "legal" and q[i] == ls[j]
    return qk[i] == "legal" and qs[i] == lt[j]


def align(q: Sequence[str], qk: Sequence[str], lt: Sequence[str], lk: Sequence[str],
          q_spans: Sequence[Span] | None = None, l_spans: Sequence[Span] | None = None,
          abjad: int = True, acronyms: bool = False, syllabic: str = "",
          q_sources: Sequence[str] | None = None,
          l_sources: Sequence[str] | None = None, truncated: bool = False,
          forms: bool = False, given: tuple[int, int] = (0, 0),
          spelled: bool = True,
          swaps: Sequence[tuple[str, ...]] | None = None, opened: int = 0,
          transcribed: bool = False) -> Alignment:
    """Align query tokens ``q`` (kinds ``qk``) with list tokens ``lt`` (kinds ``lk``).

    ``q_spans`` and ``l_spans`` are :func:`join_spans` of each side, when already known;
    ``abjad``: one side is written in an abjad script, or the query is a Latin name
    written without vowels (similarity.BARE; see ``token_similarity``);
    ``acronyms``: an organisation's name, where one word may spell the initials of others;
    ``syllabic``: "han" or "hangul" when one side is written in Chinese characters or Korean
    Hangul (see ``syllable_similarity``); ``q_sources`` and ``l_sources``: the words each
    token stands for (a legal form pairs with the word it was written as); ``truncated``:
    the query may have been cut by a field limit (its last word may begin a list word);
    ``forms``: the query is an organisation's name (a letter alone may be a legal form
    written without its vowels); ``given``: the tokens of the query and of the list name
    that are given names (bits: text.given_names.given_positions), which pair with the
    other's given names that are the same name (a nickname, another language's form);
    ``spelled``: with ``acronyms``, a word may spell the initials of the other name's words
    (not when one name only is written in an abjad: see :func:`spells_across`);
    ``swaps``: per query token, its readings with two letters swapped back that are
    compared (none for a word the lists write: a slip made no list word; every reading of
    every word by default); ``opened``: the query's words (bits) that are Arabic-script
    words opening with a vowel letter, when the list name is a Latin one (see
    :func:`_opened_apart`; score.vowel_opened_words); ``transcribed``: the query is a
    foreign name written in Han characters by its sounds (text.scripts.transcribed).
    """
    pairs = _exact(q, qk, lt, lk, q_sources, l_sources, truncated, opened)
    used_q = used_l = 0  # bit i set: token i is paired
    for p in pairs:
        used_q |= 1 << p.query[0]
        used_l |= 1 << p.listed[0]
    free_q = [i for i in range(len(q)) if not used_q >> i & 1]
    free_l = [j for j in range(len(lt)) if not used_l >> j & 1]
    if free_q and free_l:
        similarity: Similarity = partial(syllable_similarity, script=syllabic) if syllabic \
            else partial(token_similarity, abjad=abjad)
        found = _singles(q, qk, lt, lk, free_q, free_l, similarity, truncated,
                         l_sources, abjad if acronyms and not syllabic else None, forms,
                         given if not syllabic else (0, 0),
                         None if syllabic else partial(swapped_variant, abjad=abjad),
                         swaps, cut_text(q, qk, q_sources) if truncated else "", q_sources,
                         bool(abjad) and abjad != BARE and not syllabic, opened,
                         acronyms and not syllabic, transcribed and not abjad and not syllabic)
        if len(free_q) > 1 or len(free_l) > 1:
            q_spans = join_spans(q, qk) if q_spans is None else q_spans
            l_spans = join_spans(lt, lk) if l_spans is None else l_spans
            found.extend(_joined(q, qk, q_spans, lt, lk, l_spans, free_q, free_l, used_q,
                                 used_l, similarity, abjad, opened))
        if acronyms and spelled:
            spelt = _acronyms(q, qk, lt, lk, free_q, free_l)
            if spelt:  # "BNC" spells Banco Nacional de Cuba: not Banco without its vowels
                found = _unless_spelled(found, spelt)
            found.extend(spelt)
        if len(free_q) > 1 and len(free_l) > 1 and not syllabic:
            found.extend(_regrouped(q, qk, join_spans(q, qk) if q_spans is None else q_spans,
                                    lt, lk, join_spans(lt, lk) if l_spans is None else l_spans,
                                    used_q, used_l, similarity, not acronyms))
        # best first; on a tie, fewer tokens; a letter standing for a word after every
        # word spelled (a letter alone says least: "F YN Y" is Fu Yuan Yu, its "y" the
        # initial of Yu once "yn" has taken Yuan)
        found.sort(key=lambda c: (c[2].method == "initial", -c[0], c[1]))
        for _, _, pair in found:
            mask_q = sum(1 << i for i in pair.query)
            mask_l = sum(1 << j for j in pair.listed)
            if not (used_q & mask_q or used_l & mask_l):
                used_q |= mask_q
                used_l |= mask_l
                pairs.append(pair)
    return Alignment(tuple(pairs), tuple(i for i in range(len(q)) if not used_q >> i & 1),
                     tuple(j for j in range(len(lt)) if not used_l >> j & 1))
