# The kernel's part: included by _kernel.pyx (one compilation unit, one module).
# Score bounds and exact scores of a query's candidates: prune.py's CandidateScores, on the
# tables of prune.NameTables (Kernel) and a query name as it prepares it (QueryName).

cdef extern from *:
    """
    static inline void discreet_prune_prefetch(const void* address) {
    #if defined(__GNUC__)
        __builtin_prefetch(address, 0, 3);
    #endif
    }
    """
    void _prune_prefetch "discreet_prune_prefetch" (const void*) nogil


cdef struct _Row:
    Str* s
    Str* swaps  # (one token) its readings with two letters swapped back, nswaps of them
    int nswaps
    int latin_mode  # how align reads the swaps against a Latin name (0, BARE; -1: never)
    double cut
    double below_cut  # the largest double below cut (dropped_on_variant's test), made once
    double skel_cut
    const int* edits  # _edits_within(cut)
    const int* skel_edits  # _edits_within(skel_cut)
    int kind  # 0: one token, 1: a run of query tokens (list words it may be), 2: a long
    #           query token (list runs it may be)
    int shortest
    int longest
    bint prefix  # the last word of a query a field limit may have cut: pairs with words it begins
    Str* cut_text  # ... read as this (align.cut_text: a particle as written)
    int64_t bits
    uint64_t pm_text[ALPHABET]
    uint64_t pm_key[ALPHABET]
    uint64_t pm_skel[ALPHABET]


cdef int64_t _bits(_Row* rows, int nrows, Str* t, int script) noexcept:
    """The query tokens list string ``t`` may pair with, by ``nrows`` rows of one kind (the
    long tokens' against a list run, else the others': QueryName keeps each kind together):
    by the rows' own test (:func:`_pairs`), or, where either name is written in syllables of
    ``script`` (1: Chinese, 2: Korean), as align pairs syllables (:func:`_syllable_pair`)."""
    cdef int64_t bits = 0
    cdef int r
    if script:
        for r in range(nrows):
            if _syllable_pair(rows[r].s, t, script):
                bits |= rows[r].bits
    else:
        for r in range(nrows):
            if _pairs(&rows[r], t):
                bits |= rows[r].bits
    return bits


cdef inline bint _syllable_pair(Str* a, Str* t, int script) noexcept:
    """Whether align may pair ``a`` and ``t`` when a name is written in syllables: it then
    compares every pair by similarity.syllable_similarity (syllables that merely look alike
    are other names), so only the same text, the same syllable key, or a consonant alone and
    a word it begins."""
    return (_same(_text(a), a.text_len, _text(t), t.text_len) or _syllables_alike(a, t, script)
            or ((a.text_len == 1 and not _vowel_letter(a))
                or (t.text_len == 1 and not _vowel_letter(t)))
            and a.text_len >= 1 and t.text_len >= 1 and _text(a)[0] == _text(t)[0])


cdef bint _pairs(_Row* row, Str* t) noexcept:
    """Whether ``row`` may pair with list string ``t``: a test never stricter than token
    similarity at the row's cut. Edit similarity of the texts or of their phonetic keys
    (swaps discounted as similarity._fuzzy discounts them: :func:`_edits_pair`);
    of the abjad skeletons (at ``cut / abjad_sim``) when either is vowel-less; a one-letter
    string pairs with the strings it is the initial of; a word without vowels with the
    words of its vowel skeleton, and with those of its folded one (similarity._folded_sim);
    a cut last word with the words it begins; words with a
    letter written twice by their texts with each run written once (:func:`_once_pairs`);
    words whose keys are one slip apart (similarity.slipped_variant, whatever the cut),
    words one slip at the start apart (similarity.start_slip, whatever the cut),
    words one letter left out apart (similarity.dropped_letter, whatever the cut),
    a word of three letters one of four with its first left out (similarity.dropped_first,
    whatever the cut),
    words one consonant left out on top of vowels written otherwise apart
    (similarity.dropped_consonant, whatever the cut),
    words one letter left out of a spelling variant apart (similarity.dropped_on_variant,
    at the row's cut: its most, below 0.9, is below a high cut), words one of which, a letter
    of the other put back, reads as the other by a key (similarity.dropped_read_back, at the
    row's cut; at min_sim its edit test is the texts'), and a query word read
    with two letters swapped back (similarity.swapped_variant, by its own rule:
    :func:`_swap_pairs`)."""
    cdef Str* r = row.s
    cdef int n = t.text_len, slack, vlongest = 0, letters
    if row.kind == 1:  # a run of query tokens against a list word: align's length test
        slack = _slack(n)
        # align._letters: a vowel-less run against a vowelled word, or the reverse, counts
        # its letters by the skeletons (passed whether a name is in an abjad or not: never
        # stricter than align)
        letters = r.skel_len - t.skel_len + n if r.vowelless != t.vowelless else r.text_len
        if n < R.join_letters or ((r.text_len - n > slack or n - r.text_len > slack)
                                  and (letters - n > slack or n - letters > slack)):
            return False
    elif row.kind == 2:
        letters = t.skel_len - r.skel_len + r.text_len if r.vowelless != t.vowelless else n
        if ((n < row.shortest or n > row.longest)
                and (letters < row.shortest or letters > row.longest)):
            return False
    if r.text_len == 1:  # an initial pairs with the words it begins
        return n >= 1 and _text(t)[0] == _text(r)[0]
    if row.prefix and _prefix_of(row.cut_text, t):
        return True
    if (r.latin_vowelless or t.latin_vowelless) and (
            _vowelless_pairs(r, t, NULL, &vlongest)
            or _folded_pairs(r, t, NULL, &vlongest)):
        return True
    if n == 1 and _text(t)[0] == _text(r)[0]:
        return True
    if _edits_pair(row, row.pm_text, _text(r), r.text_len, r.text_mask, _text(t), n,
                   t.text_mask):
        return True
    if (not (r.key_is_text and t.key_is_text)  # else the same test as the texts'
            and _edits_pair(row, row.pm_key, _key(r), r.key_len, r.key_mask, _key(t),
                            t.key_len, t.key_mask)):
        return True
    if ((r.vowelless or (n >= 2 and t.vowelless))
            and _may_be_within(r.skel_len, r.skel_mask, t.skel_len, t.skel_mask,
                               row.skel_edits, row.skel_cut)
            and _within(_distance(row.pm_skel, _skel(r), r.skel_len, _skel(t), t.skel_len, False),
                        r.skel_len, t.skel_len, row.skel_edits, row.skel_cut)):
        return True
    if (r.others_len or t.others_len) and (r.vowelless or (n >= 2 and t.vowelless)):
        # the other readings of a vowel-less token's th, dh, sh, kh, gh (two letters)
        if _readings_within(r, t, row):
            return True
    if (r.once != 0 or t.once != 0) and r.alpha and t.alpha and _once_pairs(r, t):
        return True
    if row.nswaps and _swap_pairs(row, t):
        return True
    return (_slipped_variant(r, t) >= 0.0 or _start_slip(r, t) >= 0.0
            or _dropped_letter(r, t) >= 0.0 or _dropped_first(r, t) >= 0.0
            or _dropped_consonant(r, t) >= 0.0
            or _dropped_on_variant(r, t, row.below_cut) >= 0.0
            # at min_sim the texts' edit test above passed every pair the rule reads
            or (row.cut > R.min_sim and _dropped_read_back(r, t, row.below_cut) >= 0.0))


