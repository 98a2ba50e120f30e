"""Score bounds: never below the real score, and the matcher returns what it would without
them (and without the compiled scores: every candidate aligned in Python)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import discreet.match.matcher as matcher_module
from discreet.match import Matcher, Query
from discreet.match.align import join_spans
from discreet.match.prepare import PreparedName, prepare_name
from discreet.match.prune import CandidateScores, NameTables, name_records
from discreet.match.rarity import default_rarity
from discreet.match.score import NameScore, name_score
from discreet.model import DateSpec, Entity, Name

NAMES = [
    "Vladimir Vladimirovich PUTIN", "Владимир Путин", "Wladimir Putin", "VladimirPutin",
    "Patr ushev Nikolai", "Nikolai PATRUSHEV", "Mohammed bin Salman Al Saud",
    "Muhammad bin Salman", "محمد بن سلمان", "محمد احمدی", "MOHAMMAD AHMADI", "Abdul Rahman",
    "Abdulrahman", "عبدالرحمان زاهد", "ABDUL RAHMAN ZAHED", "ولی جان", "WALIJAN",
    "حبیب الله رشاد", "HABIBULLAH RESHAD", "Kim Jong Un", "김정은", "习近平", "Xi Jinping",
    "V. Putin", "OAO Gazprom", "Open Joint Stock Company Gazprom", "Gazprom Neft",
    "Global Trading Company Ltd", "Trading Company Ltd", "KSK Group", "Казаков Групп",
    "Sergey Ivanov", "Sergey Lavrov", "Sergey Viktorovich LAVROV", "Brigade 44", "JSC SMN",
    "Osama bin Laden", "Usama bin Muhammad bin Awad bin Ladin", "Hamza bin Usama bin Laden",
    "Ali bin Omar bin Khalid Al-Harbi", "Ali bin Hassan bin Khalid Al-Harbi", "Sergejs Lavrovs",
]
ORGS = ["IRGC", "Islamic Revolutionary Guard Corps", "IRGC Guard Corps", "BNC",
        "Banco Nacional de Cuba", "Banco Nacional", "ROSOBORONEXPORT JOINT STOCK COMPA",
        "Rosoboronexport JSC", "PLA China", "Peoples Liberation Army"]


def prepared(text: str, cls: str = "any") -> PreparedName:
    return prepare_name(text, cls, default_rarity())  # type: ignore[arg-type]


def bounds_of(q: PreparedName, names: list[PreparedName]) -> list[float]:
    """The kernel's bound of ``q`` against each of ``names`` (an index of just them)."""
    return CandidateScores(NameTables(names), q, range(len(names))).loose


def test_bound_is_never_below_the_score() -> None:
    names = [prepared(n) for n in NAMES]
    for q in names:
        for listed, bound in zip(names, bounds_of(q, names), strict=True):
            assert bound >= name_score(q, listed).score - 1e-9, (q.original, listed.original)


def test_bound_is_never_below_the_score_for_organisations() -> None:
    names = [prepared(n, "org") for n in ORGS] + [prepared(n) for n in ORGS]
    for q in names:
        for listed, bound in zip(names, bounds_of(q, names), strict=True):
            assert bound >= name_score(q, listed).score - 1e-9, (q.original, listed.original)


def test_bound_rules_out_a_contradicting_name() -> None:
    q = prepared("John Smith", "person")
    other, same = prepared("John Williams", "person"), prepared("Jon Smyth", "person")
    bound_other, bound_same = bounds_of(q, [other, same])
    assert bound_other < 0.7 <= bound_same


def test_bound_keeps_names_written_apart_or_joined() -> None:
    q = prepared("Vladimir Putin", "person")
    joined = prepared("VladimirPutin", "person")
    assert bounds_of(q, [joined])[0] >= name_score(q, joined).score
    assert bounds_of(joined, [q])[0] >= name_score(joined, q).score


def test_bound_works_without_precomputed_spans() -> None:
    q = prepared("Patr ushev")
    listed = prepared("Patrushev")
    bare = PreparedName(listed.original, listed.tokens, listed.kinds, listed.sources,
                        listed.families, listed.weights, listed.total, listed.legal)
    assert bare.spans is None
    assert bounds_of(q, [bare])[0] >= name_score(q, listed).score


