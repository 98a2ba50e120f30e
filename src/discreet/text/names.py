"""Name structure: which token of a name is a title, particle, legal form, number or name.

A screening score must know that "Dr", "al-", "LLC" and "Trading" say little about who is
meant, that "bin" and "ibn" are one word, that "Abd al-Aziz", "Abdul Aziz" and "Abdulaziz"
are one name, and that "Vladimirovich" is a patronymic. :func:`parse_name` returns the tokens
of a name with that reading attached; order is kept but nothing downstream depends on it, so
"PUTIN, Vladimir" and "Vladimir Putin" give the same tokens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal, NamedTuple

from discreet.text.normalize import tokenize
from discreet.text.numbers import (
    NUMBER_SIGNS,
    ROMAN,
    numbers_to_digits,
    roman_value,
    writes_number,
)
from discreet.text.phonetic import phonetic_key
from discreet.text.scripts import (
    ARABIC_LETTERS,
    ARABIC_PRESENTATION,
    HAN_COMPATIBILITY,
    HAN_IDEOGRAPHS,
)
from discreet.text.terms import Terms, terms

__all__ = ["NameClass", "NameToken", "TokenKind", "forget_words", "name_class", "parse_name"]

TokenKind = Literal["name", "title", "particle", "legal", "generic", "number", "initial",
                    "patronymic"]
NameClass = Literal["person", "org", "any"]

# Abd al- joined to the name: with the article (Abdulaziz, Abdelkader, Abdurrahman), without
# a vowel (Abdkarim), and as Somali and East African spellings write it, Abdi- or Abdu- and
# the name (Abdikadir, Abdukadir, Abdirahman, Abdiweli: Abd al-Qadir, Abd al-Wali); the vowel
# may be written twice, a slip of the keys or a long vowel (Abduurrahman, Abdoolkarim)
_ABD = re.compile(r"^abd(?:(?:ou|uu?|ee?|aa?|oo?)(?:l|r|s|d|n|z|t|sh)([a-z]{3,})"
                  r"|([b-df-hj-np-tv-z][a-z]{2,})|(?:ii?|uu?)([b-df-hj-np-tv-z][a-z]{3,}))$")
_ABD_WORDS = frozenset({"abd", "bd", "abdl", "abdul", "abdel", "abdal", "abdol", "abdoul",
                        "abdu", "abdou", "abdur", "abdus", "abdar", "abdas", "abdoel"})
# what follows "abd" in Abdullah (Abd Allah, one name), also written without vowels: abdllh
_NOT_ABD_REST = frozenset({"lah", "llah", "allah", "ullah", "alla", "ulla", "lla", "ella",
                           "llh", "lh"})
_ABD_LINKS = frozenset({"al", "el", "ul", "ar", "ur", "as", "us", "ad", "ud", "an", "at",
                        "az", "ash", "er", "ol"})
_ABD_STARTS = ("abd", "bd")  # how every word _ABD, _ABD_ABJAD and _ABD_WORDS read begins
# Abd with its a or b typed twice (Aabdullah, Abbd): no spelling of the name writes them
# so, a slip of the keys (a d written twice begins the next name as often: Abd-Dayem)
_ABD_TWICE = ("aabd", "abbd")
# Abd with its a and b swapped (bAdelbasit for Abdelbasit): only with the article's l and
# a name of four letters or more that begins with a consonant (not y) after it, which no
# other name begins so (Badri, Badalamenti, Badalyan, Badulescu are left alone)
_ABD_SWAPPED = re.compile(r"^bad(?:ou|u|e|a|o)l[b-df-hj-np-tv-xz][a-z]{3,}$")
# a word beginning so may be read with the next, or as Abd- and a name
_ABD_BEGINS = (*_ABD_STARTS, *_ABD_TWICE, "bad")
_VOWELLESS = re.compile(r"^[b-df-hj-np-tv-z]+$")
# "Abd al-" joined to the next word in Arabic script: ``bdlrhmn`` is Abd al-Rahman.
_ABD_ABJAD = re.compile(r"^bdl(?!l?h$)([b-df-hj-np-tv-z]{2,})$")
# letters of the Arabic script (Arabic, Persian, Urdu, Pashto): a name written in them
_ARABIC_SCRIPT = re.compile(f"[{ARABIC_LETTERS}{ARABIC_PRESENTATION}]")
_HAN = re.compile(f"[{HAN_IDEOGRAPHS}{HAN_COMPATIBILITY}]")
_COMPANY = "公司"  # company: a name that writes it is an organisation's
# the phonetic key's endings of a patronymic (a token's key has letters and digits alone:
# str.endswith reads it, a regular expression costs a word's whole reading again)
_PATRONYMIC = ("ovic", "evic", "ivic", "ovna", "evna", "ivna", "ogli", "oglu", "kisi", "kizi")
_ROMAN_LETTERS = "ivxlc"  # the letters of ROMAN's numerals: a word of others is none
_ORG_SCHEMATA = frozenset({"Organization", "Company", "LegalEntity", "Vessel", "Airplane"})


class NameToken(NamedTuple):
    """One token of a parsed name: its comparable text, what kind of word it is, its source.

    A named tuple of strings: small and immutable. The cycle collector untracks only exact
    tuples, so these stay tracked (about 14,000 in the parse caches after 9,000 new queries
    on a million entities: a share of what each of its full passes walks)."""

    text: str
    kind: TokenKind
    source: str  # the normalised words it stands for ("limited liability company" for llc)
    family: str = ""  # legal-form family, for kind == "legal"


def name_class(schema: str | None) -> NameClass:
    """person, org or any: which word lists apply to a schema's names."""
    if schema == "Person":
        return "person"
    return "org" if schema in _ORG_SCHEMATA else "any"


