# The kernel's part: included by _kernel.pyx (one compilation unit, one module).
# Candidates: index.py's sum of a query's keys per list name (NameIndex.candidates), on
# the index's postings as one array.

from libc.math cimport INFINITY
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport calloc, realloc
from libc.string cimport memcmp, memcpy

DEF _SLACK = 1e-9  # relative: a bound this close to a cut keeps a name (sums rounded)
DEF _DIGIT = 11  # bits of a name position sorted per pass (radix sort)
DEF _PASSES = 3  # passes for a position of up to 33 bits
DEF _SPREAD = 4  # up to this many names a bucket of the top bits, sorted in one pass
DEF _FEW = 32  # names sorted by insertion, not by radix
# a mass's rough code: the top 16 bits of the double (exponent and 4 bits of mantissa,
# 6 % steps), less this, clipped to 0..255: 2**-6 to 2**10 told apart
DEF _CODE_BASE = 0x3F90
DEF _AHEAD = 24  # postings ahead whose slot (and rough code) is fetched early (12 was too near)
# a name's slot (see Postings): its place among the names a query found in the low bits,
# its rough code with its marks (10 bits) above, when the index has at most 2**22 names
DEF _PLACE_BITS = 22
DEF _SAME = 8  # at most this many keys posting the same names walked at once
# a name's marks, above its rough code (one read for both): it has initials; it is an
# organisation's name (what :func:`_agrees` needs to know of most names, without reading
# their letters)
DEF _HAS_INITIALS = 0x100
DEF _IS_ORGANISATION = 0x200
# a name found's agreement bits (_Found.agrees), each raising its share by its own factor
DEF _AGREES = 1  # its initials agree with the query's words (or the reverse)
DEF _KINDRED = 2  # it names what the query names: a person, or a body (see _kin)
# the query's kind as the candidates read it (``kin``): unknown; a person (a name without
# the organisation's mark is kindred); a body (one with it)
DEF _KIN_NONE = 0
DEF _KIN_PERSON = 1
DEF _KIN_BODY = 2

cdef extern from *:
    """
    #define DISCREET_ORGANISATION ((uint32_t) 0x80000000u)
    #include <stdlib.h>
    #include <string.h>
    #if defined(__linux__)
    #include <sys/mman.h>
    #endif
    /* Zeroed room for a table read at random (a name's place a posting): from 2 MB on,
       aligned to 2 MB and, where the system has them, in huge pages, so that a million
       names' table is a few dozen pages the processor's address cache holds, not nine
       thousand it misses. Freed by free(). */
    static void* discreet_table_room(size_t size) {
        void* p = NULL;
        const size_t huge = (size_t) 2 << 20;
        if (size < huge)
            return calloc(size ? size : 1, 1);
        if (posix_memalign(&p, huge, size) != 0)
            return NULL;
    #if defined(MADV_HUGEPAGE)
        madvise(p, size, MADV_HUGEPAGE);
    #endif
        memset(p, 0, size);
        return p;
    }
    #if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
    #if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    #define DISCREET_LITTLE_ENDIAN 1
    #endif
    #endif
    /* Two bytes as a number, the first the low byte: one load where the processor is
       little-endian. */
    static inline uint16_t discreet_pair(const uint8_t* p) {
    #ifdef DISCREET_LITTLE_ENDIAN
        uint16_t v;
        memcpy(&v, p, sizeof v);
        return v;
    #else
        return (uint16_t) (p[0] | (p[1] << 8));
    #endif
    }
    /* Four bytes written from a number, the first its low byte (``low``'s low byte, the
       others ``high``'s bits 8 to 31): one store where the processor is little-endian. */
    static inline void discreet_four(uint8_t* p, uint32_t low, uint32_t high) {
    #ifdef DISCREET_LITTLE_ENDIAN
        uint32_t v = (low & 0xFFu) | (high & ~0xFFu);
        memcpy(p, &v, sizeof v);
    #else
        p[0] = (uint8_t) low;
        p[1] = (uint8_t) (high >> 8);
        p[2] = (uint8_t) (high >> 16);
        p[3] = (uint8_t) (high >> 24);
    #endif
    }
    """
    void* _table_room "discreet_table_room" (size_t) nogil
    uint16_t _byte_pair "discreet_pair" (const uint8_t*) nogil
    void _byte_four "discreet_four" (uint8_t*, uint32_t, uint32_t) nogil
    void _prefetch "__builtin_prefetch" (const void*) nogil
    # in a name's first letters: an organisation's name. A C constant: a DEF of this value
    # is a Python integer (too large for an int), which made every test of it Python
    # arithmetic (an object made and freed a name found)
    const uint32_t _ORGANISATION "DISCREET_ORGANISATION"

ctypedef struct _Letters:  # a name's letters (see NameIndex.letters), read together
    uint32_t inits  # its initials, a bit a letter (0: not given)
    uint32_t firsts  # ... and the first letters of its other words


ctypedef struct _Found:  # a name found, what it gathered, its mass's rough code
    double sum
    int32_t pos
    uint8_t code
    uint8_t agrees  # bits: its initials agree with the query's (_AGREES, see _agrees); its
    # kind is the query's (_KINDRED, see _kin). Beside ``code``: both read at once (_cut_at)
    uint8_t marks  # :data:`_HAS_INITIALS`, :data:`_IS_ORGANISATION` (shifted down a byte)
    uint8_t met  # the query words (a bit each) whose marking keys found it (candidates' marks)

ctypedef struct _Bounds:  # what bounds a query's names' shares, and the bound so far
    double* low  # the least mass a rough code stands for
    double* high  # ... and the most
    double floor
    double least
    double tail
    double acronym_least
    double slack
    Py_ssize_t limit
    double* heap  # room for the limit best
    double theta  # the limit-th best share is at least this (-1: none known)
    double unshared  # share of the evidence both names leave unmatched added to the evidence
    double agree  # a name whose initials agree with the query's: its share times 1 + this
    double factors[4]  # what a name's share is raised by, by its agreement bits
    int kin  # the query's kind (_KIN_NONE, _KIN_PERSON, _KIN_BODY)
    uint8_t kin_of[4]  # :func:`_kin` by a name's marks (told once a query, read a name)
    bint letters  # the query has initials: every name's letters are read (prefetched)
    bint org  # the query is an organisation's name
    bint agreeing  # a name that agrees ranks higher (agree > 0, the names' letters given)
    const _Letters* letters_of  # each name's letters
    uint32_t q_inits  # the query's initials
    uint32_t q_firsts  # ... and the first letters of its other words
    # :func:`_keep`'s cuts by agreement bits and rough code, and the ``theta`` they were
    # told for (-1: none yet): told again only when ``theta`` rose since
    double cut[1024]
    double cut_theta
    # what a name of each rough code is ranked by at least (the theta-free part of
    # :func:`_reach`), told once a query, when :func:`_keep` first tells its cuts
    double evidence[256]
    bint evidenced


cdef inline Py_ssize_t _slot_posting(int32_t pos, uint32_t* place, _Found* found,
                                     Py_ssize_t n, const double* gains, Py_ssize_t same,
                                     double floor, double fresh,
                                     uint32_t agree_bits, const uint32_t* words,
                                     const _Letters* letters_of, int32_t* ranked,
                                     int32_t* pending, Py_ssize_t* listed,
                                     Py_ssize_t* later, double* best) noexcept:
    """One posting of :meth:`Postings._collect_slots` (the name at ``pos``): its name's
    sum, listing (a name found before: those found anew are listed after the key) and
    agreement as that loop tells them; returns the names found. Inlined in its two loops
    (the postings whose slot is fetched ahead in this key, and the last, fetching the
    next key's), so that neither asks a posting which of them it is in."""
    cdef uint32_t slot = place[pos]
    cdef uint32_t at = slot & ((1 << _PLACE_BITS) - 1)
    cdef double before, summed
    cdef Py_ssize_t t
    cdef uint32_t word
    cdef _Found* one
    if at < <uint32_t> n and found[at].pos == pos:
        before = found[at].sum
        summed = before + gains[0]
        for t in range(1, same):
            summed = summed + gains[t]
        found[at].sum = summed
        if before < floor and summed >= floor:  # (sums only grow)
            ranked[listed[0]] = <int32_t> at
            listed[0] += 1
        if summed > best[0]:
            best[0] = summed
        return n
    place[pos] = (slot & ~(<uint32_t> (1 << _PLACE_BITS) - 1)) | <uint32_t> n
    one = &found[n]
    one.pos = pos
    # its code, agreement by kind (_kin), marks, none met: one word by its code and marks
    word = words[slot >> _PLACE_BITS]
    _byte_four(&one.code, word, word)
    if word & agree_bits:  # its letters: told after the key
        _prefetch(&letters_of[pos])
        pending[later[0]] = <int32_t> n
        later[0] += 1
    one.sum = fresh  # (listed after the key, with the others found anew: see its caller)
    return n + 1