def test_bound_holds_for_chinese_and_korean_syllables() -> None:
    """A syllable pairs by its romanisation key (jun / chun), which no edit distance sees:
    the bound must count such pairs too."""
    for text, listed in (("宋军", "RI CHUN SONG"), ("김정은", "KIM Jong Un"),
                         ("习近平", "XI Jinping"), ("이영호", "RI Yong Ho")):
        q, name = prepared(text, "person"), prepared(listed, "person")
        assert bounds_of(q, [name])[0] >= name_score(q, name).score - 1e-9, (text, listed)


# made-up names: a query run with an initial ("Bedor K.": bedork) and a list word with the
# same consonants that only _fuzzy's swap discount brings to the consonant rule's edit
# similarity (bedork / ebdarko: three edits, one a swap, 1 - 2.5 / 7)
SWAPPED_JOINS = (("Tomas Bedor K. Lind", "Ebdarko LIND Supaqi"),
                 ("Tomas Bedor K Lind", "Ebdarko LIND"),
                 ("Anja Selim T. Brov", "Eslamta BROV"),
                 ("Ebdarko Lind", "Bedor K. Lind"))  # a long query word against a list run


@pytest.mark.parametrize(("text", "listed"), SWAPPED_JOINS)
def test_bound_counts_a_joined_pair_reached_by_a_discounted_swap(text: str,
                                                                 listed: str) -> None:
    """The bound's test for joined pairs (at the join cut, above min_sim) must discount
    swaps as similarity._fuzzy does, or a threshold between bound and score would drop a
    name the threshold-0 run finds."""
    q, name = prepared(text, "person"), prepared(listed, "person")
    score = name_score(q, name)
    assert any(len(p.query) > 1 or len(p.listed) > 1 for p in score.alignment.pairs)
    assert bounds_of(q, [name])[0] >= score.score - 1e-9 > 0.0


@pytest.mark.parametrize(("text", "listed"), [
    ("Tomas Bedor K. Lind", "Ebdarmo LIND Supaqi"),  # other consonants: no pair
    ("Tomas Bedor Lind", "Ebdarko LIND Supaqi")])  # no initial to join
def test_bound_stays_low_where_no_swap_makes_a_joined_pair(text: str, listed: str) -> None:
    """The discount loosens only pairs it can lift to the join cut: these stay pruned."""
    q, name = prepared(text, "person"), prepared(listed, "person")
    assert bounds_of(q, [name])[0] < 0.1


def test_join_spans_lists_runs_of_two_and_three() -> None:
    assert join_spans(("a", "b", "c"), ("name", "name", "name")) == (
        (0, 2, "ab"), (0, 3, "abc"), (1, 2, "bc"))
    assert join_spans(("a", "44", "c"), ("name", "number", "name")) == ()


words = st.sampled_from(["ali", "hassan", "hussein", "mhmd", "ahmad", "al", "bin", "abdul",
                         "rahman", "putin", "vladimir", "ltd", "trading", "44", "v", "smn",
                         "saddam", "sdm", "tikriti", "rostec", "ooo", "chun", "jun", "song"])


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=1, max_size=5), st.lists(words, min_size=1, max_size=5),
       st.sampled_from(["person", "org", "any"]))
def test_bound_is_sound_for_any_token_mix(a: list[str], b: list[str], cls: str) -> None:
    q, listed = prepared(" ".join(a), cls), prepared(" ".join(b), cls)
    assert bounds_of(q, [listed])[0] >= name_score(q, listed).score - 1e-9


_RUNS = [("patr ushev", "patrushev"), ("habib ullah", "habibullah"), ("wali jan", "walijan"),
         ("abdul rahman", "abdurrahman"), ("al saud", "alsaud"), ("bin ladin", "binladin"),
         ("mohammed ali", "mohammedali")]
_OTHERS = st.lists(st.sampled_from(["jan", "saud", "nikolai", "ali", "bin", "al", "v"]),
                   max_size=2)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_RUNS), st.booleans(), _OTHERS, _OTHERS)
def test_the_pass_scores_a_run_joined_either_way_as_python_does(
        run: tuple[str, str], flip: bool, before: list[str], after: list[str]) -> None:
    """The pass aligns with the bound's bits, which rule out pairs (a list word against a
    run of the query's words too): never one that Python's alignment makes."""
    apart, joined = run if not flip else run[::-1]
    q = prepared(" ".join([*before, apart, *after]), "person")
    listed = prepared(" ".join([joined, *after]), "person")
    assert CandidateScores(NameTables([listed]), q, [0]).score(0) == \
        name_score(q, listed).score


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    entities = []
    for i, (a, b) in enumerate(itertools.pairwise(NAMES + ORGS)):
        schema = "Company" if any(w in a for w in ("Gazprom", "Ltd", "Group", "JSC", "Corps",
                                                   "Banco", "Army")) else "Person"
        entity = Entity(f"e{i}", schema, source="test", names=[Name(a)])
        entity.add_name(b, "weak" if i % 3 == 0 else "alias")
        entity.birth_dates.append(DateSpec(f"19{50 + i}"))
        entities.append(entity)
    entities += [Entity(f"f{i}", "Person", source="test", names=[Name(f"Sergey Filler{i}")])
                 for i in range(40)]
    return Matcher.from_entities(entities)


