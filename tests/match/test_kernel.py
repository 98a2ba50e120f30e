"""The compiled kernel (match/_kernel.pyx) gives the numbers the Python rules give.

Edit distances against rapidfuzz; token and syllable similarity, and the name score with
its alignment, against :mod:`discreet.match.similarity` and
:func:`discreet.match.score.name_score`, on generated names built from words that exercise
every rule (transliterations, Baltic endings, Belarusian spellings, abjad skeletons,
initials, joined words, acronyms, lineages, legal forms, numbers, Chinese and Korean; words
written without vowels, words regrouped by a shifted space, names cut by a field limit).
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA, Levenshtein

from discreet.match import _kernel
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.prune import CandidateScores, NameTables, string_forms
from discreet.match.rarity import default_rarity
from discreet.match.score import name_score
from discreet.match.similarity import syllable_similarity, token_similarity
from tests.match.scoring import assert_kernel_scores_as_python

_ALPHABET = "abcdeghiklmnorstuvyz0123"
strings = st.text(alphabet=_ALPHABET, min_size=0, max_size=90)


@settings(max_examples=2000, deadline=None)
@given(strings, strings)
def test_distances_are_rapidfuzz_s(a: str, b: str) -> None:
    assert _kernel.distance(a.encode(), b.encode(), True) == OSA.distance(a, b)
    assert _kernel.distance(a.encode(), b.encode(), False) == Levenshtein.distance(a, b)


# words one slip apart or not: a letter dropped, doubled, replaced or two swapped, of words
# with runs of one letter (where the first letter that differs is not where the slip is)
near = st.text(alphabet="aab", min_size=0, max_size=8).flatmap(lambda a: st.tuples(
    st.just(a), st.one_of(st.text(alphabet="aab", min_size=0, max_size=9), st.builds(
        lambda i, c, how: _slipped(a, i, c, how), st.integers(0, 9), st.sampled_from("abz"),
        st.sampled_from(("drop", "add", "replace", "swap"))))))


def _slipped(word: str, at: int, letter: str, how: str) -> str:
    i = at % (len(word) + 1)
    if how == "add":
        return word[:i] + letter + word[i:]
    if how == "drop":
        return word[:i] + word[i + 1:]
    if how == "replace":
        return word[:i] + letter + word[i + 1:]
    return word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:]


@settings(max_examples=3000, deadline=None)
@given(st.one_of(near, st.tuples(strings, strings)))
def test_one_edit_is_a_distance_of_one(pair: tuple[str, str]) -> None:
    """The one-pass test of a slip (what the bound asks of every pair of words of near
    length) says what the distance says, for words a slip apart and words further apart,
    of up to 64 letters and longer."""
    a, b = pair
    assert _kernel.one_edit(a.encode(), b.encode()) == (
        _kernel.distance(a.encode(), b.encode(), True) == 1)
    long_a, long_b = "x" * 60 + a, "x" * 60 + b  # past one machine word: the full table
    assert _kernel.one_edit(long_a.encode(), long_b.encode()) == (
        _kernel.distance(long_a.encode(), long_b.encode(), True) == 1)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(near, st.tuples(strings, strings)), st.booleans(), st.integers(-1, 2))
def test_apart_at_most_is_the_distance_s(pair: tuple[str, str], transpositions: bool,
                                         most: int) -> None:
    """The one-pass test of words the same or one edit apart (what the bound asks of vowel
    skeletons) says what the distance says, with and without transpositions."""
    for a, b in (pair, ("x" * 60 + pair[0], "x" * 60 + pair[1])):
        assert _kernel.apart_at_most(a.encode(), b.encode(), transpositions, most) == (
            _kernel.distance(a.encode(), b.encode(), transpositions) <= most)


def test_one_edit_reads_letters_as_the_distance_does() -> None:
    """Bytes past 127 compare by their lower 7 bits in both (the distance's table of
    letters), so the slip test and the distance agree on them too."""
    for a, b in ((b"ab\xe1c", b"abac"), (b"abcd", b"abdc"), (b"abcd", b"abxd"),
                 (b"abcd", b"abd"), (b"abc", b"abc"), (b"abcd", b"badc")):
        assert _kernel.one_edit(a, b) == (_kernel.distance(a, b, True) == 1), (a, b)
    assert _kernel.one_edit(b"abcd", b"abdc")
    assert not _kernel.one_edit(b"abcd", b"badc")


TOKENS = ["vladimir", "wladimir", "vladimirovich", "wladimirowitsch", "putin", "pootin",
          "sergey", "sergejs", "lavrov", "lavrovs", "lavrovas", "sviatlana", "svetlana",
          "zakharau", "zakharov", "mhmd", "muhammad", "mohamed", "ahmd", "ahmad", "hsn",
          "hassan", "abdulrahman", "abdul", "rahman", "bin", "al", "v", "s", "44", "7",
          "ltd", "llc", "ooo", "trading", "chun", "jun", "song", "jong", "jeong", "kim",
          "gim", "ri", "lee", "yi", "xi", "hsi", "zhang", "chang", "a", "i", "o", "ab", "aa",
          "vldmr", "ptn", "kdyrv", "kdrv", "kadyrov", "rmzn", "ramzan", "bkr", "bakr", "abu",
          "ahmd", "srgy", "srg", "brkv", "borkov", "yy", "mr", "mary", "lzr", "nawwfal",
          "nofal", "ruubinov", "rubinau", "sergejss", "gamall", "jamal", "shamm", "cham",
          "juanitto", "juan", "reed", "red", "nikoali", "mikalai", "vikor", "viktar",
          "kadni", "kadzin", "sancho", "sanchez", "hai", "hejeij", "kmi", "nur", "nru",
          "osta", "otsa", "la", "amna", "mana", "vgr", "vehera", "siarhei", "krlv",
          "karaliou", "kdn", "mkhlvn", "mikhailauna", "oklch", "akulich"]
tokens = st.one_of(st.sampled_from(TOKENS), st.text(alphabet=_ALPHABET, min_size=1, max_size=9))


def _strings(*texts: str) -> _kernel.Strings:
    return _kernel.Strings([string_forms(t) for t in texts])


@settings(max_examples=3000, deadline=None)
@given(tokens, tokens, st.booleans())
def test_token_similarity_is_python_s(a: str, b: str, abjad: bool) -> None:
    compiled = _kernel.token_similarity(_strings(a, b), 0, 1, abjad)
    assert compiled == token_similarity.__wrapped__(a, b, abjad)


@settings(max_examples=1500, deadline=None)
@given(tokens, tokens, st.sampled_from([(1, "han"), (2, "hangul")]))
def test_syllable_similarity_is_python_s(a: str, b: str, script: tuple[int, str]) -> None:
    compiled = _kernel.syllable_similarity(_strings(a, b), 0, 1, script[0])
    assert compiled == syllable_similarity.__wrapped__(a, b, script[1])


WORDS = ["Vladimir", "Wladimir", "Vladimirovich", "PUTIN", "Pootin", "VladimirPutin",
         "Sergejs", "Lavrovs", "Sergey", "Lavrov", "Sviatlana", "Svetlana", "Zakharau",
         "Mohammed", "Muhammad", "bin", "ibn", "al", "Salman", "Osama", "Laden", "Ladin",
         "Abdul", "Rahman", "Abdulrahman", "Hassan", "Ali", "V.", "S", "44", "Brigade",
         "LLC", "OOO", "JSC", "Limited", "Trading", "Company", "Group", "International",
         "Islamic", "Revolutionary", "Guard", "Corps", "IRGC", "Banco", "Nacional", "de",
         "Cuba", "BNC", "Dr", "Sheikh", "محمد", "احمد", "حسن", "Владимир", "Путин", "金正恩",
         "김정은", "KIM", "Jong", "Un", "习近平", "XI", "Jinping", "Chun", "Song", "Ri",
         "Vldmr", "Ptn", "Slmn", "Ahmd", "Ab", "Malik", "Noorzai", "Malikn", "Oorzai",
         "Vladimi", "rPutin", "Revolut", "Internat", "Gu", "Tradin", "Lim", "Vladimirovic",
         "Noorzay", "Marques", "Markus", "Vargas", "Wargos", "Gazprom", "Gazpron", "Los",
         "Nawwfal", "Nofal", "Ruubinov", "Rubinau", "Shamm", "Cham", "Aleksand", "rPetrovich",
         "Aliaksandr", "Piatrovich", "Zaina", "bHoussein", "Zeinab", "Hussein", "Nikoali",
         "Mikalai", "Konstatin", "Kanstantsin", "Olen", "aPOPOVA", "Alena", "PAPOVA",
         "Sergeii", "Yevgeneviich", "Sergei", "Yevgenevich"]
names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)


def _prepared(text: str, cls: str) -> PreparedName:
    return prepare_name(text, cls, default_rarity())  # type: ignore[arg-type]


@settings(max_examples=1500, deadline=None)
@given(names, st.lists(names, min_size=1, max_size=4), st.sampled_from(["person", "org", "any"]))
def test_name_scores_and_alignments_are_python_s(text: str, listed: list[str], cls: str) -> None:
    q = _prepared(text, cls)
    candidates = [_prepared(t, cls) for t in listed]
    assert_kernel_scores_as_python(q, candidates)


FORM_WORDS = ["Sa", "SA", "S.A.", "AG", "Ag", "A.G.", "OOO", "Pat", "PAT", "ТОВ", "Tov",
              "Sal", "S.A.L.", "Co.", "Co", "Trading", "Helios", "Andes", "Ali", "Rossi",
              "Sp. z o.o.", "GmbH", "Bank"]
form_names = st.lists(st.sampled_from(FORM_WORDS), min_size=1, max_size=4).map(" ".join)
# one word of substance with forms and generic words: score.lone_variant's names
LONE_WORDS = ["Marques", "Markus", "Vargas", "Wargos", "Barros", "Barus", "Rios", "Rojos",
              "Gazprom", "Gazpron", "Gzprm", "Terneftgas", "Terneftegaz", "Feeza", "Faiza",
              "Lukoyl", "Lukoil", "LLC", "OOO", "Los", "Industry", "Trading", "GmbH", "7"]
lone_names = st.lists(st.sampled_from(LONE_WORDS), min_size=1, max_size=3).map(" ".join)


@settings(max_examples=1500, deadline=None)
@given(form_names, st.lists(form_names, min_size=1, max_size=4),
       st.sampled_from(["person", "org", "any"]), st.sampled_from(["person", "org", "any"]))
def test_a_form_written_as_a_word_pairs_as_python_pairs_it(
        text: str, listed: list[str], cls: str, listed_cls: str) -> None:
    """A legal form pairs with the word it was written as where the other name reads that
    word as a name ("SA" of a name of unknown class, "S.A." of a company's): the kernel's
    scores, alignments and bounds follow Python's, across name classes."""
    q = _prepared(text, cls)
    candidates = [_prepared(t, listed_cls) for t in listed]
    assert_kernel_scores_as_python(q, candidates)


def test_a_company_written_with_or_without_dots_is_the_same_name() -> None:
    listed = _prepared("CEMENTOS ANDINOS S.A.", "org")
    for text in ("Cementos Andinos SA", "CEMENTOS ANDINOS SA", "Cementos Andinos S.A."):
        for cls in ("any", "org"):
            q = _prepared(text, cls)
            assert name_score(q, listed).score == 1.0, (text, cls)
            assert CandidateScores(NameTables([listed]), q, [0]).score(0) == 1.0, (text, cls)
    # the form is not any name: another company's AG is not this SA
    assert name_score(_prepared("Cementos Andinos SA", "any"),
                      _prepared("CEMENTOS ANDINOS AG", "org")).score < 1.0


def test_the_kernel_leaves_two_names_in_one_syllabic_script_to_python() -> None:
    """Two names both in Chinese characters are compared character by character
    (score._same_script_cap): the kernel says NaN and Python scores them."""
    q, listed = _prepared("习近平", "person"), _prepared("习近军", "person")
    tables = NameTables([listed])
    kernel = tables.kernel()
    assert math.isnan(kernel.score(tables.query(q), 0))
    assert CandidateScores(tables, q, [0]).score(0) == name_score(q, listed).score < 0.7


def test_the_kernel_scores_names_in_two_other_scripts() -> None:
    """A Cyrillic query against a Cyrillic list name needs no character comparison: the
    kernel scores it, as Python does."""
    q, listed = _prepared("Владимир Путин", "person"), _prepared("Путин Владимир", "person")
    tables = NameTables([listed])
    assert tables.kernel().score(tables.query(q), 0) == name_score(q, listed).score == 1.0


def _typo(name: str, kind: int, at: int) -> str:
    """``name`` with one typing error: a space moved one letter (0), vowels left out after
    each word's first letter (1), cut at a field limit (2)."""
    if kind == 0:
        spaces = [i for i in range(1, len(name) - 2) if name[i] == " "]
        if not spaces:
            return name
        i = spaces[at % len(spaces)]
        return name[:i] + name[i + 1] + " " + name[i + 2:] if at % 2 else \
            name[:i - 1] + " " + name[i - 1] + name[i + 1:]
    if kind == 1:
        return "".join(c for k, c in enumerate(name)
                       if not (k and name[k - 1].isalpha() and c.lower() in "aeiouy"))
    return name[:20 + at % 30].rstrip() or name


@settings(max_examples=1500, deadline=None)
@given(st.lists(names, min_size=1, max_size=4), st.integers(0, 2), st.integers(0, 99),
       st.sampled_from(["person", "org", "any"]))
def test_typing_errors_score_as_python_scores_them(listed: list[str], kind: int, at: int,
                                                   cls: str) -> None:
    """A listed name with a space shifted, its vowels left out or cut at a field limit: the
    kernel's vowel-less, regrouped and truncated pairs, scores and bounds are Python's."""
    q = _prepared(_typo(listed[0], kind, at), cls)
    candidates = [_prepared(t, cls) for t in listed]
    assert_kernel_scores_as_python(q, candidates)


@settings(max_examples=1500, deadline=None)
@given(lone_names, st.lists(lone_names, min_size=1, max_size=4),
       st.sampled_from(["person", "org", "any"]), st.sampled_from(["person", "org", "any"]))
def test_a_lone_words_variant_is_capped_as_python_caps_it(
        text: str, listed: list[str], cls: str, listed_cls: str) -> None:
    """An organisation's one word met by a loose variant (score.lone_variant): the kernel's
    scores and bounds are Python's, across name classes."""
    q = _prepared(text, cls)
    candidates = [_prepared(t, listed_cls) for t in listed]
    assert_kernel_scores_as_python(q, candidates)


# names in Chinese characters or Hangul, and romanised queries built of their syllables in
# several romanisations, orders and spacings (with other words and one-letter initials)
SYLLABIC_NAMES = ["金正恩", "김정은", "习近平", "王伟", "张伟", "李娜", "刘洋", "陈静", "周恩来",
                  "毛泽东", "邓小平", "박성민", "이순신", "최영", "김일성", "정은", "王", "李小龙"]
ROMANISED = ["Kim", "Gim", "Jong", "Jeong", "Chong", "Un", "Eun", "Jongun", "Xi", "Hsi", "Jin",
             "Chin", "Ping", "Jinping", "Wang", "Wong", "Wei", "Wai", "Zhang", "Chang", "Li",
             "Lee", "Yi", "Ri", "Na", "Liu", "Yang", "Chen", "Jing", "Ching", "Zhou", "Chou",
             "Enlai", "En", "Lai", "Mao", "Zedong", "Tse", "Tung", "Deng", "Xiaoping", "Park",
             "Pak", "Bak", "Seong", "Sung", "Min", "Sun", "Shin", "Sin", "Choi", "Choe", "Young",
             "Yeong", "Il", "Sung", "Long", "Bruce", "J", "K", "W", "Vladimir", "Ltd", "Group"]
romanised = st.lists(st.sampled_from(ROMANISED), min_size=1, max_size=5).map(" ".join)


@settings(max_examples=2000, deadline=None)
@given(romanised, st.lists(st.sampled_from(SYLLABIC_NAMES), min_size=1, max_size=5),
       st.sampled_from(["person", "org", "any"]))
def test_a_romanised_query_is_bounded_against_names_in_syllables(
        text: str, listed: list[str], cls: str) -> None:
    """A query in Latin letters against names in Chinese characters or Hangul: the kernel
    bounds each pair by which words may pair as syllables (the query's strings carry their
    syllable keys); Python scores the pairs, and the bound is never below the score."""
    q = _prepared(text, cls)
    candidates = [_prepared(t, "person") for t in listed] + [_prepared("Wang Wei", "person")]
    assert_kernel_scores_as_python(q, candidates)


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(SYLLABIC_NAMES), st.lists(romanised, min_size=1, max_size=5),
       st.sampled_from(["person", "org", "any"]))