cdef class Postings:
    """The index's postings as one array (each key's names a slice of it, ascending), each
    key's idf and whether it is an acronym key, each name's evidence (as a Latin-script and
    as an abjad-script query meets it); :meth:`candidates` sums a query's keys per name.

    The names a query's keys find are summed in a compact array; each name's place in it
    is written in an array of places by name, beside arrays of what else a query reads of
    a name: its masses' rough codes (:data:`_CODE_BASE`), which bound the names' shares
    until the few that may be ranked read their mass, and its letters. A posting is then
    one random read of 4 bytes, fetched ahead: at a million names those reads cost more
    than all the rest. A name's place and its rough code share those 4 bytes (a slot: the
    place in the low :data:`_PLACE_BITS`, the code above, when the index has at most
    2**22 names; else, and for an abjad-script query's skeleton codes, the code is in an
    array of its own, a second read for a name found anew). In arrays of their own the
    slots (9 MB at a million names) stay far more in the processor's caches than one
    table of 16 bytes a name (36 MB) did, and all are in huge pages where the system has
    them (:c:func:`discreet_table_room`). A hash table beside them cost its own reads, its
    clearing and its regrowing. A place is trusted only when it points below the names found so far at
    the same name (a sparse set), so nothing is cleared between queries. A name's code
    carries its marks (whether it has initials, whether it is an organisation's): most
    names found need not read their letters to know whether they agree with the query's
    (:func:`_agree_new`); those that must are asked for when found and told once their key
    is summed (:func:`_agree_later`), so the summing never waits on their letters. The
    places are written by every query (the kernel holds the GIL, and makes no Python
    object while it uses them), like the other working arrays.
    """

    cdef const int32_t[:] flat
    cdef const int64_t[:] start
    cdef const int64_t[:] size
    cdef const double[:] idf
    cdef const unsigned char[:] acronym
    cdef const double[:] masses
    cdef const double[:] skeleton_masses
    cdef bint lettered  # each name's letters were given (else no name agrees)
    cdef double code_low[256]  # a code's masses are at least this ...
    cdef double code_high[256]  # ... and at most this
    # what a query reads of each name, each in an array of its own so that what a posting
    # reads at random is small enough to stay in the processor's caches: its place among
    # the names a query found, if it found it (see candidates; written by every query),
    # its masses' rough codes and marks (see _codes: read once, when found), its letters
    # (read only when they may agree)
    cdef uint32_t* at
    cdef uint32_t place_mask  # the bits of a slot that hold a place (all: no code in it)
    cdef uint16_t* codes  # (NULL: in the slots)
    cdef uint16_t* skeleton_codes
    cdef _Letters* letters_of
    cdef _Found* found  # the names found, in the order found (then by position)
    cdef _Found* spare  # room to sort them
    cdef double* shares  # room to rank them
    cdef int32_t* ranked
    cdef int32_t* pending  # names found anew whose letters are to be read (see _agree_later)
    cdef Py_ssize_t found_room
    # each key's twin: the first key (by number) whose postings are the same as its own
    # (itself if none): keys posting the same names are walked once (see _same_keys).
    # Told when the index is built (:func:`posting_twins`) and given, a persisted index's
    # array mapped from its file (shared by every process, nothing done at its opening);
    # else told here. Only compared, never an index: a wrong one could not read astray
    cdef const int32_t[:] twins
    cdef const int32_t* twin
    # a name found anew's code, agreement by kind (:func:`_kin`), marks and none met
    # (``_Found.code`` to ``met``, as one number: see :c:func:`discreet_four`) by the top
    # ten bits of its slot (its code, its marks), for each kind of query (``_Bounds.kin``):
    # one load a name found, not a table and a composing of its bytes
    cdef uint32_t code_words[3 << 10]

    def __cinit__(self):
        self.at = NULL
        self.letters_of = NULL
        self.codes = self.skeleton_codes = NULL
        self.found = self.spare = NULL
        self.shares = NULL
        self.ranked = NULL
        self.pending = NULL
        self.found_room = 0
        self.twin = NULL

    def __dealloc__(self):
        free(self.at)
        free(self.codes)
        free(self.skeleton_codes)
        free(self.letters_of)
        free(self.found)
        free(self.spare)
        free(self.shares)
        free(self.ranked)
        free(self.pending)

    def __init__(self, flat, start, size, idf, acronym, masses, skeleton_masses, inits,
                 firsts, bint codes_in_slots=True, twins=None):
        cdef Py_ssize_t i, count = len(masses)
        cdef const uint16_t[:] codes, skeleton_codes
        cdef const uint32_t[:] name_inits, name_firsts
        cdef int q, kin
        cdef uint64_t bits
        cdef double value
        self.flat = flat
        self.start = start
        self.size = size
        self.idf = idf
        self.acronym = acronym
        self.masses = masses
        self.skeleton_masses = skeleton_masses
        codes = _codes(masses, inits, firsts)
        skeleton_codes = _codes(skeleton_masses, inits, firsts)
        name_inits, name_firsts = inits, firsts
        self.lettered = len(name_inits) == count and len(name_firsts) == count and count > 0
        # zeroed (a place is any number: see candidates); in huge pages where there are
        # some (a posting's read of them is then no miss of the address cache)
        self.at = <uint32_t*> _table_room(count * sizeof(uint32_t))
        self.place_mask = (1 << _PLACE_BITS) - 1
        if not codes_in_slots or count > (1 << _PLACE_BITS):
            # too many names for a place and a code in 32 bits (or asked so: tests)
            self.place_mask = 0xFFFFFFFF
            self.codes = <uint16_t*> _table_room(count * sizeof(uint16_t))
            if self.codes == NULL:
                raise MemoryError()
        self.skeleton_codes = <uint16_t*> _table_room(count * sizeof(uint16_t))
        self.letters_of = <_Letters*> _table_room(count * sizeof(_Letters))
        if self.at == NULL or self.skeleton_codes == NULL or self.letters_of == NULL:
            raise MemoryError()
        for i in range(count):
            if self.codes == NULL:
                self.at[i] = <uint32_t> codes[i] << _PLACE_BITS
            else:
                self.codes[i] = codes[i]
            self.skeleton_codes[i] = skeleton_codes[i]
            if self.lettered:
                self.letters_of[i].inits = name_inits[i]
                self.letters_of[i].firsts = name_firsts[i]
        if twins is None:  # (an index built in this process gives them: see NameIndex)
            twins = posting_twins(flat, start, size)
        self.twins = twins
        if len(self.twins) != len(self.start):
            raise ValueError(f"{len(self.twins)} keys' twins for {len(self.start)} keys")
        self.twin = &self.twins[0] if len(self.twins) > 0 else NULL
        for kin in range(3):
            for q in range(1 << 10):
                self.code_words[(kin << 10) | q] = (<uint32_t> (q & 0xFF)) | (
                    <uint32_t> _kin_told(kin, <uint8_t> (q >> 8)) << 8) | (
                    <uint32_t> (q >> 8) << 16)
        for q in range(256):
            bits = <uint64_t> (q + _CODE_BASE) << 48
            memcpy(&value, &bits, sizeof(double))
            self.code_low[q] = 0.0 if q == 0 else value
            bits = <uint64_t> (q + 1 + _CODE_BASE) << 48
            memcpy(&value, &bits, sizeof(double))
            self.code_high[q] = INFINITY if q == 255 else value

    cdef int _room(self, Py_ssize_t need) except -1:
        """Room for ``need`` names found (what is found so far kept)."""
        cdef Py_ssize_t room = self.found_room
        cdef void* p
        if need <= room:
            return 0
        room = need if need > 2 * room else 2 * room
        p = realloc(self.found, room * sizeof(_Found))
        if p == NULL:
            raise MemoryError()
        self.found = <_Found*> p
        p = realloc(self.spare, room * sizeof(_Found))
        if p == NULL:
            raise MemoryError()
        self.spare = <_Found*> p
        p = realloc(self.shares, room * sizeof(double))
        if p == NULL:
            raise MemoryError()
        self.shares = <double*> p
        p = realloc(self.ranked, room * sizeof(int32_t))
        if p == NULL:
            raise MemoryError()
        self.ranked = <int32_t*> p
        p = realloc(self.pending, room * sizeof(int32_t))
        if p == NULL:
            raise MemoryError()
        self.pending = <int32_t*> p
        self.found_room = room
        return 0

    cdef Py_ssize_t _collect_slots(self, int64_t s, int64_t e, Py_ssize_t n,
                                   const double* gains, Py_ssize_t same, double floor,
                                   uint8_t agree_marks, Py_ssize_t* hot, double* top,
                                   _Bounds* bounds, int64_t next_s,
                                   int64_t next_e) except -1:
        """The collecting of :meth:`candidates` for a key without marks, when a name's
        rough code is in its slot and the query has no initials (most keys of most
        queries at a million names): the same sums, listings and agreement as its general
        loop, without the tests that loop makes a posting for the other cases (a code
        array to read, every name's letters to fetch), and without asking, for the
        postings but the last ``_AHEAD``, whether the one fetched ahead is this key's.
        ``gains``: the key's gain, then those of the ``same - 1`` keys after it that post
        the same names (see :func:`_same_keys`), added in turn to each name it posts: one
        walk for them all. Returns the names found."""
        cdef Py_ssize_t listed = hot[0], later = 0, t
        cdef int64_t i, j, ahead = e - _AHEAD
        cdef int64_t lead = ahead if ahead > s else s
        cdef double best = top[0], fresh
        cdef bint fresh_listed
        cdef Py_ssize_t first_new
        cdef uint32_t* place = self.at
        cdef const int32_t* flat = &self.flat[0]
        cdef const _Letters* letters_of = self.letters_of
        cdef int32_t* ranked
        cdef int32_t* pending
        cdef _Found* found
        # a name found anew's code, agreement bits by kind, marks and none met, by its
        # code and marks (the top bits of its slot), for the query's kind
        cdef const uint32_t* words = &self.code_words[bounds.kin << 10]
        # its marks that may agree, where they are in such a word
        cdef uint32_t agree_bits = <uint32_t> agree_marks << 16
        self._room(n + e - s)  # room for every name of this key being new (may move them)
        found = self.found
        ranked = self.ranked
        pending = self.pending
        # a name found anew's sum, the same for all (the gains added in turn to 0, as the
        # general loop adds them): told once, not a name
        fresh = 0.0
        fresh += gains[0]
        for t in range(1, same):
            fresh = fresh + gains[t]
        fresh_listed = fresh >= floor
        first_new = n
        # this key's postings but its last ``_AHEAD``, each asking for the slot of the one
        # ``_AHEAD`` on, with no test of where that one is; then its last, each asking for
        # one of the next key's first (as candidates' loop)
        for i in range(s, lead):
            _prefetch(&place[flat[i + _AHEAD]])
            n = _slot_posting(flat[i], place, found, n, gains, same, floor, fresh,
                              agree_bits, words, letters_of, ranked,
                              pending, &listed, &later, &best)
        j = lead + next_s - ahead  # (the next key's first names: as candidates' loop)
        for i in range(lead, e):
            if j < next_e:
                _prefetch(&place[flat[j]])
                j += 1
            n = _slot_posting(flat[i], place, found, n, gains, same, floor, fresh,
                              agree_bits, words, letters_of, ranked,
                              pending, &listed, &later, &best)
        if n > first_new:  # (the best of the names found anew: all have ``fresh``)
            best = fresh if fresh > best else best
        if fresh_listed:  # the names found anew, all listed or none (their order in the
            # list is not read: :func:`_raise_bound` reads them all)
            for t in range(first_new, n):
                ranked[listed] = <int32_t> t
                listed += 1
        _agree_later(bounds, found, pending, later)
        hot[0] = listed
        top[0] = best
        return n

    cdef Py_ssize_t _collect_marked(self, int64_t s, int64_t e, Py_ssize_t n, double g,
                                    bint abjad, uint8_t mark_bits, uint8_t bridge_bits,
                                    double floor, Py_ssize_t* hot, double* top,
                                    _Bounds* bounds, int64_t next_s,
                                    int64_t next_e) except -1:
        """The collecting of :meth:`candidates` for a key with marks: its postings add
        ``g`` to the names they post (found now or before), as the plain loop does, but a
        bridge key's not to a name every word it stands for marked already; each key marks
        its words on the names it adds to; a name whose sum reaches ``floor`` is listed
        (``hot[0]`` of them listed in ``ranked``: see ``candidates``), the best sum is kept
        in ``top[0]``, and whether a name found anew agrees is told after the key
        (:func:`_agree_later`).
        ``next_s``, ``next_e``: the next key's postings (whose first names are fetched
        early, as ``candidates`` does). Returns the names found."""
        cdef Py_ssize_t i, later = 0
        cdef int64_t j, ahead = e - _AHEAD, shift = next_s - ahead
        cdef int32_t pos
        cdef uint32_t at, slot
        cdef uint32_t mask = self.place_mask
        cdef uint16_t code
        cdef double before
        cdef uint32_t* place = self.at
        cdef const uint16_t* codes = self.skeleton_codes if abjad else self.codes
        cdef _Found* found
        cdef const int32_t* flat = &self.flat[0] if self.flat.shape[0] > 0 else NULL
        self._room(n + e - s)
        found = self.found
        for i in range(s, e):
            j = i + _AHEAD if i < ahead else i + shift  # (as candidates' loop)
            if j < next_e or i < ahead:
                pos = flat[j]
                _prefetch(&place[pos])
                if codes != NULL:
                    _prefetch(&codes[pos])
            pos = flat[i]
            slot = place[pos]
            at = slot & mask
            if at < <uint32_t> n and found[at].pos == pos:
                if bridge_bits and found[at].met & bridge_bits == bridge_bits:
                    continue
                before = found[at].sum
                found[at].sum += g
                found[at].met |= mark_bits | bridge_bits
                if before < floor and found[at].sum >= floor:
                    self.ranked[hot[0]] = <int32_t> at
                    hot[0] += 1
                if found[at].sum > top[0]:
                    top[0] = found[at].sum
            else:
                place[pos] = (slot & ~mask) | <uint32_t> n
                found[n].pos = pos
                code = codes[pos] if codes != NULL else <uint16_t> (slot >> _PLACE_BITS)
                found[n].code = <uint8_t> code
                found[n].marks = <uint8_t> (code >> 8)
                found[n].agrees = _kin(bounds, found[n].marks)
                if bounds.agreeing:  # told after the key (see _agree_later)
                    _prefetch(&bounds.letters_of[pos])
                    self.pending[later] = <int32_t> n
                    later += 1
                found[n].met = mark_bits | bridge_bits
                found[n].sum = 0.0
                found[n].sum += g
                if found[n].sum >= floor:
                    self.ranked[hot[0]] = <int32_t> n
                    hot[0] += 1
                if found[n].sum > top[0]:
                    top[0] = found[n].sum
                n += 1
        _agree_later(bounds, found, self.pending, later)
        return n

    def candidates(self, list key_list, list share_list, double own, double ratio,
                   Py_ssize_t large, Py_ssize_t limit, bint abjad, double tail=1.0,
                   double unshared=0.0, double agree=0.0, uint32_t q_inits=0,
                   uint32_t q_firsts=0, list mark_list=None, double kindred=0.0,
                   int kin=_KIN_NONE):
        """Positions of up to ``limit`` names sharing the most of the query's evidence.

        ``keys`` (ids) with the ``shares`` of credit the query earns on each; ``own``: the
        query's own evidence. Keys are taken rarest first (stable); each adds idf x share to
        the names it posts, in that order. Names whose sum is below ``own * ratio`` are
        dropped; the rest are ranked by what they share over the larger of the two names'
        evidence (a name an acronym key found: at most that key's gain; ``tail`` below 1: a
        query a field limit may have cut, whose list name's evidence past the query's
        counts that share), ties by position. ``unshared``: the share of the evidence both
        names leave unmatched that the evidence counts too (:func:`_over`); ``agree``: a
        name whose initials agree with a word of the query, or whose words' first letters
        with the query's initials (``q_inits``, ``q_firsts``: bits a letter), has its share
        raised by that part (J. Higgins for Jessica Higgins, before A. Higgins).
        ``kin``: what the query names (1: a person, 2: a body; 0: unknown, or a body when
        ``q_firsts`` has the organisation's bit): a name of that kind (a person's: without
        the organisation's mark; a body's: with it) has its share raised by ``kindred``
        too, so that the names of the other kind that share a common word with the query
        (AL, ABU, a common surname) do not take the places of the query's kind's; they
        keep theirs when they share more.
        ``marks`` (None: none), a number per key: its low byte the query words (a bit each)
        it marks on the names it posts, its high byte the words it is the bridge key of (a
        word's second reading: its folded key, its skeleton probes): a bridge key adds to
        a name only when not every word it stands for marked the name already (the same
        reading twice: "Ynl" meets YinLi by a near key and by the folded one;
        ``NameIndex._marks``), and marks its words on the names it adds to (a word's second
        readings credit a name once: "Frrts" meets Freitas by f:frts and v:frts).
        Bridge keys are taken after every other key (so those are all counted when one
        is), rarest first.

        The result is exactly that ranking's best ``limit``, with less work than summing
        every posting (common words' postings are long in a large index): a name first met
        in a key can at most gather the gains of the keys left, so once those cannot reach
        the floor, nor the ``limit``-th best share found so far (a lower bound of it: sums
        only grow), no key adds names any more; the keys left then only add to the names
        that still may be kept, found by a galloping search in their (ascending) postings,
        and a name that cannot reach that share any more is dropped. The bound is refreshed
        before a key of more than ``large`` names. Each name's sum is added in the same
        order as ever, so the shares are the same numbers.
        """
        cdef Py_ssize_t nkeys = len(key_list), a, i, n = 0, count, kept = 0
        cdef Py_ssize_t hot = 0, later, same, skip = 0
        cdef double same_gains[_SAME]  # the gains of keys posting the same names, in turn
        cdef int32_t* listed
        cdef double before, summed
        cdef uint8_t mark, agree_any, agree_marks
        cdef _Found* one
        # the postings (a pointer: the memoryview's fields are not read again a posting)
        cdef const int32_t* flat = &self.flat[0] if self.flat.shape[0] > 0 else NULL
        # the keys and shares read into C arrays (not through arrays made per query)
        cdef int64_t* keys = <int64_t*> malloc((nkeys if nkeys else 1) * sizeof(int64_t))
        cdef double* shares = <double*> malloc((nkeys if nkeys else 1) * sizeof(double))
        cdef int64_t* order = <int64_t*> malloc((nkeys if nkeys else 1) * sizeof(int64_t))
        cdef uint16_t* marks = NULL
        cdef uint8_t mark_bits, bridge_bits
        cdef double* gains = <double*> malloc((nkeys + 1) * sizeof(double))
        cdef double* rest = <double*> malloc((nkeys + 1) * sizeof(double))
        cdef double* heap = NULL
        cdef int32_t* best = NULL
        cdef int64_t k, s, e, tmp, b, j, next_s, next_e, ahead, shift, lo, hi, fetch, fetch_end
        cdef int32_t pos
        cdef uint32_t at, slot
        cdef uint32_t mask = self.place_mask
        cdef double floor = own * ratio, least, g, slack, acronym_least
        cdef double mass, top = 0.0, boost = 1.0 + (agree if agree > 0.0 else 0.0)
        cdef double kin_boost = 1.0 + (kindred if kindred > 0.0 else 0.0)
        cdef bint collecting = True, grows = True
        cdef bint bounded = 0 < limit <= len(self.masses) and tail >= 0.0
        cdef const double[:] masses = self.skeleton_masses if abjad else self.masses
        cdef _Bounds bounds
        cdef uint16_t code
        cdef uint32_t* place = self.at
        cdef const uint16_t* codes = self.skeleton_codes if abjad else self.codes
        cdef _Found* found
        if keys == NULL or shares == NULL or order == NULL or gains == NULL or rest == NULL:
            free(keys)
            free(shares)
            free(order)
            free(gains)
            free(rest)
            raise MemoryError()
        try:
            for a in range(nkeys):
                keys[a] = key_list[a]
                shares[a] = share_list[a]
            if mark_list is not None:
                marks = <uint16_t*> malloc((nkeys if nkeys else 1) * sizeof(uint16_t))
                if marks == NULL:
                    raise MemoryError()
                for a in range(nkeys):
                    marks[a] = mark_list[a]
            least = own if own > 1e-9 else 1e-9
            acronym_least = 1e300  # the smallest gain of an acronym key: it may cap a mass
            for a in range(nkeys):
                order[a] = a
                gains[a] = self.idf[keys[a]] * shares[a]
                if not gains[a] >= 0.0:
                    grows = bounded = False  # the bounds hold for sums that only grow
                if self.acronym[keys[a]] and gains[a] < acronym_least:
                    acronym_least = gains[a]
            # rarest first, stable (insertion sort: a query has a few dozen keys); bridge
            # keys after the others
            for a in range(1, nkeys):
                tmp = order[a]
                b = a - 1
                while b >= 0 and _after(self, keys, marks, order[b], tmp):
                    order[b + 1] = order[b]
                    b -= 1
                order[b + 1] = tmp
            # rest[a]: the most a name gathers from the a-th key (rarest first) on
            rest[nkeys] = 0.0
            for a in range(nkeys - 1, -1, -1):
                rest[a] = rest[a + 1] + gains[order[a]]
            slack = _SLACK * (rest[0] + floor + 1.0)
            if bounded:
                heap = <double*> malloc(limit * sizeof(double))
                if heap == NULL:
                    raise MemoryError()
            bounds.low = self.code_low
            bounds.high = self.code_high
            bounds.floor = floor
            bounds.least = least
            bounds.tail = tail
            bounds.acronym_least = acronym_least
            bounds.slack = slack
            bounds.limit = limit
            bounds.heap = heap
            bounds.theta = -1.0
            bounds.cut_theta = -1.0
            bounds.evidenced = False
            bounds.unshared = unshared if unshared > 0.0 else 0.0
            bounds.agree = boost - 1.0
            bounds.letters_of = self.letters_of
            bounds.q_inits = q_inits
            bounds.q_firsts = q_firsts
            bounds.letters = q_inits != 0
            bounds.org = (q_firsts & _ORGANISATION) != 0
            bounds.kin = kin if kin == _KIN_PERSON or kin == _KIN_BODY else (
                _KIN_BODY if bounds.org else _KIN_NONE)
            if not self.lettered:
                bounds.agree = 0.0
                boost = 1.0
                kin_boost = 1.0
            if bounds.kin == _KIN_NONE:
                kin_boost = 1.0
            bounds.agreeing = boost > 1.0
            if kin_boost <= 1.0:
                bounds.kin = _KIN_NONE
            for i in range(4):  # (a name's marks: its initials' and organisation's bits)
                bounds.kin_of[i] = _kin_told(bounds.kin, <uint8_t> i)
            bounds.factors[0] = 1.0
            bounds.factors[_AGREES] = boost
            bounds.factors[_KINDRED] = kin_boost
            # both: a person's name raised twice (its initials tell J. Higgins among the
            # Higgins); an organisation's once, as before the kinds (its initials are
            # mostly a namesake's, "named after S. S. Golembiovsky")
            bounds.factors[_AGREES | _KINDRED] = boost * kin_boost if (
                bounds.kin == _KIN_PERSON) else (boost if boost > kin_boost else kin_boost)
            boost = bounds.factors[_AGREES | _KINDRED]  # the most a name's share is raised
            # which names found anew may agree (:func:`_agree_new`): any, when the query
            # has initials; else those with initials (a name's kind: by its marks, at once)
            agree_any = bounds.agreeing and bounds.letters
            agree_marks = (_HAS_INITIALS >> 8) if bounds.agreeing else 0
            for a in range(nkeys):
                if a < skip:  # (walked with a key before it that posts the same names)
                    continue
                k = keys[order[a]]
                g = gains[order[a]]
                s = self.start[k]
                e = s + self.size[k]
                if collecting:
                    # the bound, when it may stop the collecting: the limit-th best share
                    # over the query's evidence is at most the best sum found
                    if bounded and n >= limit and e - s > large and top > rest[a]:
                        # (the names that reached the floor: the others cannot count)
                        _raise_bound(&bounds, self.found, hot,
                                     rest[a] if rest[a] > floor else floor, self.ranked)
                    if grows and (rest[a] < floor - slack
                                  or rest[a] * boost < bounds.theta * least - slack):
                        # no name met from here on can be kept: the names found that still
                        # may be, by position
                        collecting = False
                        n = _keep(&bounds, self.found, n, rest[a])
                        _sort(&self.found, &self.spare, n, len(self.masses))
                elif bounded and e - s > large:  # a better bound: fewer names to follow
                    _raise_bound(&bounds, self.found, n, floor)
                    n = _keep(&bounds, self.found, n, rest[a])
                mark_bits = bridge_bits = 0
                if marks != NULL:
                    mark_bits = <uint8_t> (marks[order[a]] & 0xFF)
                    bridge_bits = <uint8_t> (marks[order[a]] >> 8)
                # the keys after this one posting the same names (a word's forms that
                # find the same names: its key and its sound's), walked with it once, each
                # name adding their gains in turn (the same sums), where no mark is set
                # and the walk is the gallop or _collect_slots' (no bound is refreshed
                # between them: the bounds only prune, what the keys find is the same)
                same = 1
                same_gains[0] = g
                if not (mark_bits or bridge_bits) and flat != NULL and (
                        not collecting or (codes == NULL and not agree_any)):
                    same = _same_keys(self, keys, order, marks, a, nkeys, gains,
                                      same_gains)
                skip = a + same
                # the next key's postings: its first names are fetched while this key's
                # last are summed (else a key's first _AHEAD names were read unfetched)
                next_s = next_e = 0
                if collecting and a + same < nkeys:
                    next_s = self.start[keys[order[a + same]]]
                    next_e = next_s + self.size[keys[order[a + same]]]
                    _prefetch(&flat[next_s])
                    if a == 0:  # the first key's first names: no key before fetched them
                        for j in range(s, e if e < s + _AHEAD else s + _AHEAD):
                            _prefetch(&place[flat[j]])
                if not collecting:
                    if mark_bits or bridge_bits:
                        _gallop_mark(flat, s, e, self.found, n, g, mark_bits, bridge_bits)
                    else:
                        _gallop_add(flat, s, e, self.found, n, same_gains, same)
                    continue
                if mark_bits or bridge_bits:  # a key of a word with a bridge key: apart
                    n = self._collect_marked(s, e, n, g, abjad, mark_bits, bridge_bits,
                                             floor, &hot, &top, &bounds, next_s, next_e)
                    continue
                if codes == NULL and not agree_any and flat != NULL:  # (most keys)
                    n = self._collect_slots(s, e, n, same_gains, same, floor, agree_marks,
                                            &hot, &top, &bounds, next_s, next_e)
                    continue
                self._room(n + e - s)  # room for every name of this key being new
                found = self.found
                listed = self.ranked
                later = 0
                ahead = e - _AHEAD  # (then the next key's first names, from next_s)
                shift = next_s - ahead
                # this key's postings up to ``ahead``, each asking for a later one of this
                # key's, then its last, each asking for one of the next key's first: a
                # name's place and code (and letters, if every name found anew reads them)
                # are random reads, asked for early
                hi = ahead if ahead > s else s
                for part in range(2):
                    if part == 0:
                        lo, fetch, fetch_end = s, _AHEAD, e
                    else:
                        lo, hi, fetch, fetch_end = hi, e, shift, next_e
                    for i in range(lo, hi):
                        j = i + fetch
                        if j < fetch_end:
                            pos = flat[j]
                            _prefetch(&place[pos])
                            if codes != NULL:
                                _prefetch(&codes[pos])
                            if agree_any:
                                _prefetch(&self.letters_of[pos])
                        pos = flat[i]
                        slot = place[pos]
                        at = slot & mask
                        if at < <uint32_t> n and found[at].pos == pos:
                            before = found[at].sum
                            summed = before + g
                            found[at].sum = summed
                            if before < floor and summed >= floor:  # (sums only grow)
                                listed[hot] = <int32_t> at
                                hot += 1
                        else:
                            place[pos] = (slot & ~mask) | <uint32_t> n
                            code = codes[pos] if codes != NULL else <uint16_t> (
                                slot >> _PLACE_BITS)
                            mark = <uint8_t> (code >> 8)
                            one = &found[n]
                            one.pos = pos
                            one.code = <uint8_t> code
                            one.marks = mark
                            one.met = 0
                            one.agrees = _kin(&bounds, mark)
                            if agree_any:  # (its letters were fetched with its place)
                                one.agrees |= _agree_new(&bounds, mark, pos)
                            elif mark & agree_marks:  # its letters: told after the key
                                _prefetch(&self.letters_of[pos])
                                self.pending[later] = <int32_t> n
                                later += 1
                            summed = 0.0
                            summed += g
                            one.sum = summed
                            if summed >= floor:
                                listed[hot] = <int32_t> n
                                hot += 1
                            n += 1
                        top = summed if summed > top else top
                _agree_later(&bounds, found, self.pending, later)
            found = self.found
            if bounded and n > limit:
                # the names kept, by their rough shares: those that cannot reach the
                # limit-th best need not read their mass
                _raise_bound(&bounds, found, n, floor)
                n = _keep(&bounds, found, n, 0.0)
            # kept names, with their share; an acronym key caps the evidence of the names
            # it found
            for i in range(n if n < _AHEAD else _AHEAD):  # (the first: fetched at once)
                _prefetch(&masses[found[i].pos])
            for i in range(n):
                if i + _AHEAD < n:  # a name's mass is a random read: asked early
                    _prefetch(&masses[found[i + _AHEAD].pos])
                if found[i].sum < floor:
                    continue
                pos = found[i].pos
                mass = masses[pos]
                if acronym_least < mass:  # the initials of its words may have found it
                    for a in range(nkeys):
                        k = keys[a]
                        if self.acronym[k] and gains[a] < mass and _posts(self, k, pos):
                            mass = gains[a]
                self.shares[kept] = found[i].sum / _over(
                    mass, found[i].sum, least, tail, bounds.unshared) * (
                    bounds.factors[found[i].agrees])
                self.ranked[kept] = pos
                kept += 1
            # the best ``limit``: highest share first, then lowest position
            count = kept if kept < limit else limit
            _select(self.shares, self.ranked, kept, count)
            # copied out before any Python object is made (which may run other code, and
            # another thread, which would reuse the tables)
            best = <int32_t*> malloc((count if count else 1) * sizeof(int32_t))
            if best == NULL:
                raise MemoryError()
            memcpy(best, self.ranked, count * sizeof(int32_t))
            return [best[i] for i in range(count)]
        finally:
            free(keys)
            free(shares)
            free(order)
            free(gains)
            free(rest)
            free(heap)
            free(best)
            free(marks)