def results(m: Matcher, query: Query, threshold: float | None
            ) -> list[tuple[str, float, dict[str, Any]]]:
    return [(r.entity.id, round(r.score, 9), r.explanation.to_dict())
            for r in m.match(query, limit=5, threshold=threshold)]


class _AlignEverything(CandidateScores):
    """No bound (1.0 for every candidate) and every name score from Python's name_score."""

    def __init__(self, tables: NameTables, q: PreparedName, positions: object,
                 floor: float = 0.0, lowered: object = None) -> None:
        self.tables, self.q = tables, q
        self.positions = list(positions)  # type: ignore[call-overload]
        self.loose = [1.0] * len(self.positions)
        self.marked = [name_score(q, tables.names[p]).score for p in self.positions]

    def name_score(self, k: int) -> NameScore:
        return name_score(self.q, self.tables.names[self.positions[k]])


def test_pruned_compiled_matching_equals_aligning_every_candidate_in_python(
        matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    queries = [Query(n) for n in NAMES + ORGS] + [
        Query("Sergey Petrov", schema="Person"), Query("Sergey", birth_date="1960"),
        Query("Putin Vladimir", countries=("ru",)), Query("Gasprom", schema="Company"),
        Query("IRGC", schema="Organization"), Query("宋军", schema="Person")]
    pruned = [results(matcher, q, t) for q in queries for t in (None, 0.0, 0.5)]
    monkeypatch.setattr(matcher_module, "CandidateScores", _AlignEverything)
    full = [results(matcher, q, t) for q in queries for t in (None, 0.0, 0.5)]
    assert pruned == full


def test_which_candidates_are_written_in_syllables() -> None:
    """Whether a name in Chinese characters or Hangul is among a query's candidates (its
    strings then carry their syllable keys), read by the kernel for any set of candidates,
    agrees with the tables; none is in tables without such a name."""
    texts = ["Kim Jong Un", "김정은", "Xi Jinping", "习近平", "Wladimir Putin", "Владимир Путин",
             "محمد احمدی", "金正恩"]
    tables = NameTables([prepared(t) for t in texts])
    written = [False, True, False, True, False, False, False, True]
    assert [bool(tables.arrays["syllabic"][p]) for p in range(len(texts))] == written
    for size in range(len(texts) + 1):
        for chosen in itertools.combinations(range(len(texts)), size):
            assert tables.syllabic_among(list(chosen)) == any(written[p] for p in chosen)
    latin = NameTables([prepared(t) for t in texts if not written[texts.index(t)]])
    assert not latin.syllabic_among(list(range(5)))


def test_names_written_alike_are_bounded_and_scored_as_each_alone() -> None:
    """Candidates whose names read alike in every table (one name listed for several
    entities) share one bound, one score and one alignment; a name of the same words
    that differs in anything the kernel reads (a person's against a company's, whose
    "Trading" is a generic word of less weight) keeps its own, each as it scores alone."""
    texts = [("Harker Trading", "person"), ("Harker Trading", "person"),
             ("Harker Trading", "org"), ("Harker Trading Group", "org"),
             ("Harker Trading", "person"), ("Harkers Tradings", "person"),
             ("Mina Harker", "person"), ("Harker Trading", "org"),
             ("Harkers Tradings", "person"), ("Mina Harker", "person")]
    names = [prepared(t, cls) for t, cls in texts]
    tables = NameTables(names)
    every = range(len(names))
    for query in ("Harker", "Harker Trading", "Harkr Trading", "Trading Harker Group",
                  "Mina Harkers"):
        for cls in ("person", "org"):
            q = prepared(query, cls)
            together = CandidateScores(tables, q, every)
            for k in every:
                alone = CandidateScores(tables, q, [k])
                assert together.loose[k] == alone.loose[0], (query, texts[k])
                real = name_score(q, names[k], tables.swap_readings_of)
                assert together.score(k) == alone.score(0) == real.score, (query, texts[k])
                assert together.name_score(k) == real, (query, texts[k])
    q = prepared("Harker", "person")  # the same words, another name: another score
    assert CandidateScores(tables, q, [0]).score(0) != CandidateScores(tables, q, [2]).score(0)


def test_a_very_long_candidate_list_is_scored_without_the_look_up_of_names_read_alike() -> None:
    """Past 65,536 candidates (an exhaustive pass over a large index) the kernel does not
    look for names read alike (its table would leave the cache): every candidate stands for
    itself, with the bound and score it has in a short list."""
    texts = [("Harker Trading", "person"), ("Harker Trading", "person"),
             ("Harker Trading", "org"), ("Mina Harker", "person"), ("Harkr Tradin", "person")]
    names = [prepared(t, cls) for t, cls in texts]
    tables = NameTables(names)
    q = prepared("Harker Trading", "person")
    short = CandidateScores(tables, q, range(len(names)))
    assert short._twins[1] == 0  # a short list shares one name's score
    many = list(range(len(names))) * (65_536 // len(names) + 1)
    long = CandidateScores(tables, q, many)
    assert long._twins == list(range(len(many)))
    for k in range(len(many)):
        assert long.loose[k] == short.loose[many[k]]
    for k in (0, 1, 2, 3, 4, len(many) - 1):
        assert long.score(k) == short.score(many[k])


def test_a_twin_below_its_floor_leaves_the_next_to_be_scored() -> None:
    """The first of two names read alike lies below the floor (its entity's other evidence
    lowers it) and is not scored; the second, not lowered, is scored all the same, and a
    third takes the second's score."""
    import numpy as np
    names = [prepared("Lucy Westenra", "person")] * 3 + [prepared("Arthur Holmwood", "person")]
    tables = NameTables(names)
    lowered = np.zeros(len(names), np.float64)
    lowered[0] = -1.0
    q = prepared("Lucy Westenra", "person")
    scores = CandidateScores(tables, q, range(4), floor=0.9, lowered=lowered)
    assert scores.marked[0] == -1.0  # below its floor: left unscored in the pass
    assert scores.marked[1] == scores.marked[2] == 1.0
    assert scores.score(0) == 1.0


def test_a_name_python_scores_is_shared_only_with_a_name_written_alike() -> None:
    """Two names in Chinese characters are scored by Python (it compares the characters,
    which the kernel's tables do not hold): a name listed again, written alike, takes the
    score Python gave it; one of the same romanised words in other characters (王偉 beside
    王伟, the same twin to the kernel) is scored for itself, and scores otherwise."""
    texts = ["王伟", "王伟", "王偉", "王伟", "张伟", "王偉"]
    names = [prepared(t, "person") for t in texts]
    tables = NameTables(names)
    q = prepared("王伟", "person")
    scores = CandidateScores(tables, q, range(len(names)))
    assert scores._twins[:4] == [0, 0, 0, 0]  # one name to the kernel
    real = [name_score(q, n, tables.swap_readings_of).score for n in names]
    assert [scores.score(k) for k in range(len(names))] == real
    assert real[0] == real[1] == real[3] != real[2] == real[5]


def test_words_with_the_space_shifted_are_made_only_when_align_reads_them() -> None:
    """The forms of a query's words with the space one letter off (four new strings a run
    of two words) are made when the kernel's align first compares a shifted run, not with
    the query: a query against names no shift can pair never makes them; against a name its
    shifted space reads as (made-up names), it makes them and scores as Python does."""
    shifted = prepared("Tomisla vKRENOVIC", "person")
    listed = [prepared(t, "person") for t in ("Tomislav KRENOVIC", "Ossian BRANDT")]
    tables = NameTables(listed)
    other = CandidateScores(tables, shifted, [1])
    assert other._query.shifted is None  # no shifted run was compared
    assert other.score(0) == name_score(shifted, listed[1], tables.swap_readings_of).score
    assert other._query.shifted is None
    scores = CandidateScores(tables, shifted, [0])
    assert scores._query.shifted is not None and len(scores._query.shifted) == 4
    real = name_score(shifted, listed[0], tables.swap_readings_of)
    assert any(p.method == "regrouped" for p in real.alignment.pairs)
    assert scores.score(0) == real.score
    assert scores.name_score(0) == real
    clean = prepared("Petra LINDQVIST", "person")  # a clean name: no shift, low score
    assert CandidateScores(tables, clean, [0, 1])._query.shifted is None
    assert CandidateScores(tables, clean, [0]).score(0) < 0.5


def test_shifted_words_that_cannot_be_made_fail_the_pass(monkeypatch: pytest.MonkeyPatch,
                                                          ) -> None:
    """When the shifted words' forms cannot be made (no memory), the pass that asked them
    raises the error (no score is given without them); a pass that never asks them is
    not touched."""
    import discreet.match.prune as prune

    def failing(tokens: Any, runs: Any, syllables: bool) -> Any:
        raise MemoryError("no room for the shifted words")

    monkeypatch.setattr(prune, "_shifted_forms", failing)
    listed = [prepared(t, "person") for t in ("Tomislav KRENOVIC", "Ossian BRANDT")]
    tables = NameTables(listed)
    q = prepared("Tomisla vKRENOVIC", "person")
    assert CandidateScores(tables, q, [1]).loose[0] < 1.0  # never asks: no error
    with pytest.raises(MemoryError, match="shifted words"):
        CandidateScores(tables, q, [0])


_WORDS = ["anna", "marek", "sa", "ltd", "jsc", "harker", "mina", "nikolai", "kolya", "bill",
          "william", "trading", "group", "a", "m", "the", "of", "de", "x9", "nick"]
_KIND_NAMES = ["name", "name", "name", "legal", "generic", "initial", "particle", "number",
               "patronymic"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_KIND_NAMES),
                          st.sampled_from(["sa", "s a", "ltd", "jsc", "x"])),
                min_size=0, max_size=8),
       st.sets(st.sampled_from(_WORDS)), st.sets(st.sampled_from(["ham", "amh", "tg"])),
       st.booleans())
