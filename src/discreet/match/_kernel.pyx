# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The matcher's inner loops, compiled: candidate sums, score bounds, name scores.

Python holds the rules; this module runs the three loops a query spends its time in, on
tables Python prepared once per index:

* :meth:`Postings.candidates` sums a query's index keys per list name (``index.py``);
* :meth:`Kernel.evaluate` bounds every candidate's name score by which tokens can pair at
  all (``prune.py``), then scores the candidates whose bound can reach the threshold
  exactly as :func:`~discreet.match.score.name_score` does: the same token similarity
  (:func:`~discreet.match.similarity.token_similarity`), the same alignment
  (:func:`~discreet.match.align.align`), the same terms, in the same order of double
  operations, so the numbers are the same to the last bit (``tests/match/test_kernel.py``
  checks it against the Python functions). Pairs the kernel does not score (two names
  written in the same syllabic scripts, Chinese or Korean, whose characters Python compares;
  names of more than 64 words) come back as NaN and Python scores them.

Every string here is ASCII ([a-z0-9]: tokens, phonetic keys, skeletons). Edit distances
are bit-parallel (Hyyrö's algorithm, one machine word per string; a full table past 64
letters) and similarities use the double arithmetic rapidfuzz and the Python code use.
"""

from libc.math cimport NAN, fabs
from libc.stdint cimport int8_t, int32_t, int64_t, uint64_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcmp, memset

import numpy as np

__all__ = ["KINDS", "METHODS", "Kernel", "Postings", "Query", "Strings", "distance",
           "syllable_similarity", "token_similarity"]

DEF ALPHABET = 128
DEF STEMS = 5
DEF MAX_TOKENS = 64

cdef extern from *:
    int popcount "__builtin_popcountll" (unsigned long long) nogil

# kinds of token, as prepare.KIND_WEIGHTS names them (the codes Python passes)
DEF NAME = 0
DEF PATRONYMIC = 1
DEF INITIAL = 2
DEF NUMBER = 3
DEF GENERIC = 4
DEF PARTICLE = 5
DEF LEGAL = 6
DEF TITLE = 7

# how two tokens pair (similarity.token_similarity's methods, then align's)
DEF M_EXACT = 0
DEF M_PHONETIC = 1
DEF M_DECLINED = 2
DEF M_ROMANISED = 3
DEF M_FUZZY = 4
DEF M_SKELETON = 5
DEF M_INITIAL = 6
DEF M_NONE = 7
DEF M_JOINED = 8
DEF M_ACRONYM = 9
DEF M_VOWELLESS = 10
DEF M_REGROUPED = 11
DEF M_TRUNCATED = 12

METHODS = ("exact", "phonetic", "declined", "romanised", "fuzzy", "skeleton", "initial",
           "none", "joined", "acronym", "vowelless", "regrouped", "truncated")
KINDS = ("name", "patronymic", "initial", "number", "generic", "particle", "legal", "title")


# ---------------------------------------------------------------- edit distances

cdef int _table_distance(const unsigned char* a, int m, const unsigned char* b, int n,
                         bint transpositions) noexcept:
    """Edit distance by the full table (strings too long for one machine word)."""
    cdef int* rows = <int*> malloc(3 * (n + 1) * sizeof(int))
    cdef int* before = rows
    cdef int* prev = rows + (n + 1)
    cdef int* cur = rows + 2 * (n + 1)
    cdef int* tmp
    cdef int i, j, cost, best
    if rows == NULL:
        return m if m > n else n
    for j in range(n + 1):
        prev[j] = j
        before[j] = j
    for i in range(1, m + 1):
        cur[0] = i
        for j in range(1, n + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = prev[j - 1] + cost
            if prev[j] + 1 < best:
                best = prev[j] + 1
            if cur[j - 1] + 1 < best:
                best = cur[j - 1] + 1
            if (transpositions and i > 1 and j > 1 and a[i - 1] == b[j - 2]
                    and a[i - 2] == b[j - 1] and before[j - 2] + 1 < best):
                best = before[j - 2] + 1
            cur[j] = best
        tmp = before
        before = prev
        prev = cur
        cur = tmp
    best = prev[n]
    free(rows)
    return best


cdef int _distance(const uint64_t* pm, const unsigned char* a, int m,
                   const unsigned char* b, int n, bint transpositions) noexcept:
    """Levenshtein (or, with ``transpositions``, optimal string alignment) distance of
    ``a`` (whose match vectors are ``pm`` when it has at most 64 letters) and ``b``."""
    cdef uint64_t vp, vn, d0, hp, hn, pmj, old, last, tr
    cdef int dist, j
    if m == 0:
        return n
    if n == 0:
        return m
    if m > 64:
        return _table_distance(a, m, b, n, transpositions)
    vp = ~(<uint64_t> 0)
    vn = 0
    d0 = 0
    old = 0
    last = (<uint64_t> 1) << (m - 1)
    dist = m
    for j in range(n):
        pmj = pm[b[j] & 127]
        # a transposition: this letter matched one place on, the last one place back
        tr = ((((~d0) & pmj) << 1) & old) if transpositions else 0
        d0 = (((pmj & vp) + vp) ^ vp) | pmj | vn | tr
        hp = vn | ~(d0 | vp)
        hn = d0 & vp
        if hp & last:
            dist += 1
        elif hn & last:
            dist -= 1
        hp = (hp << 1) | 1
        hn = hn << 1
        vp = hn | ~(d0 | hp)
        vn = hp & d0
        old = pmj
    return dist


cdef uint64_t _scratch_pm[ALPHABET]  # all zero between calls of _pair_distance


cdef int _pair_distance(const unsigned char* a, int m, const unsigned char* b, int n,
                        bint transpositions) noexcept:
    """Edit distance of two strings, neither prepared (the match vectors of ``a`` are set in
    a shared table and cleared again)."""
    cdef int i, d
    if m > 64:
        if n <= 64:
            return _pair_distance(b, n, a, m, transpositions)
        return _table_distance(a, m, b, n, transpositions)
    for i in range(m):
        _scratch_pm[a[i] & 127] |= (<uint64_t> 1) << i
    d = _distance(_scratch_pm, a, m, b, n, transpositions)
    for i in range(m):
        _scratch_pm[a[i] & 127] = 0
    return d


cdef inline bint _similar(int dist, int m, int n, double cut) noexcept:
    """1 - dist / max(m, n) >= cut, in the double arithmetic rapidfuzz uses."""
    cdef int longest = m if m > n else n
    if longest == 0:
        return 1.0 >= cut
    return 1.0 - (<double> dist) / (<double> longest) >= cut


cdef inline uint64_t _mask(const unsigned char* s, int n) noexcept:
    cdef uint64_t found = 0
    cdef int i
    for i in range(n):
        found |= (<uint64_t> 1) << (s[i] & 63)
    return found


DEF TABLES = 8

cdef double _table_cut[TABLES]
cdef int _table_edits[TABLES][65]
cdef int _ntables = 0


cdef const int* _edits_within(double cut) noexcept:
    """For strings of 0 to 64 letters (the longer one's length), the most edits that keep
    1 - edits / length at or above ``cut`` (-1: none), in the double arithmetic of
    :func:`_similar`; made once per cut (the bound's test uses four)."""
    global _ntables
    cdef int t, length, edits, most
    for t in range(_ntables):
        if _table_cut[t] == cut:
            return _table_edits[t]
    if _ntables == TABLES:
        return NULL
    t = _ntables
    _table_cut[t] = cut
    for length in range(65):
        most = -1
        edits = <int> ((1.0 - cut) * length) + 2
        if edits > length:
            edits = length
        while edits >= 0:
            if _similar(edits, length, length, cut):
                most = edits
                break
            edits -= 1
        _table_edits[t][length] = most
    _ntables += 1
    return _table_edits[t]


cdef inline bint _within(int dist, int m, int n, const int* edits, double cut) noexcept:
    """_similar(dist, m, n, cut), by the table of :func:`_edits_within` when it has one."""
    cdef int longest = m if m > n else n
    if edits != NULL and longest <= 64:
        return dist <= edits[longest]
    return _similar(dist, m, n, cut)


cdef inline bint _may_be_within(int m, uint64_t ma, int n, uint64_t mb, const int* edits,
                                double cut) noexcept:
    """Whether strings of lengths ``m`` and ``n`` with the letters ``ma`` and ``mb`` can
    reach ``cut`` at all: every letter one has and the other lacks, and every letter of
    length difference, is an edit."""
    cdef int lower = m - n if m > n else n - m
    cdef int missing = popcount(ma & ~mb)
    if missing > lower:
        lower = missing
    missing = popcount(mb & ~ma)
    if missing > lower:
        lower = missing
    return _within(lower, m, n, edits, cut)


cdef void _match_vectors(uint64_t* pm, const unsigned char* s, int n) noexcept:
    cdef int i
    memset(pm, 0, ALPHABET * sizeof(uint64_t))
    if n > 64:
        return
    for i in range(n):
        pm[s[i] & 127] |= (<uint64_t> 1) << i


cdef inline bint _vowelless(const unsigned char* s, int n) noexcept:
    cdef int i
    cdef unsigned char c
    for i in range(n):
        c = s[i]
        if c == 97 or c == 101 or c == 105 or c == 111 or c == 117:  # a e i o u
            return False
    return True


cdef inline bint _same(const unsigned char* a, int m, const unsigned char* b, int n) noexcept:
    return m == n and (m == 0 or memcmp(a, b, m) == 0)


# ---------------------------------------------------------------- strings and their forms

cdef struct Str:
    const unsigned char* text
    int text_len
    const unsigned char* key  # phonetic key
    int key_len
    const unsigned char* eskey  # the key Russian, Belarusian, Ukrainian spellings share
    int eskey_len
    const unsigned char* cons  # consonants
    int cons_len
    const unsigned char* skel  # abjad skeleton
    int skel_len
    const unsigned char* zh  # the key of the pinyin and Wade-Giles spellings of a syllable
    int zh_len
    const unsigned char* ko  # the key of the Korean romanisations of a syllable
    int ko_len
    const unsigned char* vskel  # the first letter and the later letters but vowels and y
    int vskel_len
    int nstems  # the Baltic endings the text ends with: letters cut, key of the rest
    int stem_cut[STEMS]
    const unsigned char* stem_key[STEMS]
    int stem_key_len[STEMS]
    bint alpha
    bint digit
    bint vowelless
    bint latin_vowelless  # two letters or more, no a-e-i-o-u after the first
    bint key_is_text  # the phonetic key is the text itself
    uint64_t text_mask
    uint64_t key_mask
    uint64_t skel_mask


cdef class Strings:
    """Strings with their forms (:func:`discreet.match.prune.string_forms` of each), for
    the kernel; also each string's per-query result of the bound's test."""

    cdef Str* strs
    cdef Py_ssize_t count
    cdef object keep  # the buffers the Str pointers point into
    cdef int64_t[:] stamp
    cdef int64_t[:] loose  # the query bits that may pair with the string, this query

    def __cinit__(self):
        self.strs = NULL

    def __init__(self, list forms, bint stamps=True):
        """``forms``: per string (text, phonetic key, east-Slavic key, consonants, abjad
        skeleton, Baltic stems ((letters cut, key of the rest), ...), flags (bit 0: letters
        only, 1: digits only, 2: vowel-less, 3: no vowel after the first letter), Chinese
        syllable key, Korean syllable key, vowel skeleton),
        the strings as ASCII bytes. ``stamps``: keep per-query results of the bound's test
        (a vocabulary of list strings; a query's own strings need none).

        A large vocabulary is given packed instead (:meth:`packed`): a bytes object per
        string and form costs some fifty bytes of object header each."""
        self.keep = forms
        self._allocate(len(forms), stamps)
        cdef Py_ssize_t s, k
        cdef Str* out
        cdef bytes text
        for s in range(self.count):
            out = &self.strs[s]
            form = forms[s]
            for f in range(5):
                text = form[f]
                _set_slot(out, f, <const unsigned char*> text, len(text))
            stems = form[5]
            out.nstems = len(stems) if len(stems) < STEMS else STEMS
            for k in range(out.nstems):
                out.stem_cut[k] = stems[k][0]
                text = stems[k][1]
                out.stem_key[k] = <const unsigned char*> text
                out.stem_key_len[k] = len(text)
            for f in (7, 8, 9):
                text = form[f]
                _set_slot(out, f, <const unsigned char*> text, len(text))
            _set_flags(out, form[6])

    @staticmethod
    def packed(tuple forms, const int64_t[:] stem_at, const int64_t[:] stem_cut,
               const unsigned char[:] flags):
        """A vocabulary from its forms packed: ``forms`` seven (buffer, offsets) pairs, in the
        order text, phonetic key, east-Slavic key, consonants, abjad skeleton, Chinese
        key, Korean key, then the Baltic stems' keys, then the vowel skeletons (a ninth
        pair); ``stem_at``: where each string's stems
        begin among them; ``stem_cut``: the letters each stem's ending takes off."""
        cdef Strings out = Strings.__new__(Strings)
        cdef Py_ssize_t s, k, f, first
        cdef const unsigned char[:] buf
        cdef const int64_t[:] at
        cdef Str* str_
        out.keep = (forms, stem_at, stem_cut, flags)
        out._allocate(len(flags), True)
        for f, slot in enumerate((0, 1, 2, 3, 4, 7, 8)):
            buf = forms[f][0]
            at = forms[f][1]
            for s in range(out.count):
                _set_slot(&out.strs[s], slot, &buf[at[s]] if at[s + 1] > at[s] else NULL,
                          <int> (at[s + 1] - at[s]))
        buf = forms[8][0]
        at = forms[8][1]
        for s in range(out.count):
            _set_slot(&out.strs[s], 9, &buf[at[s]] if at[s + 1] > at[s] else NULL,
                      <int> (at[s + 1] - at[s]))
        buf = forms[7][0]
        at = forms[7][1]
        for s in range(out.count):
            str_ = &out.strs[s]
            first = stem_at[s]
            str_.nstems = <int> (stem_at[s + 1] - first)
            if str_.nstems > STEMS:
                str_.nstems = STEMS
            for k in range(str_.nstems):
                str_.stem_cut[k] = <int> stem_cut[first + k]
                str_.stem_key_len[k] = <int> (at[first + k + 1] - at[first + k])
                str_.stem_key[k] = &buf[at[first + k]] if str_.stem_key_len[k] else NULL
            _set_flags(str_, flags[s])
        return out

    cdef void _allocate(self, Py_ssize_t count, bint stamps) except *:
        self.count = count
        self.strs = <Str*> malloc((count if count else 1) * sizeof(Str))
        if self.strs == NULL:
            raise MemoryError()
        memset(self.strs, 0, (count if count else 1) * sizeof(Str))
        if stamps:
            self.stamp = np.full(count, -1, np.int64)
            self.loose = np.zeros(count, np.int64)

    def __dealloc__(self):
        free(self.strs)

    def __len__(self):
        return self.count


cdef void _set_flags(Str* out, int flags) noexcept:
    out.alpha = flags & 1
    out.digit = (flags >> 1) & 1
    out.vowelless = (flags >> 2) & 1
    out.latin_vowelless = (flags >> 3) & 1
    out.key_is_text = _same(out.key, out.key_len, out.text, out.text_len)
    out.text_mask = _mask(out.text, out.text_len)
    out.key_mask = _mask(out.key, out.key_len)
    out.skel_mask = _mask(out.skel, out.skel_len)


cdef void _set_slot(Str* s, int slot, const unsigned char* data, int n) noexcept:
    """Form ``slot`` of a string: 0 text, 1 phonetic key, 2 east-Slavic key, 3
    consonants, 4 abjad skeleton, 7 Chinese key, 8 Korean key, 9 vowel skeleton."""
    cdef const unsigned char** at
    cdef int* length
    if slot == 0:
        at, length = &s.text, &s.text_len
    elif slot == 1:
        at, length = &s.key, &s.key_len
    elif slot == 2:
        at, length = &s.eskey, &s.eskey_len
    elif slot == 3:
        at, length = &s.cons, &s.cons_len
    elif slot == 4:
        at, length = &s.skel, &s.skel_len
    elif slot == 7:
        at, length = &s.zh, &s.zh_len
    elif slot == 9:
        at, length = &s.vskel, &s.vskel_len
    else:
        at, length = &s.ko, &s.ko_len
    at[0] = data
    length[0] = n


# ---------------------------------------------------------------- token similarity

cdef struct Constants:
    double min_sim
    double join_min_sim
    double acronym_sim
    double phonetic_sim
    double initial_sim
    double abjad_sim
    double short_skeleton
    double baltic_sim
    double east_slavic_sim
    double vowelless_sim
    double regrouped_sim
    double truncated_sim
    double truncated_tail
    double fuzzy_loss
    double fuzzy_steep
    double initial_loss
    double contradiction
    double contradiction_abs
    double omission
    double generic_cap
    double one_word_cap
    double legal_conflict
    double lineage_crossed
    double forebear_share
    double unmatched[8]  # by kind


cdef inline bint _swapped(const unsigned char* a, int m, const unsigned char* b,
                          int n) noexcept:
    """similarity._swapped: ``b`` is ``a`` with two neighbouring letters swapped."""
    cdef int i, first = -1, count = 0
    if m != n:
        return False
    for i in range(m):
        if a[i] != b[i]:
            count += 1
            if first < 0:
                first = i
    return (count == 2 and first + 1 < m and a[first] == b[first + 1]
            and a[first + 1] == b[first])


cdef inline double _fuzzy(int edits, int longest, const unsigned char* a, int m,
                          const unsigned char* b, int n) noexcept:
    """similarity._fuzzy: edit similarity that forgives less in short tokens, two
    letters swapped aside."""
    cdef double sim = 1.0 - (<double> edits) / (<double> longest)
    if longest <= 3 and edits:
        if _swapped(a, m, b, n):
            return sim
        return sim if sim <= 0.4 else 0.4
    if edits > 1 and longest <= 5:
        return sim * 0.8
    return sim


cdef bint _baltic(Str* a, Str* b) noexcept:
    """similarity._baltic: one token is the other with a Baltic nominative ending."""
    cdef Str* longer = a if a.text_len > b.text_len else b
    cdef Str* shorter = b if a.text_len > b.text_len else a
    cdef int k
    if shorter.text_len < 4:
        return False
    for k in range(longer.nstems):
        if (longer.text_len - longer.stem_cut[k] >= shorter.text_len - 1
                and _same(longer.stem_key[k], longer.stem_key_len[k], shorter.key,
                          shorter.key_len)):
            return True
    return False


cdef inline bint _writes_mater(unsigned char mater, unsigned char ch) noexcept:
    """similarity._MATRES: ``ch`` writes what an abjad writes with ``mater`` (w or y)."""
    if mater == b'w':
        return ch == b'o' or ch == b'u' or ch == b'w' or ch == b'v'
    return ch == b'i' or ch == b'e' or ch == b'y'


cdef bint _matres_unmatched(Str* a, Str* b) noexcept:
    """similarity._matres_unmatched: the w and y of a vowel-less token, in order, unwritten
    in the vowelled one."""
    cdef Str* bare
    cdef Str* vowelled
    cdef int i, at = 1
    cdef unsigned char ch
    if a.vowelless == b.vowelless:
        return False
    bare, vowelled = (a, b) if a.vowelless else (b, a)
    for i in range(1, bare.text_len):
        ch = bare.text[i]
        if (ch != b'w' and ch != b'y') or (i >= 2 and bare.text[i - 1] == ch):
            continue
        while at < vowelled.text_len and not _writes_mater(ch, vowelled.text[at]):
            at += 1
        if at == vowelled.text_len:
            return True
        at += 1
    return False


cdef double _skeleton_sim(Str* a, Str* b, double fuzzy, bint abjad,
                          Constants* c) noexcept:
    """similarity._skeleton_sim: similarity from consonants alone."""
    cdef int shortest = a.text_len if a.text_len < b.text_len else b.text_len
    cdef int longest, d
    cdef double sim
    if (abjad and (a.vowelless or b.vowelless) and shortest >= 2 and a.alpha and b.alpha
            and a.skel_len and b.skel_len):
        longest = a.skel_len if a.skel_len > b.skel_len else b.skel_len
        d = _pair_distance(a.skel, a.skel_len, b.skel, b.skel_len, False)
        if _matres_unmatched(a, b):
            sim = c.abjad_sim * (1.0 - (<double> (d + 1)) / (<double> (longest + 1)))
        else:
            sim = c.abjad_sim * (1.0 - (<double> d) / (<double> longest))
        return sim * (1.0 if longest >= 3 else c.short_skeleton)
    if fuzzy >= 0.6 and shortest >= 4:
        if a.cons_len >= 2 and _same(a.cons, a.cons_len, b.cons, b.cons_len):
            return 0.65 + 0.3 * fuzzy
    return 0.0


cdef inline bint _vowelless_pairs(Str* a, Str* b, int* edits) noexcept:
    """Whether similarity._vowelless_sim applies: a word without vowels (after its first
    letter) and a word, letters only, whose vowel skeletons are equal (or one edit apart,
    in skeletons of five letters or more); ``edits`` receives the skeletons' distance."""
    cdef int longest
    if not (a.latin_vowelless or b.latin_vowelless) or not (a.alpha and b.alpha):
        return False
    longest = a.vskel_len if a.vskel_len > b.vskel_len else b.vskel_len
    if longest < 2:
        return False
    edits[0] = _pair_distance(a.vskel, a.vskel_len, b.vskel, b.vskel_len, False)
    return edits[0] <= (1 if longest >= 5 else 0)


cdef double _vowelless_sim(Str* a, Str* b, Constants* c) noexcept:
    """similarity._vowelless_sim: a word written without its vowels against the word."""
    cdef int edits = 0, longest
    cdef double sim
    if not _vowelless_pairs(a, b, &edits):
        return 0.0
    longest = a.vskel_len if a.vskel_len > b.vskel_len else b.vskel_len
    sim = c.vowelless_sim * (1.0 - (<double> edits) / (<double> longest))
    return sim * (1.0 if longest >= 3 else c.short_skeleton)


cdef double _token_similarity(Str* a, Str* b, bint abjad, Constants* c,
                              int* method, bint without_vowels) noexcept:
    """similarity.token_similarity, on prepared strings."""
    cdef int d = -1, longest
    cdef double fuzzy, other, skel, vowelless
    if _same(a.text, a.text_len, b.text, b.text_len):
        method[0] = M_EXACT
        return 1.0
    if a.text_len == 1 or b.text_len == 1:
        if a.text[0] == b.text[0] and a.alpha and b.alpha:
            method[0] = M_INITIAL
            return c.initial_sim
        method[0] = M_NONE
        return 0.0
    if a.digit or b.digit:
        method[0] = M_NONE
        return 0.0
    if _same(a.key, a.key_len, b.key, b.key_len):
        method[0] = M_PHONETIC
        return c.phonetic_sim
    if _baltic(a, b):
        d = _pair_distance(a.text, a.text_len, b.text, b.text_len, True)
        if _similar(d, a.text_len, b.text_len, c.min_sim):
            method[0] = M_DECLINED
            return c.baltic_sim
    if (a.text_len >= 4 and b.text_len >= 4
            and _same(a.eskey, a.eskey_len, b.eskey, b.eskey_len)):
        if d < 0:
            d = _pair_distance(a.text, a.text_len, b.text, b.text_len, True)
        if _similar(d, a.text_len, b.text_len, c.min_sim):
            method[0] = M_ROMANISED
            return c.east_slavic_sim
    longest = a.key_len if a.key_len > b.key_len else b.key_len
    fuzzy = _fuzzy(_pair_distance(a.key, a.key_len, b.key, b.key_len, True), longest,
                   a.key, a.key_len, b.key, b.key_len)
    if not (_same(a.key, a.key_len, a.text, a.text_len)
            and _same(b.key, b.key_len, b.text, b.text_len)):
        if d < 0:
            d = _pair_distance(a.text, a.text_len, b.text, b.text_len, True)
        longest = a.text_len if a.text_len > b.text_len else b.text_len
        other = _fuzzy(d, longest, a.text, a.text_len, b.text, b.text_len)
        if other > fuzzy:
            fuzzy = other
    skel = _skeleton_sim(a, b, fuzzy, abjad, c)
    vowelless = 0.0 if not without_vowels or (abjad and _matres_unmatched(a, b)) \
        else _vowelless_sim(a, b, c)
    if vowelless > fuzzy and vowelless > skel:
        method[0] = M_VOWELLESS
        return vowelless
    if skel > fuzzy:
        method[0] = M_SKELETON
        return skel
    method[0] = M_FUZZY
    return fuzzy


cdef inline bint _syllables_alike(Str* a, Str* b, int script) noexcept:
    """The two syllables share the key of their script's romanisations."""
    if script == 1:
        return _same(a.zh, a.zh_len, b.zh, b.zh_len)
    return _same(a.ko, a.ko_len, b.ko, b.ko_len)


cdef inline bint _vowel_letter(Str* a) noexcept:
    cdef unsigned char c = a.text[0]
    return a.text_len == 1 and (c == 97 or c == 101 or c == 105 or c == 111 or c == 117)


cdef double _syllable_similarity(Str* a, Str* b, int script, Constants* c,
                                 int* method) noexcept:
    """similarity.syllable_similarity (``script`` 1: han, 2: hangul)."""
    if _same(a.text, a.text_len, b.text, b.text_len):
        method[0] = M_EXACT
        return 1.0
    if (a.text_len == 1 and not _vowel_letter(a)) or (b.text_len == 1 and not _vowel_letter(b)):
        if a.text[0] == b.text[0] and a.alpha and b.alpha:
            method[0] = M_INITIAL
            return c.initial_sim
        method[0] = M_NONE
        return 0.0
    if _syllables_alike(a, b, script):
        method[0] = M_PHONETIC
        return c.phonetic_sim
    method[0] = M_NONE
    return 0.0


cdef inline double _similarity(Str* a, Str* b, bint abjad, int script, Constants* c,
                               int* method) noexcept:
    """What align compares tokens with: syllables when a name is Chinese or Korean."""
    if script:
        return _syllable_similarity(a, b, script, c, method)
    return _token_similarity(a, b, abjad, c, method, True)


# ---------------------------------------------------------------- names

# One name as align and name_score read it; arrays point into the tables (list names) or
# into the query's arrays.
cdef struct Name:
    int n
    Str* strs  # token i is strs[word[i]]
    const int64_t* word
    const int64_t* ident  # equal for equal texts (list names: word ids; the query: word id
    #                       if the text is a list word, else below 0)
    const int64_t* source  # a legal form's: the ident of the one word it was written as
    #                        ("sa" for the jsc of "S.A."); else below 0
    const int8_t* kind
    const double* weight
    int nspans
    Str* span_strs  # run r is span_strs[span_str[r]]
    const int64_t* span_str
    const int64_t* span_start
    const int64_t* span_size
    const int64_t* spell  # per token: what an acronym lookup of it compares (see Query)
    int nacr  # runs of words an acronym may spell: what they spell, first and last token
    const int64_t* acr_id
    const int64_t* acr_first
    const int64_t* acr_last
    int nlin  # lineages: son and father token of each "X bin Y"
    const int64_t* lin_son
    const int64_t* lin_father
    bint has_lineage
    double total
    int64_t legal
    bint has_legal
    bint org
    bint abjad
    int syllabic  # 1: written in Chinese characters, 2: in Korean Hangul
    int64_t script_set  # the scripts it is written in, when one is syllabic (else 0)
    bint fallback  # Python scores this name (see the module docstring)
    int64_t length  # characters of the name as written
    bint truncatable  # (a query) long enough to have been cut by a field limit


cdef struct Cand:  # a possible pair in align
    double sim
    int count
    int method
    int q_first
    int q_last
    int l_first
    int l_last


cdef inline bint _same_word(Name* q, int i, Name* l, int j) noexcept:
    """align._same: the same text, or a legal form and the word (not a form) it was
    written as."""
    if q.ident[i] == l.ident[j]:
        return True
    if l.kind[j] == LEGAL:
        return q.kind[i] != LEGAL and l.source[j] >= 0 and q.ident[i] == l.source[j]
    return q.kind[i] == LEGAL and q.source[i] >= 0 and q.source[i] == l.ident[j]


cdef inline bint _special(int kind) noexcept:
    return kind == LEGAL or kind == NUMBER


cdef inline bint _substantive(int kind) noexcept:
    return kind == NAME or kind == PATRONYMIC or kind == INITIAL or kind == NUMBER


cdef inline uint64_t _range(int first, int last) noexcept:
    return ((~(<uint64_t> 0)) >> (63 - (last - first))) << first


cdef inline bint _acronym_word(Name* side, int i) noexcept:
    cdef Str* s = &side.strs[side.word[i]]
    return (3 <= s.text_len <= 6 and (side.kind[i] == NAME or side.kind[i] == GENERIC)
            and s.alpha)


cdef inline Cand _pair(double sim, int count, int method, int token, int first, int last,
                       bint flip) noexcept:
    """A pair of token ``token`` of one side with tokens ``first`` to ``last`` of the other
    (``flip``: the token is the list name's)."""
    if flip:
        return Cand(sim, count, method, first, last, token, token)
    return Cand(sim, count, method, token, token, first, last)


cdef Py_ssize_t _joined(Name* a, Name* b, uint64_t used_a, uint64_t used_b, bint abjad,
                        int script, bint flip, Constants* c, Cand* out) noexcept:
    """align._joined, one side: a free token of ``a`` against a run of free tokens of
    ``b`` written as one word."""
    cdef Py_ssize_t found = 0
    cdef int i, r, target, slack, method, first, last
    cdef double sim
    cdef Str* sa
    cdef Str* sb
    for i in range(a.n):
        if (used_a >> i) & 1:
            continue
        sa = &a.strs[a.word[i]]
        target = sa.text_len
        if target < 4 or _special(a.kind[i]):
            continue
        slack = target // 4
        if slack < 2:
            slack = 2
        for r in range(b.nspans):
            first = <int> b.span_start[r]
            last = <int> (b.span_start[r] + b.span_size[r] - 1)
            if used_b & _range(first, last):
                continue
            sb = &b.span_strs[b.span_str[r]]
            if sb.text_len - target > slack or target - sb.text_len > slack:
                continue
            sim = _similarity(sa, sb, abjad, script, c, &method)
            if sim >= c.join_min_sim:
                out[found] = _pair(sim, 1 + <int> b.span_size[r],
                                   M_JOINED if method == M_EXACT else method, i, first, last,
                                   flip)
                found += 1
    return found


cdef Py_ssize_t _acronyms(Name* a, Name* b, uint64_t used_a, uint64_t used_b, bint flip,
                          Constants* c, Cand* out) noexcept:
    """align._acronyms, one side: a free word of ``a`` spelling the initials of a run of
    free words of ``b`` (the first run for those initials, as acronym_runs keeps)."""
    cdef Py_ssize_t found = 0
    cdef int i, r, first, last
    for i in range(a.n):
        if (used_a >> i) & 1 or not _acronym_word(a, i) or a.spell[i] < 0:
            continue
        for r in range(b.nacr):
            if b.acr_id[r] != a.spell[i]:
                continue
            first = <int> b.acr_first[r]
            last = <int> b.acr_last[r]
            if not (used_b & _range(first, last)):  # every word of the run is free
                out[found] = _pair(c.acronym_sim, 2 + last - first, M_ACRONYM, i, first,
                                   last, flip)
                found += 1
            break
    return found


cdef inline bint _prefix_of(Str* cut, Str* word) noexcept:
    """align.prefix_of: ``cut`` is the first letters (two or more) of ``word``."""
    return (word.text_len > cut.text_len >= 2 and cut.alpha
            and memcmp(word.text, cut.text, cut.text_len) == 0)


cdef Py_ssize_t _regrouped(Name* q, Name* l, uint64_t used_q, uint64_t used_l, Constants* c,
                           Cand* out) noexcept:
    """align._regrouped: two adjacent free words on each side, the same letters (one edit
    forgiven) with the space elsewhere, each word like its counterpart."""
    cdef Py_ssize_t found = 0
    cdef int r, s, i, j, longest, edits
    cdef Str* lj
    cdef Str* qi
    for r in range(l.nspans):
        if l.span_size[r] != 2:
            continue
        j = <int> l.span_start[r]
        if used_l & _range(j, j + 1) or _special(l.kind[j]) or _special(l.kind[j + 1]):
            continue
        lj = &l.span_strs[l.span_str[r]]
        for s in range(q.nspans):
            if q.span_size[s] != 2:
                continue
            i = <int> q.span_start[s]
            if used_q & _range(i, i + 1) or _special(q.kind[i]) or _special(q.kind[i + 1]):
                continue
            qi = &q.span_strs[q.span_str[s]]
            longest = qi.text_len if qi.text_len > lj.text_len else lj.text_len
            if qi.text_len - lj.text_len > 1 or lj.text_len - qi.text_len > 1 or longest < 6:
                continue
            edits = _pair_distance(qi.text, qi.text_len, lj.text, lj.text_len, True)
            if edits > 1 or (q.ident[i] == l.ident[j] and q.ident[i + 1] == l.ident[j + 1]):
                continue
            if (_alike(&q.strs[q.word[i]], &l.strs[l.word[j]], c.min_sim)
                    and _alike(&q.strs[q.word[i + 1]], &l.strs[l.word[j + 1]], c.min_sim)):
                out[found] = Cand(c.regrouped_sim * (1.0 - (<double> edits) / (<double> longest)),
                                  4, M_REGROUPED, i, i + 1, j, j + 1)
                found += 1
    return found


cdef inline bint _alike(Str* a, Str* b, double cut) noexcept:
    """OSA.normalized_similarity(a, b) >= cut."""
    return _similar(_pair_distance(a.text, a.text_len, b.text, b.text_len, True), a.text_len,
                    b.text_len, cut)


cdef Py_ssize_t _unless_spelled(Cand* out, Py_ssize_t first, Py_ssize_t found) noexcept:
    """align._unless_spelled: the pairs before ``first`` without those reading a word that
    spells an acronym (a pair from ``first`` on) as a word written without vowels; the
    acronyms moved up after them. Returns the pairs left."""
    cdef uint64_t words_q = 0, words_l = 0
    cdef Py_ssize_t a, kept = 0
    for a in range(first, found):
        if out[a].q_first == out[a].q_last:
            words_q |= (<uint64_t> 1) << out[a].q_first
        if out[a].l_first == out[a].l_last:
            words_l |= (<uint64_t> 1) << out[a].l_first
    for a in range(found):
        if (a < first and out[a].method == M_VOWELLESS
                and (words_q & _range(out[a].q_first, out[a].q_last)
                     or words_l & _range(out[a].l_first, out[a].l_last))):
            continue
        out[kept] = out[a]
        kept += 1
    return kept


cdef inline int _word(int kind) noexcept:
    """1 for a word other than a legal form, a particle or a title (align._only_word)."""
    return 0 if kind == LEGAL or kind == PARTICLE or kind == TITLE else 1


cdef Py_ssize_t _candidates(Name* q, Name* l, uint64_t used_q, uint64_t used_l, bint abjad,
                            int script, bint acronyms, bint cut, Constants* c,
                            Cand* out) noexcept:
    """align's possible pairs of free tokens, in align's order: single tokens (``cut``: the
    query's last word may begin a list word), then one token against a run of the other
    side's, then acronyms, then two words regrouped."""
    cdef Py_ssize_t found = 0, first
    cdef int i, j, la, lb, nfree_q = 0, nfree_l = 0, ka, kb, method, longest, shortest
    cdef int words_q = 0, words_l = 0
    cdef double sim
    cdef Str* sa
    cdef Str* sb
    for i in range(q.n):
        words_q += _word(q.kind[i])
        if not (used_q >> i) & 1:
            nfree_q += 1
    for j in range(l.n):
        words_l += _word(l.kind[j])
        if not (used_l >> j) & 1:
            nfree_l += 1
    for i in range(q.n):
        if (used_q >> i) & 1:
            continue
        sa = &q.strs[q.word[i]]
        la = sa.text_len
        ka = q.kind[i]
        for j in range(l.n):
            if (used_l >> j) & 1:
                continue
            kb = l.kind[j]
            if (cut and i == q.n - 1 and kb == LEGAL and ka != LEGAL and l.source[j] >= 0
                    and _prefix_of(sa, &l.strs[l.source[j]])):
                # the cut last word begins the one word a legal form was written as
                out[found] = Cand(c.truncated_sim, 2, M_TRUNCATED, i, i, j, j)
                found += 1
                continue
            if (_special(ka) or _special(kb)) and ka != kb:
                continue  # legal forms and numbers pair only with their own kind
            sb = &l.strs[l.word[j]]
            lb = sb.text_len
            if cut and i == q.n - 1 and not _special(ka) and _prefix_of(sa, sb):
                sim = _similarity(sa, sb, abjad, script, c, &method)
                if sim < c.truncated_sim:
                    sim = c.truncated_sim
                    method = M_TRUNCATED
                out[found] = Cand(sim, 2, method, i, i, j, j)
                found += 1
                continue
            longest = la if la > lb else lb
            shortest = la if la < lb else lb
            if (la > 1 and lb > 1 and shortest < longest * c.min_sim - 1
                    and not (sa.latin_vowelless or sb.latin_vowelless)):
                continue  # no edit similarity this high (a word without vowels aside)
            sim = _similarity(sa, sb, abjad, script, c, &method)
            if (method == M_VOWELLESS and acronyms and not script
                    and ((la < 4 and sa.latin_vowelless and words_q - _word(ka) == 0)
                         or (lb < 4 and sb.latin_vowelless and words_l - _word(kb) == 0))):
                # an organisation's only word, short and without vowels, is an acronym
                sim = _token_similarity(sa, sb, abjad, c, &method, False)
            if sim >= c.min_sim:
                out[found] = Cand(sim, 2, method, i, i, j, j)
                found += 1
    if nfree_q > 1 or nfree_l > 1:
        if nfree_l >= 2:
            found += _joined(q, l, used_q, used_l, abjad, script, False, c, out + found)
        if nfree_q >= 2:
            found += _joined(l, q, used_l, used_q, abjad, script, True, c, out + found)
    if acronyms:
        first = found
        if nfree_l >= 3:
            found += _acronyms(q, l, used_q, used_l, False, c, out + found)
        if nfree_q >= 3:
            found += _acronyms(l, q, used_l, used_q, True, c, out + found)
        if found > first:
            found = _unless_spelled(out, first, found)
    if nfree_q > 1 and nfree_l > 1 and not script:
        found += _regrouped(q, l, used_q, used_l, c, out + found)
    return found


cdef inline double _pair_loss(double sim, int method, Constants* c) noexcept:
    if method == M_INITIAL:
        return c.initial_loss
    return c.fuzzy_loss * (1.0 - sim) + c.fuzzy_steep * (0.8 - sim if 0.8 - sim > 0.0 else 0.0)


cdef double _omitted(Name* name, uint64_t used, Constants* c) noexcept:
    """score._omitted_in_lineage: unmatched weight, ancestors skipped in a lineage halved."""
    cdef double total = 0.0
    cdef int i, k
    cdef bint chain
    for i in range(name.n):
        if (used >> i) & 1:
            continue
        chain = False
        for k in range(name.nlin):
            if name.lin_son[k] + 1 <= i <= name.lin_father[k]:
                chain = True
                break
        total += name.weight[i] * (c.forebear_share if chain else 1.0)
    return total


cdef struct Detail:  # what name_score's NameScore holds besides the score
    int npairs
    Cand pairs[2 * MAX_TOKENS]
    double losses[2 * MAX_TOKENS]
    uint64_t used_q
    uint64_t used_l
    double contradiction
    double omission
    bint capped
    bint legal
    bint crossed
    bint one_word
    bint truncated


cdef int LONE_LETTERS_PER_SLIP = 5  # score.LONE_LETTERS_PER_SLIP


cdef bint _lone_variant(Name* q, Name* l, Cand* chosen, int npairs) noexcept:
    """score.lone_variant: an organisation's list name, each name one word of substance,
    the two paired only as variants further apart than typing slips (not a word written
    without its vowels nor one cut by a field limit)."""
    cdef int i, k, d, longest, ours = -1, theirs = -1
    cdef Str* a
    cdef Str* b
    if not l.org or q.abjad or l.abjad or q.syllabic or l.syllabic:
        return False
    for i in range(q.n):
        if _substantive(q.kind[i]):
            if ours >= 0:
                return False
            ours = i
    for i in range(l.n):
        if _substantive(l.kind[i]):
            if theirs >= 0:
                return False
            theirs = i
    if ours < 0 or theirs < 0:
        return False
    for k in range(npairs):
        if (chosen[k].q_first == ours and chosen[k].q_last == ours
                and chosen[k].l_first == theirs and chosen[k].l_last == theirs):
            if (chosen[k].sim >= 1.0 or chosen[k].method == M_VOWELLESS
                    or chosen[k].method == M_TRUNCATED):
                return False
            a = &q.strs[q.word[ours]]
            b = &l.strs[l.word[theirs]]
            for i in range(a.text_len):
                if a.text[i] >= 128:
                    return False
            for i in range(b.text_len):
                if b.text[i] >= 128:
                    return False
            d = _pair_distance(a.text, a.text_len, b.text, b.text_len, True)
            longest = a.text_len if a.text_len > b.text_len else b.text_len
            return d > 1 and d * LONE_LETTERS_PER_SLIP > longest
    return False


cdef double _name_score(Name* q, Name* l, Constants* c, Detail* detail) noexcept:
    """score.name_score(q, l).score; NaN when Python must score the pair. ``detail``
    (unless NULL) receives the alignment and the terms."""
    cdef bint abjad = q.abjad or l.abjad
    cdef bint acronyms = q.org or l.org
    cdef uint64_t used_q = 0, used_l = 0, mq, ml
    cdef int i, j, k, npairs = 0, capacity
    cdef Py_ssize_t found, a, b
    cdef Cand* cands
    cdef Cand pick
    cdef Cand* chosen
    cdef double sq, sl, weight, substance = 0.0, losses = 0.0, left_q = 0.0, left_l = 0.0
    cdef double kinds_q = 0.0, kinds_l = 0.0, total, omission, raw, sub, loss
    cdef int partner[MAX_TOKENS]
    cdef bint crossed = False, same_tokens, one_word = False, tail = False
    cdef int last_listed = -1
    cdef bint cut = (q.truncatable and l.length > q.length and not l.syllabic)
    if (q.fallback or l.fallback or (q.script_set > 0 and q.script_set == l.script_set)
            or l.syllabic != q.syllabic or q.n > MAX_TOKENS or l.n > MAX_TOKENS):
        # two names in the same syllabic scripts (Python compares their characters), or
        # syllables against a query whose strings lack syllable keys, or a romanised name
        # against syllables (score._syllables_apart): Python scores
        return NAN
    capacity = 2 * q.n * l.n + q.n * l.nspans + l.n * q.nspans + q.n + l.n + 1
    cands = <Cand*> malloc(capacity * sizeof(Cand))
    chosen = <Cand*> malloc((q.n + l.n + 1) * sizeof(Cand))
    if cands == NULL or chosen == NULL:
        free(cands)
        free(chosen)
        return NAN
    # identical tokens pair first, each query token with the first free equal list token
    for i in range(q.n):
        for j in range(l.n):
            if not (used_l >> j) & 1 and _same_word(q, i, l, j):
                used_q |= (<uint64_t> 1) << i
                used_l |= (<uint64_t> 1) << j
                chosen[npairs] = Cand(1.0, 2, M_EXACT, i, i, j, j)
                npairs += 1
                break
    if (~used_q & _range(0, q.n - 1) if q.n else 0) and (
            ~used_l & _range(0, l.n - 1) if l.n else 0):
        found = _candidates(q, l, used_q, used_l, abjad, q.syllabic or l.syllabic, acronyms,
                            cut, c, cands)
        # best first; on a tie, fewer tokens, then the order found (a stable sort)
        for a in range(1, found):
            pick = cands[a]
            b = a - 1
            while b >= 0 and (cands[b].sim < pick.sim or (cands[b].sim == pick.sim
                                                        and cands[b].count > pick.count)):
                cands[b + 1] = cands[b]
                b -= 1
            cands[b + 1] = pick
        for a in range(found):
            mq = _range(cands[a].q_first, cands[a].q_last)
            ml = _range(cands[a].l_first, cands[a].l_last)
            if not (used_q & mq or used_l & ml):
                used_q |= mq
                used_l |= ml
                chosen[npairs] = cands[a]
                npairs += 1
    # the pairs' losses, in the order of the pairs
    for i in range(q.n):
        partner[i] = -1
    for k in range(npairs):
        sq = 0.0
        sub = 0.0
        for i in range(chosen[k].q_first, chosen[k].q_last + 1):
            sq += q.weight[i]
            if _substantive(q.kind[i]):
                sub += q.weight[i]
            partner[i] = chosen[k].l_first
        sl = 0.0
        for j in range(chosen[k].l_first, chosen[k].l_last + 1):
            sl += l.weight[j]
        if chosen[k].l_last > last_listed:
            last_listed = chosen[k].l_last
        weight = (sq + sl) / 2
        substance += sub
        loss = weight * _pair_loss(chosen[k].sim, chosen[k].method, c) \
            if chosen[k].sim < 1.0 else 0.0
        losses += loss
        if detail != NULL:
            detail.pairs[k] = chosen[k]
            detail.losses[k] = loss
    for i in range(q.n):
        if not (used_q >> i) & 1:
            left_q += q.weight[i]
            kinds_q += c.unmatched[q.kind[i]]
    # a query cut by a field limit (score._truncated_tail): every query word paired, the
    # unmatched list words after the last paired one count a share
    if cut and npairs and used_q == (_range(0, q.n - 1) if q.n else 0):
        for j in range(last_listed + 1, l.n):
            if not (used_l >> j) & 1:
                tail = True
    for j in range(l.n):
        if not (used_l >> j) & 1:
            left_l += l.weight[j] * (c.truncated_tail if tail and j > last_listed else 1.0)
            kinds_l += c.unmatched[l.kind[j]]
    if q.has_lineage and l.has_lineage:
        omission = fabs(_omitted(q, used_q, c) - _omitted(l, used_l, c))
        # a lineage read backwards: the partner of our father is their son, and back
        for k in range(q.nlin):
            i = partner[q.lin_son[k]]
            j = partner[q.lin_father[k]]
            if i < 0 or j < 0:
                continue
            for a in range(l.nlin):
                if l.lin_son[a] == j and l.lin_father[a] == i:
                    crossed = True
    else:
        omission = fabs(left_q - left_l)
    if tail:
        omission = fabs(left_q - left_l)
    total = q.total
    if l.total > total:
        total = l.total
    if 1e-9 > total:
        total = 1e-9
    raw = 1.0 - (losses + c.contradiction * (left_q if left_q <= left_l else left_l)
                 + c.omission * omission) / total
    raw -= c.contradiction_abs * (kinds_q if kinds_q <= kinds_l else kinds_l)
    if q.has_legal and l.has_legal and (q.legal & l.legal) == 0:
        raw -= c.legal_conflict
    if crossed:
        raw -= c.lineage_crossed
    same_tokens = q.n == l.n
    if same_tokens:
        for i in range(q.n):
            if q.ident[i] != l.ident[i]:
                same_tokens = False
                break
    if detail != NULL:
        detail.npairs = npairs
        detail.used_q = used_q
        detail.used_l = used_l
        detail.contradiction = kinds_q if kinds_q <= kinds_l else kinds_l
        detail.omission = omission
        detail.capped = substance == 0 and not same_tokens
        detail.legal = q.has_legal and l.has_legal and (q.legal & l.legal) == 0
        detail.crossed = crossed
        detail.truncated = tail
    if substance == 0 and not same_tokens and raw > c.generic_cap:
        raw = c.generic_cap
    # one word (an alias) cannot carry a query of more names: score.name_score
    if l.n == 1:
        for i in range(q.n):
            if not (used_q >> i) & 1 and q.kind[i] == NAME:
                one_word = True
                break
    if detail != NULL:
        detail.one_word = one_word
    # two names of one word each, variants more than one slip apart: score.lone_variant
    if raw > c.one_word_cap and (one_word or _lone_variant(q, l, chosen, npairs)):
        raw = c.one_word_cap
    free(cands)
    free(chosen)
    return 0.0 if raw < 0.0 else (1.0 if raw > 1.0 else raw)


# ---------------------------------------------------------------- the bound's test

cdef struct _Row:
    Str* s
    double cut
    double skel_cut
    const int* edits  # _edits_within(cut)
    const int* skel_edits  # _edits_within(skel_cut)
    int kind  # 0: one token, 1: a run of query tokens (list words it may be), 2: a long
    #           query token (list runs it may be)
    int shortest
    int longest
    int script  # the query's syllables (1: Chinese, 2: Korean): their keys pair too
    bint prefix  # the last word of a query a field limit may have cut: pairs with words it begins
    int64_t bits
    uint64_t pm_text[ALPHABET]
    uint64_t pm_key[ALPHABET]
    uint64_t pm_skel[ALPHABET]


cdef bint _pairs(_Row* row, Str* t) noexcept:
    """Whether ``row`` may pair with list string ``t``: a test never stricter than token
    similarity at the row's cut. Edit similarity of the texts or of their phonetic keys;
    of the abjad skeletons (at ``cut / ABJAD_SIM``) when either is vowel-less; a one-letter
    string pairs with the strings it is the initial of; a word without vowels with the
    words of its vowel skeleton; a cut last word with the words it begins."""
    cdef Str* r = row.s
    cdef int n = t.text_len, slack, edits = 0
    if row.kind == 1:  # a run of query tokens against a list word: align's length test
        slack = n // 4
        if slack < 2:
            slack = 2
        if n < 4 or r.text_len - n > slack or n - r.text_len > slack:
            return False
    elif row.kind == 2 and (n < row.shortest or n > row.longest):
        return False
    if row.script and (_same(r.text, r.text_len, t.text, n)
                       or _syllables_alike(r, t, row.script)):
        return True
    if r.text_len == 1:  # an initial pairs with the words it begins
        return n >= 1 and t.text[0] == r.text[0]
    if row.prefix and _prefix_of(r, t):
        return True
    if (r.latin_vowelless or t.latin_vowelless) and _vowelless_pairs(r, t, &edits):
        return True
    if n == 1 and t.text[0] == r.text[0]:
        return True
    if (_may_be_within(r.text_len, r.text_mask, n, t.text_mask, row.edits, row.cut)
            and _within(_distance(row.pm_text, r.text, r.text_len, t.text, n, True),
                        r.text_len, n, row.edits, row.cut)):
        return True
    if (not (r.key_is_text and t.key_is_text)  # else the same test as the texts'
            and _may_be_within(r.key_len, r.key_mask, t.key_len, t.key_mask, row.edits,
                               row.cut)
            and _within(_distance(row.pm_key, r.key, r.key_len, t.key, t.key_len, True),
                        r.key_len, t.key_len, row.edits, row.cut)):
        return True
    if ((r.vowelless or (n >= 2 and t.vowelless))
            and _may_be_within(r.skel_len, r.skel_mask, t.skel_len, t.skel_mask,
                               row.skel_edits, row.skel_cut)
            and _within(_distance(row.pm_skel, r.skel, r.skel_len, t.skel, t.skel_len, False),
                        r.skel_len, t.skel_len, row.skel_edits, row.skel_cut)):
        return True
    return False


# ---------------------------------------------------------------- the query

cdef class Query:
    """One query name as the kernel reads it: its strings (tokens, then runs of tokens)
    with their forms, its :c:type:`Name` (arrays of its own) and the bound test's rows."""

    cdef Strings strings
    cdef Name name
    cdef int nrows
    cdef _Row* rows
    cdef int64_t* ints  # one block for the Name's integer arrays
    cdef int8_t* kinds
    cdef double* weights

    def __cinit__(self):
        self.rows = NULL
        self.ints = NULL
        self.kinds = NULL
        self.weights = NULL

    def __init__(self, Strings strings, list ident, list source, list kind, tuple weight,
                 list spans,
                 list spell, list acronym_runs, list lineages, bint has_lineage,
                 double total, int64_t legal, bint has_legal, bint org, bint abjad,
                 int syllabic, int64_t script_set, bint fallback, tuple cuts,
                 bint truncatable=False, int64_t length=0):
        """``strings``: the tokens' then the runs' forms; ``source``: each legal form's
        word it was written as (:c:type:`Name`); ``spans`` (string, start, size)
        of each run; ``spell``: each token's id among the initials an acronym may spell
        (below 0: none); ``acronym_runs``: (word id of the initials, first, last token);
        ``lineages``: (son, father); ``cuts``: the single-token similarity align needs, the
        edit similarity a joined pair needs, the abjad skeleton similarity factor;
        ``truncatable``: long enough to have been cut by a field limit; ``length``: its
        characters as written.

        The bound's test has a row for each token (against list words, at the first cut),
        each run of tokens (against list words, at the second) and each token of 4 letters
        or more (against list runs, at the second); the 62 first tokens only."""
        cdef Py_ssize_t n = len(ident), nspans = len(spans), nacr = len(acronym_runs)
        cdef Py_ssize_t nlin = len(lineages), i, r, bounded = n if n < 62 else 62
        cdef int64_t* at
        self.strings = strings
        self.ints = <int64_t*> malloc((4 * n + 3 * nspans + 3 * nacr + 2 * nlin + 1)
                                      * sizeof(int64_t))
        self.kinds = <int8_t*> malloc((n + 1) * sizeof(int8_t))
        self.weights = <double*> malloc((n + 1) * sizeof(double))
        cdef double single_cut = cuts[0], join_cut = cuts[1], abjad_sim = cuts[2]
        self.nrows = <int> (2 * bounded + nspans)
        self.rows = <_Row*> malloc((self.nrows if self.nrows else 1) * sizeof(_Row))
        if (self.ints == NULL or self.kinds == NULL or self.weights == NULL
                or self.rows == NULL):
            raise MemoryError()
        at = self.ints
        self.name.word = at
        for i in range(n):
            at[i] = i
        at += n
        self.name.ident = at
        for i in range(n):
            at[i] = ident[i]
        at += n
        self.name.source = at
        for i in range(n):
            at[i] = source[i]
        at += n
        self.name.spell = at
        for i in range(n):
            at[i] = spell[i]
        at += n
        self.name.span_str = at
        self.name.span_start = at + nspans
        self.name.span_size = at + 2 * nspans
        at = _columns(at, spans, 3)
        self.name.acr_id = at
        self.name.acr_first = at + nacr
        self.name.acr_last = at + 2 * nacr
        at = _columns(at, acronym_runs, 3)
        self.name.lin_son = at
        self.name.lin_father = at + nlin
        _columns(at, lineages, 2)
        for i in range(n):
            self.kinds[i] = kind[i]
            self.weights[i] = weight[i]
        self.name.n = <int> n
        self.name.strs = strings.strs
        self.name.kind = self.kinds
        self.name.weight = self.weights
        self.name.nspans = <int> nspans
        self.name.span_strs = strings.strs
        self.name.nacr = <int> nacr
        self.name.nlin = <int> nlin
        self.name.has_lineage = has_lineage
        self.name.total = total
        self.name.legal = legal
        self.name.has_legal = has_legal
        self.name.org = org
        self.name.abjad = abjad
        self.name.syllabic = syllabic
        self.name.script_set = script_set
        self.name.fallback = fallback
        self.name.truncatable = truncatable
        self.name.length = length
        self.nrows = 0
        for i in range(bounded):
            self._row(&strings.strs[i], 0, (<int64_t> 1) << i, single_cut, abjad_sim)
            self.rows[self.nrows - 1].prefix = truncatable and i == n - 1
        for r in range(nspans):
            if self.name.span_start[r] + self.name.span_size[r] <= 62:
                self._row(&strings.strs[self.name.span_str[r]], 1,
                          (((<int64_t> 1) << self.name.span_size[r]) - 1)
                          << self.name.span_start[r], join_cut, abjad_sim)
        for i in range(bounded):
            if strings.strs[i].text_len >= 4:
                self._row(&strings.strs[i], 2, (<int64_t> 1) << i, join_cut, abjad_sim)

    cdef void _row(self, Str* s, int kind, int64_t bits, double cut, double abjad_sim):
        cdef _Row* row = &self.rows[self.nrows]
        cdef int slack = s.text_len // 4
        self.nrows += 1
        row.s = s
        row.kind = kind
        row.bits = bits
        row.cut = cut
        row.skel_cut = cut / abjad_sim
        row.edits = _edits_within(row.cut)
        row.skel_edits = _edits_within(row.skel_cut)
        row.script = self.name.syllabic
        row.prefix = False
        if slack < 2:
            slack = 2
        row.shortest = s.text_len - slack
        row.longest = s.text_len + slack
        _match_vectors(row.pm_text, s.text, s.text_len)
        _match_vectors(row.pm_key, s.key, s.key_len)
        _match_vectors(row.pm_skel, s.skel, s.skel_len)

    def __dealloc__(self):
        free(self.rows)
        free(self.ints)
        free(self.kinds)
        free(self.weights)


cdef int64_t* _columns(int64_t* at, list rows, int width) except NULL:
    """Write ``rows`` (tuples of ``width`` integers) column after column from ``at``;
    returns the address after them."""
    cdef Py_ssize_t count = len(rows), r, k
    for r in range(count):
        row = rows[r]
        for k in range(width):
            at[k * count + r] = row[k]
    return at + width * count


cdef size_t _address(object array) except 0:
    """The address of a C-contiguous numpy array's data (1 for an empty one)."""
    if array.size == 0:
        return 1
    return <size_t> array.ctypes.data


cdef inline const int64_t* _ints(object array) except NULL:
    return <const int64_t*> _address(array)


# ---------------------------------------------------------------- the tables

cdef inline int64_t _by_source(Name* q, int kind, int64_t word, int64_t source) noexcept:
    """The query tokens (bits, of the first 62) a list token pairs with other than by equal
    text (:func:`_same_word`): a list legal form with the word it was written as, a list
    word with a query legal form written as it."""
    cdef int64_t bits = 0
    cdef int i
    for i in range(q.n if q.n < 62 else 62):
        if kind == LEGAL:
            if source >= 0 and q.kind[i] != LEGAL and q.ident[i] == source:
                bits |= (<int64_t> 1) << i
        elif q.kind[i] == LEGAL and q.source[i] >= 0 and q.source[i] == word:
            bits |= (<int64_t> 1) << i
    return bits


cdef class Kernel:
    """Every indexed name as a :c:type:`Name` (the tables of
    :class:`~discreet.match.prune.NameTables`); :meth:`evaluate` bounds and scores one
    query name against its candidates."""

    cdef Strings words
    cdef Strings runs
    cdef object keep
    cdef Constants c
    cdef const int64_t* token_at
    cdef const int64_t* token_word
    cdef const int64_t* token_source
    cdef const int8_t* token_kind
    cdef const double* token_weight
    cdef const double* token_unmatched
    cdef const int64_t* run_at
    cdef const int64_t* run_id
    cdef const int64_t* run_start
    cdef const int64_t* run_size
    cdef const int64_t* acr_at
    cdef const int64_t* acr_id
    cdef const int64_t* acr_first
    cdef const int64_t* acr_last
    cdef const int64_t* lin_at
    cdef const int64_t* lin_son
    cdef const int64_t* lin_father
    cdef const double* totals
    cdef const unsigned char* lineage
    cdef const int64_t* legal
    cdef const unsigned char* org
    cdef const unsigned char* abjad
    cdef const unsigned char* syllabic
    cdef const int64_t* script_set
    cdef const unsigned char* fallback
    cdef const int64_t* length
    cdef int64_t stamp

    def __init__(self, Strings words, Strings runs, dict tables, dict constants):
        """``tables``: numpy arrays by name (token_at, token_word, token_source, token_kind,
        token_weight, token_unmatched, run_at, run_id, run_start, run_size, acr_at,
        acr_id, acr_first, acr_last, lin_at, lin_son, lin_father, totals, lineage, legal,
        org, abjad, syllabic, script_set, fallback, length); ``constants``: the rules' numbers
        by name."""
        self.words = words
        self.runs = runs
        tables = {k: np.ascontiguousarray(v) for k, v in tables.items()}
        self.keep = tables
        self.token_at = _ints(tables["token_at"])
        self.token_word = _ints(tables["token_word"])
        self.token_source = _ints(tables["token_source"])
        self.token_kind = <const int8_t*> _address(tables["token_kind"])
        self.token_weight = <const double*> _address(tables["token_weight"])
        self.token_unmatched = <const double*> _address(tables["token_unmatched"])
        self.run_at = _ints(tables["run_at"])
        self.run_id = _ints(tables["run_id"])
        self.run_start = _ints(tables["run_start"])
        self.run_size = _ints(tables["run_size"])
        self.acr_at = _ints(tables["acr_at"])
        self.acr_id = _ints(tables["acr_id"])
        self.acr_first = _ints(tables["acr_first"])
        self.acr_last = _ints(tables["acr_last"])
        self.lin_at = _ints(tables["lin_at"])
        self.lin_son = _ints(tables["lin_son"])
        self.lin_father = _ints(tables["lin_father"])
        self.totals = <const double*> _address(tables["totals"])
        self.lineage = <const unsigned char*> _address(tables["lineage"])
        self.legal = _ints(tables["legal"])
        self.org = <const unsigned char*> _address(tables["org"])
        self.abjad = <const unsigned char*> _address(tables["abjad"])
        self.syllabic = <const unsigned char*> _address(tables["syllabic"])
        self.script_set = _ints(tables["script_set"])
        self.fallback = <const unsigned char*> _address(tables["fallback"])
        self.length = _ints(tables["length"])
        for field in ("min_sim", "join_min_sim", "acronym_sim", "phonetic_sim", "initial_sim",
                      "abjad_sim", "short_skeleton", "baltic_sim", "east_slavic_sim",
                      "vowelless_sim", "regrouped_sim", "truncated_sim", "truncated_tail",
                      "fuzzy_loss", "fuzzy_steep", "initial_loss", "contradiction",
                      "contradiction_abs", "omission", "generic_cap", "one_word_cap",
                      "legal_conflict",
                      "lineage_crossed", "forebear_share"):
            _set_constant(&self.c, field, constants[field])
        for i, value in enumerate(constants["unmatched"]):
            self.c.unmatched[i] = value
        self.stamp = 0

    cdef void _name(self, int64_t p, Name* out) noexcept:
        cdef int64_t first = self.token_at[p]
        out.n = <int> (self.token_at[p + 1] - first)
        out.strs = self.words.strs
        out.word = &self.token_word[first]
        out.ident = &self.token_word[first]
        out.source = &self.token_source[first]
        out.kind = &self.token_kind[first]
        out.weight = &self.token_weight[first]
        first = self.run_at[p]
        out.nspans = <int> (self.run_at[p + 1] - first)
        out.span_strs = self.runs.strs
        out.span_str = &self.run_id[first]
        out.span_start = &self.run_start[first]
        out.span_size = &self.run_size[first]
        out.spell = &self.token_word[self.token_at[p]]
        first = self.acr_at[p]
        out.nacr = <int> (self.acr_at[p + 1] - first)
        out.acr_id = &self.acr_id[first]
        out.acr_first = &self.acr_first[first]
        out.acr_last = &self.acr_last[first]
        first = self.lin_at[p]
        out.nlin = <int> (self.lin_at[p + 1] - first)
        out.lin_son = &self.lin_son[first]
        out.lin_father = &self.lin_father[first]
        out.has_lineage = self.lineage[p]
        out.total = self.totals[p]
        out.legal = self.legal[p]
        out.has_legal = self.legal[p] != 0
        out.org = self.org[p]
        out.abjad = self.abjad[p]
        out.syllabic = self.syllabic[p]
        out.script_set = self.script_set[p]
        out.fallback = self.fallback[p]
        out.length = self.length[p]
        out.truncatable = False

    def evaluate(self, Query query, list positions, double floor, const double[:] lowered):
        """The loose bound of every candidate (at ``positions``), and the name score of each
        whose bound, lowered by its ``lowered`` entry, reaches ``floor`` (else -1; NaN:
        Python must score it).

        The bound: which query tokens each list token (and run of list tokens) may pair
        with by the query's rows' test; the score with only the tokens nothing pairs with
        unmatched and every other paired at no loss. An organisation's acronym may pair
        with a run of the other name's words, so a candidate is not bounded (1.0) when the
        query or it is an organisation and one name spells the initials of a run of the
        other's words (:func:`_spells`).
        """
        cdef Py_ssize_t ncand = len(positions), c, r
        cdef double* out = <double*> malloc((2 * ncand + 1) * sizeof(double))
        cdef double* out_scores = out + ncand
        cdef Name* q = &query.name
        cdef Name listed
        cdef int64_t stamp, p, t, w, run, bits, matched, j
        cdef double left_l, kinds_l, left_q, kinds_q, raw, longest, omission
        cdef int i
        cdef bint any_long = False
        cdef unsigned char joined[MAX_TOKENS]
        cdef Strings words = self.words, runs = self.runs
        cdef _Row* rows = query.rows
        cdef int nrows = query.nrows
        cdef bint spelling = _may_spell(q)
        cdef bint q_forms = False  # a query legal form written as one word
        if out == NULL:
            raise MemoryError()
        for i in range(q.n):
            if q.kind[i] == LEGAL and q.source[i] >= 0:
                q_forms = True
        for r in range(nrows):
            if rows[r].kind == 2:
                any_long = True
        self.stamp += 1
        stamp = self.stamp
        for c in range(ncand):
            p = positions[c]
            out_scores[c] = -1.0
            self._name(p, &listed)
            if q.n > 62 or listed.n > MAX_TOKENS or (listed.syllabic and not q.syllabic):
                # too many words to tell apart; or syllables the query's rows do not test
                out[c] = 1.0
                out_scores[c] = _name_score(q, &listed, &self.c, NULL) \
                    if 1.0 + lowered[p] >= floor else -1.0
                continue
            memset(joined, 0, MAX_TOKENS)
            matched = 0
            if any_long:
                for t in range(self.run_at[p], self.run_at[p + 1]):
                    run = self.run_id[t]
                    if runs.stamp[run] != stamp:
                        runs.stamp[run] = stamp
                        bits = 0
                        for r in range(nrows):
                            if rows[r].kind == 2 and _pairs(&rows[r], &runs.strs[run]):
                                bits |= rows[r].bits
                        runs.loose[run] = bits
                    bits = runs.loose[run]
                    if bits:
                        matched |= bits
                        for j in range(self.run_start[t], self.run_start[t] + self.run_size[t]):
                            joined[j] = 1
            left_l = 0.0
            kinds_l = 0.0
            for t in range(self.token_at[p], self.token_at[p + 1]):
                w = self.token_word[t]
                if words.stamp[w] != stamp:
                    words.stamp[w] = stamp
                    bits = 0
                    for r in range(nrows):
                        if rows[r].kind != 2 and _pairs(&rows[r], &words.strs[w]):
                            bits |= rows[r].bits
                    words.loose[w] = bits
                bits = words.loose[w]
                if q_forms or self.token_kind[t] == LEGAL:
                    bits |= _by_source(q, self.token_kind[t], w, self.token_source[t])
                if (q.truncatable and self.token_kind[t] == LEGAL and self.token_source[t] >= 0
                        and q.n <= 62 and _prefix_of(&q.strs[q.word[q.n - 1]],
                                                     &words.strs[self.token_source[t]])):
                    bits |= (<int64_t> 1) << (q.n - 1)
                if bits:
                    matched |= bits
                elif not joined[t - self.token_at[p]]:
                    left_l += self.token_weight[t]
                    kinds_l += self.token_unmatched[t]
            left_q = 0.0
            kinds_q = 0.0
            for i in range(q.n):
                if not (matched >> i) & 1:
                    left_q += q.weight[i]
                    kinds_q += self.c.unmatched[q.kind[i]]
            if q.truncatable and self.length[p] > q.length:
                left_l *= self.c.truncated_tail  # every unmatched list word may be cut off
            longest = q.total if q.total > self.totals[p] else self.totals[p]
            if longest < 1e-9:
                longest = 1e-9
            omission = 0.0 if (q.has_lineage and self.lineage[p]) else fabs(left_q - left_l)
            raw = 1.0 - (self.c.contradiction * (left_q if left_q < left_l else left_l)
                         + self.c.omission * omission) / longest
            raw -= self.c.contradiction_abs * (kinds_q if kinds_q < kinds_l else kinds_l)
            if q.has_legal and self.legal[p] != 0 and (self.legal[p] & q.legal) == 0:
                raw -= self.c.legal_conflict
            out[c] = 0.0 if raw < 0.0 else (1.0 if raw > 1.0 else raw)
            if spelling and (q.org or self.org[p]) and _spells(self, p, q):
                out[c] = 1.0
            if out[c] + lowered[p] >= floor:
                out_scores[c] = _name_score(q, &listed, &self.c, NULL)
        bounds = [out[c] for c in range(ncand)]
        scores = [out_scores[c] for c in range(ncand)]
        free(out)
        return bounds, scores

    def score(self, Query query, int64_t p):
        """The name score of the query against name ``p`` (NaN: Python must score it)."""
        cdef Name listed
        self._name(p, &listed)
        return _name_score(&query.name, &listed, &self.c, NULL)

    def explain(self, Query query, int64_t p):
        """The name score of the query against name ``p`` with its parts, as
        :class:`~discreet.match.score.NameScore` holds them: (score, pairs (query tokens,
        list tokens, similarity, method), unmatched query tokens, unmatched list tokens,
        losses, contradiction, omission, capped, legal conflict, lineage crossed, one
        word, truncated); None when Python must score the pair."""
        cdef Name listed
        cdef Detail detail
        cdef Cand* pair
        self._name(p, &listed)
        score = _name_score(&query.name, &listed, &self.c, &detail)
        if score != score:  # NaN
            return None
        pairs = []
        for k in range(detail.npairs):
            pair = &detail.pairs[k]
            pairs.append((tuple(range(pair.q_first, pair.q_last + 1)),
                          tuple(range(pair.l_first, pair.l_last + 1)), pair.sim,
                          METHODS[pair.method]))
        return (score, pairs,
                tuple(i for i in range(query.name.n) if not (detail.used_q >> i) & 1),
                tuple(j for j in range(listed.n) if not (detail.used_l >> j) & 1),
                tuple(detail.losses[k] for k in range(detail.npairs)), detail.contradiction,
                detail.omission, detail.capped, detail.legal, detail.crossed, detail.one_word,
                detail.truncated)


cdef void _set_constant(Constants* c, str field, double value):
    if field == "min_sim":
        c.min_sim = value
    elif field == "join_min_sim":
        c.join_min_sim = value
    elif field == "acronym_sim":
        c.acronym_sim = value
    elif field == "phonetic_sim":
        c.phonetic_sim = value
    elif field == "initial_sim":
        c.initial_sim = value
    elif field == "abjad_sim":
        c.abjad_sim = value
    elif field == "short_skeleton":
        c.short_skeleton = value
    elif field == "baltic_sim":
        c.baltic_sim = value
    elif field == "east_slavic_sim":
        c.east_slavic_sim = value
    elif field == "vowelless_sim":
        c.vowelless_sim = value
    elif field == "regrouped_sim":
        c.regrouped_sim = value
    elif field == "truncated_sim":
        c.truncated_sim = value
    elif field == "truncated_tail":
        c.truncated_tail = value
    elif field == "fuzzy_loss":
        c.fuzzy_loss = value
    elif field == "fuzzy_steep":
        c.fuzzy_steep = value
    elif field == "initial_loss":
        c.initial_loss = value
    elif field == "contradiction":
        c.contradiction = value
    elif field == "contradiction_abs":
        c.contradiction_abs = value
    elif field == "omission":
        c.omission = value
    elif field == "generic_cap":
        c.generic_cap = value
    elif field == "one_word_cap":
        c.one_word_cap = value
    elif field == "legal_conflict":
        c.legal_conflict = value
    elif field == "lineage_crossed":
        c.lineage_crossed = value
    elif field == "forebear_share":
        c.forebear_share = value


cdef inline bint _spelling_word(Name* q, int i) noexcept:
    """Query token ``i`` has 3 to 6 letters and is the initials of some list name's run."""
    cdef int n = q.strs[q.word[i]].text_len
    return q.spell[i] >= 0 and 3 <= n <= 6


cdef bint _may_spell(Name* q) noexcept:
    """The query has a run of words whose initials are a list word, or a word that is the
    initials of a list name's run: an acronym pairing is possible at all."""
    cdef int i
    for i in range(q.nacr):
        if q.acr_id[i] >= 0:
            return True
    for i in range(q.n):
        if _spelling_word(q, i):
            return True
    return False


cdef bint _spells(Kernel kernel, int64_t p, Name* q) noexcept:
    """Name ``p`` has a word the initials of a run of the query's words spell, or a run
    whose initials a word of the query (3 to 6 letters) is."""
    cdef int64_t t
    cdef int a
    for t in range(kernel.token_at[p], kernel.token_at[p + 1]):
        for a in range(q.nacr):
            if q.acr_id[a] >= 0 and kernel.token_word[t] == q.acr_id[a]:
                return True
    for t in range(kernel.acr_at[p], kernel.acr_at[p + 1]):
        for a in range(q.n):
            if _spelling_word(q, a) and kernel.acr_id[t] == q.spell[a]:
                return True
    return False


def token_similarity(Strings strings, Py_ssize_t a, Py_ssize_t b, bint abjad, dict constants):
    """The compiled token similarity of strings ``a`` and ``b`` (for tests: it must equal
    :func:`discreet.match.similarity.token_similarity`)."""
    cdef Constants c
    cdef int method
    for field in ("min_sim", "phonetic_sim", "initial_sim", "abjad_sim", "short_skeleton",
                  "baltic_sim", "east_slavic_sim", "vowelless_sim"):
        _set_constant(&c, field, constants[field])
    sim = _token_similarity(&strings.strs[a], &strings.strs[b], abjad, &c, &method, True)
    return sim, METHODS[method]


def syllable_similarity(Strings strings, Py_ssize_t a, Py_ssize_t b, int script,
                        dict constants):
    """The compiled syllable similarity (``script`` 1: han, 2: hangul), for tests."""
    cdef Constants c
    cdef int method
    _set_constant(&c, "initial_sim", constants["initial_sim"])
    _set_constant(&c, "phonetic_sim", constants["phonetic_sim"])
    sim = _syllable_similarity(&strings.strs[a], &strings.strs[b], script, &c, &method)
    return sim, METHODS[method]


def distance(bytes a, bytes b, bint transpositions):
    """The compiled edit distance (for tests: it must equal rapidfuzz's)."""
    return _pair_distance(a, len(a), b, len(b), transpositions)


# ---------------------------------------------------------------- candidates

cdef class Postings:
    """The index's postings as one array (each key's names a slice of it, ascending), each
    key's idf and whether it is an acronym key, each name's evidence (as a Latin-script and
    as an abjad-script query meets it); :meth:`candidates` sums a query's keys per name."""

    cdef const int32_t[:] flat
    cdef const int64_t[:] start
    cdef const int64_t[:] size
    cdef const double[:] idf
    cdef const unsigned char[:] acronym
    cdef const double[:] masses
    cdef const double[:] skeleton_masses
    cdef double[:] sums
    cdef unsigned char[:] seen
    cdef int64_t[:] touched

    def __init__(self, flat, start, size, idf, acronym, masses, skeleton_masses):
        self.flat = flat
        self.start = start
        self.size = size
        self.idf = idf
        self.acronym = acronym
        self.masses = masses
        self.skeleton_masses = skeleton_masses
        count = len(masses)
        self.sums = np.zeros(count, np.float64)
        self.seen = np.zeros(count, np.uint8)
        self.touched = np.zeros(count, np.int64)

    def candidates(self, list key_list, list share_list, double own, double ratio,
                   Py_ssize_t large, Py_ssize_t limit, bint abjad, double tail=1.0):
        """Positions of up to ``limit`` names sharing the most of the query's evidence.

        ``keys`` (ids) with the ``shares`` of credit the query earns on each; ``own``: the
        query's own evidence. Keys are taken rarest first (stable); each adds idf x share to
        the names it posts, in that order. Names are collected from keys of at most
        ``large`` names; longer ones only add to names found, unless their gains alone
        reach ``own * ratio`` (then every key collects). Names below ``own * ratio`` are
        dropped; the rest are ranked by what they share over the larger of the two names'
        evidence (a name an acronym key found: at most that key's gain; ``tail`` below 1: a
        query a field limit may have cut, whose list name's evidence past the query's
        counts that share), ties by position.
        """
        cdef Py_ssize_t nkeys = len(key_list), a, b, i, n = 0, count, kept = 0
        cdef int64_t[:] keys = np.array(key_list, np.int64)
        cdef double[:] shares = np.array(share_list, np.float64)
        cdef int64_t* order = <int64_t*> malloc((nkeys if nkeys else 1) * sizeof(int64_t))
        cdef double* gains = <double*> malloc((nkeys if nkeys else 1) * sizeof(double))
        cdef int64_t k, s, e, pos, tmp
        cdef double common = 0.0, floor = own * ratio, mass, least, g
        cdef bint everyone
        cdef const double[:] masses = self.skeleton_masses if abjad else self.masses
        if order == NULL or gains == NULL:
            free(order)
            free(gains)
            raise MemoryError()
        for a in range(nkeys):
            order[a] = a
            gains[a] = self.idf[keys[a]] * shares[a]
        # rarest first, stable (insertion sort: a query has a few dozen keys)
        for a in range(1, nkeys):
            tmp = order[a]
            b = a - 1
            while b >= 0 and self.size[keys[order[b]]] > self.size[keys[tmp]]:
                order[b + 1] = order[b]
                b -= 1
            order[b + 1] = tmp
        for a in range(nkeys):
            if self.size[keys[order[a]]] > large:
                common += gains[order[a]]
        everyone = common >= floor
        for a in range(nkeys):
            k = keys[order[a]]
            if self.size[k] > large and not everyone:
                continue
            g = gains[order[a]]
            s = self.start[k]
            e = s + self.size[k]
            for i in range(s, e):
                pos = self.flat[i]
                if not self.seen[pos]:
                    self.seen[pos] = 1
                    self.touched[n] = pos
                    n += 1
                self.sums[pos] += g
        if not everyone:  # common words only add to the names found
            for a in range(nkeys):
                k = keys[order[a]]
                if self.size[k] <= large:
                    continue
                g = gains[order[a]]
                for i in range(self.start[k], self.start[k] + self.size[k]):
                    pos = self.flat[i]
                    if self.seen[pos]:
                        self.sums[pos] += g
        # kept names, with their share; an acronym key caps the evidence of the names it found
        cdef double* share = <double*> malloc((n if n else 1) * sizeof(double))
        cdef int64_t* kept_pos = <int64_t*> malloc((n if n else 1) * sizeof(int64_t))
        if share == NULL or kept_pos == NULL:
            free(order)
            free(gains)
            free(share)
            free(kept_pos)
            raise MemoryError()
        for i in range(n):
            pos = self.touched[i]
            if self.sums[pos] >= floor:
                self.seen[pos] = 2  # kept
        for a in range(nkeys):
            k = keys[order[a]]
            if not self.acronym[k]:
                continue
            for i in range(self.start[k], self.start[k] + self.size[k]):
                pos = self.flat[i]
                if self.seen[pos] == 2:
                    self.seen[pos] = 3  # found by the initials of its words
        least = own if own > 1e-9 else 1e-9
        for i in range(n):
            pos = self.touched[i]
            if self.seen[pos] >= 2:
                mass = masses[pos]
                if self.seen[pos] == 3:
                    for a in range(nkeys):
                        k = keys[a]
                        if self.acronym[k] and _posts(self, k, pos) and gains[a] < mass:
                            mass = gains[a]
                if tail < 1.0 and mass > least:
                    mass = least + tail * (mass - least)
                share[kept] = self.sums[pos] / (mass if mass > least else least)
                kept_pos[kept] = pos
                kept += 1
            self.seen[pos] = 0
            self.sums[pos] = 0.0
        # the best ``limit``: highest share first, then lowest position
        count = kept if kept < limit else limit
        _select(share, kept_pos, kept, count)
        out = [kept_pos[i] for i in range(count)]
        free(order)
        free(gains)
        free(share)
        free(kept_pos)
        return out


cdef bint _posts(Postings postings, int64_t key, int64_t pos) noexcept:
    """Whether ``key`` posts name ``pos`` (binary search in its ascending slice)."""
    cdef int64_t lo = postings.start[key], hi = lo + postings.size[key], mid
    while lo < hi:
        mid = (lo + hi) // 2
        if postings.flat[mid] < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo < postings.start[key] + postings.size[key] and postings.flat[lo] == pos


cdef inline bint _before(double sa, int64_t pa, double sb, int64_t pb) noexcept:
    return sa > sb or (sa == sb and pa < pb)


cdef void _select(double* share, int64_t* pos, Py_ssize_t n, Py_ssize_t count) noexcept:
    """Move the ``count`` best (share descending, position ascending) to the front, in
    order: a selection by insertion into the sorted front."""
    cdef Py_ssize_t i, j, filled = 0
    cdef double s
    cdef int64_t p
    for i in range(n):
        s = share[i]
        p = pos[i]
        if filled == count and not _before(s, p, share[filled - 1], pos[filled - 1]):
            continue
        j = filled if filled < count else count - 1
        while j > 0 and _before(s, p, share[j - 1], pos[j - 1]):
            share[j] = share[j - 1]
            pos[j] = pos[j - 1]
            j -= 1
        share[j] = s
        pos[j] = p
        if filled < count:
            filled += 1