cdef const uint16_t[:] _codes(const double[:] masses, const uint32_t[:] inits,
                              const uint32_t[:] firsts):
    """Each mass's rough code (see :data:`_CODE_BASE`; 0 for none: 0, or not a number), with
    the name's marks above it (:data:`_HAS_INITIALS`, :data:`_IS_ORGANISATION`; none where
    the letters are not given)."""
    cdef Py_ssize_t i, n = len(masses)
    cdef bint marked = len(inits) == n and len(firsts) == n
    cdef uint64_t bits
    cdef int64_t code
    cdef double value
    cdef uint16_t marks
    out = np.zeros(n, np.uint16)
    cdef uint16_t[:] codes = out
    for i in range(n):
        marks = 0
        if marked:
            if inits[i] != 0:
                marks |= _HAS_INITIALS
            if firsts[i] & _ORGANISATION:
                marks |= _IS_ORGANISATION
        value = masses[i]
        if not value > 0.0:
            codes[i] = marks
            continue
        memcpy(&bits, &value, sizeof(double))
        code = <int64_t> (bits >> 48) - _CODE_BASE
        codes[i] = marks | <uint16_t> (0 if code < 0 else (255 if code > 255 else code))
    return out


cdef inline double _evidence(double mass, double least, double tail) noexcept:
    """What a name's share is taken over: its evidence (of which a cut query counts the
    tail's share past the query's), at least the query's own."""
    if tail < 1.0 and mass > least:
        mass = least + tail * (mass - least)
    return mass if mass > least else least