def test_the_compiled_query_lists_are_the_python_rule(
        words: list[tuple[str, str, str]], listed: set[str], initials: set[str],
        given: bool) -> None:
    """prune.reference_lists (the rule) and the kernel's query_lists give the same word
    ids (a word no list writes numbered by its place), legal forms' sources (only a form
    written as one word), kind codes, initials, runs and given-name equivalents, for
    generated tokens of every kind against generated vocabularies."""
    from discreet.match._kernel import query_lists
    from discreet.match.prune import _KIND_CODES, reference_lists
    from discreet.text.given_names import equivalents, given_names
    tokens = tuple(t for t, _, _ in words)
    kinds = tuple(k for _, k, _ in words)
    sources = tuple(s if k == "legal" else t for t, k, s in words)
    vocabulary = {w: i for i, w in enumerate(sorted(listed | {"s a", "william"}))}
    spell = {w: i for i, w in enumerate(sorted(initials | {"tg"}))}
    spans = join_spans(tokens, kinds)
    args = (tokens, kinds, sources, spans, vocabulary, spell, _KIND_CODES,
            equivalents if given else None)
    assert query_lists(*args) == reference_lists(*args)
    # told the words the given names' table has any equivalents for, it asks only those
    # (qp22: a Python call a new word), with the same answers
    assert query_lists(*args, given=given_names().groups) == reference_lists(*args)