_ALLAH_END = "lh"  # the end of Allah as it comes out of the Arabic script, after "al"


def _join_allah(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Arabic-script ``الله`` comes out of transliteration as the article and ``lh``; the
    names it closes (Habibullah, Abdullah) are written as one word in Latin lists, so it is
    joined back to the word before: ``hbyb al lh`` -> ``hbybllh``; but not to a word it
    already closes: the Allah after Hamdullah (``hmd al lh al lh nwr``, Hamdullah Allah
    Noor) or after Abdullah begins the next name (Allahnoor, Allahdad), written alone."""
    if _ALLAH_END not in tokens:  # no Allah (most names): nothing to join
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "al" and tokens[i + 1:i + 2] == (_ALLAH_END,):
            if out and _VOWELLESS.match(out[-1]) and not out[-1].endswith("llh"):
                out[-1] += "llh"
            else:
                out.append("allah")
            i += 2
            continue
        out.append(tokens[i])
        i += 1
    return tuple(out)


# the kunya Abu and the conjunction wa written as one word with the article after them, as
# they come out of the Arabic script (no vowels: b, w and y are letters, l the article's)
_KUNYA_JOINED = re.compile(r"^bwl([b-df-hj-np-tv-z]{3,})$")
_AND_JOINED = re.compile(r"^wl([b-df-hj-np-tv-z]{3,})$")
# ... and the Latin spellings of Abu al- as one word before the name (Abul Kalam, Abol Hassan)
_ABU_AL = frozenset({"abul", "abol", "aboul", "abool"})
# ... and of wa al- as a word before the next ("wal-Jihad", Cyrillic "валь-"; "wl-Jihad"
# written without its vowel, as the abjad writes it)
_AND_AL = frozenset({"wal", "val", "wl"})
# a word joined to the next by a hyphen, as the raw name writes it ("an-Nusra")
_BEFORE_HYPHEN = re.compile(r"([^\W\d_]+)[-\u2010\u2011]")
# how every word _split_joined_article reads as more words begins (but those of _AND_AL)
_JOINED_STARTS = ("bwl", "wl", "abul", "abol", "aboul", "abool")
_LI = "li"  # the preposition li ("for") before the article: "li al-Dawa"
_ARTICLE = "al"
_BEFORE_ARTICLE = [(_ARTICLE, None)]


def _split_joined_article(tokens: tuple[str, ...], org: bool, abjad: bool,
                          ) -> tuple[str, ...]:
    """The Arabic script (``abjad``) writes the kunya Abu and the conjunction wa as one word
    with the article after them (أبواليزيد, Abu al-Yazid; والمسلمين, wa al-Muslimin), Latin
    spellings as three words: ``bwlyzyd`` -> ``bw al yzyd`` (as أبو اليزيد written apart
    gives), ``wlmslmyn`` -> ``wa al mslmyn``; or as two, "wal-Muslimin" (Cyrillic
    "валь-"): a Latin ``wal`` (``val``) between two words is ``wa al`` too, so that every
    spelling reads as the same words (align joins the three back as one word, as the abjad
    and "Walmuslimin" write them), in every name (a listed name screened without a schema
    reads as it was listed). The abjad's conjunction only in an organisation's name: a
    person's name written wl is a name of its own (Walid, Waliullah).
    (The preposition li is written joined to the article, للتجارة, ``lltjrh``, and "lil-"
    in Latin: the two meet as written, a word and a run of two.)
    A Latin spelling writes Abu al- as one word before the name, Abul Kalam: ``abu al``."""
    if not any(map(_joined_article, tokens)):
        return tokens
    out: list[str] = []
    last = len(tokens) - 1
    for k, token in enumerate(tokens):
        kunya = _KUNYA_JOINED.match(token) if abjad else None
        joined = _AND_JOINED.match(token) if abjad and org else None
        if token in _ABU_AL:
            out.extend(("abu", "al"))
        elif kunya:
            out.extend(("bw", "al", kunya.group(1)))
        elif joined:
            out.extend(("wa", "al", joined.group(1)))
        elif token in _AND_AL and not abjad and 0 < k < last:
            out.extend(("wa", "al"))
        else:
            out.append(token)
    return tuple(out)


def _joined_article(token: str) -> bool:
    """A word :func:`_split_joined_article` may read as two or three."""
    return token.startswith(_JOINED_STARTS) or token in _AND_AL


_SON = ("al", "bn")  # الابن, "the son": how the Arabic script writes Jr. after a name
_JUNIOR = "jr"


def _junior(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A name written in the Arabic script that ends with الابن ("the son", after a given
    name and a surname at least: no Arabic name ends so) ends with the Jr. the Latin spelling
    writes (مارتن لوثر كينغ الابن, Martin Luther King Jr.)."""
    if len(tokens) >= 4 and tokens[-2:] == _SON:
        return (*tokens[:-2], _JUNIOR)
    return tokens


def _assimilated_article(token: str, after: str | None, text: str, lists: Terms,
                         inside: bool) -> bool:
    """``token`` is the Arabic article assimilated to the sun letter ``after`` begins with, as
    Latin spellings write it (ar-Rahman, as-Sunna, Hizb ut-Tahrir, an-Nusra): the same
    letter(s) after its vowel; a form that is also a name or a word (An, Ed) only when the
    raw name joins it to the next word with a hyphen; the vowel alone only ``inside`` the
    name, after a word ("Shams-u-Rahman", not "U-Stone")."""
    hyphen = lists.assimilated.get(token)
    if hyphen is None or after is None or len(after) < 2 or not after.startswith(token[1:]):
        return False
    if len(token) == 1 and not inside:
        return False
    return not hyphen or _hyphenated(token, text)


def _hyphenated(token: str, text: str) -> bool:
    """The raw name joins ``token`` to the next word by a hyphen ("an-Nusra")."""
    return token in {w.lower() for w in _BEFORE_HYPHEN.findall(text)}


def _split_abd(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """'abd al aziz', 'abdel aziz', 'abdul-aziz' and 'abdulaziz' all become 'abdul aziz';
    so does 'abdlzz', the same written without vowels (its l the article's), and
    'abbdulaziz', its b typed twice, 'abduulaziz', its u, and 'badelbasit', its a and b
    swapped."""
    for token in tokens:  # every form read here begins abd or bd (most names have none)
        if token.startswith(_ABD_BEGINS):
            break
    else:
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith(_ABD_TWICE):
            token = "abd" + token[4:]
        elif _ABD_SWAPPED.match(token):
            token = "abd" + token[3:]
        joined = _ABD.match(token)
        rest = (joined.group(1) or joined.group(2) or joined.group(3)) if joined else ""
        if rest[:1] == "l" and len(rest) >= 3 and _VOWELLESS.match(token[1:]):
            rest = rest[1:]  # written without vowels, "abdl" is Abd al-: abdlrhmn, abdlkbr
        abjad = _ABD_ABJAD.match(token)
        if abjad:
            rest = abjad.group(1)
        if rest and rest not in _NOT_ABD_REST:
            out.extend(("abdul", rest))
        elif token in _ABD_WORDS:
            out.append("abdul")
            if i + 2 < len(tokens) and tokens[i + 1] in _ABD_LINKS:
                i += 1
        else:
            out.append(token)
        i += 1
    return tuple(out)


# "S.A.", "S.p.A.", "Co.", "(S.A.)": a dot after a letter; "A/S", "S/A": letters around a slash
_DOTTED_FORM = re.compile(r"\w\.\W*$|^\W*[^\W\d_]/[^\W\d_]\W*$")
_Shape = tuple[bool, bool]  # of the first or the last word: with dots; in capitals


def _edge_shapes(text: str) -> tuple[_Shape, _Shape]:
    """How the first and the last word of a name are written: with a dot after a letter
    ("S.A.", "Sp."), and in capitals while another word is not ("ТОВ Ромашка", "Bank Audi
    SAL"; not "SMITH, John": a word before a comma is a surname)."""
    words = text.split()
    if len(words) < 2:
        return (False, False), (False, False)

    def shape(word: str, others: list[str]) -> _Shape:
        letters = [c for c in word if c.isalpha()]
        capitals = (len(letters) > 2 and all(c.isupper() for c in letters)
                    and not word.endswith(",") and any(c.islower() for w in others for c in w))
        return bool(_DOTTED_FORM.search(word)), capitals

    return shape(words[0], words[1:]), shape(words[-1], words[:-1])


def _reads_as_org(tokens: tuple[str, ...], keys: tuple[str, ...], lists: Terms) -> bool:
    """A name with a generic organisation word ("trading", "group") or a legal form no
    person is named ("OOO", "GmbH") reads as an organisation's."""
    return any(t in lists.generic and len(t) > 3 for t in tokens) or any(
        (k,) in lists.forms and _as_written(t, k, lists) and not _ambiguous(t, lists)
        for t, k in zip(tokens, keys, strict=True))


_SHORT_KEY = 4  # letters of a phonetic key many surnames share ("sal": Sall, Saal, Zal)


def _as_written(token: str, key: str, lists: Terms) -> bool:
    """A one-word form with a short key only as one of its written variants ("sal", not
    "Salt"), or one of them with a letter written twice ("ZAAO" for ZAO, "LLTD": a letter
    written twice is the letter once, :func:`_written_once`; not a form that is also a name
    or a word, :func:`_ambiguous`: "Sall" is a surname, not SAL); a long one by its key too
    ("Aktiengeselschaft" misspelt is still a form)."""
    if len(key) > _SHORT_KEY or token in lists.written:
        return True
    once = _written_once(token)
    return once != token and once in _forms_written_once()


_RUN = re.compile(r"(.)\1+")


def _written_once(token: str) -> str:
    """``token`` with each run of a letter written once ("zaao": "zao")."""
    return _RUN.sub(r"\1", token)


@lru_cache(maxsize=1)
def _forms_written_once() -> frozenset[str]:
    """The one-word forms as written (``Terms.written``) with each run of a letter written
    once, but those an ambiguous form (:func:`_ambiguous`) writes so too."""
    lists = terms()
    ambiguous = {_written_once(f) for f in lists.written if _ambiguous(f, lists)}
    return frozenset(_written_once(f) for f in lists.written) - ambiguous


def _ambiguous(token: str, lists: Terms) -> bool:
    """A one-word legal form that is also a name or a word ("Sa", "Ag", "Pat", "Tov")."""
    return len(token) <= 2 or token in lists.name_like


def _legal_forms(tokens: tuple[str, ...], lists: Terms, cls: NameClass, text: str = "",
                 ) -> list[tuple[str, NameToken | None]]:
    """Find legal-form phrases (longest first); other tokens pass through unclassified.

    An organisation's name (``cls`` "org") reads every form. A name of unknown class
    ("any": no schema, or yente's LegalEntity) reads phrases of several words ("Sp. z o.o.",
    "Limited Liability Company") and one-word forms no person is named ("OOO", "GmbH")
    anywhere; a one-word form that is also a name ("Sa", "Ag", "Pat": :func:`_ambiguous`)
    only as the first or last word, and only when it is written as a form (``edges``: with
    dots, "S.A."; in capitals, for forms of three letters or more: "ТОВ Ромашка", as the
    raw name ``text`` writes them: :func:`_edge_shapes`, read only then) or the
    name reads as an organisation's ("ROSNEFT TRADING SA": a generic word or another
    form). Otherwise it stays a name ("Ali Sa", "Pat Smith").

    Phrases and long words are matched by phonetic key ("Limited Liability Kompany",
    "Aktiengeselschaft"); a one-word form with a short key (four letters or fewer) only as
    one of its written variants, in every class: such a key is shared by many surnames
    ("Sall", "Thu", "Watt", "Pratt" sound like "sal", "too", "vat", "prat")."""
    out: list[tuple[str, NameToken | None]] = []
    keys = tuple(phonetic_key(t) for t in tokens)
    org: bool | None = None  # _reads_as_org, when asked
    edges: tuple[_Shape, _Shape] | None = None  # _edge_shapes, when asked
    starts = lists.form_starts
    i = 0
    while i < len(tokens):
        if keys[i] not in starts:  # begins no form (most words)
            out.append((tokens[i], None))
            i += 1
            continue
        for size in lists.form_lengths:
            phrase = tokens[i:i + size]
            form = lists.forms.get(keys[i:i + size]) if len(phrase) == size else None
            if form is None and size > 1 and i + size == len(tokens):  # cut off at the end
                form = lists.truncated.get(keys[i:i + size])
            if form and size == 1 and not _as_written(phrase[0], keys[i], lists):
                # one word that only sounds like a form: a name ("Sall", "Thu", "Watt")
                form = None
            if form and cls != "org" and size == 1 and _ambiguous(phrase[0], lists):
                first, last = i == 0, i == len(tokens) - 1
                if edges is None:
                    edges = _edge_shapes(text)
                written = [shape for shape, at in zip(edges, (first, last), strict=True) if at]
                if not any(dots or (capitals and len(phrase[0]) > 2)
                           for dots, capitals in written):  # not written as a form
                    if org is None:
                        org = len(tokens) > 1 and _reads_as_org(tokens, keys, lists)
                    if not (org and (first or last)):
                        form = None  # a name: "Ali Sa", "Pat Smith"
            if form:
                out.append((phrase[0], NameToken(form.code, "legal", " ".join(phrase),
                                                 form.family)))
                i += size
                break
        else:
            out.append((tokens[i], None))
            i += 1
    return out


def _kind(token: str, cls: NameClass, lists: Terms, abjad: bool = False) -> TokenKind:
    """``abjad``: the name is written in the Arabic script, whose transliteration writes no
    short vowels: a vowel-less word is a name that happens to spell a Latin abbreviation
    (عمر is Omar, not Mr; در, سر), never that title."""
    if token.isdigit() or (cls == "org" and not token.strip(_ROMAN_LETTERS)
                           and ROMAN.match(token)):
        return "number"
    if token in lists.particles or (cls != "person" and token in lists.function_words):
        return "particle"
    if cls != "org" and token in lists.titles and not (abjad and _VOWELLESS.match(token)):
        return "title"
    if cls != "person" and (token in lists.generic
                            or lists.word_forms.get(token) in lists.generic):
        return "generic"  # or a form of one: Traders as Trading, Ships as Shipping
    if len(token) == 1:
        return "initial"
    if cls != "org" and phonetic_key(token).endswith(_PATRONYMIC):
        return "patronymic"
    return "name"


def _han_words(text: str, cls: NameClass, lists: Terms) -> str:
    """An organisation's name written in Chinese characters with its words of trade and
    form (``han_words`` of ``data/legal_forms.yml``: 國際 international, 有限公司 company
    limited) written as the Latin spellings of such names write them; its own name (the
    characters left) is transliterated as before. Only in a name screened as an
    organisation's, or one that writes 公司 (company); otherwise ``text`` as it is."""
    if cls == "person" or text.isascii() or _HAN.search(text) is None or (
            cls != "org" and _COMPANY not in text):
        return text
    for word, latin in lists.han_words:
        if word in text:
            text = text.replace(word, f" {latin} ")
    return text


# two letters alone around a slash ("A/S", "S/A", "I/E")
_SLASHED = re.compile(r"(?<![A-Za-z0-9])([A-Za-z])/([A-Za-z])(?![A-Za-z0-9])")


def _slashed_forms(text: str, lists: Terms) -> str:
    """A legal form written as two letters around a slash (Nordic A/S, Brazilian S/A) is
    that form as one word ("AS"), as dots join the letters of "S.A.": read apart, the
    letters were two initials, a name's weight each. Other letters so written stay
    letters: I/E, J/V are the initials of words (import / export, joint venture)."""
    if "/" not in text:
        return text
    return _SLASHED.sub(lambda m: m.group(1) + m.group(2) if (m.group(1) + m.group(2)).lower()
                        in lists.written else m.group(0), text)


_NOT_NAMES = ("title", "particle", "legal")  # kinds a name of nothing else is read apart


@lru_cache(maxsize=4096)  # small: its tokens are objects the cycle collector walks
def parse_name(text: str, cls: NameClass = "any") -> tuple[NameToken, ...]:
    """The tokens of a name, each with its kind; see the module docstring."""
    found = _words_alone(text, cls)
    return _parse_by_rule(text, cls) if found is None else found


def _not_names_only(tokens: Sequence[NameToken]) -> bool:
    """Whether every token is a title, particle or legal form (:data:`_NOT_NAMES`; a loop,
    not ``all`` over a generator closed half read: asked of every name parsed)."""
    for t in tokens:  # noqa: SIM110 (no generator)
        if t.kind not in _NOT_NAMES:
            return False
    return True


def _words_alone(text: str, cls: NameClass) -> tuple[NameToken, ...] | None:
    """:func:`_parse_by_rule`'s tokens for a name each of whose words reads as itself
    whatever words are around it (:func:`_word_alone`: most names), word by word from
    the words met before; None for any other name (a word read with its neighbours, a
    slash, the Arabic script or Chinese characters, or nothing but titles and particles),
    which the rules read."""
    if "/" in text or not (text.isascii() or (
            _ARABIC_SCRIPT.search(text) is None and _HAN.search(text) is None)):
        return None
    out = []
    for word in tokenize(text):
        token = _word_alone(word, cls)
        if token is None:
            return None
        out.append(token)
    for token in out:
        if token.kind not in _NOT_NAMES:
            return tuple(out)
    return None  # empty, or nothing but titles and particles: the rules' (read apart)


@lru_cache(maxsize=65536)
def _word_alone(word: str, cls: NameClass) -> NameToken | None:
    """The token ``word`` is in a name of class ``cls`` (not in the Arabic script) whatever
    the words around it, or None when a rule of :func:`_parse_by_rule` may read it with
    them or as other words: a number (:func:`numbers_to_digits`), a word the article is
    joined to (:func:`_split_joined_article`), the preposition li, an abbreviation, a
    word a legal form may begin with (by its key, :func:`_legal_forms`), a vessel's
    prefix; in a name not an organisation's, Allah's end or an Abd form
    (:func:`_join_allah`, :func:`_split_abd`); an assimilated article that is no particle
    (:func:`_assimilated_article`)."""
    lists = terms()
    if (writes_number(word) or word == _LI or _joined_article(word)
            or (cls != "person" and (word in lists.abbreviations
                                     or phonetic_key(word) in lists.form_starts))
            or (cls != "org" and (word == _ALLAH_END or word.startswith(_ABD_BEGINS)))):
        return None
    if cls != "person" and (word in NUMBER_SIGNS or (cls == "any" and _roman(word))
                            or word in _LONE_ROMAN):
        return None  # read with the words around it (:func:`_numbered`)
    if cls == "person" and word in _GENERATIONS:
        return None  # read with the words around it (:func:`_generations`)
    kind = _kind(word, cls, lists)
    if kind == "number":
        return _number(word)
    if kind == "particle":
        token = NameToken(lists.particles.get(word, word), kind, word)
    elif word in lists.assimilated:
        return None
    else:
        token = NameToken(word, kind, word)
    return None if cls != "person" and token.text in lists.vessel_prefixes else token


def forget_words() -> None:
    """Forget the words read alone (:func:`_word_alone`): the word lists they were read
    with changed (:func:`discreet.text.reset_caches`)."""
    _word_alone.cache_clear()


def _parse_by_rule(text: str, cls: NameClass) -> tuple[NameToken, ...]:
    """:func:`parse_name` by its rules, for every name (not kept)."""
    lists = terms()
    tokens = numbers_to_digits(tokenize(_han_words(
        text if cls == "person" else _slashed_forms(text, lists), cls, lists)))
    abjad = not text.isascii() and _ARABIC_SCRIPT.search(text) is not None
    tokens = _split_joined_article(tokens, cls == "org", abjad)
    if cls != "person" and not lists.abbreviations.keys().isdisjoint(tokens):
        # an abbreviation ("US") inside the name before a word of its letter is the article
        tokens = tuple(t for k, tok in enumerate(tokens) for t in (
            (tok,) if k and _assimilated_article(tok, tokens[k + 1] if k + 1 < len(tokens)
                                                 else None, text, lists, True)
            else lists.abbreviations.get(tok, (tok,))))
    junior = False
    if cls != "org":
        if abjad:
            ended = _junior(tokens)
            junior, tokens = ended != tokens, ended
        tokens = _split_abd(_join_allah(tokens))
    if cls == "person":
        found: list[tuple[str, NameToken | None]] = [(t, None) for t in tokens]
    else:
        found = _legal_forms(tokens, lists, cls, text)
    out: list[NameToken] = []
    for k, (token, legal) in enumerate(found):
        following = found[k + 1] if k + 1 < len(found) else None
        after = following[0] if following and following[1] is None else None
        if legal is not None:
            # a one-word form inside the name, or hyphenated, before a word of its letter is
            # the article (Jamaat as-Sunna, As-Sahab Media); at the start written apart, a
            # form (AS Severstal)
            out.append(NameToken(_ARTICLE, "particle", legal.source) if (
                k > 0 or _hyphenated(legal.source, text)) and _assimilated_article(
                    legal.source, after, text, lists, True) else legal)
            continue
        # the Jr. الابن ends the name with: a title, though the script writes no vowels
        kind = "title" if junior and len(out) == len(found) - 1 else _kind(
            token, cls, lists, abjad)
        if token == _LI and found[k + 1:k + 2] == _BEFORE_ARTICLE:
            kind = "particle"  # the preposition before the article, not the numeral 51
        if kind != "particle" and _assimilated_article(token, after, text, lists, k > 0):
            out.append(NameToken(_ARTICLE, "particle", token))
            continue
        text_ = lists.particles.get(token, token) if kind == "particle" else token
        out.append(NameToken(text_, kind, token))
    if cls == "person" and len(out) > 2:
        out = _generations(out)
    if cls != "person" and len(out) > 1 and out[0].text in lists.vessel_prefixes:
        out[0] = NameToken(out[0].text, "title", out[0].source)
    if cls != "person" and _may_number(out):
        out = _numbered(out, cls == "org" or any(t.kind in _ORG_KINDS for t in out))
    if _not_names_only(out):
        # nothing but such words: they are the name ("OOO" alone is no company's form, and
        # must not pair with every other form, "SL" alone)
        out = [NameToken(word, "name", word) for t in out for word in t.source.split()]
    return tuple(out)


# A person's generational suffix (Jr., Sr., II, III, IV): which of the bearers of one name
# the person is. Read as that generation's number, so that each way of writing it is one
# token (Jr. and II, the second of the name) and another generation is another number.
_GENERATIONS = {"sr": "1", "senior": "1", "jr": "2", "junior": "2", "ii": "2", "iii": "3",
                "iv": "4"}
_GENERATION_KIND: TokenKind = "number"


def _generations(out: list[NameToken]) -> list[NameToken]:
    """A person's tokens with a generational suffix read as its generation's number: a word
    of :data:`_GENERATIONS` after the name's first word, in a name of two words of its
    own besides (John Smith Jr.; SMITH, John III; not Ii alone, or a name's first word)."""
    if _GENERATIONS.keys().isdisjoint(t.text for t in out[1:]):
        return out
    if sum(t.kind == "name" and t.text not in _GENERATIONS for t in out) < 2:
        return out
    return [out[0], *(NameToken(_GENERATIONS[t.text], _GENERATION_KIND, t.source)
                      if t.text in _GENERATIONS else t for t in out[1:])]


_LONE_ROMAN = frozenset({"i", "v", "x"})  # a numeral of one letter: an initial elsewhere
_ORG_KINDS = frozenset({"legal", "generic"})  # a name with one reads as an organisation's
_NUMBERISH = NUMBER_SIGNS | _LONE_ROMAN
# a numeral of I, V and X ending a name of no class (MARIA III), but the syllables Xi, Vi
_SERIES = re.compile(r"^(?!xi$|vi$)(?=[ivx]{2,}$)x{0,3}(?:ix|iv|v?i{0,3})$")


def _roman(token: str) -> bool:
    """A roman numeral of two letters or more (:data:`~discreet.text.numbers.ROMAN`)."""
    return not token.strip(_ROMAN_LETTERS) and ROMAN.match(token) is not None


def _number(word: str) -> NameToken:
    """A number token: digits as written, a roman numeral as its digits ("VIII" is 8), so
    that every way of writing one number is one token."""
    return NameToken(word if word.isdigit() else str(roman_value(word)), "number", word)


def _may_number(out: list[NameToken]) -> bool:
    """A token :func:`_numbered` may read (most names have none: a loop, asked of every
    name read by the rules)."""
    for t in out:
        if t.kind == "number" or t.text in _NUMBERISH or (
                t.text[:1] in _ROMAN_LETTERS and _roman(t.text)):
            return True
    return False


def _numbered(out: list[NameToken], org: bool) -> list[NameToken]:
    """The numbers of a name that is not a person's. In an organisation's name (``org``: so
    classed, or with a legal form or a generic word) each as one token of digits: a roman
    numeral (Fund VIII, Bowne II: 8, 2) and a lone I, V or X after a word and before a
    legal form and nothing else (Fund I, L.P.: a series; after another letter an initial,
    J. I. Case; ending the name a letter, which a name screened without a schema reads so
    too, ARGO I, or a word cut by a field limit, "... ORGANIZATION I"). In a name of no
    class that does not read as an organisation's, a numeral of I, V and X ending it
    (a vessel's MARIA III screened without a schema) as its digits, a name word still. In
    both, the word that says "number" before one is dropped ("No. 5", "Nr. 5", "№ 5" are
    "#5", 5). A number in such a name tells one entity from another (a fund's series, a
    vessel, a branch): score.py reads two different numbers as two entities. A person's
    name keeps its roman numeral as a name word (John Smith III: a generation)."""
    if org:
        last = len(out)
        while last and out[last - 1].kind == "legal":
            last -= 1
        if last == len(out):
            last = -1  # no legal form: a letter ending a name is a letter (ARGO I), or a
            # word cut by a field limit ("... ORGANIZATION I")
        out = [_number(t.source) if _numeral(out, k, last) else t for k, t in enumerate(out)]
    elif len(out) > 1 and out[-1].kind == "name" and _SERIES.match(out[-1].text):
        # a name of no class ending in a numeral: its digits, as an organisation's list
        # name writes them, still a name word (it may be a person's generation)
        out[-1] = NameToken(str(roman_value(out[-1].text)), "name", out[-1].source)
    return [t for k, t in enumerate(out)
            if not (t.text in NUMBER_SIGNS and t.kind in ("name", "initial") and k + 1 < len(out)
                    and out[k + 1].kind == "number")]


def _numeral(out: Sequence[NameToken], k: int, last: int) -> bool:
    """Token ``k`` of an organisation's name is a roman numeral (:func:`_numbered`):
    written as one of two letters or more, or a lone I, V or X that is the last word before
    the legal forms (``last``: where they begin) and follows a word."""
    t = out[k]
    if t.kind == "number":
        return not t.text.isdigit()
    if t.kind == "name":
        return _roman(t.text)
    return (t.kind == "initial" and t.text in _LONE_ROMAN and 0 < k == last - 1
            and out[k - 1].kind not in ("initial", "number"))