cdef inline double _over(double mass, double total, double least, double tail,
                         double unshared) noexcept:
    """What a name's share is taken over (:func:`_evidence`), plus ``unshared`` of the
    evidence the query and the name both leave unmatched: of two names sharing a query's
    word, the one whose other words the query also lacks is the weaker (John Higgins for
    Jessica Higgins, against J. Higgins). At least :func:`_evidence`, and growing with
    ``mass`` and falling with ``total``: the bounds stay bounds."""
    cdef double small = least if mass > least else mass  # the smaller evidence (a tail
    # cut shrinks a mass past the query's, not below it)
    cdef double over = _evidence(mass, least, tail)
    if unshared > 0.0 and small > total:
        over += unshared * (small - total)
    return over


cdef void _agree_later(_Bounds* bounds, _Found* found, const int32_t* pending,
                       Py_ssize_t count) noexcept:
    """Whether the names found anew that ``pending`` lists agree with the query
    (:func:`_agree_new`), told once the key that found them is summed: their letters were
    asked for when they were found (a random read in a table of names each: told at
    once, the summing waited on them, one after the other). Nothing reads a name's
    agreement before its key's end (only the bounds and the shares, between keys)."""
    cdef Py_ssize_t t
    cdef _Found* one
    for t in range(count):
        one = &found[pending[t]]
        one.agrees |= _agree_new(bounds, one.marks, one.pos)