cdef bint _swap_pairs(_Row* row, Str* t) noexcept:
    """similarity.swapped_variant's rule, as align may read the pair (a name in an abjad or
    not, a query written without vowels or not: any of them), at the row's cut: the row's
    token read with two letters swapped back against ``t``."""
    cdef Str* r = row.s
    cdef Str* reading
    cdef int longest = r.text_len if r.text_len > t.text_len else t.text_len
    cdef int k, mode, method
    cdef int modes[2]
    cdef double share = 1.0 - R.swap_edit / (<double> longest), sim
    if share < row.cut or not _swap_apart(r, t):
        return False
    # align reads the pair as one of two: against a name in an abjad (1), or as the query
    # is read against a Latin name (the row's latin_mode, fixed by the query)
    modes[0] = row.latin_mode
    modes[1] = 1
    for k in range(row.nswaps):
        reading = row.swaps + k
        for mode in range(2):
            if modes[mode] < 0:
                continue
            sim = _variant_similarity(reading, t, modes[mode], &method)
            if (sim * share >= row.cut and sim > _edit_sim(reading, t)
                    and not (method == M_SKELETON and _moves_vowel(r, reading))):
                return True
    return False


cdef bint _readings_within(Str* r, Str* t, _Row* row) noexcept:
    """Two abjad skeleton readings of ``r`` and ``t`` (not both their skeletons, tested
    already) within the row's skeleton cut."""
    cdef int at_r = -1, at_t, m, n
    cdef const unsigned char* x
    cdef const unsigned char* y
    m = _reading(r, &at_r, &x)
    while m:
        at_t = -1
        n = _reading(t, &at_t, &y)
        while n:
            if ((at_r > 0 or at_t > 0)
                    and _within(_pair_distance(x, m, y, n, False), m, n, row.skel_edits,
                                row.skel_cut)):
                return True
            n = _reading(t, &at_t, &y)
        m = _reading(r, &at_r, &x)
    return False


cdef const int* _min_sim_edits = _edits_within(R.min_sim)


cdef bint _edits_pair(_Row* row, const uint64_t* pm, const unsigned char* a, int m,
                      uint64_t ma, const unsigned char* b, int n, uint64_t mb) noexcept:
    """Whether two strings' edit similarity, as similarity._fuzzy reckons it, may reach the
    row's cut: their optimal string alignment distance within it; or, where the cut is
    above min_sim (a joined pair's), a distance within min_sim whose swaps _fuzzy counts
    as swap_edit of an edit each (Ramond / Armando: three edits, one a swap) within it.
    ``pm``: the match vectors of ``a``; ``ma``, ``mb``: the strings' letters."""
    cdef int d, swaps, longest = m if m > n else n
    # the letters one string lacks, and the length difference, are edits no swap makes: the
    # discounted edits are no fewer, so the letters' test stands at the row's cut
    if not _may_be_within(m, ma, n, mb, row.edits, row.cut):
        return False
    d = _distance(pm, a, m, b, n, True)
    if _within(d, m, n, row.edits, row.cut):
        return True
    if row.cut <= R.min_sim or d <= 1 or not _within(d, m, n, _min_sim_edits, R.min_sim):
        return False
    swaps = _distance(pm, a, m, b, n, False) - d
    # _fuzzy's arithmetic (its short-word factor only lowers it)
    return 1.0 - ((<double> d) - swaps * (1.0 - R.swap_edit)) / (<double> longest) >= row.cut


cdef bint _once_pairs(Str* r, Str* t) noexcept:
    """similarity.typed_twice's and similarity.doubled's test (one of the two, or both,
    with a letter written twice): the texts with each run of a letter written once have an
    edit similarity of min_sim (whatever the row's cut: the rule's similarity may reach a
    joined pair's)."""
    cdef Str* a = _written_once(r)
    cdef Str* b = _written_once(t)
    return (_may_be_within(a.text_len, a.text_mask, b.text_len, b.text_mask, _min_sim_edits,
                           R.min_sim)
            and _within(_pair_distance(_text(a), a.text_len, _text(b), b.text_len, True),
                        a.text_len, b.text_len, _min_sim_edits, R.min_sim))


# ---------------------------------------------------------------- the query

# The bound test's rows of a pass (QueryName._rows), in blocks a pass takes and gives back
# (_give_rows): a row is some 3 KB (its match vectors), a query's rows tens of KB. Kept by
# every query name held (prune's cache keeps thousands), they were new memory for every new
# query, its pages faulted in as they were written (callgrind cannot see that cost). A
# block given back keeps the rows it holds, so a query asked again finds them made. A pass
# has a block of its own while it runs: passes of other threads may run meanwhile (align
# calls Python back: _shift_strings), and take other blocks.
DEF _BLOCKS = 8  # the blocks kept given back (more: freed)
cdef _Row* _blocks[_BLOCKS]
cdef Py_ssize_t _block_room[_BLOCKS]  # the rows each holds room for
cdef int64_t _block_serial[_BLOCKS]  # the query whose rows it holds (QueryName.serial)
cdef int _free_blocks = 0  # blocks[:_free_blocks] are given back
cdef int64_t _serials = 0  # the query names made


cdef _Row* _take_block(int64_t serial, Py_ssize_t need, bint* made,
                       Py_ssize_t* room) except NULL:
    """A block of ``need`` rows or more for a pass (``room``: how many it holds): the one
    given back that holds query ``serial``'s rows (``made`` set), else the last given back,
    else a new one."""
    global _free_blocks
    cdef int k
    cdef _Row* block
    for k in range(_free_blocks - 1, -1, -1):
        if _block_serial[k] == serial:
            block = _blocks[k]
            room[0] = _block_room[k]
            _free_blocks -= 1
            _blocks[k] = _blocks[_free_blocks]
            _block_room[k] = _block_room[_free_blocks]
            _block_serial[k] = _block_serial[_free_blocks]
            made[0] = True
            return block
    made[0] = False
    if _free_blocks and _block_room[_free_blocks - 1] >= need:
        _free_blocks -= 1
        room[0] = _block_room[_free_blocks]
        return _blocks[_free_blocks]
    if need < 16:
        need = 16
    block = <_Row*> malloc(need * sizeof(_Row))
    if block == NULL:
        raise MemoryError()
    room[0] = need
    return block


cdef void _give_rows(_Row* block, Py_ssize_t room, int64_t serial) noexcept:
    """Give back a pass's block (``room`` rows, holding query ``serial``'s: -1 none)."""
    global _free_blocks
    if _free_blocks == _BLOCKS:
        _free_blocks -= 1
        free(_blocks[0])
        _blocks[0] = _blocks[_free_blocks]
        _block_room[0] = _block_room[_free_blocks]
        _block_serial[0] = _block_serial[_free_blocks]
    _blocks[_free_blocks] = block
    _block_room[_free_blocks] = room
    _block_serial[_free_blocks] = serial
    _free_blocks += 1


