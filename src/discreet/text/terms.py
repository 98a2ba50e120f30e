"""Word lists the name parser needs, loaded from the commented YAML files in ``text/data``.

Legal forms (LLC = OOO = ООО = Limited Liability Company), generic organisation words, titles
and particles are data, not code: a reviewer can read and extend them without touching Python.
Each builder is cached; :func:`discreet.text.reset_caches` drops the caches (tests, or after
editing a file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from discreet.text.normalize import tokenize
from discreet.text.phonetic import phonetic_key

__all__ = ["LegalForm", "Terms", "form_variants", "load_yaml", "terms"]

# yaml.safe_load's loader, in C when PyYAML has libyaml (several times faster: the word lists
# are read at the first name screened); the same mappings (tests/test_startup_imports.py)
_YAML_LOADER = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


@dataclass(frozen=True, slots=True)
class LegalForm:
    """A legal form: its canonical code (``llc``) and family (``limited_liability``)."""

    code: str
    family: str


@dataclass(frozen=True, slots=True)
class Terms:
    """Every word list, normalised the way names are (so lookups are plain dict hits)."""

    forms: dict[tuple[str, ...], LegalForm]  # phonetic keys of a variant's tokens -> form
    form_lengths: tuple[int, ...]  # variant lengths in tokens, longest first
    # the same for variants of 2+ words whose last word is cut short ("joint stock compan"):
    # fixed-width fields (payment messages, old list exports) truncate names at the end
    truncated: dict[tuple[str, ...], LegalForm]
    generic: frozenset[str]
    function_words: frozenset[str]  # "of", "the": an organisation's particles (names._kind)
    abbreviations: dict[str, tuple[str, ...]]
    titles: frozenset[str]
    particles: dict[str, str]  # spelling -> canonical particle
    vessel_prefixes: frozenset[str]
    # the article assimilated to a sun letter ("ar", "ud", "an") -> whether it is read so
    # only when joined to the next word by a hyphen (names.py: _assimilated_article)
    assimilated: dict[str, bool] = field(default_factory=dict)
    # one-word forms that are also names or words ("pat", "tov"): read as forms in a name
    # of unknown class only where a form is written (names.py: _legal_forms)
    name_like: frozenset[str] = frozenset()
    # one-word forms as written (case-folded, dots removed: "S.A.L." -> "sal"): where a
    # one-word form may be a name, the token must be one of these, not merely sound like
    # one ("Sall", "Thu", "Watt" share a phonetic key with "sal", "too", "vat")
    written: frozenset[str] = frozenset()
    # words of organisation names in Chinese characters and their Latin spellings' words,
    # longest first (names.py: _han_words)
    han_words: tuple[tuple[str, str], ...] = ()
    # another form of a word in organisation names -> the word it is a form of ("iranian" ->
    # "iran", "savings" -> "saving"), and each such word -> its forms, itself first
    # (data/word_forms.yml; names.py: a form is as generic as its word; pairs.py: a name
    # screened is also read with the other forms of its words)
    word_forms: dict[str, str] = field(default_factory=dict)
    word_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # particles and titles as the lists write them (lower case): the words of a name's own
    # that are no name word (particles.py: a particle a shifted space cut; match/prepare.py:
    # words a name written without vowels writes so anyway)
    bare: frozenset[str] = frozenset()
    # the phonetic key every form's phrase (or cut phrase) begins with: a word whose key is
    # none of them begins no form (names.py: _legal_forms passes it at once)
    form_starts: frozenset[str] = field(init=False, repr=False, compare=False)
    # the bare words of two letters or more less their last letter ("ab" of abu, "e" of
    # el): a word none of a name's words is had no particle or title cut by a shifted space
    # (particles.py passes such a name at once)
    bare_stems: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "form_starts", frozenset(
            key[0] for table in (self.forms, self.truncated) for key in table if key))
        object.__setattr__(self, "bare_stems", frozenset(
            word[:-1] for word in self.bare if len(word) >= 2))


@cache
def load_yaml(name: str) -> dict[str, Any]:
    """One data file of ``discreet.text.data`` as a dict."""
    path = resources.files("discreet.text").joinpath("data").joinpath(name)
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_YAML_LOADER)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping at the top level")
    return data


@cache
def form_variants() -> tuple[tuple[LegalForm, str], ...]:
    """Every legal form's ways of writing it as legal_forms.yml gives them (its code first,
    then its variants, as written): the one walk over the file that every table of forms
    (here and in match/prepare.py) is made from."""
    return tuple((LegalForm(str(code).replace(" ", ""), str(spec["family"])), str(variant))
                 for code, spec in load_yaml("legal_forms.yml")["forms"].items()
                 for variant in [str(code), *spec["variants"]])


def _forms() -> dict[tuple[str, ...], LegalForm]:
    out: dict[tuple[str, ...], LegalForm] = {}
    for form, variant in form_variants():
        tokens = tuple(phonetic_key(t) for t in tokenize(variant))
        if tokens:
            out.setdefault(tokens, form)
    return out


_MIN_KEPT = 4  # letters of a cut-off last word that still say which word it was


def _truncated() -> dict[tuple[str, ...], LegalForm]:
    out: dict[tuple[str, ...], LegalForm] = {}
    for form, variant in form_variants():
        words = tokenize(variant)
        if len(words) < 2:
            continue
        head = tuple(phonetic_key(t) for t in words[:-1])
        for cut in range(_MIN_KEPT, len(words[-1])):
            out.setdefault((*head, phonetic_key(words[-1][:cut])), form)
    return out


def _written() -> frozenset[str]:
    out: set[str] = set()
    for _, variant in form_variants():
        tokens = tokenize(variant)
        if len(tokens) == 1:
            out.add(tokens[0])
    return frozenset(out)


def _one_word(text: object, where: str) -> str:
    words = tokenize(str(text))
    if len(words) != 1:
        raise ValueError(f"word_forms.yml: {where} {text!r} is not one word once normalised")
    return words[0]


def read_word_forms(data: dict[str, Any], generic: frozenset[str]) -> dict[str, str]:
    """Form -> base word of every table of ``data``. A form is read as generic when its
    base is (names.py); a generic form must not be a form of a word that is not, which
    would make it carry names."""
    out: dict[str, str] = {}
    for table in data.values():
        for base_text, forms in table.items():
            base = _one_word(base_text, "base")
            for form_text in forms:
                form = _one_word(form_text, "form")
                if form in out or form == base:
                    raise ValueError(f"word_forms.yml: {form!r} listed twice")
                if form in generic and base not in generic:
                    raise ValueError(f"word_forms.yml: generic {form!r} is a form of "
                                     f"{base!r}, not a generic word")
                out[form] = base
    if not set(out).isdisjoint(out.values()):
        raise ValueError("word_forms.yml: a base word is also listed as a form")
    return out


def _groups(forms: dict[str, str]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for form, base in forms.items():
        groups.setdefault(base, [base]).append(form)
    return {base: tuple(words) for base, words in groups.items()}


@cache
def terms() -> Terms:
    """All word lists, built once."""
    legal = load_yaml("legal_forms.yml")
    names = load_yaml("name_terms.yml")
    forms = _forms()
    abbreviations = {str(k): tokenize(str(v)) for k, v in legal["abbreviations"].items()}
    particles = {str(k): str(v) for k, v in names["particles"].items()}
    titles = frozenset(t for w in names["titles"] for t in tokenize(str(w)))
    generic = frozenset(t for w in legal["generic"] for t in tokenize(str(w)))
    word_forms = read_word_forms(load_yaml("word_forms.yml"), generic)
    return Terms(
        forms=forms,
        form_lengths=tuple(sorted({len(k) for k in forms}, reverse=True)),
        truncated=_truncated(),
        generic=generic,
        function_words=frozenset(t for w in legal["function_words"] for t in tokenize(str(w))),
        abbreviations=abbreviations,
        titles=titles,
        particles=particles,
        vessel_prefixes=frozenset(str(w) for w in names["vessel_prefixes"]),
        assimilated={str(w): hyphen for hyphen in (False, True) for w in
                     names["assimilated_articles"]["hyphen" if hyphen else "free"]},
        name_like=frozenset(t for w in legal.get("name_like", ()) for t in tokenize(str(w))),
        written=_written(),
        han_words=tuple(sorted(((str(k), str(v)) for k, v in
                               (legal.get("han_words") or {}).items()),
                               key=lambda kv: (-len(kv[0]), kv[0]))),
        word_forms=word_forms,
        word_groups=_groups(word_forms),
        bare=frozenset(particles) | titles,
    )