cdef inline uint8_t _kin(_Bounds* bounds, uint8_t marks) noexcept:
    """:data:`_KINDRED` when a name found anew names what the query names (its rough
    code's marks, ``marks``, below 4: a body's name has the organisation's mark, a
    person's has not), else 0; 0 for a query of no known kind. Read from ``kin_of``
    (:func:`_kin_told`, once a query): a load, not a test and two branches, a name found."""
    return bounds.kin_of[marks]


cdef inline uint8_t _kin_told(int kin, uint8_t marks) noexcept:
    """What :func:`_kin` tells, for a query of kind ``kin``."""
    if kin == _KIN_NONE:
        return 0
    if (marks & (_IS_ORGANISATION >> 8) != 0) == (kin == _KIN_BODY):
        return _KINDRED
    return 0


cdef inline uint8_t _agree_new(_Bounds* bounds, uint8_t marks, int32_t pos) noexcept:
    """:data:`_AGREES` when a name found anew's initials agree with the query's
    (:func:`_agrees`), else 0: when the query has initials, by every name's letters
    (fetched with its place); else only by the initials of the names that have some (told
    after the key: :func:`_agree_later`; its rough code's marks, ``marks``)."""
    if bounds.letters:
        return _AGREES if _agrees(bounds, pos) else 0
    if marks & (_HAS_INITIALS >> 8) and (bounds.letters_of[pos].inits & bounds.q_firsts) != 0:
        return _AGREES
    return 0


