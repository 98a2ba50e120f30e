# The kernel's part: included by _kernel.pyx (one compilation unit, one module).
# Strings and their forms: what the token similarity reads of a token, as
# prune.string_forms (and prune._Vocabulary.strings) prepare it.

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
    # its other readings (th, dh, sh, kh, gh two letters), spaces between; mostly none
    const unsigned char* others
    int others_len
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
    Str* once  # the text with each run of a letter written once (NULL: the same, or not
    #            letters only): a string of the same table
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
        syllable key, Korean syllable key, vowel skeleton, the abjad skeleton's other
        readings, the forms of the text with each run of a letter written once or None),
        the strings as ASCII bytes; the forms written once are strings of their own after
        the others. ``stamps``: keep per-query results of the bound's test (a vocabulary of
        list strings; a query's own strings need none).

        A large vocabulary is given packed instead (:meth:`packed`): a bytes object per
        string and form costs some fifty bytes of object header each."""
        cdef Py_ssize_t n = len(forms), s, extra = n
        every = list(forms) + [form[11] for form in forms if form[11] is not None]
        self.keep = every
        self._allocate(len(every), stamps)
        for s in range(self.count):
            _set_forms(&self.strs[s], every[s])
        for s in range(n):
            if forms[s][11] is not None:
                self.strs[s].once = &self.strs[extra]
                extra += 1

    @staticmethod
    def packed(tuple forms, const int64_t[:] stem_at, const int64_t[:] stem_cut,
               const unsigned char[:] flags, const int64_t[:] once):
        """A vocabulary from its forms packed: ``forms`` seven (buffer, offsets) pairs, in the
        order text, phonetic key, east-Slavic key, consonants, abjad skeleton, Chinese
        key, Korean key, then the Baltic stems' keys, then the vowel skeletons (a ninth
        pair) and the abjad skeletons' other readings (a tenth); ``stem_at``: where each
        string's stems begin among them; ``stem_cut``: the letters each stem's ending takes
        off; ``once``: the string that is each one with each run of a letter written once
        (-1: none)."""
        cdef Strings out = Strings.__new__(Strings)
        cdef Py_ssize_t s, k, f, first
        cdef const unsigned char[:] buf
        cdef const int64_t[:] at
        cdef Str* str_
        out.keep = (forms, stem_at, stem_cut, flags, once)
        out._allocate(len(flags), True)
        for f, slot in enumerate((0, 1, 2, 3, 4, 7, 8)):
            buf = forms[f][0]
            at = forms[f][1]
            for s in range(out.count):
                _set_slot(&out.strs[s], slot, &buf[at[s]] if at[s + 1] > at[s] else NULL,
                          <int> (at[s + 1] - at[s]))
        for f, slot in ((8, 9), (9, 10)):
            buf = forms[f][0]
            at = forms[f][1]
            for s in range(out.count):
                _set_slot(&out.strs[s], slot, &buf[at[s]] if at[s + 1] > at[s] else NULL,
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
            if once[s] >= 0:
                str_.once = &out.strs[once[s]]
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


cdef void _set_forms(Str* out, tuple form) except *:
    """A string's forms (a tuple of :func:`discreet.match.prune.string_forms`)."""
    cdef Py_ssize_t f, k
    cdef bytes text
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
    for f in (7, 8, 9, 10):
        text = form[f]
        _set_slot(out, f, <const unsigned char*> text, len(text))
    _set_flags(out, form[6])


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
    consonants, 4 abjad skeleton, 7 Chinese key, 8 Korean key, 9 vowel skeleton, 10 the
    abjad skeleton's other readings."""
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
    elif slot == 10:
        at, length = &s.others, &s.others_len
    else:
        at, length = &s.ko, &s.ko_len
    at[0] = data
    length[0] = n


cdef inline int _reading(Str* s, int* at, const unsigned char** out) noexcept:
    """The abjad skeleton readings of ``s`` in turn: its skeleton (``at`` below 0), then
    its other readings (prune.string_forms) from offset ``at``, which moves past it; the
    reading's length (0: none left)."""
    cdef int start = at[0], end
    if start < 0:
        at[0] = 0
        out[0] = s.skel
        return s.skel_len
    if start >= s.others_len:
        return 0
    end = start
    while end < s.others_len and s.others[end] != 32:  # a space between two readings
        end += 1
    out[0] = s.others + start
    at[0] = end + 1
    return end - start