_ACRONYM_WORDS = [*_WORDS, "co", "corp", "inc", "and", "1st", "mn", "ma", "am"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ACRONYM_WORDS), st.sampled_from(_KIND_NAMES)),
                min_size=0, max_size=10),
       st.sets(st.sampled_from(["amh", "mam", "ama", "mmm", "mamc", "amhaa", "amam"])))
def test_the_compiled_acronym_ids_are_align_acronym_runs(
        words: list[tuple[str, str]], listed: set[str]) -> None:
    """The kernel's acronym_ids (what the query's kernel form reads of its acronym runs) is
    align.acronym_runs as query_lists read it: the initials' word id, first and last token
    of each run, in the runs' order, for generated words of every kind (the company words
    before and after a run, words left out of the initials, numbers inside)."""
    from discreet.match._kernel import acronym_ids
    from discreet.match.align import acronym_runs
    from discreet.match.prune import _ACRONYM_RULES
    tokens = tuple(t for t, _ in words)
    kinds = tuple(k for _, k in words)
    vocabulary = {w: i for i, w in enumerate(sorted(listed))}
    assert acronym_ids(tokens, kinds, vocabulary, *_ACRONYM_RULES) == [
        (vocabulary.get(initials, -1), span[0], span[-1])
        for initials, span in acronym_runs(tokens, kinds).items()]


def test_query_lists_asks_a_kind_and_a_source_of_every_token() -> None:
    from discreet.match._kernel import query_lists
    from discreet.match.prune import _KIND_CODES
    with pytest.raises(ValueError, match="every token"):
        query_lists(("anna", "marek"), ("name",), ("anna", "marek"), (), {}, {}, _KIND_CODES,
                    None)