cdef inline bint _agrees(_Bounds* bounds, int32_t pos) noexcept:
    """Whether a name's initials agree with the query's words, or its words' first letters
    with the query's initials: its share is raised by ``agree`` (read once, when found)."""
    cdef uint32_t inits = bounds.letters_of[pos].inits
    cdef uint32_t firsts = bounds.letters_of[pos].firsts
    return (bounds.q_inits & (inits | firsts)) != 0 or (inits & bounds.q_firsts) != 0


cdef inline double _factor(_Bounds* bounds, _Found* found) noexcept:
    """What a name's share is raised by, by its agreement bits (:func:`_agrees`,
    :func:`_kin`)."""
    return bounds.factors[found.agrees]


cdef inline double _reach(_Bounds* bounds, uint8_t code) noexcept:
    """What a name of this rough code must reach (its sum with what may come, raised as
    it agrees) to be kept: a share of ``theta`` over the least evidence it may be ranked
    by (:func:`_least_evidence`)."""
    return bounds.theta * _least_evidence(bounds, code) - bounds.slack


cdef inline double _least_evidence(_Bounds* bounds, uint8_t code) noexcept:
    """The least evidence a name of this rough code may be ranked by: its mass, which an
    acronym key may cap; at least the query's own, so a sum below ``theta`` times the
    query's evidence never reaches ``theta``."""
    cdef double mass = bounds.low[code]
    if bounds.acronym_least < mass:
        mass = bounds.acronym_least
    return _evidence(mass, bounds.least, bounds.tail)


cdef Py_ssize_t _keep(_Bounds* bounds, _Found* found, Py_ssize_t n, double rest) noexcept:
    """Keep (in order) the names that, with at most ``rest`` to come, can still reach the
    floor and a share of ``theta`` (over the least evidence they may be ranked by: their
    mass, which an acronym key may cap, or the query's own); returns how many. Among many
    names, what a name must reach is told once for each rough code (256) and each way it
    may agree (only those the query's names can have: no kind, no raise by kind), not
    once a name: the larger of the floor and that (one test, and no branch
    on its outcome: every name is copied, the next one written over it if it is dropped;
    a branch was mispredicted about as often as names drop). For a name that agrees,
    what its raised sum must reach is taken over its raise and lowered by a billionth,
    so that it drops no name the exact test keeps (it may keep a few the exact test
    drops: the bounds then prune a little less, the result is the same)."""
    cdef Py_ssize_t i, j = 0
    cdef int q, a
    cdef double most, floor = bounds.floor - bounds.slack, over, theta, slack, factor
    cdef double reach[256]  # what a name of each rough code must reach, before the floor
    cdef double* raised
    cdef double* cut = bounds.cut  # by agreement bits (_Found.agrees), then by rough code
    # the agreement bits a name of this query can have (the others' cuts are never read)
    cdef int can = (_AGREES if bounds.agreeing else 0) | (
        _KINDRED if bounds.kin != _KIN_NONE else 0)
    if bounds.theta > 0.0 and n > 256:
        if bounds.cut_theta != bounds.theta:  # (else told for this theta already)
            bounds.cut_theta = bounds.theta
            if not bounds.evidenced:
                for q in range(256):
                    bounds.evidence[q] = _least_evidence(bounds, q)
                bounds.evidenced = True
            # (:func:`_reach`, its evidence told), then each way a name may agree's cuts:
            # a loop of the same steps for each code, which the compiler does two codes
            # at a time (the same operations on each, the same numbers)
            theta = bounds.theta
            slack = bounds.slack
            for q in range(256):
                reach[q] = theta * bounds.evidence[q] - slack
            for q in range(256):
                most = reach[q]
                cut[q] = most if most > floor else floor
            for a in range(1, 4):
                if a & ~can:
                    continue
                factor = bounds.factors[a]
                raised = cut + (a << 8)
                for q in range(256):
                    over = reach[q] / factor
                    over -= fabs(over) * 1e-9
                    raised[q] = over if over > floor else floor
        # (no sum is NaN: the bounds hold only for gains >= 0) four names a round: the
        # loop's own count and test are a quarter of the names' (the pass is ~10k names a
        # new query at a million names)
        i = 0
        while i + 4 <= n:
            found[j] = found[i]
            j += found[i].sum + rest >= cut[_cut_at(&found[i])]
            found[j] = found[i + 1]
            j += found[i + 1].sum + rest >= cut[_cut_at(&found[i + 1])]
            found[j] = found[i + 2]
            j += found[i + 2].sum + rest >= cut[_cut_at(&found[i + 2])]
            found[j] = found[i + 3]
            j += found[i + 3].sum + rest >= cut[_cut_at(&found[i + 3])]
            i += 4
        while i < n:
            found[j] = found[i]
            j += found[i].sum + rest >= cut[_cut_at(&found[i])]
            i += 1
        return j
    for i in range(n):
        most = found[i].sum + rest
        if most < floor:
            continue
        if bounds.theta > 0.0:
            most *= _factor(bounds, &found[i])
            if most < _reach(bounds, found[i].code):
                continue
        found[j] = found[i]
        j += 1
    return j


cdef inline uint16_t _cut_at(const _Found* one) noexcept:
    """Where :func:`_keep`'s cuts keep a name's: its agreement bits times 256 plus its
    rough code, read as one number where the processor is little-endian (one load, not
    two, a shift and an or, a name; see :c:func:`discreet_pair`)."""
    return _byte_pair(&one.code)


