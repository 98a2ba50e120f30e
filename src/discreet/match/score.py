"""One calibrated score in [0, 1] from name evidence and the other evidence a query has.

Name evidence: the aligned tokens, each weighted by kind and rarity. A pair of variant tokens
loses in proportion to how far apart they are; a token left over on *both* sides is a
contradiction (another given name, another clan name) and costs much; a token left over on
one side only is an omission (a patronymic, a middle name the other source leaves out) and
costs less. Every number used is in :data:`~discreet.match.rules.RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Levenshtein

from discreet.match.align import Alignment, Pair, align, spells_across
from discreet.match.prepare import (
    TRUNCATION_MIN,
    PreparedName,
    letters_as_skeletons,
    read_without_vowels,
    restored_vowelless,
)
from discreet.match.rules import DEFAULT_THRESHOLD, RULES, UNMATCHED_WEIGHTS
from discreet.match.similarity import BARE, latin_vowelless, swapped_at, vowel_skeleton
from discreet.text.countries import country_words
from discreet.text.given_names import given_names, given_positions, opening_given
from discreet.text.normalize import vowel_opened
from discreet.text.scripts import SYLLABIC_SCRIPTS, scripts_of, transcribed

__all__ = ["DEFAULT_THRESHOLD", "SYLLABIC_SCRIPTS", "TRUNCATION_MIN", "UNMATCHED_WEIGHTS",
           "NameScore", "given_names_of", "has_lineage", "kunya_named", "lineages",
           "lone_variant", "may_be_truncated", "name_score", "vowel_opened_words"]

_NO_GIVEN = (0, 0)


@dataclass(frozen=True, slots=True)
class NameScore:
    """The name score with the alignment and each part of it, for explanations."""

    score: float
    alignment: Alignment
    losses: tuple[float, ...]  # per pair
    contradiction: float
    omission: float
    capped: bool
    legal_conflict: bool
    lineage_crossed: bool = False
    one_word: bool = False  # a one-word list name (titles, particles aside), and a query
    # name left over: capped
    truncated: bool = False  # the query reads as the list name cut by a field limit
    lone_variant: bool = False  # lone_variant(): each name one word, only loosely alike


def _same_script_cap(a: str, b: str) -> float:
    """Two names both in Han or Hangul: each character is a syllable, and transliteration
    erases tones and homophones (高石 / 高市), so a different character is a different name."""
    sa, sb = scripts_of(a), scripts_of(b)
    if not (sa & SYLLABIC_SCRIPTS) or sa != sb:
        return 1.0
    ca, cb = "".join(c for c in a if c.isalpha()), "".join(c for c in b if c.isalpha())
    return 1.0 - 2.0 * Levenshtein.normalized_distance(ca, cb)


_SUBSTANTIVE = frozenset({"name", "patronymic", "initial", "number"})
_LINEAGE = frozenset({"bin", "binti"})  # canonical "son of" / "daughter of" particles


def has_lineage(name: PreparedName) -> bool:
    """The name states whose son (or daughter) the person is."""
    return not _LINEAGE.isdisjoint(name.tokens)


def _omitted_in_lineage(name: PreparedName, unmatched: Sequence[int]) -> float:
    """Weight of a name's unmatched tokens as an omission, when both names state a lineage:
    the ancestors one of them skips count for less, lineages are often shortened ("Osama bin
    Laden" for Usama bin Muhammad bin Awad bin Ladin)."""
    if not unmatched:
        return 0.0
    chain = {k for son, father in lineages(name) for k in range(son + 1, father + 1)}
    return sum(name.weights[i] * (RULES.forebear_share if i in chain else 1.0)
               for i in unmatched)


def lineages(name: PreparedName) -> list[tuple[int, int]]:
    """(son, father) token positions of each "X bin Y" in the name ("al" skipped after bin:
    "Ibrahim bin al-Din"); a "bin" not between two names ("Al Bin Ali", a clan) is none."""
    found = []
    tokens, kinds = name.tokens, name.kinds
    for k in range(1, len(tokens) - 1):
        if kinds[k] != "particle" or tokens[k] not in _LINEAGE or kinds[k - 1] != "name":
            continue
        j = k + 1
        while j < len(tokens) - 1 and kinds[j] == "particle" and tokens[j] == "al":
            j += 1
        if kinds[j] == "name":
            found.append((k - 1, j))
    return found


def _lineage_crossed(q: PreparedName, listed: PreparedName, al: Alignment) -> bool:
    """Both names give a lineage (the caller checks) and the alignment reverses one: "Salman
    bin Muhammad" against "Muhammad bin Salman" are a son and his father, not one person."""
    ours = lineages(q)
    if not ours:
        return False
    partner = {i: p.listed[0] for p in al.pairs for i in p.query}
    theirs = set(lineages(listed))
    return any((partner[father], partner[son]) in theirs for son, father in ours
               if son in partner and father in partner)


# a name that ends by closing a quotation or a bracket was written to its end
# (not an apostrophe: it writes the Arabic ayn, "AL-SA'" is AL-SA'DUN cut)
_CLOSING = frozenset("\")]}»”›」』")


def may_be_truncated(q: PreparedName) -> bool:
    """The query is long enough to have been cut by a field limit (and does not end by
    closing a quotation or a bracket: OOO "BAYKAL" cut is OOO "BAY, not OOO "BAY")."""
    return len(q.original) >= TRUNCATION_MIN and not q.syllabic \
        and q.original.rstrip()[-1:] not in _CLOSING


def _truncated_tail(al: Alignment, longer: bool, lk: Sequence[str]) -> tuple[int, ...]:
    """The list words a field limit cut off the query (the caller checks it may be cut):
    every query word is paired, and these are the unmatched list words after the last
    paired one (none when words of the query are left over); when the last query word
    pairs as cut with a list word of the name (not its legal form), after that word: the
    list may write the name in another order ("KARVELOBANK CAPITAL PARTNERS ZAO" for a cut
    "ZAO KARVELOB"), and what followed the cut word is what the cut took. Against a list
    name no longer than the query (``longer`` False) only then: the list may write the
    name shorter (a legal form abbreviated) than the cut query spells it. A whole last word
    says nothing of where the name went on (a legal form stands anywhere)."""
    if al.unmatched_query or not al.unmatched_listed or not al.pairs:
        return ()
    end = max(i for p in al.pairs for i in p.query)
    cut = [j for p in al.pairs if end in p.query and p.method == "truncated"
           for j in p.listed if lk[j] != "legal"]
    if not (longer or cut):
        return ()
    last = max(cut) if cut else max(j for p in al.pairs for j in p.listed)
    return tuple(j for j in al.unmatched_listed if j > last)


# the kinds a syllable of a person's name is parsed as ("Na" a particle, "U" an initial)
_SYLLABLE_KINDS = frozenset({"name", "particle", "initial", "patronymic"})


def _syllables_apart(q: PreparedName, listed: PreparedName, al: Alignment,
                     contradiction: float, total: float) -> float:
    """What a person's name in Chinese characters or Hangul loses against a romanised one
    (the caller checks) beyond the rest of the score. Its syllables make one surname and one
    given name: a syllable left over on either side ("Li Cheng" against "Cheng Yu LI", the
    given name Chengyu) is another given name, not a middle name left out, so it costs what
    a contradiction costs; and the given name's syllables in another order ("Su-Kwang KIM"
    for Kim Kwang-su: the surname may stand first or last, the syllables keep their order)
    are another name too."""
    left = [(name.weights[i], name.kinds[i]) for name, unmatched in (
        (q, al.unmatched_query), (listed, al.unmatched_listed)) for i in unmatched
        if name.kinds[i] in _SYLLABLE_KINDS]
    lost = RULES.contradiction_abs * UNMATCHED_WEIGHTS["name"] * len(left)
    if left and contradiction == 0.0:  # one side's: counted as omitted, it contradicts,
        # and weighs as a name whatever it was parsed as
        lost += sum(RULES.contradiction * (w if kind == "name" else 1.0)
                    - RULES.omission * w for w, kind in left) / total
    syllabic_is_query = bool(q.syllabic)
    order = sorted(al.pairs, key=lambda p: min(p.query if not syllabic_is_query else p.listed))
    seq = [min(p.query if syllabic_is_query else p.listed) for p in order]
    descents = sum(seq[i] > seq[(i + 1) % len(seq)] for i in range(len(seq)))
    if len(seq) >= 3 and descents > 1:  # not a rotation of the written order
        lost += RULES.syllables_reordered
    return lost


_KUNYA = frozenset({"abu", "umm"})  # canonical "father of" / "mother of" particles


def kunya_named(q: PreparedName, listed: PreparedName, al: Alignment) -> bool:
    """The query is a kunya alone ("Abu Salah", "SALIH, Abu": a particle of :data:`_KUNYA`
    and one name, either order) and pairs word for word, as written, with the same kunya in
    a longer person's name ("Abu Salah" in AL-'AFRI, Abu Salah): a kunya is a name the
    person is called by on its own, so the list words around it are not a part of the
    query left out. Not a variant ("Abu Sulaiman" in ABU SULEYMAN AL-ADANI): a common kunya
    has many bearers, and one written otherwise in a longer name would outrank the
    person's own kunya alias. A query written wholly without vowels ("SLH, Ab": its Ab read
    back as Abu, prepare._bare_kunya) writes every name as a skeleton, so its name word
    pairs by a vowel rule with no slip besides the vowels (:func:`_vowel_pair`): as
    written, for such a name, and every list name's spelling is met alike."""
    if len(q.tokens) != 2 or q.org or listed.org:
        return False
    at = 0 if q.tokens[0] in _KUNYA else 1
    if q.tokens[at] not in _KUNYA or q.kinds[at] != "particle" or q.kinds[1 - at] != "name":
        return False
    bare = letters_as_skeletons(q.original) and not listed.abjad
    partner = {p.query[0]: p.listed[0] for p in al.pairs
               if len(p.query) == 1 and len(p.listed) == 1
               and (p.sim >= 1.0 or (bare and _vowel_pair(q, listed, p)))}
    j = partner.get(at, -1)
    return j >= 0 and listed.tokens[j] == q.tokens[at] and partner.get(1 - at) == j + 1


# what a one-word list name may have besides its word ("DON GABRIEL", "AL-LIBI"); not the
# particles that make a name of their own with the word: a kunya ("Abu Bakr", "Umm Hamza"),
# a lineage ("Bin Laden")
_ASIDE = frozenset({"title", "particle"})
# ... and against a query not read as an organisation's (none stated, no legal form of its
# own), its legal form ("DRAKE LLC" is the one word Drake: it cannot carry "Sarah Drake");
# an organisation's query keeps the form a word, its words left over being often a form or
# a description the parser does not know ("NK LUKOIL OAO" / LUKOIL OAO, "INDUITEX LDA." /
# INDUITEX LTDA.)
_ASIDE_NOT_ORG = _ASIDE | {"legal"}
_NAMING = frozenset({"abu", "umm", "bin", "binti"})


def _words(name: PreparedName, aside: frozenset[str] = _ASIDE) -> int:
    """How many words a name has, those of the kinds ``aside`` left out (but the particles
    of _NAMING)."""
    return sum(k not in aside or t in _NAMING for t, k in zip(name.tokens, name.kinds,
                                                                 strict=True))

_LONE_EXEMPT = frozenset({"vowelless", "truncated"})  # own rules with their own checks


_SLIP_LETTERS = 64  # the kernel's buffer for a word with a slip undone (_score.pxi)


def _slip_undone(a: str, b: str, edits: int) -> bool:
    """One of the ``edits`` between query word ``a`` and list word ``b`` is a slip of the
    fingers: undoing it (a letter of ``a`` typed twice written once, two neighbouring letters
    of ``a`` swapped back, a letter of ``b`` that ``a`` dropped put back) leaves one edit
    fewer. A letter typed for another is no such slip: it spells another name as often.
    Words of _SLIP_LETTERS letters or more are left as they are (the kernel's buffer)."""
    if max(len(a), len(b)) >= _SLIP_LETTERS:
        return False
    for i in range(1, len(a)):
        if a[i] == a[i - 1] and OSA.distance(a[:i] + a[i + 1:], b) < edits:
            return True
        if OSA.distance(swapped_at(a, i - 1), b) < edits:
            return True
    return any(OSA.distance(a, b[:j] + b[j + 1:]) < edits for j in range(len(b)))


def _one_slip(a: str, b: str, al: Alignment, edits: int) -> bool:
    """The query writes the list name whole (every word of both names paired, nothing left
    over), the lone pair's words are longer than RULES.short_token, and one of their edits
    is a typing slip (:func:`_slip_undone`): the rest is the variant (lone_variant)."""
    return (not al.unmatched_query and not al.unmatched_listed
            and min(len(a), len(b)) > RULES.short_token and _slip_undone(a, b, edits))


def lone_variant(q: PreparedName, listed: PreparedName, al: Alignment) -> bool:
    """The list name is an organisation's (a vessel's, an aircraft's), or a person's of two
    words of substance or more, the query has one word of substance (legal forms, generic
    words, particles aside), and it pairs with one word of the list name only as variants
    further apart than typing slips: more than one letter, and more than one in
    ``RULES.lone_letters_per_slip`` ("Marques" / OOO MARKUS, "Vargas" / WARGOS INDUSTRY LTD;
    "Barbier" / BARBARO RECORDS SRL, "Klein" / CLAN DEL GOLFO: the list name's other words
    are not met either; "Zimmer" / Samer ISMAIL, "Godard" / Gotthard LERCH: a person's
    surname or given name alone, and only alike). A brand's one word, or one word of a
    person's name, that merely sounds or looks like another is common among unrelated names
    and nothing else agrees to tell them apart; a slip or two in a long word ("Terneftgas" /
    TERNEFTEGAZ, "Kitko" for KITOKO FOOD FARM) is still a likely typo. A person's one-word
    alias is left alone: its spelling varies with every transliteration (Feeza / Faiza),
    and nothing of the name is left out; so is a person's name word the query writes as
    another romanisation reads it (the same phonetic key: "Marquez" / Tobias MARKUS,
    "Feeza" / Faiza KAMAL), the same name as each transliteration spells it. So are a
    word written without its vowels and a word cut by a field limit (own rules, own
    checks), and a name in an abjad or a syllabic script, whose transliteration varies
    anyway. A query that writes the list name whole (every word of both paired) with one
    of the lone word's edits a typing slip (a letter typed twice, two neighbours swapped, a
    letter dropped: "Shamm Holding" / CHAM HOLDING, the variant Sham typed with a slip) has
    that edit not counted (:func:`_one_slip`): a look-alike brand differs by letters typed
    for others, or comes with words of its own."""
    if q.abjad or listed.abjad or q.syllabic or listed.syllabic:
        return False
    if not listed.org and sum(k in _SUBSTANTIVE for k in listed.kinds) < 2:
        return False
    ours = [i for i, k in enumerate(q.kinds) if k in _SUBSTANTIVE]
    if len(ours) != 1:
        return False
    for pair in al.pairs:
        if pair.query == (ours[0],) and len(pair.listed) == 1 \
                and listed.kinds[pair.listed[0]] in _SUBSTANTIVE:
            theirs = pair.listed
            if pair.sim >= 1.0 or pair.method in _LONE_EXEMPT \
                    or (not listed.org and pair.method == "phonetic"):
                return False
            a, b = q.tokens[ours[0]], listed.tokens[theirs[0]]
            if not (a.isascii() and b.isascii()):
                return False
            edits = OSA.distance(a, b)
            if edits > 1 and _one_slip(a, b, al, edits):
                edits -= 1
            return edits > 1 and edits * RULES.lone_letters_per_slip > max(len(a), len(b))
    return False


def _pair_loss(sim: float, method: str) -> float:
    """Loss per unit of weight of a pair of variant tokens."""
    if method == "initial":
        return RULES.initial_loss
    return RULES.fuzzy_loss * (1.0 - sim) + RULES.fuzzy_steep * max(0.0, RULES.fuzzy_knee - sim)


def _pair_losses(q: PreparedName, listed: PreparedName, al: Alignment,
                 ) -> tuple[list[float], float]:
    """Loss of each aligned pair, and the matched weight of substantive query tokens; the
    pairs of query words written without vowels share one doubt (:func:`_vowel_pairs`)."""
    losses: list[float] = []
    substance = 0.0
    for pair in al.pairs:
        weight = (sum(q.weights[i] for i in pair.query)
                  + sum(listed.weights[j] for j in pair.listed)) / 2
        substance += sum(q.weights[i] for i in pair.query if q.kinds[i] in _SUBSTANTIVE)
        sim, method = (_VOWELS_ONLY, "vowelless") if _letter_skeleton(q, listed, pair) \
            else (pair.sim, pair.method)
        losses.append(weight * _pair_loss(sim, method) if sim < 1.0 else 0.0)
    vowel = _vowel_pairs(q, listed, al)
    shared = len(vowel) + restored_vowelless(q.original, q.tokens) if vowel else 0
    if shared >= 2:
        for k in vowel:
            losses[k] /= shared
    return losses, substance


_VOWEL_METHODS = frozenset({"vowelless", "skeleton"})
# the least a vowel rule gives a word without a slip besides its vowels: a two-letter
# skeleton's (a spelling variant's folded skeleton gives as much)
_VOWELS_ONLY = RULES.vowelless_sim * RULES.short_skeleton


def _vowel_pairs(q: PreparedName, listed: PreparedName, al: Alignment) -> list[int]:
    """The pairs (by position) of one query word written without its vowels ("Rmzn") with
    a list word by a vowel rule (its vowel skeleton, or its consonants), with no slip
    besides the vowels (a similarity of a two-letter skeleton's at least, _VOWELS_ONLY).
    When two or more words of a query are so written, the vowels left out are the writer's
    one habit, not a doubt of each word apart: those pairs lose together the mean of their
    losses, as one such word would (each pair's loss divided by their number; the words
    so written that the preparation read back, a generic word's "DVLPMNT", are of that
    number too: :func:`~discreet.match.prepare.restored_vowelless`). A pair
    that differs besides (Vshnvsk / Vasileuski) keeps its loss. Not when either name is in
    an abjad: its words are skeletons by the script, compared as such."""
    if q.abjad or listed.abjad:
        return []
    return [k for k, pair in enumerate(al.pairs) if _vowel_pair(q, listed, pair)]


def _vowel_pair(q: PreparedName, listed: PreparedName, pair: Pair) -> bool:
    """One query word written without its vowels paired by a vowel rule with no slip
    besides (:func:`_vowel_pairs`; the caller checks neither name is in an abjad)."""
    return (_VOWELS_ONLY <= pair.sim < 1.0 and pair.method in _VOWEL_METHODS
            and len(pair.query) == 1 and latin_vowelless(q.tokens[pair.query[0]])) \
        or _letter_skeleton(q, listed, pair)



def _letter_skeleton(q: PreparedName, listed: PreparedName, pair: Pair) -> bool:
    """An initial's pair of a one-letter query word with a list word of that letter and
    vowels only (its vowel skeleton: "F" / Fu, "R" / Ri, "G" / Geo), in a name whose
    letters are skeletons as well as initials (prepare.letters_as_skeletons: "F YN Y" for
    Fu Yuan Yu): the word written without its vowels, so a vowel rule's pair at a
    two-letter skeleton's credit (_VOWELS_ONLY) that shares the name's one doubt
    (:func:`_vowel_pairs`), not an initial standing for a name (whose loss,
    ``initial_loss``, is the larger). Not in an abjad (its words are
    skeletons by the script)."""
    if pair.method != "initial" or len(pair.query) != 1 or len(pair.listed) != 1 \
            or q.abjad or listed.abjad:
        return False
    a, b = q.tokens[pair.query[0]], listed.tokens[pair.listed[0]]
    return (len(a) == 1 and len(b) >= 2 and vowel_skeleton(b) == a
            and letters_as_skeletons(q.original))


def _with_their_word(kinds: Sequence[str], unmatched: Sequence[int]) -> frozenset[int]:
    """The particles left over that introduce a name word left over too ("de" of "de
    Pfeffel", "al" of "al-Rawi", "van der" of "van der Bellen", "bin" of "bin Salman"):
    a name part left out with its particle is one word left out, not two, so the particle
    costs nothing beside its word, and the name is weighed as if it did not write it
    ("Boris Johnson" against Alexandre Boris de Pfeffel Johnson as against Alexandre Boris
    Pfeffel Johnson). A particle whose word is met ("van der" of Bellen against Bellen)
    still costs its own: the other source writes the word without it. Persons' names only
    (name_score): an organisation's particles are its words' ("Marie de Lourdes Company",
    "Y Cia.": a conjunction before a legal word)."""
    left = frozenset(unmatched)
    out: set[int] = set()
    for i in unmatched:
        if kinds[i] != "particle":
            continue
        j = i + 1
        while j < len(kinds) and kinds[j] == "particle" and j in left:
            j += 1
        if j < len(kinds) and kinds[j] == "name" and j in left:
            out.add(i)
    return frozenset(out)


def _contradiction(qk: Sequence[str], lk: Sequence[str], al: Alignment,
                   left_q: Sequence[int], left_l: Sequence[int]) -> float:
    """What the words left over on both sides cost by kind (UNMATCHED_WEIGHTS), the
    lighter side's. When one word of substance at most agrees ("BAE"), the generic words
    are what tells two organisations apart: a generic word left over on each side (Systems
    / Industries, Solutions / Technology: what each says it does) names another
    organisation of the house, as another name word would, and each such word then costs
    what a name costs. Where two words of substance or more agree, generic words that
    differ are the same organisation described two ways (Foreign Trade Association /
    Foreign Trade Enterprise); a generic word against a name word, or against nothing,
    keeps its own cost. A patronymic left over on each side (Olegovich / Yurievich) names
    another father: it costs what a name costs, as another given name would; left over on
    one side only it is an omission (the other source leaves it out). ``left_q``,
    ``left_l``: the words left over that cost, a particle left over with its word
    (:func:`_with_their_word`) taken out: it costs nothing."""
    both = (_left_on_both(qk, lk, al, "generic")
            and sum(any(qk[i] in _SUBSTANTIVE for i in pair.query) for pair in al.pairs) <= 1)
    cost = _AS_NAME[both, _left_on_both(qk, lk, al, "patronymic")]
    return min(sum(cost[qk[i]] for i in left_q), sum(cost[lk[j]] for j in left_l))


def _left_on_both(qk: Sequence[str], lk: Sequence[str], al: Alignment, kind: str) -> bool:
    """A word of this kind is left over on each side."""
    return (any(qk[i] == kind for i in al.unmatched_query)
            and any(lk[j] == kind for j in al.unmatched_listed))


def _costs(generic: bool, patronymic: bool) -> dict[str, float]:
    """UNMATCHED_WEIGHTS with the kinds that cost what a name costs (_contradiction)."""
    return {**UNMATCHED_WEIGHTS, **{kind: UNMATCHED_WEIGHTS["name"] for kind, as_name in
                                    (("generic", generic), ("patronymic", patronymic))
                                    if as_name}}


# the costs by (a generic word left over on each side, a patronymic left over on each side)
_AS_NAME = {(generic, patronymic): _costs(generic, patronymic)
            for generic in (False, True) for patronymic in (False, True)}


def given_names_of(q: PreparedName, listed: PreparedName) -> tuple[int, int]:
    """The tokens of each name that are given names (bits; text.given_names), when both
    are persons' names (no organisation's) with a word of the given names' table each;
    else none (0, 0): align's nickname rule then has nothing to pair. The query's first
    word too when it opens with a particle that is a short given name
    (text.given_names.opening_given: "Ben Harlow"; the query's only, as the kernel's
    equivalents are, prune.NameTables._query)."""
    if q.org or listed.org or q.syllabic or listed.syllabic:
        return _NO_GIVEN
    words = given_names().groups.keys()
    opening = opening_given(q.kinds, q.sources, q.original)
    if (words.isdisjoint(q.tokens) and not opening) or words.isdisjoint(listed.tokens):
        return _NO_GIVEN
    return (given_positions(q.kinds, q.original) | opening,
            given_positions(listed.kinds, listed.original))


def vowel_opened_words(q: PreparedName) -> int:
    """The words of a query written in the Arabic script (bits) that open with a vowel
    letter, alif or ayn, which their transliteration leaves out (text.normalize.vowel_opened:
    ``shrfy`` is اشرفی, Ashrafi): its names' words (not the particles bin, al), found by the
    word each token was written as. align pairs none of them with a Latin word opening on
    a consonant (align._opened_apart); the kernel is given the same bits (prune)."""
    if not q.abjad:
        return 0
    found = vowel_opened(q.original)
    if not found:
        return 0
    return sum(1 << i for i, (kind, source) in enumerate(zip(q.kinds, q.sources, strict=True))
               if kind == "name" and source in found)


def _abjad(q: PreparedName, listed: PreparedName) -> int:
    """How the token rules read the two names (similarity.BARE): True when one is written in
    an abjad script, BARE when the query is a Latin name written without its vowels
    (prepare.written_without_vowels, which reads an organisation's shorter names so too;
    not the list's: its names so written are acronyms)."""
    if q.abjad or listed.abjad:
        return True
    return BARE if read_without_vowels(q) else False


def place_words(q: PreparedName) -> int:
    """The words of an organisation's query (bits) that name a country
    (text.countries.names_a_country: "PLA China", "IRGC Iran"): a qualifier of where, beside
    an acronym (:func:`_spelt_out`). None in other names (the kernel is given the same
    bits: prune)."""
    places = country_words()  # (:func:`~discreet.text.countries.names_a_country`'s set)
    if not q.org or places.isdisjoint(q.tokens):  # (most names: no word asked apart)
        return 0
    return sum(1 << i for i, (token, kind) in enumerate(zip(q.tokens, q.kinds, strict=True))
               if kind == "name" and i < _BITS and token in places)


_BITS = 64  # the kernel's bits of a query's words (a longer query is Python's: prune)


# what an acronym's query may leave over besides a country's name: words that qualify, not
# name (a generic word: "PLA Group"; a legal form, an article)
_QUALIFYING = frozenset({"generic", "legal", "particle"})


def _spelt_out(q: PreparedName, listed: PreparedName, al: Alignment) -> float:
    """What the query's acronyms weigh more as the list words they spell than as one word
    each, when the query's words left over only qualify the name (a country's name,
    ``places``, or a generic word, a legal form: "PLA China" for People's Liberation Army,
    "IRGC Iran"): an acronym that spells the initials of list words stands for those words,
    and its qualifier is weighed against the name it so writes, as it is against the name
    written in full ("People's Liberation Army China"), not against the acronym's one word.
    Only an organisation's query: a short word of a person's name, or of a name of no
    class, that happens to spell the initials of list words is no acronym it was written
    as; and not beside another name's word ("Firat San." is no branch of the foundation
    whose initials San. spells, but Firat's own company)."""
    spelt = [p for p in al.pairs if p.method == "acronym" and len(p.query) == 1
             and len(p.listed) > 1]
    if not q.org or not spelt:
        return 0.0
    # (the words naming a country asked only then: the kernel is given them for a query
    # with a word some list name's initials spell, which any such pair has: prune)
    places = place_words(q)
    if any(q.kinds[i] not in _QUALIFYING and not places >> i & 1
           for i in al.unmatched_query):
        return 0.0
    return sum(max(0.0, sum(listed.weights[j] for j in p.listed) - q.weights[p.query[0]])
               for p in spelt)


def name_score(q: PreparedName, listed: PreparedName,
               reads: Callable[[str], tuple[str, ...]] | None = None) -> NameScore:
    """Compare two prepared names; pure, no state. ``reads``: a query word's readings with
    two letters swapped back that align compares (a matcher's: none for a word the lists
    write, only those some list word shares a key with: prune.NameTables.swap_readings_of);
    None: every word's every reading (similarity.swap_readings)."""
    # a query in an abjad is never read as cut against a list name in another script: it
    # writes no vowels, so it is shorter than the Latin spelling of the same whole name and
    # its length says nothing of a field limit
    # (its last word is read as cut against any list name, whatever its length: another
    # name of the party may be written shorter; the words lost after the cut against a
    # longer one, or against any when the last word pairs as cut: _truncated_tail)
    reads_cut = may_be_truncated(q) and not listed.syllabic and (listed.abjad or not q.abjad)
    longer = len(listed.original) > len(q.original)
    al = align(q.tokens, q.kinds, listed.tokens, listed.kinds, q.spans, listed.spans,
               _abjad(q, listed), q.org or listed.org, q.syllabic or listed.syllabic,
               q.sources, listed.sources, reads_cut, q.org, given_names_of(q, listed),
               spells_across(q.abjad, listed.abjad),
               None if reads is None else [reads(t) for t in q.tokens],
               vowel_opened_words(q) if q.abjad and not listed.abjad else 0,
               not q.original.isascii() and transcribed(q.original))
    qw, lw, qk, lk = q.weights, listed.weights, q.kinds, listed.kinds
    losses, substance = _pair_losses(q, listed, al)
    tail = _truncated_tail(al, longer, listed.kinds) if reads_cut else ()
    share = [RULES.truncated_tail if j in tail else 1.0 for j in range(len(lw))] \
        if tail else None
    if not tail and kunya_named(q, listed, al):
        share = [RULES.kunya_share] * len(lw)
    persons = not (q.org or listed.org)
    with_q = _with_their_word(qk, al.unmatched_query) if persons else frozenset()
    with_l = _with_their_word(lk, al.unmatched_listed) if persons else frozenset()
    # the words left over that cost: a particle left over with its word is as if not written
    costly_q = [i for i in al.unmatched_query if i not in with_q]
    costly_l = [j for j in al.unmatched_listed if j not in with_l]
    left_q = sum(qw[i] for i in costly_q)
    left_l = sum(lw[j] * share[j] for j in costly_l) if share else sum(lw[j] for j in costly_l)
    contradiction = _contradiction(qk, lk, al, costly_q, costly_l)
    lineage = has_lineage(q) and has_lineage(listed)
    omission = abs(_omitted_in_lineage(q, costly_q) - _omitted_in_lineage(listed, costly_l)) \
        if lineage and not tail \
        else abs(left_q - left_l)
    # a particle left over with its word is as if not written: out of the total too
    total = max(q.total - sum(qw[i] for i in with_q)
                + (_spelt_out(q, listed, al) if q.org else 0.0),
                listed.total - sum(lw[j] for j in with_l), RULES.min_total)
    raw = 1.0 - (sum(losses) + RULES.contradiction * min(left_q, left_l)
                 + RULES.omission * omission) / total
    raw -= RULES.contradiction_abs * contradiction
    legal = bool(q.legal and listed.legal and not q.legal & listed.legal)
    if legal:
        raw -= RULES.legal_conflict
    crossed = lineage and _lineage_crossed(q, listed, al)
    if crossed:
        raw -= RULES.lineage_crossed
    if q.syllabic != listed.syllabic:
        raw -= _syllables_apart(q, listed, al, contradiction, total)
    if not q.original.isascii() and not listed.original.isascii():
        raw = min(raw, _same_script_cap(q.original, listed.original))
    capped = substance == 0 and q.tokens != listed.tokens
    if capped:
        raw = min(raw, RULES.generic_cap)
    # one word ("Bilal", an alias; "Haji Bilal", "al-Bilali": titles and articles aside)
    # cannot carry a query of more names ("Ahmed Bilal")
    one_word = _words(listed, _ASIDE if q.org or q.legal else _ASIDE_NOT_ORG) <= 1 \
        and any(qk[i] == "name" for i in al.unmatched_query)
    lone = lone_variant(q, listed, al)
    if one_word or lone:
        raw = min(raw, RULES.one_word_cap)
    return NameScore(max(0.0, min(1.0, raw)), al, tuple(losses), contradiction, omission,
                     capped, legal, crossed, one_word, bool(tail), lone)