cdef class QueryName:
    """One query name as the kernel reads it (prune.NameTables.query; not the matcher's
    Query, which holds a name and other evidence): its strings (tokens, then runs of tokens)
    with their forms, its :c:type:`Name` (arrays of its own); the bound test's rows are made
    for each pass (:meth:`_rows`)."""

    cdef Strings strings
    cdef Name name
    cdef int nrows
    cdef int nshort  # rows[:nshort] are the tokens' and runs' (against list words), the
    #                  rest the long tokens' (against list runs)
    cdef int64_t serial  # which query name this is (the rows made last are whose)
    cdef double single_cut, join_cut, abjad_sim  # the rows' cuts (``cuts``)
    cdef int32_t* narrow  # one block for the Name's 32-bit arrays (words, runs, ...)
    cdef int64_t* ints  # ... and one for its others (shifts, swaps, equivalents)
    cdef int8_t* kinds
    cdef double* weights
    cdef bint syllable_keys  # its strings carry their Chinese and Korean syllable keys
    cdef object shift_forms  # makes the runs' shifts and the forms of the strings they number
    cdef int64_t* shift_at  # ... where the shifts go (the Name's span_shift)
    cdef readonly Strings shifted  # ... made when align first reads one (_shift_strings)
    cdef object error  # why they could not be made (raised by the pass that asked them)

    def __cinit__(self):
        global _serials
        self.serial = _serials
        _serials += 1
        self.nrows = 0
        self.nshort = 0
        self.narrow = NULL
        self.ints = NULL
        self.kinds = NULL
        self.weights = NULL

    def __init__(self, Strings strings, list ident, list source, list kind, tuple weight,
                 list spans,
                 list spell, list acronym_runs, list lineages, bint has_lineage,
                 double total, int64_t legal, bint has_legal, bint org, bint abjad,
                 int syllabic, int64_t script_set, bint fallback, tuple cuts,
                 bint truncatable=False, int64_t length=0, list equivalents=None,
                 bint syllable_keys=False, list shifts=None, bint bare=False,
                 list swaps=None, int restored=0, int64_t cut_at=-1, bint skeletal=False,
                 object shift_forms=None, uint64_t opened=0, uint64_t places=0,
                 bint transcribed=False):
        """``strings``: the tokens' then the runs' forms; ``source``: each legal form's
        word it was written as (:c:type:`Name`); ``spans`` (string, start, size)
        of each run; ``spell``: each token's id among the initials an acronym may spell
        (below 0: none); ``acronym_runs``: (word id of the initials, first, last token);
        ``lineages``: (son, father); ``cuts``: the single-token similarity align needs, the
        edit similarity a joined pair needs, the abjad skeleton similarity factor;
        ``truncatable``: long enough to have been cut by a field limit; ``length``: its
        characters as written; ``equivalents``: (query token, list word id) of the list
        words that are one given name with a query token (Python scores names with one);
        ``syllable_keys``: the strings' forms carry their Chinese and Korean syllable keys
        (so a query that is not written in syllables is bounded against names that are);
        ``shifts``: per run, the strings of its two words with the space one letter left,
        then right (four; -1: none); ``bare``: a Latin name written without its vowels
        (prepare.written_without_vowels); ``swaps``: per token, the first of its strings
        read with two letters swapped back and how many (similarity.swap_readings);
        ``restored``: its words written without vowels read back (prepare.restored_vowelless).
        ``cut_at``: the string its last token is read as when cut (align.cut_text; -1: the
        token's own); ``skeletal``: its one-letter words are skeletons of two-letter words
        too (prepare.letters_as_skeletons); ``shift_forms``: a function giving the shifts
        (as ``shifts``) and the forms (as ``strings`` holds them) of the strings they
        number, from 0, called when align first compares a shifted run (most queries never
        do; ``shifts`` is then not given); None: ``shifts`` number strings of ``strings``.
        ``opened``: its Arabic-script words opening with a vowel letter (bits;
        score.vowel_opened_words). ``places``: its words that name a country (bits;
        score.place_words). ``transcribed``: a foreign name written in Han characters by
        its sounds (text.scripts.transcribed).
        The bound test's rows are made by each pass (:meth:`_rows`)."""
        cdef Py_ssize_t n = len(ident), nspans = len(spans), nacr = len(acronym_runs)
        cdef Py_ssize_t nlin = len(lineages), i
        cdef Py_ssize_t nequiv = len(equivalents) if equivalents else 0
        cdef int64_t* at
        cdef int32_t* nat
        self.strings = strings
        self.syllable_keys = syllable_keys or syllabic != 0
        self.narrow = <int32_t*> malloc((4 * n + 3 * nspans + 3 * nacr + 2 * nlin + 1)
                                        * sizeof(int32_t))
        self.ints = <int64_t*> malloc((2 * n + 4 * nspans + 2 * nequiv + 1) * sizeof(int64_t))
        self.kinds = <int8_t*> malloc((n + 1) * sizeof(int8_t))
        self.weights = <double*> malloc((n + 1) * sizeof(double))
        self.single_cut = cuts[0]
        self.join_cut = cuts[1]
        self.abjad_sim = cuts[2]
        if (self.narrow == NULL or self.ints == NULL or self.kinds == NULL
                or self.weights == NULL):
            raise MemoryError()
        nat = self.narrow
        self.name.word = nat
        for i in range(n):
            nat[i] = <int32_t> i
        nat += n
        self.name.ident = nat
        for i in range(n):
            nat[i] = ident[i]
        nat += n
        self.name.source = nat
        for i in range(n):
            nat[i] = source[i]
        nat += n
        self.name.spell = nat
        for i in range(n):
            nat[i] = spell[i]
        nat += n
        self.name.span_str = nat
        self.name.span_start = nat + nspans
        self.name.span_size = nat + 2 * nspans
        nat = _narrow_columns(nat, spans, 3)
        self.name.acr_id = nat
        self.name.acr_first = nat + nacr
        self.name.acr_last = nat + 2 * nacr
        nat = _narrow_columns(nat, acronym_runs, 3)
        self.name.lin_son = nat
        self.name.lin_father = nat + nlin
        _narrow_columns(nat, lineages, 2)
        at = self.ints
        self.name.span_shift = at
        self.shift_at = at
        for i in range(4 * nspans):
            at[i] = shifts[i // 4][i % 4] if shifts else -1
        at += 4 * nspans
        self.name.swap_first = at
        self.name.swap_count = at + n
        for i in range(n):
            at[i] = swaps[i][0] if swaps else 0
            at[n + i] = swaps[i][1] if swaps else 0
        at += 2 * n
        self.name.nequiv = <int> nequiv
        self.name.equiv_token = at
        self.name.equiv_word = at + nequiv
        if nequiv:
            _columns(at, equivalents, 2)
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
        self.name.opened = opened
        self.name.places = places
        self.name.transcribed = transcribed
        self.name.bare = bare
        self.name.restored = restored
        self.name.skeletal = skeletal
        self.name.syllabic = syllabic
        self.name.script_set = script_set
        self.name.fallback = fallback
        self.name.truncatable = truncatable
        self.name.length = length
        self.name.cut_at = <int> (cut_at if cut_at >= 0 else n - 1)
        self.shift_forms = shift_forms
        self.name.shift_strs = NULL if shift_forms is not None else strings.strs
        self.name.owner = <void*> self  # the Name lives in this object: never a dangling owner
        self.name.loose = NULL
        self.name.loose_runs = NULL

    cdef _Row* _rows(self, Py_ssize_t* room) except NULL:
        """The bound test's rows (``nrows`` of them, the first ``nshort`` against list
        words) for a pass over this query's candidates, in a block of its own that the pass
        gives back (:func:`_give_rows`, ``room`` rows; made again unless the block holds
        them already). A row for each of the 62 first tokens (against list words, at the
        first cut), each run of tokens (against list words, at the second) and each of those
        tokens of 4 letters or more (against list runs, at the second)."""
        cdef Py_ssize_t n = self.name.n, bounded = n if n < 62 else 62, i, r
        cdef Str* strs = self.strings.strs
        cdef _Row* row
        cdef bint made
        cdef _Row* block = _take_block(self.serial, 2 * bounded + self.name.nspans, &made,
                                       room)
        if made:
            return block
        self.nrows = 0
        for i in range(bounded):
            row = self._row(block, &strs[i], 0, (<int64_t> 1) << i, self.single_cut)
            row.prefix = self.name.truncatable and i == n - 1
            if self.name.truncatable and i == n - 1:
                row.cut_text = &strs[self.name.cut_at]
            if self.name.swap_count[i]:
                row.swaps = &strs[self.name.swap_first[i]]
                row.nswaps = <int> self.name.swap_count[i]
                # align's mode: an abjad (1) whenever the query is in one, else by the list
                # name's script (score._abjad)
                row.latin_mode = -1 if self.name.abjad else (BARE if self.name.bare else 0)
        for r in range(self.name.nspans):
            if self.name.span_start[r] + self.name.span_size[r] <= 62:
                self._row(block, &strs[self.name.span_str[r]], 1,
                          (((<int64_t> 1) << self.name.span_size[r]) - 1)
                          << self.name.span_start[r], self.join_cut)
        self.nshort = self.nrows
        for i in range(bounded):
            if strs[i].text_len >= R.join_letters:
                self._row(block, &strs[i], 2, (<int64_t> 1) << i, self.join_cut)
        return block

    cdef _Row* _row(self, _Row* block, Str* s, int kind, int64_t bits, double cut) noexcept:
        """The next row of ``block`` (:meth:`_rows`'), for string ``s``."""
        cdef _Row* row = &block[self.nrows]
        cdef int slack = _slack(s.text_len)
        self.nrows += 1
        row.s = s
        row.kind = kind
        row.bits = bits
        row.cut = cut
        row.below_cut = nextafter(cut, -INFINITY)
        row.skel_cut = cut / self.abjad_sim
        row.edits = _edits_within(row.cut)
        row.skel_edits = _edits_within(row.skel_cut)
        row.prefix = False
        row.cut_text = s
        row.swaps = NULL
        row.nswaps = 0
        row.latin_mode = -1
        row.shortest = s.text_len - slack
        row.longest = s.text_len + slack
        _match_vectors(row.pm_text, _text(s), s.text_len)
        _match_vectors(row.pm_key, _key(s), s.key_len)
        _match_vectors(row.pm_skel, _skel(s), s.skel_len)
        return row

    def __dealloc__(self):
        free(self.narrow)
        free(self.ints)
        free(self.kinds)
        free(self.weights)


def query_lists(tuple tokens not None, tuple kinds not None, tuple sources not None,
                tuple spans not None, dict words not None, dict initials not None,
                dict codes not None, object equivalents, object given=None):
    """What :class:`QueryName` reads of a prepared query name's words, in one call
    (``prune.reference_lists`` is the rule, and the test's reference): per token its word
    id among ``words`` (-1 - its place when no list word), the id of the one word a legal
    form was written as (-1: none, or not a legal form), its kind's code (``codes``), its
    id among the ``initials`` an acronym may spell (-1: none); per run of ``spans``
    (start, size, text) its string's number (after the tokens), start and size; and (token,
    list word id) of every list word that is one given name with a token of kind name
    (``equivalents``: the given names' function; None: none looked up; ``given``: the words
    it finds any for, when known: no other word is asked). The runs an acronym may spell
    are :func:`acronym_ids`'."""
    cdef Py_ssize_t n = len(tokens), i, r
    cdef list ident = [], source = [], kind = [], spell = [], runs = [], equiv = []
    cdef object token, found, word, span
    cdef str text
    if len(kinds) != n or len(sources) != n:
        raise ValueError("a kind and a source for every token")
    for i in range(n):
        token = tokens[i]
        found = words.get(token)
        ident.append(-1 - i if found is None else found)
        text = kinds[i]
        kind.append(codes[text])
        if text == "legal" and " " not in <str> sources[i]:  # prune._one_word_form
            found = words.get(sources[i])
            source.append(-1 if found is None else found)
        else:
            source.append(-1)
        found = initials.get(token)
        spell.append(-1 if found is None else found)
        if equivalents is not None and text == "name" and (given is None or token in given):
            for word in equivalents(token):
                found = words.get(word)
                if found is not None and found >= 0:
                    equiv.append((i, found))
    for r in range(len(spans)):
        span = spans[r]
        runs.append((n + r, span[0], span[1]))
    return ident, source, kind, spell, runs, equiv


cdef bint _shift_strings(Name* q) noexcept:
    """Make query ``q``'s runs' shifts and the strings they number (QueryName's
    ``shift_forms``); False when they cannot be made (the error is kept for the pass to raise:
    :func:`_raise_kept`)."""
    cdef QueryName query
    cdef Strings shifted
    cdef Py_ssize_t i
    if q.owner == NULL:
        return False
    query = <QueryName> q.owner
    try:
        rows, forms = query.shift_forms()
        if len(rows) != q.nspans:
            raise ValueError("four shifted strings for every run")
        shifted = Strings(forms, False)
        for i in range(4 * q.nspans):
            query.shift_at[i] = rows[i // 4][i % 4]
    except BaseException as error:
        query.error = error
        return False
    query.shifted = shifted
    q.shift_strs = shifted.strs
    return True


cdef int _raise_kept(QueryName query) except -1:
    """Raise the error kept while a query's shifted strings were made (none: nothing)."""
    error = query.error
    if error is not None:
        query.error = None
        raise error
    return 0


cdef int64_t* _columns(int64_t* at, list rows, int width) except NULL:
    """Write ``rows`` (tuples of ``width`` integers) column after column from ``at``;
    returns the address after them."""
    cdef Py_ssize_t count = len(rows), r, k
    for r in range(count):
        row = rows[r]
        for k in range(width):
            at[k * count + r] = row[k]
    return at + width * count


cdef int32_t* _narrow_columns(int32_t* at, list rows, int width) except NULL:
    """:func:`_columns` into 32-bit numbers (a :c:type:`Name`'s words, runs, ...)."""
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

cdef int64_t _slip_bits(Name* q, Name* listed, int t, bint q_slips) noexcept:
    """The query tokens (bits) list token ``t`` pairs with as a legal form and a word one
    slip from it at an end of its name (align._form_slip): a list form with the query's
    first or last word, a list word at an end with a query form (``q_slips``: the query has
    one written as one word)."""
    cdef int64_t bits = 0
    cdef int i
    if listed.kind[t] == LEGAL:
        if listed.source[t] >= 0 and q.n > 1:
            if q.kind[0] != LEGAL and _form_slip(q, 0, listed, t):
                bits |= 1
            if q.kind[q.n - 1] != LEGAL and _form_slip(q, q.n - 1, listed, t):
                bits |= (<int64_t> 1) << (q.n - 1)
    elif q_slips and (t == 0 or t == listed.n - 1):
        for i in range(q.n):
            if q.kind[i] == LEGAL and _form_slip(q, i, listed, t):
                bits |= (<int64_t> 1) << i
    return bits


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


# a name's record (prune.name_records): the flags of its header's second word ...
DEF REC_LINEAGE = 1
DEF REC_ORG = 2
DEF REC_ABJAD = 4
DEF REC_FALLBACK = 8
DEF REC_SOURCES = 16  # its tokens' sources are written (else none has one)
DEF REC_LEGAL = 128  # its legal families are written (else it has none)
DEF REC_SYLLABIC_SHIFT = 5

# the sources of a record's tokens when none has one (a record with more tokens writes them)
cdef int32_t _NO_SOURCES[MAX_TOKENS]
memset(_NO_SOURCES, 0xff, sizeof(_NO_SOURCES))  # -1


cdef inline int64_t _record_bytes(const int64_t* rec) noexcept:
    """The bytes of the record at ``rec`` (prune.name_records), without the zeros that
    may follow it."""
    cdef int64_t n = rec[0] & 0xffff, runs = (rec[0] >> 16) & 0xffff
    cdef int64_t acrs = (rec[0] >> 32) & 0xffff, lins = (<uint64_t> rec[0]) >> 48
    cdef int64_t flags = rec[1] & 0xffff
    return (8 * (3 + (1 if flags & REC_LEGAL else 0) + n)
            + 4 * (n + (n if flags & REC_SOURCES else 0) + 3 * runs + 3 * acrs + 2 * lins)
            + n)


# what Kept holds of a scored pair besides its pairs and their losses (Detail's other fields)
cdef struct _KeptHead:
    double score
    double contradiction
    double omission
    uint64_t used_q
    uint64_t used_l
    int npairs
    int nq
    int nl
    int flags  # capped, legal, crossed, one word, truncated, lone variant: bits 0 to 5


cdef class Kept:
    """The alignments a pass of :meth:`Kernel.evaluate` made, by candidate, for the
    explanations of the few that become results (:meth:`explain`): aligning a result again
    to explain it cost as much as its score did. A pair's record: a :c:type:`_KeptHead`,
    then its pairs (:c:type:`Cand`) and their losses, in one buffer of the pass."""

    cdef char* buffer
    cdef Py_ssize_t used
    cdef Py_ssize_t room
    cdef int64_t* at  # per candidate, where its record starts in the buffer (-1: none)
    cdef Py_ssize_t ncand

    def __cinit__(self):
        self.buffer = NULL
        self.used = 0
        self.room = 0
        self.at = NULL
        self.ncand = 0

    def __dealloc__(self):
        free(self.buffer)
        free(self.at)

    cdef int _start(self, Py_ssize_t ncand) except -1:
        """Room for a pass over ``ncand`` candidates, none kept (what was kept is let go)."""
        cdef int64_t* at = <int64_t*> malloc((ncand + 1) * sizeof(int64_t))
        if at == NULL:
            raise MemoryError()
        free(self.at)
        self.at = at
        memset(at, 0xff, (ncand + 1) * sizeof(int64_t))  # -1: none
        self.ncand = ncand
        self.used = 0
        return 0

    cdef void _keep(self, Py_ssize_t c, double score, Detail* detail, int nq,
                    int nl) noexcept:
        """Keep candidate ``c``'s alignment and terms (nothing, silently, when memory runs
        out: its explanation is then aligned again)."""
        cdef Py_ssize_t need = (sizeof(_KeptHead)
                                + detail.npairs * (sizeof(Cand) + sizeof(double)))
        cdef Py_ssize_t room
        cdef char* grown
        cdef _KeptHead* head
        cdef char* rest
        if self.used + need > self.room:
            room = 2 * self.room if 2 * self.room >= self.used + need else self.used + need
            if room < 4096:
                room = 4096
            grown = <char*> realloc(self.buffer, room)
            if grown == NULL:
                return
            self.buffer = grown
            self.room = room
        head = <_KeptHead*> (self.buffer + self.used)
        head.score = score
        head.contradiction = detail.contradiction
        head.omission = detail.omission
        head.used_q = detail.used_q
        head.used_l = detail.used_l
        head.npairs = detail.npairs
        head.nq = nq
        head.nl = nl
        head.flags = (detail.capped | detail.legal << 1 | detail.crossed << 2
                      | detail.one_word << 3 | detail.truncated << 4
                      | detail.lone_variant << 5)
        rest = <char*> (head + 1)
        memcpy(rest, detail.pairs, detail.npairs * sizeof(Cand))
        memcpy(rest + detail.npairs * sizeof(Cand), detail.losses,
               detail.npairs * sizeof(double))
        self.at[c] = self.used
        self.used += need

    def explain(self, Py_ssize_t c):
        """Candidate ``c``'s name score with its parts, as :meth:`Kernel.explain` makes
        them, from its pass's alignment; None when the pass kept none for it (not scored
        there, or by Python)."""
        cdef Detail detail
        cdef _KeptHead* head
        cdef char* rest
        cdef int flags
        if c < 0 or c >= self.ncand or self.at[c] < 0:
            return None
        head = <_KeptHead*> (self.buffer + self.at[c])
        rest = <char*> (head + 1)
        detail.npairs = head.npairs
        memcpy(detail.pairs, rest, head.npairs * sizeof(Cand))
        memcpy(detail.losses, rest + head.npairs * sizeof(Cand), head.npairs * sizeof(double))
        detail.used_q = head.used_q
        detail.used_l = head.used_l
        detail.contradiction = head.contradiction
        detail.omission = head.omission
        flags = head.flags
        detail.capped = flags & 1
        detail.legal = (flags >> 1) & 1
        detail.crossed = (flags >> 2) & 1
        detail.one_word = (flags >> 3) & 1
        detail.truncated = (flags >> 4) & 1
        detail.lone_variant = (flags >> 5) & 1
        return _explained(head.score, &detail, head.nq, head.nl)


cdef class Kernel:
    """Every indexed name as a :c:type:`Name` (the tables of
    :class:`~discreet.match.prune.NameTables`: each name's record); :meth:`evaluate` bounds
    and scores one query name against its candidates."""

    cdef Strings words
    cdef Strings runs
    cdef object keep
    cdef object lowered  # the last lowering a pass read (held: its data stays where it is)
    cdef const double* lowered_at  # ... its data
    cdef const int64_t* records
    cdef const int64_t* record_at
    cdef int64_t stamp

    def __init__(self, Strings words, Strings runs, dict tables):
        """``tables``: numpy arrays by name (records, record_at: prune.name_records). The
        rules' numbers are the module's (R, from rules.RULES)."""
        self.words = words
        self.runs = runs
        tables = {k: np.ascontiguousarray(v) for k, v in tables.items()}
        self.keep = tables
        self.records = _ints(tables["records"])
        self.record_at = _ints(tables["record_at"])
        self.stamp = 0
        self.lowered = None
        self.lowered_at = NULL

    cdef const double* _lowering(self, object lowered) except NULL:
        """The data of ``lowered`` (a numpy array of one float64 per name, contiguous),
        checked once for the array a matcher passes with every pass, not at each pass (a
        memoryview's check: 1,400 instructions a query). Held, a numpy array's data stays
        where it is (it refuses to be resized while referenced)."""
        cdef const double[::1] view
        if lowered is not self.lowered:
            if not isinstance(lowered, np.ndarray):
                raise TypeError("the lowering is a numpy array of float64")
            view = lowered
            self.lowered_at = &view[0] if view.shape[0] else <const double*> 1
            self.lowered = lowered
        return self.lowered_at

    cdef inline const int64_t* _record(self, int64_t p) noexcept:
        return self.records + self.record_at[p]

    cdef void _name(self, int64_t p, Name* out) noexcept:
        cdef const int64_t* rec = self.records + self.record_at[p]
        cdef int64_t n = rec[0] & 0xffff, runs = (rec[0] >> 16) & 0xffff
        cdef int64_t acrs = (rec[0] >> 32) & 0xffff, lins = (<uint64_t> rec[0]) >> 48
        cdef int64_t flags = rec[1] & 0xffff
        cdef const int64_t* head = rec + 3
        cdef const int32_t* at
        if flags & REC_LEGAL:
            out.legal = rec[3]
            out.has_legal = True
            head += 1
        else:
            out.legal = 0
            out.has_legal = False
        out.weight = <const double*> head
        at = <const int32_t*> (head + n)
        out.n = <int> n
        out.strs = self.words.strs
        out.word = at
        out.ident = at
        out.spell = at
        at += n
        if flags & REC_SOURCES:
            out.source = at
            at += n
        else:
            out.source = _NO_SOURCES
        out.nspans = <int> runs
        out.span_strs = self.runs.strs
        out.span_str = at
        out.span_start = at + runs
        out.span_size = at + 2 * runs
        at += 3 * runs
        out.span_shift = NULL
        out.shift_strs = NULL
        out.owner = NULL
        out.swap_first = NULL
        out.swap_count = NULL
        out.nacr = <int> acrs
        out.acr_id = at
        out.acr_first = at + acrs
        out.acr_last = at + 2 * acrs
        at += 3 * acrs
        out.nlin = <int> lins
        out.lin_son = at
        out.lin_father = at + lins
        at += 2 * lins
        out.kind = <const int8_t*> at
        out.has_lineage = (flags & REC_LINEAGE) != 0
        out.total = (<const double*> rec)[2]
        out.org = (flags & REC_ORG) != 0
        out.abjad = (flags & REC_ABJAD) != 0
        out.opened = 0
        out.places = 0
        out.transcribed = False
        out.bare = False
        out.restored = 0
        out.skeletal = False
        out.syllabic = <int> ((flags >> REC_SYLLABIC_SHIFT) & 3)
        out.script_set = (rec[1] >> 16) & 0xffff
        out.fallback = (flags & REC_FALLBACK) != 0
        out.length = (<uint64_t> rec[1]) >> 32
        out.truncatable = False
        out.cut_at = -1
        out.nequiv = 0
        out.loose = NULL
        out.loose_runs = NULL

    def evaluate(self, QueryName query, list positions, double floor, object lowering,
                 Kept kept=None, bint ask_syllables=False):
        """The loose bound of every candidate (at ``positions``), the name score of each
        whose bound, lowered by its ``lowering`` entry, reaches ``floor`` (else -1; NaN:
        Python must score it), and for each the first candidate whose name reads as its in
        every table the kernel reads (itself if none: :func:`_same_name`; the two share a
        bound, a score and an alignment).

        The bound: which query tokens each list token (and run of list tokens) may pair
        with by the query's rows' test; the score with only the tokens nothing pairs with
        unmatched and every other paired at no loss. An organisation's acronym may pair
        with a run of the other name's words, so a candidate is not bounded (1.0) when the
        query or it is an organisation and one name spells the initials of a run of the
        other's words (:func:`_spells`).

        ``kept`` (if given) receives the alignment of every candidate the pass scores, for
        its explanation (:meth:`Kept.explain`). ``ask_syllables``: None, and nothing done,
        when the query's strings lack their syllable keys and a candidate is written in
        Chinese characters or Hangul (the caller makes the query with them and asks again:
        else those candidates are Python's to score); the records are read here as the
        pass reads them (:meth:`syllabic_among` read them first in a call of its own).
        """
        cdef Py_ssize_t ncand = len(positions), r
        cdef const double* lowered = self._lowering(lowering)
        if kept is not None:
            kept._start(ncand)
        cdef double* out = <double*> malloc((2 * ncand + 1) * sizeof(double))
        cdef double* out_scores = out + ncand
        cdef Py_ssize_t mask = 1, twin, slot
        cdef int64_t* memo
        cdef int64_t* memo_at
        cdef int64_t* twin_of  # per candidate, the first of the names read as its
        cdef bint look_alike = ncand <= _TWINS_UP_TO
        while look_alike and mask < 2 * ncand:
            mask <<= 1
        memo = <int64_t*> malloc((mask + 2 * ncand + 1) * sizeof(int64_t))
        if memo == NULL:
            free(out)
            raise MemoryError()
        memset(memo, 0xff, mask * sizeof(int64_t))  # -1: none
        memo_at = memo + mask
        twin_of = memo_at + ncand
        mask -= 1
        for c in range(ncand):
            memo_at[c] = positions[c]
        if ncand <= _PREFETCH_UP_TO:
            self._prefetch(memo_at, ncand)
        if ask_syllables and not query.syllable_keys:
            for c in range(ncand):
                if (self._record(memo_at[c])[1] >> REC_SYLLABIC_SHIFT) & 3:
                    free(out)
                    free(memo)
                    return None
        cdef Name* q = &query.name
        cdef Name listed
        cdef int64_t stamp, p, t, w, run, bits, matched, j
        cdef double left_l, kinds_l, left_q, kinds_q, raw, longest, omission
        cdef int i, k, script
        cdef bint any_long = False, crossed, own, persons
        cdef unsigned char joined[MAX_TOKENS]
        cdef int64_t pairable[MAX_TOKENS]  # per list token, its bits (Name.loose)
        cdef int64_t run_bits[2 * MAX_TOKENS]  # per list run, its bits (Name.loose_runs)
        cdef bint runs_known
        cdef Strings words = self.words, runs = self.runs
        cdef Py_ssize_t room = 0
        cdef _Row* rows = query._rows(&room)  # (its rows, this pass's: given back after it)
        cdef int nrows = query.nrows, nshort = query.nshort, nlong = nrows - nshort
        cdef _Row* long_rows = rows + nshort
        cdef bint spelling = _may_spell(q)
        cdef bint kunya = _kunya_query(q)
        cdef bint q_forms = False  # a query legal form written as one word
        cdef Detail detail
        cdef double scored
        cdef bint q_slips = False  # ... and one whose word the query's own strings hold
        if out == NULL:
            _give_rows(rows, room, query.serial)
            raise MemoryError()
        for i in range(q.n):
            if q.kind[i] == LEGAL and q.source[i] >= 0:
                q_forms = True
            if q.kind[i] == LEGAL and q.source[i] != -1:
                q_slips = True
        any_long = nlong > 0
        self.stamp += 1
        stamp = self.stamp
        for k in range(q.nequiv):
            # a list word that is one given name with a query token (a nickname: align's
            # rule) may pair with it: its bits for this query, set before any candidate
            w = q.equiv_word[k]
            if words.marks[w].stamp != stamp:
                words.marks[w].stamp = stamp
                words.marks[w].loose = _bits(rows, nshort, &words.strs[w], q.syllabic)
            if q.equiv_token[k] < 62:
                words.marks[w].loose |= (<int64_t> 1) << q.equiv_token[k]
        for c in range(ncand):
            p = memo_at[c]
            out_scores[c] = -1.0
            twin = c
            if look_alike:
                slot = _twin_slot(self, memo, mask, memo_at, p, c)
                twin = memo[slot]
            twin_of[c] = twin
            if twin != c:
                # a name written as an earlier candidate's: its bound and score (unless that
                # one was not scored and this one must be: it is scored, and stands for both)
                if out_scores[twin] != -1.0 or out[twin] + lowered[p] < floor:
                    out[c] = out[twin]
                    if out[c] + lowered[p] >= floor:
                        out_scores[c] = out_scores[twin]
                    continue
                memo[slot] = c
            self._name(p, &listed)
            # a name in syllables against any other: align pairs their words as syllables
            # only (similarity.syllable_similarity, in the query's script if it has one),
            # which the rows' cached bits (of the tokens' other tests) do not say
            crossed = listed.syllabic != 0 or q.syllabic != 0
            script = q.syllabic if q.syllabic else listed.syllabic
            # each string's bits are the query's own (kept for its other candidates), but
            # where only this candidate is compared as syllables (a romanised query against a
            # name in syllables)
            own = script == q.syllabic
            if q.n > 62 or listed.n > MAX_TOKENS or (crossed and not query.syllable_keys):
                # too many words to tell apart; or syllables the query's rows do not test
                out[c] = 1.0
                out_scores[c] = _name_score(q, &listed, NULL) \
                    if 1.0 + lowered[p] >= floor else -1.0
                continue
            memset(joined, 0, MAX_TOKENS)
            matched = 0
            persons = not (q.org or listed.org)
            runs_known = any_long and listed.nspans <= 2 * MAX_TOKENS
            if any_long:
                for t in range(listed.nspans):
                    run = listed.span_str[t]
                    if not own:
                        bits = _bits(long_rows, nlong, &runs.strs[run], script)
                    else:
                        if runs.marks[run].stamp != stamp:
                            runs.marks[run].stamp = stamp
                            runs.marks[run].loose = _bits(long_rows, nlong, &runs.strs[run],
                                                          script)
                        bits = runs.marks[run].loose
                    if runs_known:
                        run_bits[t] = bits
                    if bits:
                        matched |= bits
                        for j in range(listed.span_start[t],
                                       listed.span_start[t] + listed.span_size[t]):
                            joined[j] = 1
            left_l = 0.0
            kinds_l = 0.0
            for t in range(listed.n):
                w = listed.word[t]
                if not own:
                    bits = _bits(rows, nshort, &words.strs[w], script)
                else:
                    if words.marks[w].stamp != stamp:
                        words.marks[w].stamp = stamp
                        words.marks[w].loose = _bits(rows, nshort, &words.strs[w], script)
                    bits = words.marks[w].loose
                if q_slips or listed.kind[t] == LEGAL:  # (q_slips: q_forms or more)
                    if q_forms or listed.kind[t] == LEGAL:
                        bits |= _by_source(q, listed.kind[t], w, listed.source[t])
                    if not persons:
                        # a legal form against a word one slip from it at an end of its
                        # name (align._form_slip)
                        bits |= _slip_bits(q, &listed, t, q_slips)
                if q.org and listed.kind[t] == LEGAL and listed.source[t] >= 0:
                    # a letter alone of the query: the form without its vowels ("O": OOO)
                    for i in range(q.n):
                        if q.kind[i] == INITIAL and _form_initial(
                                &q.strs[q.word[i]], &words.strs[listed.source[t]]):
                            bits |= (<int64_t> 1) << i
                if (q.truncatable and listed.kind[t] == LEGAL and listed.source[t] >= 0
                        and q.n <= 62 and _prefix_of(&q.strs[q.word[q.n - 1]],
                                                     &words.strs[listed.source[t]])):
                    bits |= (<int64_t> 1) << (q.n - 1)
                pairable[t] = bits
                if bits:
                    matched |= bits
                elif not joined[t] and not (persons and _before_name(&listed, t)):
                    left_l += listed.weight[t]
                    kinds_l += R.unmatched[listed.kind[t]]
            left_q = 0.0
            kinds_q = 0.0
            for i in range(q.n):
                if not (matched >> i) & 1 and not (persons and _before_name(q, i)):
                    left_q += q.weight[i]
                    kinds_q += R.unmatched[q.kind[i]]
            if q.truncatable and (listed.length > q.length or (matched >> (q.n - 1)) & 1):
                # every unmatched list word may be cut off (against a shorter list name
                # when the last query word may pair as cut: score._truncated_tail)
                left_l *= R.truncated_tail
            elif kunya:
                left_l *= R.kunya_share  # the list name may hold the kunya (_kunya_named)
            longest = q.total if q.total > listed.total else listed.total
            if longest < R.min_total:
                longest = R.min_total
            omission = 0.0 if (q.has_lineage and listed.has_lineage) else fabs(left_q - left_l)
            raw = 1.0 - (R.contradiction * (left_q if left_q < left_l else left_l)
                         + R.omission * omission) / longest
            raw -= R.contradiction_abs * (kinds_q if kinds_q < kinds_l else kinds_l)
            if q.has_legal and listed.legal != 0 and (listed.legal & q.legal) == 0:
                raw -= R.legal_conflict
            out[c] = 0.0 if raw < 0.0 else (1.0 if raw > 1.0 else raw)
            if spelling and (q.org or listed.org) and _spells(&listed, q):
                out[c] = 1.0
            if q.transcribed:
                out[c] = 1.0  # its words' readings pair as transcriptions, which no row tests
            if out[c] + lowered[p] >= floor:
                listed.loose = pairable  # the pairs the bits rule out are not compared
                listed.loose_runs = run_bits if runs_known else NULL
                if kept is None:
                    out_scores[c] = _name_score(q, &listed, NULL)
                else:
                    scored = out_scores[c] = _name_score(q, &listed, &detail)
                    if scored == scored:  # (NaN: Python's, nothing kept)
                        kept._keep(c, scored, &detail, q.n, listed.n)
        _give_rows(rows, room, query.serial)
        # (lists of their size at once: no list grown item by item)
        cdef object item
        bounds = PyList_New(ncand)
        scores = PyList_New(ncand)
        twins = PyList_New(ncand)
        for c in range(ncand):
            item = out[c]
            Py_INCREF(item)
            PyList_SET_ITEM(bounds, c, item)
            item = out_scores[c]
            Py_INCREF(item)
            PyList_SET_ITEM(scores, c, item)
            item = twin_of[c]
            Py_INCREF(item)
            PyList_SET_ITEM(twins, c, item)
        free(out)
        free(memo)
        _raise_kept(query)
        return bounds, scores, twins

    cdef void _prefetch(self, const int64_t* at, Py_ssize_t count) noexcept:
        """Ask for the records the pass reads of the names at ``at`` before it reads them: in
        an index of a million names each is a cache miss, and asked together they are
        fetched at once rather than one after the other. First where each record begins
        (and the next, where it ends), then each record's cache lines (most records are
        one or two; at most four asked)."""
        cdef Py_ssize_t c
        cdef const char* line
        cdef const char* last
        cdef int64_t p
        for c in range(count):
            _prune_prefetch(&self.record_at[at[c]])
        for c in range(count):
            p = at[c]
            line = <const char*> (self.records + self.record_at[p])
            last = <const char*> (self.records + self.record_at[p + 1]) - 1
            if last > line + 192:
                last = line + 192
            while True:
                _prune_prefetch(line)
                if (<size_t> line) // 64 >= (<size_t> last) // 64:
                    break
                line += 64

    def syllabic_among(self, list positions):
        """Whether a name at ``positions`` is written in Chinese characters or Hangul (read
        in the records the bounds read, not through an array made per query). The records
        are asked for together first (:meth:`_prefetch`): a name's record is a cache miss in
        a large index, and read one after the other here the misses were paid in a row (3%
        of a new query's time); so fetched, the pass (:meth:`evaluate`) finds them in the
        cache too."""
        cdef Py_ssize_t c, count = len(positions)
        cdef int64_t* at
        cdef bint found = False
        if count == 0:
            return False
        at = <int64_t*> malloc(count * sizeof(int64_t))
        if at == NULL:
            raise MemoryError()
        try:
            for c in range(count):
                at[c] = <int64_t> positions[c]
            self._prefetch(at, count)
            for c in range(count):
                if (self._record(at[c])[1] >> REC_SYLLABIC_SHIFT) & 3:
                    found = True
                    break
        finally:
            free(at)
        return found

    def score(self, QueryName query, int64_t p):
        """The name score of the query against name ``p`` (NaN: Python must score it)."""
        cdef Name listed
        self._name(p, &listed)
        score = _name_score(&query.name, &listed, NULL)
        _raise_kept(query)
        return score

    def explain(self, QueryName query, int64_t p):
        """The name score of the query against name ``p`` with its parts, as
        :class:`~discreet.match.score.NameScore` holds them: (score, pairs (query tokens,
        list tokens, similarity, method), unmatched query tokens, unmatched list tokens,
        losses, contradiction, omission, capped, legal conflict, lineage crossed, one
        word, truncated, lone variant); None when Python must score the pair."""
        cdef Name listed
        cdef Detail detail
        self._name(p, &listed)
        score = _name_score(&query.name, &listed, &detail)
        _raise_kept(query)
        if score != score:  # NaN
            return None
        return _explained(score, &detail, query.name.n, listed.n)


cdef tuple _explained(double score, Detail* detail, int nq, int nl):
    """A name score's parts as :meth:`Kernel.explain` gives them (``nq``, ``nl``: the
    query's and the list name's tokens)."""
    cdef Cand* pair
    cdef int k
    pairs = []
    for k in range(detail.npairs):
        pair = &detail.pairs[k]
        pairs.append((_numbers_from(pair.q_first, pair.q_last),
                      (pair.l_first, pair.l_last) if pair.l_ends
                      else _numbers_from(pair.l_first, pair.l_last), pair.sim,
                      METHODS[pair.method]))
    return (score, pairs, _unused(detail.used_q, nq), _unused(detail.used_l, nl),
            tuple([detail.losses[k] for k in range(detail.npairs)]),
            detail.contradiction, detail.omission, detail.capped, detail.legal,
            detail.crossed, detail.one_word, detail.truncated, detail.lone_variant)


cdef tuple _numbers_from(int first, int last):
    """(first, ..., last): a pair's tokens as :class:`~discreet.match.align.Pair` holds them
    (built here, not through range and a generator: explain runs for every result)."""
    return tuple([i for i in range(first, last + 1)])


cdef tuple _unused(uint64_t used, int n):
    """The tokens, of ``n``, whose bit in ``used`` is not set (of 64 at most)."""
    return tuple([i for i in range(n) if not (used >> i) & 1])


# names read alike are looked for among at most this many candidates: a query's own pass
# holds ~40 (at most 1,000 in a small index); past this the look-up's table (16 bytes a
# candidate) leaves the cache and costs more than the scores it saves (an exhaustive pass
# over a million names: twice the pass)
cdef Py_ssize_t _TWINS_UP_TO = 1 << 16
# the candidates whose table entries are asked for before the pass (Kernel._prefetch): a
# query's pass holds ~40; thousands would be evicted again before the pass reached them
cdef Py_ssize_t _PREFETCH_UP_TO = 1024


cdef Py_ssize_t _twin_slot(Kernel kernel, int64_t* memo, Py_ssize_t mask, const int64_t* at,
                          int64_t p, Py_ssize_t c) noexcept:
    """The slot of the earlier candidate (an index among this pass's) whose name reads as
    name ``p`` in every table the kernel reads (:func:`_same_name`: its bound and score are
    this one's), else the slot candidate ``c`` now holds for the name: a table of ``mask +
    1`` slots of candidates' indices (-1: empty), open addressing by the name's words;
    ``at``: the candidates' names."""
    cdef Py_ssize_t slot = <Py_ssize_t> (_name_hash(kernel, p) & <uint64_t> mask)
    while memo[slot] >= 0:
        if _same_name(kernel, at[memo[slot]], p):
            return slot
        slot = (slot + 1) & mask
    memo[slot] = c
    return slot


cdef inline uint64_t _name_hash(Kernel kernel, int64_t p) noexcept:
    """A hash of name ``p``'s words and length (names that hash alike are compared)."""
    cdef const int64_t* rec = kernel._record(p)
    cdef uint64_t h = (<uint64_t> 0x4bf29ce484222325) ^ (<uint64_t> rec[1] >> 32)
    cdef int64_t t, n = rec[0] & 0xffff
    cdef const int32_t* words = <const int32_t*> (
        rec + 3 + (1 if rec[1] & REC_LEGAL else 0) + n)
    for t in range(n):
        h = (h ^ <uint64_t> words[t]) * (<uint64_t> 0x100000001b3)
    return h


cdef bint _same_name(Kernel k, int64_t a, int64_t b) noexcept:
    """Names ``a`` and ``b`` are the same in every table the kernel reads of a name (so
    every bound and score of theirs is the same): their records are alike."""
    cdef const int64_t* x
    cdef const int64_t* y
    if a == b:
        return True
    x = k._record(a)
    y = k._record(b)
    if x[0] != y[0] or x[1] != y[1]:
        return False
    return memcmp(x + 2, y + 2, _record_bytes(x) - 2 * sizeof(int64_t)) == 0


cdef inline bint _spelling_word(Name* q, int i) noexcept:
    """Query token ``i`` has 3 to 6 letters and is the initials of some list name's run."""
    cdef int n = q.strs[q.word[i]].text_len
    return q.spell[i] >= 0 and R.acronym_min <= n <= R.acronym_max


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


cdef bint _spells(Name* listed, Name* q) noexcept:
    """List name ``listed`` has a word the initials of a run of the query's words spell, or
    a run whose initials a word of the query (3 to 6 letters) is."""
    cdef int t, a
    for t in range(listed.n):
        for a in range(q.nacr):
            if q.acr_id[a] >= 0 and listed.word[t] == q.acr_id[a]:
                return True
    for t in range(listed.nacr):
        for a in range(q.n):
            if _spelling_word(q, a) and listed.acr_id[t] == q.spell[a]:
                return True
    return False


cdef bint _before_name(Name* name, int t) noexcept:
    """Token ``t`` is a particle before a name word (through particles): left over with
    that word in a person's name it costs nothing (score._with_their_word), so the bound,
    which does not know what the alignment leaves over, counts it nothing there."""
    cdef int j
    if name.kind[t] != PARTICLE:
        return False
    j = t + 1
    while j < name.n and name.kind[j] == PARTICLE:
        j += 1
    return j < name.n and name.kind[j] == NAME