cdef void _raise_bound(_Bounds* bounds, _Found* found, Py_ssize_t n, double above,
                       const int32_t* among=NULL) noexcept:
    """Raise ``theta`` to the ``limit``-th best of the shares the names found with a sum of
    at least ``above`` (at least the floor: they are kept) have already, over the most
    their evidence may be (an acronym key may only lower it). (Names below ``above`` need
    not be read when a bound made of them could not stop the collecting: ``above`` is then
    what the keys left may add.) A share below ``theta`` cannot raise it: a name whose sum
    over the query's evidence (the least its share is taken over) is below ``theta`` is
    passed over before its division. ``among``: the names to read are those it lists (``n``
    of them: every name found that reached the floor, in any order, the heap's ``limit``-th
    best being the same whatever the order), else the first ``n``. Once the heap is full, a
    share below its least cannot enter it either: ``below`` follows it up, and the names
    under it are passed over before their division too (the heap is the same). Both tests
    are one for most names: a name whose sum is below ``gate`` (the larger of ``above``
    and ``below`` over the most a name's share is raised, less a billionth for rounding)
    fails one of them whatever it agrees with, and is passed over on its sum alone."""
    cdef Py_ssize_t i, t, filled = 0
    cdef double scale = bounds.least * (1.0 - _SLACK)
    cdef double below = bounds.theta * scale
    cdef double raised = bounds.factors[0]  # the most a name's share is raised by
    cdef double gate, told
    cdef const _Found* end
    for t in range(1, 4):
        if bounds.factors[t] > raised:
            raised = bounds.factors[t]
    gate = _gate(above, below, raised)
    told = below
    if among != NULL:
        for t in range(n):
            i = among[t]
            if found[i].sum >= gate:
                filled = _offer(bounds, &found[i], filled, &below, scale)
                if below != told:
                    gate = _gate(above, below, raised)
                    told = below
    else:
        end = found + n
        while found < end:
            if found.sum >= gate:
                filled = _offer(bounds, found, filled, &below, scale)
                if below != told:
                    gate = _gate(above, below, raised)
                    told = below
            found += 1
    if filled == bounds.limit and bounds.heap[0] > bounds.theta:
        bounds.theta = bounds.heap[0]


cdef inline double _gate(double above, double below, double raised) noexcept:
    """What :func:`_raise_bound` offers a name from: its sum at least ``above``, and at
    least ``below`` over ``raised`` (the most its share is raised by: a name below that is
    below ``below`` whatever it agrees with), that less a billionth (a sum just at it,
    rounded, is offered, and :func:`_offer` tells)."""
    cdef double gate = below / raised
    gate -= fabs(gate) * 1e-9
    return gate if gate > above else above


cdef inline Py_ssize_t _offer(_Bounds* bounds, _Found* one, Py_ssize_t filled,
                              double* below, double scale) noexcept:
    """:func:`_raise_bound`'s heap given one name's share (over the most its evidence may
    be), unless the share is below ``theta`` or, the heap full, its least (``below``: that
    times ``scale``, the query's evidence, rounding aside; raised with the heap's least);
    returns how many the heap holds."""
    cdef double factor = _factor(bounds, one), least
    if one.sum * factor < below[0]:
        return filled
    filled = _push(bounds.heap, filled, bounds.limit, one.sum / _over(
        bounds.high[one.code], one.sum, bounds.least, bounds.tail, bounds.unshared) * factor)
    if filled == bounds.limit:
        least = bounds.heap[0] * scale
        if least > below[0]:
            below[0] = least
    return filled