def test_query_lists_asks_the_equivalents_of_the_words_it_is_told_only() -> None:
    from discreet.match._kernel import query_lists
    from discreet.match.prune import _KIND_CODES
    asked: list[str] = []

    def equivalents(word: str) -> tuple[str, ...]:
        asked.append(word)
        return ("william",) if word == "bill" else ()

    def equivalent(given: set[str] | None) -> list[tuple[int, int]]:
        return query_lists(("bill", "harker"), ("name", "name"), ("bill", "harker"), (),
                           {"william": 7}, {}, _KIND_CODES, equivalents, given)[5]

    assert equivalent(None) == [(0, 7)]
    assert asked == ["bill", "harker"]
    asked.clear()
    assert equivalent({"bill"}) == [(0, 7)]
    assert asked == ["bill"]  # (harker has none: not asked)
    assert equivalent(set()) == []


def test_each_pass_reads_its_own_query_rows() -> None:
    """The bound test's rows are made for each pass in blocks the passes take and give
    back (QueryName._rows): a query asked again after others' passes (its rows in a block
    or not), or made anew after the cache was emptied, gets its own bounds, the same as
    when it was asked first, and each bound still holds against the exact score."""
    listed = [prepared(t, "person") for t in (
        "Tomislav KRENOVIC", "Ossian BRANDT", "Maria Elena GONZALEZ", "Kim JONG", "Anna KOVAC")]
    tables = NameTables(listed)
    everyone = list(range(len(listed)))
    queries = [prepared(t, "person") for t in (
        "Tomislav Krenovic", "Ossian Brandt Larsen", "Marija Gonzales", "Ana Kovach")]
    first = [list(CandidateScores(tables, q, everyone).loose) for q in queries]
    assert len({tuple(bounds) for bounds in first}) == len(queries)  # they differ
    for _ in range(2):
        for q, bounds in zip(reversed(queries), reversed(first), strict=True):
            scores = CandidateScores(tables, q, everyone)
            assert list(scores.loose) == bounds
            for k in everyone:
                assert scores.score(k) <= bounds[k] + 1e-9
    # a query name made anew (the cache emptied) after its rows were dropped
    tables._queries.clear()
    assert [list(CandidateScores(tables, q, everyone).loose) for q in queries] == first