def test_a_query_in_syllables_is_bounded_against_romanised_names(
        text: str, listed: list[str], cls: str) -> None:
    """The other way round: a query in Chinese characters or Hangul against romanised names
    (and one in the other syllabic script), each bounded by syllables only."""
    q = _prepared(text, cls)
    candidates = [_prepared(t, cls) for t in listed] + [_prepared("김정은", "person"),
                                                        _prepared("王伟", "person")]
    assert_kernel_scores_as_python(q, candidates)


def test_a_romanised_query_is_no_longer_bounded_at_one_against_syllables() -> None:
    """The bound of a romanised query against a name in Chinese characters or Hangul that
    shares no syllable with it is the score with every word unmatched: well below the
    threshold, so the pair is never scored (it was bounded at 1.0 and always scored)."""
    tables = NameTables([_prepared("王伟", "person"), _prepared("김정은", "person")])
    for text in ("Doo Mullins", "Maria Garcia"):
        scores = CandidateScores(tables, _prepared(text, "person"), [0, 1], floor=0.7)
        assert max(scores.loose) < 0.5, text
    latin = NameTables([_prepared("Doo Mullins", "person"), _prepared("Wang Wei", "person")])
    scores = CandidateScores(latin, _prepared("王伟", "person"), [0, 1], floor=0.7)
    assert scores.loose[0] < 0.5 and scores.loose[1] == 1.0  # the other way round
    scores = CandidateScores(tables, _prepared("Wang Wei", "person"), [0, 1], floor=0.7)
    assert scores.loose[0] == 1.0
    assert scores.score(0) == name_score(_prepared("Wang Wei", "person"),
                                         _prepared("王伟", "person")).score