cdef Py_ssize_t _push(double* heap, Py_ssize_t filled, Py_ssize_t limit,
                      double value) noexcept:
    """Keep the ``limit`` largest values in a min-heap; returns how many it holds."""
    cdef Py_ssize_t i, child
    if filled < limit:
        i = filled
        while i > 0 and heap[(i - 1) // 2] > value:
            heap[i] = heap[(i - 1) // 2]
            i = (i - 1) // 2
        heap[i] = value
        return filled + 1
    if value <= heap[0]:
        return filled
    i = 0
    while True:
        child = 2 * i + 1
        if child >= limit:
            break
        if child + 1 < limit and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] >= value:
            break
        heap[i] = heap[child]
        i = child
    heap[i] = value
    return filled


cdef void _sort(_Found** found_at, _Found** spare_at, Py_ssize_t n,
                Py_ssize_t names) noexcept:
    """Sort the names found (distinct positions below ``names``) by position: by insertion
    when few; when a few for each bucket of the top bits (as many as give one or two
    names a bucket, ``_DIGIT`` at most: half as many buckets to sum as a name a bucket,
    for a few more names moved by the insertion), by those bits and then by insertion (a
    bucket's names only are moved); else by radix, in as few passes as ``_DIGIT`` bits a
    pass need, each of as few bits as those passes need (a position of 15 bits: two passes
    of 8, whose counts are an eighth of 11 bits' to clear and sum). Every pass's counts
    are made in one read of the names, and each pass moves them from one array to the
    other, each bucket's next place a pointer (:func:`_heads`): the two arrays are
    swapped when the sorted names end in the spare one (no copying back)."""
    cdef Py_ssize_t i, j, digit, bits = 1, passes, width, buckets, p, shift
    cdef uint32_t counts[_PASSES << _DIGIT]
    cdef _Found* heads[1 << _DIGIT]  # where each bucket's next name goes (a pass's)
    cdef int32_t value
    cdef uint32_t at
    cdef _Found* found = found_at[0]
    cdef _Found* spare = spare_at[0]
    cdef _Found* swap
    cdef _Found f
    if n <= _FEW:
        for i in range(1, n):
            f = found[i]
            j = i - 1
            while j >= 0 and found[j].pos > f.pos:
                found[j + 1] = found[j]
                j -= 1
            found[j + 1] = f
        return
    while (names - 1) >> bits > 0:
        bits += 1
    width = 1  # top bits enough for one or two names a bucket (_DIGIT at most)
    while width < _DIGIT and width < bits and ((<Py_ssize_t> 2) << width) < n:
        width += 1
    if n <= _SPREAD << width:
        # a few names a bucket of the top bits: one pass by them, then each bucket's few
        # in order by insertion (a pass over all, moving only a bucket's own names)
        shift = bits - width
        buckets = (<Py_ssize_t> 1) << width
        memset(counts, 0, buckets * sizeof(uint32_t))
        for i in range(n):
            counts[<uint32_t> found[i].pos >> shift] += 1
        _heads(heads, counts, buckets, spare)
        for i in range(n):  # (each bucket's next place a pointer: no index to scale)
            digit = <uint32_t> found[i].pos >> shift
            heads[digit][0] = found[i]
            heads[digit] += 1
        for i in range(1, n):
            value = spare[i].pos
            if spare[i - 1].pos < value:
                continue
            f = spare[i]
            j = i - 1
            while j >= 0 and spare[j].pos > value:
                spare[j + 1] = spare[j]
                j -= 1
            spare[j + 1] = f
        found_at[0] = spare
        spare_at[0] = found
        return
    passes = (bits + _DIGIT - 1) // _DIGIT
    width = (bits + passes - 1) // passes
    buckets = (<Py_ssize_t> 1) << width
    memset(counts, 0, passes * buckets * sizeof(uint32_t))
    if passes == 2:  # (a million names: two passes, counted without an inner loop)
        for i in range(n):
            at = <uint32_t> found[i].pos
            counts[at & (buckets - 1)] += 1
            counts[buckets + ((at >> width) & (buckets - 1))] += 1
    else:
        for i in range(n):
            at = <uint32_t> found[i].pos
            for p in range(passes):
                counts[(p << width) + ((at >> (p * width)) & (buckets - 1))] += 1
    for p in range(passes):
        _heads(heads, counts + (p << width), buckets, spare)
        shift = p * width
        for i in range(n):
            digit = (<uint32_t> found[i].pos >> shift) & (buckets - 1)
            heads[digit][0] = found[i]
            heads[digit] += 1
        swap = found
        found = spare
        spare = swap
    found_at[0] = found
    spare_at[0] = spare


cdef inline void _heads(_Found** heads, const uint32_t* counts, Py_ssize_t buckets,
                        _Found* out) noexcept:
    """:func:`_sort`'s pass: where each bucket's names begin in ``out`` (its ``counts``
    summed before it)."""
    cdef Py_ssize_t digit
    for digit in range(buckets):
        heads[digit] = out
        out += counts[digit]


def sorted_by_position(const int32_t[:] positions, Py_ssize_t names):
    """``positions`` (distinct, each below ``names``) in ascending order, sorted as the
    candidates' kernel sorts the names it found (:func:`_sort`, whose three ways, by
    insertion, by the top bits then insertion, and by radix, tests check here)."""
    cdef Py_ssize_t n = len(positions), i
    cdef _Found* found = <_Found*> calloc(n if n else 1, sizeof(_Found))
    cdef _Found* spare = <_Found*> calloc(n if n else 1, sizeof(_Found))
    try:
        if found == NULL or spare == NULL:
            raise MemoryError()
        for i in range(n):
            found[i].pos = positions[i]
            found[i].sum = <double> i  # carried along with its name
        _sort(&found, &spare, n, names)
        return [(found[i].pos, <Py_ssize_t> found[i].sum) for i in range(n)]
    finally:
        free(found)
        free(spare)


cdef inline bint _after(Postings postings, const int64_t* keys, const uint16_t* marks,
                        int64_t a, int64_t b) noexcept:
    """Key ``a`` is taken after key ``b``: a bridge key after any other (see
    ``candidates``' marks), else the one with more names."""
    cdef bint bridge_a = marks != NULL and marks[a] >> 8 != 0
    cdef bint bridge_b = marks != NULL and marks[b] >> 8 != 0
    if bridge_a != bridge_b:
        return bridge_a
    return postings.size[keys[a]] > postings.size[keys[b]]


cdef inline int64_t _first_at_least(const int32_t* flat, int64_t lo, int64_t hi,
                                    int32_t want) noexcept:
    """The index of the first of ``flat[lo + 1:hi + 1]`` (ascending) at least ``want``,
    given ``flat[lo] < want`` and ``flat[hi] >= want`` (or ``hi`` the end, not read): a
    span halved as many times as its length alone says, each step a conditional move, not
    a branch (a binary search's branches are mispredicted half the time)."""
    cdef int64_t span = hi - lo, half
    while span > 1:  # the first at least ``want`` is in flat[lo + 1:lo + span + 1]
        half = span >> 1
        lo = lo + half if flat[lo + half] < want else lo
        span -= half
    return lo + 1


cdef void _gallop_mark(const int32_t* flat, int64_t s, int64_t e, _Found* found,
                       Py_ssize_t n, double gain, uint8_t mark_bits,
                       uint8_t bridge_bits) noexcept:
    """:func:`_gallop_add` for a key with marks (see ``candidates``): a bridge key's gain
    not to a name every word it stands for marked already; each key's words marked."""
    cdef Py_ssize_t i
    cdef int64_t lo = s, hi, step
    cdef int32_t want
    for i in range(n):
        want = found[i].pos
        if lo >= e:
            return
        if flat[lo] < want:
            step = 1  # gallop to a bound hi with flat[hi] >= want (or e)
            while lo + step < e and flat[lo + step] < want:
                lo += step
                step *= 2
            hi = lo + step if lo + step < e else e
            lo = _first_at_least(flat, lo, hi, want)
        if lo < e and flat[lo] == want:
            if bridge_bits and found[i].met & bridge_bits == bridge_bits:
                continue
            found[i].sum += gain
            found[i].met |= mark_bits | bridge_bits


cdef void _gallop_add(const int32_t* flat, int64_t s, int64_t e, _Found* found,
                      Py_ssize_t n, const double* gains, Py_ssize_t same) noexcept:
    """Add ``gains[0]`` (then ``gains[1]`` ... of the ``same`` keys posting these names,
    in turn) to the names found (ascending positions) posted in ``flat[s:e]``
    (ascending): each found by a galloping search from where the last one was."""
    cdef Py_ssize_t i
    cdef int64_t lo = s, hi, step
    cdef int32_t want
    for i in range(n):
        want = found[i].pos
        if lo >= e:
            return
        if flat[lo] >= want:
            if flat[lo] == want:
                _add_gains(&found[i], gains, same)
            continue
        step = 1  # flat[lo] < want: gallop to a bound hi with flat[hi] >= want (or e)
        while lo + step < e and flat[lo + step] < want:
            lo += step
            step *= 2
        hi = lo + step if lo + step < e else e
        lo = _first_at_least(flat, lo, hi, want)
        if lo < e and flat[lo] == want:
            _add_gains(&found[i], gains, same)


cdef inline void _add_gains(_Found* one, const double* gains, Py_ssize_t same) noexcept:
    """A name's sum with the gains of ``same`` keys added in turn (as key by key)."""
    cdef double summed = one.sum + gains[0]
    cdef Py_ssize_t t
    for t in range(1, same):
        summed = summed + gains[t]
    one.sum = summed


def posting_twins(const int32_t[:] flat, const int64_t[:] start, const int64_t[:] size):
    """Each key's twin (see ``Postings.twin``), an array of ``int32`` by key number: keys
    ordered by size and a hash of their postings, and each one's postings compared with
    those of the one before it when both are the same. Told once, when the index is built
    (and persisted with it): a query then compares two numbers, not two keys' postings,
    which for common words are long, and opening the index does nothing."""
    cdef Py_ssize_t count = len(start), k, t, i
    cdef uint64_t h
    cdef int64_t a, b
    if count >= (<Py_ssize_t> 1) << 31:
        raise ValueError(f"{count} keys: more than an int32 numbers")
    out = np.arange(count, dtype=np.int32)
    cdef int32_t[:] twin = out
    hashes = np.zeros(count, np.uint64)
    cdef uint64_t[:] hashed = hashes
    sizes = np.asarray(size)
    # a key of a size no other key has has no twin: its postings (the long ones, most of
    # the postings) are not read
    cdef const uint8_t[:] shared = (np.bincount(sizes)[sizes] > 1).view(np.uint8) if (
        count) else np.zeros(0, np.uint8)
    for k in range(count):
        if not shared[k]:
            continue
        h = 1469598103934665603ULL
        for i in range(start[k], start[k] + size[k]):
            h = (h ^ <uint32_t> flat[i]) * 1099511628211ULL
        hashed[k] = h
    cdef const int64_t[:] ordered = np.lexsort((np.arange(count), hashes,
                                                sizes)).astype(np.int64)
    for t in range(1, count):
        a = ordered[t - 1]
        b = ordered[t]
        if size[a] == size[b] and hashed[a] == hashed[b] and (size[a] == 0 or memcmp(
                &flat[start[a]], &flat[start[b]], size[a] * sizeof(int32_t)) == 0):
            twin[b] = twin[a]
    return out


cdef Py_ssize_t _same_keys(Postings postings, const int64_t* keys,
                           const int64_t* order, const uint16_t* marks, Py_ssize_t a,
                           Py_ssize_t nkeys, const double* gains,
                           double* same_gains) noexcept:
    """How many keys from the ``a``-th (in the order taken) post the same names (up to
    :data:`_SAME`), none of them marked; ``same_gains`` given their gains in turn. Keys of
    a size are taken one after the other (rarest first, stable), so a word's forms that
    find the same names (its key and its sound's, often) are neighbours: twins
    (``Postings.twin``)."""
    cdef Py_ssize_t same = 1
    cdef int32_t twin = postings.twin[keys[order[a]]]
    same_gains[0] = gains[order[a]]
    while same < _SAME and a + same < nkeys:
        if postings.twin[keys[order[a + same]]] != twin or (
                marks != NULL and marks[order[a + same]] != 0):
            break
        same_gains[same] = gains[order[a + same]]
        same += 1
    return same


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


cdef inline bint _before(double sa, int32_t pa, double sb, int32_t pb) noexcept:
    return sa > sb or (sa == sb and pa < pb)


cdef void _select(double* share, int32_t* pos, Py_ssize_t n, Py_ssize_t count) noexcept:
    """Move the ``count`` best (share descending, position ascending) to the front, in
    order: a selection by insertion into the sorted front."""
    cdef Py_ssize_t i, j, filled = 0
    cdef double s
    cdef int32_t p
    if count <= 0:  # none asked for (a limit of 0): nothing to move, nothing to write
        return
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