def test_a_pass_run_while_another_calls_python_back_leaves_its_rows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A pass may run while another is in Python: align calls Python back in the middle
    of a pass for a run's shifted words (QueryName's shift_forms), and there another
    screening thread may run a pass of its own (the service screens in a thread pool).
    Here the callback itself runs the other pass, so the two passes interleave on one
    thread at once: the first pass must still read its own rows (QueryName._rows: a block
    of its own while it runs), and get the bounds and scores it gets alone."""
    import math

    import discreet.match.prune as prune_module
    listed = [prepared(t, "person") for t in (
        "Tomislav KRENOVIC", "Ossian BRANDT", "Maria Elena GONZALEZ", "Anna KOVAC",
        "Ossia nBRANDT")]
    tables = NameTables(listed)
    everyone = list(range(len(listed)))
    outer = prepared("Tomisla vKrenovic", "person")
    other = prepared("Ossian Brandt Gonzalez", "person")

    def run(q: PreparedName) -> tuple[list[float], list[float | None]]:
        # a query name made anew: its shifted words asked of Python again (the scores
        # the kernel leaves to Python, NaN, as None: comparable)
        loose, scores, _ = tables.kernel().evaluate(
            tables._query(q, False), everyone, -math.inf, tables.unlowered)
        return list(loose), [None if math.isnan(x) else x for x in scores]

    alone, other_alone = run(outer), run(other)
    assert alone[0] != other_alone[0]
    made = prune_module._shifted_forms
    nested: list[tuple[list[float], list[float | None]]] = []

    def shifted_forms(*args: Any) -> Any:
        if not nested:  # (once: the other pass may call back too)
            nested.append(([], []))
            nested[0] = run(other)  # another pass, while the outer one waits
        return made(*args)

    monkeypatch.setattr(prune_module, "_shifted_forms", shifted_forms)
    assert run(outer) == alone
    assert nested == [other_alone]


def test_passes_in_several_threads_read_their_own_rows() -> None:
    """Passes run by several threads at once (the service screens in a thread pool; align
    calls Python back in the middle of a pass, for a run's shifted words, where another
    thread may run a pass of its own) each read their own query's rows: the same bounds
    and scores as one thread alone."""
    import math
    import sys
    import threading
    listed = [prepared(t, "person") for t in (
        "Tomislav KRENOVIC", "Ossian BRANDT", "Maria Elena GONZALEZ", "Anna KOVAC",
        "Tomisla vKRENOVIC", "Ossia nBRANDT")]
    tables = NameTables(listed)
    everyone = list(range(len(listed)))
    queries = [prepared(t, "person") for t in (
        "Tomisla vKrenovic", "Ossia nBrandt", "Marija Gonzales", "Ana Kovach",
        "Tomislav Krenovic Brandt")]

    def run(q: PreparedName) -> tuple[list[float], list[float | None]]:
        # a query name made anew each time: its shifted words asked of Python again (the
        # scores the kernel leaves to Python, NaN, as None: comparable)
        loose, scores, _ = tables.kernel().evaluate(
            tables._query(q, False), everyone, -math.inf, tables.unlowered)
        return list(loose), [None if math.isnan(x) else x for x in scores]

    alone = [run(q) for q in queries]
    assert len({tuple(bounds) for bounds, _ in alone}) == len(queries)
    found: list[list[tuple[list[float], list[float | None]]]] = []
    errors: list[BaseException] = []

    def work(shift: int) -> None:
        try:
            for _ in range(30):
                order = queries[shift:] + queries[:shift]
                made = [run(q) for q in order]
                found.append(made[len(queries) - shift:] + made[:len(queries) - shift])
        except BaseException as error:  # (reported below)
            errors.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors
    assert len(found) == 120
    assert all(made == alone for made in found)


def _read_record(records: Any, at: int) -> dict[str, Any]:
    """A name's record read back by its layout (prune.name_records' docstring), word by
    word: the test's own reader, not the kernel's."""
    words = [int(w) for w in records[at:at + 2]]
    floats = records.view(np.float64)
    halves = records.view(np.int32)
    n, runs, acrs, lins = ((words[0] >> s) & 0xFFFF for s in (0, 16, 32, 48))
    flags, script_set, length = words[1] & 0xFFFF, (words[1] >> 16) & 0xFFFF, words[1] >> 32
    legal = (flags >> 7) & 1
    out: dict[str, Any] = {
        "n": n, "totals": float(floats[at + 2]), "legal": int(records[at + 3]) if legal else 0,
        "length": length, "lineage": flags & 1, "org": (flags >> 1) & 1,
        "abjad": (flags >> 2) & 1, "fallback": (flags >> 3) & 1, "syllabic": (flags >> 5) & 3,
        "script_set": script_set}
    k = at + 3 + legal
    out["token_weight"] = [float(w) for w in floats[k:k + n]]
    k = 2 * (k + n)  # now in 32-bit numbers
    out["token_word"] = [int(w) for w in halves[k:k + n]]
    k += n
    sourced = (flags >> 4) & 1
    out["token_source"] = [int(w) for w in halves[k:k + n]] if sourced else [-1] * n
    k += n if sourced else 0
    for key, count in (("run_id", runs), ("run_start", runs), ("run_size", runs),
                       ("acr_id", acrs), ("acr_first", acrs), ("acr_last", acrs),
                       ("lin_son", lins), ("lin_father", lins)):
        out[key] = [int(w) for w in halves[k:k + count]]
        k += count
    k *= 4  # now in bytes
    out["token_kind"] = [int(b) for b in records.view(np.int8)[k:k + n]]
    out["size"] = -(-(k + n) // 8) - at
    return out


def test_a_names_record_holds_every_table_the_kernel_reads() -> None:
    """Each name's record (what the kernel reads of a candidate, side by side) holds its
    columns' values, the next record after it: names with and without a legal form's
    source, acronym runs, lineages, no token at all, and more tokens than the kernel
    scores (their sources written whatever they are)."""
    many = 70
    counts = {"token": [3, 0, 2, many], "run": [2, 0, 1, 0], "acr": [0, 0, 1, 0],
              "lin": [1, 0, 0, 0]}
    tokens = sum(counts["token"])
    rng = np.random.default_rng(5)

    def ints(count: int, low: int = 0) -> Any:
        return rng.integers(low, 1 << 31, count, dtype=np.int64)

    columns: dict[str, Any] = {
        f"{k}_at": np.concatenate([[0], np.cumsum(v)]).astype(np.int64)
        for k, v in counts.items()}
    source = np.full(tokens, -1, np.int64)
    source[3] = 7  # the third name's first token: a legal form written as word 7
    columns.update({
        "token_word": ints(tokens), "token_source": source,
        "token_kind": rng.integers(0, 8, tokens, dtype=np.int8),
        "token_weight": rng.random(tokens),
        "run_id": ints(3), "run_start": ints(3), "run_size": ints(3),
        "acr_id": ints(1), "acr_first": ints(1), "acr_last": ints(1),
        "lin_son": ints(1), "lin_father": ints(1),
        "totals": rng.random(4), "lineage": np.array([1, 0, 0, 0], np.uint8),
        "legal": np.array([0, 0, 5, 0], np.int64), "org": np.array([0, 0, 1, 0], np.uint8),
        "abjad": np.array([1, 0, 0, 0], np.uint8), "syllabic": np.array([0, 2, 0, 1], np.uint8),
        "script_set": np.array([0, 3, 0, 1], np.int64),
        "fallback": np.array([0, 0, 0, 1], np.uint8), "length": ints(4)})
    records, record_at = name_records(columns)
    assert len(record_at) == 5 and record_at[-1] == len(records)
    for p in range(4):
        read = _read_record(records, int(record_at[p]))
        gap = record_at[p + 1] - record_at[p] - read.pop("size")
        # the next record follows, or starts the next cache line (zeros between)
        assert gap == 0 or (0 < gap < 8 and record_at[p + 1] % 8 == 0), p
        assert not records[record_at[p + 1] - gap:record_at[p + 1]].any()
        assert read.pop("n") == counts["token"][p]
        for key, value in read.items():
            part = key.split("_")[0]
            if part in counts:
                at = columns[f"{part}_at"]
                expected = columns[key][at[p]:at[p + 1]].tolist()
            else:
                expected = columns[key][p].item()
            assert value == expected, (p, key)
    # sources are written for the name with one, and for the long name only
    assert [(int(records[record_at[p] + 1]) >> 4) & 1 for p in range(4)] == [0, 0, 1, 1]
    assert records.ctypes.data % 64 == 0  # placed on cache lines from the first


def _one_token_names(count: int, runs: list[int]) -> dict[str, Any]:
    """Columns of ``count`` names of one token each, with ``runs`` runs each (what
    name_records reads; every number 1)."""
    one = np.ones(count, np.int64)
    many = np.ones(sum(runs), np.int64)
    return {
        "token_at": np.arange(count + 1, dtype=np.int64),
        "run_at": np.concatenate([[0], np.cumsum(runs)]).astype(np.int64),
        "acr_at": np.zeros(count + 1, np.int64), "lin_at": np.zeros(count + 1, np.int64),
        "token_word": one, "token_source": -one, "token_kind": np.ones(count, np.int8),
        "token_weight": np.ones(count), "run_id": many, "run_start": many, "run_size": many,
        **{k: np.zeros(0, np.int64) for k in ("acr_id", "acr_first", "acr_last", "lin_son",
                                             "lin_father")},
        "totals": np.ones(count), "legal": 0 * one, "script_set": 0 * one, "length": one,
        **{k: np.zeros(count, np.uint8) for k in ("lineage", "org", "abjad", "syllabic",
                                                 "fallback")}}


def test_a_record_touches_no_more_cache_lines_than_its_size_needs() -> None:
    """Records of 7 words (one token, one run: 49 bytes) lie on one cache line each, so the
    pass's read of such a candidate is one miss, not two (zeros fill the lines' ends);
    records of 10 and 13 words (three and five runs) on two lines each, mixed with them."""
    runs = [1, 3, 1, 1, 5, 3, 1, 5, 5, 3] * 10
    records, record_at = name_records(_one_token_names(len(runs), runs))
    size = {1: 7, 3: 10, 5: 13}
    for p, r in enumerate(runs):
        first, last = record_at[p] // 8, (record_at[p] + size[r] - 1) // 8
        assert last - first + 1 == -(-size[r] // 8), (p, r)
        assert _read_record(records, int(record_at[p]))["run_size"] == [1] * r
    # dense enough: fewer than 2 words in 8 are zeros between records
    assert record_at[-1] < 1.25 * sum(size[r] for r in runs)


def test_a_number_too_wide_for_a_record_is_refused() -> None:
    """Words, strings and token numbers are 32 bits in a record: a wider one is an error,
    never a number cut short."""
    columns = _one_token_names(2, [1, 1])
    name_records(columns)
    columns["token_word"] = np.array([1, 1 << 31], np.int64)
    with pytest.raises(ValueError):
        name_records(columns)
