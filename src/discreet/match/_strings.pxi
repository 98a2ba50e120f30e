# The kernel's part: included by _kernel.pyx (one compilation unit, one module).
# Strings and their forms: what the token similarity reads of a token, as
# prune.string_forms (and prune._Vocabulary.strings) prepare it.
#
# A table of strings is one block of memory that holds no address: each string's forms
# are found from the string's own place (:c:type:`Str`'s offsets), so the block reads the
# same wherever it lies. An index's tables are made once, when it is built, and written
# with it; every process that opens the index maps the same file (the operating system's
# pages, shared), instead of filling a table of its own (hundreds of megabytes a process at
# a million names).

DEF NEAR = 35  # a Str's own room for forms: 192 bytes, three cache lines, in all


cdef struct Str:
    # Laid out by what the bound's test (prune's _pairs) reads of a list string: its
    # first cache line the masks, offsets and lengths every test reads, its second the
    # flags and the first-read forms (_near); its third what later rules read
    uint64_t text_mask
    uint64_t key_mask
    # where each form begins, in bytes from this struct's own address
    int64_t text_at
    int64_t key_at  # phonetic key
    int64_t eskey_at  # the key Russian, Belarusian, Ukrainian spellings share
    int32_t text_len
    int32_t key_len
    int32_t eskey_len
    int32_t skel_len
    int32_t vskel_len
    int32_t others_len
    # the text with each run of a letter written once, as a string of the same table: this
    # many strings on (0: the same text, or not letters only)
    int32_t once
    unsigned char alpha
    unsigned char digit
    unsigned char vowelless
    unsigned char latin_vowelless  # two letters or more, no a-e-i-o-u after the first
    unsigned char key_is_text  # the phonetic key is the text itself
    # the forms the bound's test reads first, copied here where they fit (_near): the
    # struct's second cache line holds them, not a line of a column each
    unsigned char nearby[NEAR]
    int32_t cons_len
    int32_t zh_len
    int32_t ko_len
    int32_t nstems  # the Baltic endings the text ends with
    # the number of the one given name the text writes (text.given_names.given_class; 0:
    # none known, or a word of several): two strings of two numbers are two names
    int32_t given
    uint64_t skel_mask
    int64_t cons_at  # consonants
    int64_t skel_at  # abjad skeleton
    # its other readings (th, dh, sh, kh, gh two letters), spaces between; mostly none
    int64_t others_at
    int64_t zh_at  # the key of the pinyin and Wade-Giles spellings of a syllable
    int64_t ko_at  # the key of the Korean romanisations of a syllable
    int64_t vskel_at  # the first letter and the later letters but vowels and y
    int64_t stems_at  # its Baltic stems (:c:type:`Stem`), from this struct's address


cdef struct _Mark:  # Strings.marks
    int64_t stamp
    int64_t loose


cdef struct Stem:
    int64_t key_at  # the key of the rest, in bytes from this struct's own address
    int32_t cut  # the letters the ending takes off
    int32_t key_len


# a table's forms: its text, phonetic key, east-Slavic key, consonants, abjad skeleton,
# Chinese key, Korean key, vowel skeleton, the skeleton's other readings
DEF FORMS = 9
DEF HEAD = 64  # a table block's header: what it is, the layout's sizes, its strings
DEF MAGIC = 0x3353474e49525453  # "STRINGS3", little-endian (2: forms near their Str; 3:
#                                   the fields every test reads on the Str's first line)
# where each form (the order of FORMS) is in a string's forms (prune.string_forms)
cdef int _FORM_AT[FORMS]
_FORM_AT[:] = [0, 1, 2, 3, 4, 7, 8, 9, 10]


# the forms copied into a Str's own room, in turn while they fit (the order of FORMS: text,
# phonetic key, abjad skeleton, vowel skeleton, east-Slavic key, consonants)
cdef int _NEAR_FORMS[6]
_NEAR_FORMS[:] = [0, 1, 4, 7, 2, 3]


cdef inline const unsigned char* _at(const Str* s, int64_t offset) noexcept:
    return (<const unsigned char*> s) + offset


cdef inline const unsigned char* _text(const Str* s) noexcept:
    return _at(s, s.text_at)


cdef inline const unsigned char* _key(const Str* s) noexcept:
    return _at(s, s.key_at)


cdef inline const unsigned char* _eskey(const Str* s) noexcept:
    return _at(s, s.eskey_at)


cdef inline const unsigned char* _cons(const Str* s) noexcept:
    return _at(s, s.cons_at)


cdef inline const unsigned char* _skel(const Str* s) noexcept:
    return _at(s, s.skel_at)


cdef inline const unsigned char* _others(const Str* s) noexcept:
    return _at(s, s.others_at)


cdef inline const unsigned char* _zh(const Str* s) noexcept:
    return _at(s, s.zh_at)


cdef inline const unsigned char* _ko(const Str* s) noexcept:
    return _at(s, s.ko_at)


cdef inline const unsigned char* _vskel(const Str* s) noexcept:
    return _at(s, s.vskel_at)


cdef inline Stem* _stem(Str* s, int k) noexcept:
    return (<Stem*> ((<unsigned char*> s) + s.stems_at)) + k


cdef inline const unsigned char* _stem_key(Str* s, int k) noexcept:
    cdef Stem* stem = _stem(s, k)
    return (<const unsigned char*> stem) + stem.key_at


cdef inline Str* _written_once(Str* s) noexcept:
    """The string with each run of a letter written once (``s`` itself when that is the
    same text, or not letters only)."""
    return s + s.once


cdef inline int64_t* _form_at(Str* s, int f) noexcept:
    """Where form ``f`` (the order of FORMS) of ``s`` begins, and its length after it."""
    if f == 0:
        return &s.text_at
    if f == 1:
        return &s.key_at
    if f == 2:
        return &s.eskey_at
    if f == 3:
        return &s.cons_at
    if f == 4:
        return &s.skel_at
    if f == 5:
        return &s.zh_at
    if f == 6:
        return &s.ko_at
    if f == 7:
        return &s.vskel_at
    return &s.others_at


cdef inline int32_t* _form_len(Str* s, int f) noexcept:
    if f == 0:
        return &s.text_len
    if f == 1:
        return &s.key_len
    if f == 2:
        return &s.eskey_len
    if f == 3:
        return &s.cons_len
    if f == 4:
        return &s.skel_len
    if f == 5:
        return &s.zh_len
    if f == 6:
        return &s.ko_len
    if f == 7:
        return &s.vskel_len
    return &s.others_len


cdef inline void _place(Str* s, int f, const unsigned char* data, Py_ssize_t n) noexcept:
    """Form ``f`` of ``s`` lies at ``data`` (in the same block), ``n`` bytes."""
    _form_at(s, f)[0] = <int64_t> (data - <const unsigned char*> s)
    _form_len(s, f)[0] = <int32_t> n


cdef void _near(Str* s) noexcept:
    """Copy ``s``'s first-read forms into its own room, where they fit, and point it at them
    (offsets from the struct, as every form's: the readers do not change)."""
    cdef int room = NEAR, k, f
    cdef int32_t n
    cdef unsigned char* to = s.nearby
    for k in range(6):
        f = _NEAR_FORMS[k]
        n = _form_len(s, f)[0]
        if 0 < n <= room:
            memmove(to, _at(s, _form_at(s, f)[0]), n)
            _place(s, f, to, n)
            to += n
            room -= n


cdef void _set_flags(Str* out, int flags) noexcept:
    out.alpha = flags & 1
    out.digit = (flags >> 1) & 1
    out.vowelless = (flags >> 2) & 1
    out.latin_vowelless = (flags >> 3) & 1
    out.key_is_text = _same(_key(out), out.key_len, _text(out), out.text_len)
    out.text_mask = _mask(_text(out), out.text_len)
    out.key_mask = _mask(_key(out), out.key_len)
    out.skel_mask = _mask(_skel(out), out.skel_len)


cdef inline int32_t _given_in(dict numbers, bytes text) except -1:
    """text.given_names.given_class of a string (``numbers``: given_classes_ascii()), read
    once, when its table is made."""
    found = numbers.get(text)
    return 0 if found is None else <int32_t> found


cdef class Strings:
    """Strings with their forms (:func:`discreet.match.prune.string_forms` of each), for
    the kernel, in one block (:func:`string_table`'s, or one of its own); also each
    string's per-query result of the bound's test."""

    cdef Str* strs
    cdef Py_ssize_t count
    cdef void* own  # the block, when this object made it (else: ``keep``'s memory)
    cdef object keep  # the table the block is (an array, mapped from a file or not)
    # per string, side by side (one cache line, not two in arrays of their own): the
    # query that last asked it (stamp), and that query's bits that may pair with it
    cdef _Mark* marks
    cdef object marks_keep  # ... the array they lie in

    def __cinit__(self):
        self.strs = NULL
        self.own = NULL

    def __init__(self, list forms, bint stamps=True):
        """``forms``: per string (text, phonetic key, east-Slavic key, consonants, abjad
        skeleton, Baltic stems ((letters cut, key of the rest), ...), flags (bit 0: letters
        only, 1: digits only, 2: vowel-less, 3: no vowel after the first letter), Chinese
        syllable key, Korean syllable key, vowel skeleton, the abjad skeleton's other
        readings, the forms of the text with each run of a letter written once or None),
        the strings as ASCII bytes; the forms written once are strings of their own after
        the others. ``stamps``: keep per-query results of the bound's test (a vocabulary of
        list strings; a query's own strings need none).

        A vocabulary is given as a table instead (:meth:`table`)."""
        cdef Py_ssize_t n = len(forms), total, s, nstems = 0, size = 0, extra = n, length
        cdef int k, count
        cdef Str* str_
        cdef Stem* stem
        cdef unsigned char* cursor
        cdef bytes text
        cdef tuple form, stems
        cdef dict numbers
        every = list(forms)
        for s in range(n):
            once = (<tuple> forms[s])[11]
            if once is not None:
                every.append(once)
        total = len(every)
        for s in range(total):
            form = every[s]
            for k in range(FORMS):
                size += len(<bytes> form[_FORM_AT[k]])
            stems = form[5]
            count = len(stems) if len(stems) < STEMS else STEMS
            for k in range(count):
                size += len(<bytes> (<tuple> stems[k])[1])
            nstems += count
        cursor = self._allocate(total, nstems, size, stamps)
        numbers = given_classes_ascii()
        stem = <Stem*> (self.strs + total)
        for s in range(total):
            form = every[s]
            str_ = &self.strs[s]
            for k in range(FORMS):
                text = form[_FORM_AT[k]]
                length = len(text)
                _place(str_, k, cursor, length)
                memcpy(cursor, <const unsigned char*> text, length)
                cursor += length
            stems = form[5]
            str_.nstems = len(stems) if len(stems) < STEMS else STEMS
            str_.stems_at = <int64_t> ((<unsigned char*> stem) - (<unsigned char*> str_))
            for k in range(str_.nstems):
                text = (<tuple> stems[k])[1]
                length = len(text)
                stem.cut = (<tuple> stems[k])[0]
                stem.key_at = <int64_t> (cursor - (<unsigned char*> stem))
                stem.key_len = <int32_t> length
                memcpy(cursor, <const unsigned char*> text, length)
                cursor += length
                stem += 1
            _set_flags(str_, form[6])
            str_.given = _given_in(numbers, form[0])
            _near(str_)
        for s in range(n):
            if (<tuple> forms[s])[11] is not None:
                self.strs[s].once = <int32_t> (extra - s)
                extra += 1

    @staticmethod
    def packed(tuple forms, const int64_t[:] stem_at, const int64_t[:] stem_cut,
               const unsigned char[:] flags, const int64_t[:] once):
        """A vocabulary from its forms packed (:func:`string_table`'s arguments)."""
        return Strings.table(string_table(forms, stem_at, stem_cut, flags, once))

    @staticmethod
    def table(table, bint stamps=True):
        """The strings of a table :func:`string_table` made (read where it lies: a file
        mapped is read, never copied, unless it lies where a struct cannot)."""
        cdef Strings out = Strings.__new__(Strings)
        cdef const unsigned char[:] block = table
        cdef const int64_t* head
        if len(block) >= HEAD and (<size_t> &block[0]) % 8:
            table = np.array(table, np.uint8)  # an array of its own is aligned
            block = table
        if len(block) < HEAD:
            raise ValueError("not a table of strings")
        head = <const int64_t*> &block[0]
        if head[0] != MAGIC or head[1] != sizeof(Str) \
                or head[2] != sizeof(Stem) or HEAD + head[3] * sizeof(Str) > len(block):
            raise ValueError("not a table of strings of this kernel's layout")
        out.keep = table
        out.count = head[3]
        out.strs = <Str*> &block[HEAD]
        if stamps:
            out._marks(out.count)
        return out

    cdef void _marks(self, Py_ssize_t count):
        """Per-query marks for ``count`` strings, none asked yet (stamp 0: a kernel's
        queries are stamped from 1): zeros, so the pages are the system's zero pages until
        a query writes to them, not a copy of its own per process."""
        keep = np.zeros(2 * count + 2, np.int64)
        self.marks_keep = keep
        self.marks = <_Mark*> <size_t> keep.ctypes.data

    cdef unsigned char* _allocate(self, Py_ssize_t count, Py_ssize_t nstems, Py_ssize_t size,
                                  bint stamps) except NULL:
        """A block of its own for ``count`` strings, ``nstems`` stems and ``size`` bytes of
        forms; where the bytes go."""
        cdef Py_ssize_t structs = count * sizeof(Str) + nstems * sizeof(Stem)
        self.count = count
        self.own = malloc(structs + size + 1)
        if self.own == NULL:
            raise MemoryError()
        memset(self.own, 0, structs)
        self.strs = <Str*> self.own
        if stamps:
            self._marks(count)
        return (<unsigned char*> self.own) + structs

    def __dealloc__(self):
        free(self.own)

    def __len__(self):
        return self.count


def string_table(tuple forms, const int64_t[:] stem_at, const int64_t[:] stem_cut,
                 const unsigned char[:] flags, const int64_t[:] once):
    """A vocabulary's strings as one block (a numpy array of bytes; :meth:`Strings.table`
    reads it), from its forms packed: ``forms`` seven (buffer, offsets) pairs, in the
    order text, phonetic key, east-Slavic key, consonants, abjad skeleton, Chinese key,
    Korean key, then the Baltic stems' keys, then the vowel skeletons (a ninth pair) and
    the abjad skeletons' other readings (a tenth); ``stem_at``: where each string's stems
    begin among them; ``stem_cut``: the letters each stem's ending takes off; ``once``:
    the string that is each one with each run of a letter written once (-1: none).

    The block: a header, a :c:type:`Str` per string, a :c:type:`Stem` per stem, then the
    forms' bytes, each column as given; the forms the bound's test reads first are read
    from a copy in the string's own struct where they fit (:func:`_near`)."""
    cdef Py_ssize_t count = len(flags), nstems = stem_at[count] - stem_at[0] if count else 0
    cdef Py_ssize_t s, k, f, first, size = 0
    cdef const unsigned char[:] buf
    cdef dict numbers
    cdef const int64_t[:] at
    cdef unsigned char* base
    cdef unsigned char* cursor
    cdef int64_t* head
    cdef Str* strs
    cdef Str* str_
    cdef Stem* stems
    cdef Stem* stem
    cdef unsigned char[:] block
    for f in range(10):
        size += len(forms[f][0])
    numbers = given_classes_ascii()
    out = np.zeros(HEAD + count * sizeof(Str) + nstems * sizeof(Stem) + size, np.uint8)
    block = out
    base = &block[0]
    head = <int64_t*> base
    head[0] = MAGIC
    head[1] = sizeof(Str)
    head[2] = sizeof(Stem)
    head[3] = count
    strs = <Str*> (base + HEAD)
    stems = <Stem*> (strs + count)
    cursor = <unsigned char*> (stems + nstems)
    # the columns of the Str's forms (the order of FORMS), then the stems' keys
    for f, column in enumerate((0, 1, 2, 3, 4, 5, 6, 8, 9, 7)):
        buf = forms[column][0]
        at = forms[column][1]
        if len(buf):
            memcpy(cursor, &buf[0], len(buf))
        if column == 7:
            for k in range(nstems):
                stem = &stems[k]
                stem.key_at = <int64_t> (cursor + at[k] - (<unsigned char*> stem))
                stem.key_len = <int32_t> (at[k + 1] - at[k])
                stem.cut = <int32_t> stem_cut[k]
        else:
            for s in range(count):
                _place(&strs[s], f, cursor + at[s], at[s + 1] - at[s])
        cursor += len(buf)
    for s in range(count):
        str_ = &strs[s]
        first = stem_at[s]
        str_.nstems = <int32_t> (stem_at[s + 1] - first)
        if str_.nstems > STEMS:
            str_.nstems = STEMS
        str_.stems_at = <int64_t> ((<unsigned char*> &stems[first]) - (<unsigned char*> str_))
        _set_flags(str_, flags[s])
        str_.given = _given_in(numbers, (<const char*> _text(str_))[:str_.text_len])
        if once[s] >= 0:
            str_.once = <int32_t> (once[s] - s)
        _near(str_)
    return out


cdef inline int _reading(Str* s, int* at, const unsigned char** out) noexcept:
    """The abjad skeleton readings of ``s`` in turn: its skeleton (``at`` below 0), then
    its other readings (prune.string_forms) from offset ``at``, which moves past it; the
    reading's length (0: none left)."""
    cdef int start = at[0], end
    cdef const unsigned char* others = _others(s)
    if start < 0:
        at[0] = 0
        out[0] = _skel(s)
        return s.skel_len
    if start >= s.others_len:
        return 0
    end = start
    while end < s.others_len and others[end] != 32:  # a space between two readings
        end += 1
    out[0] = others + start
    at[0] = end + 1
    return end - start


# ---------------------------------------------------------------- a string's forms made

cdef tuple _own_forms(const char* s, int n, tuple endings, int variant_letters, object zh,
                      object ko, object others):
    """``prune._own`` of ASCII letters ``s[:n]`` (n > 0): its text, word keys (the
    east-Slavic key from ``variant_letters`` letters), the keys left when one of the Baltic
    ``endings`` is cut off, flags, syllable keys by ``zh`` and ``ko`` (None: empty), vowel
    skeleton, and its abjad skeleton's other readings by ``others`` (called only for a
    vowel-less text with a th, dh, sh, kh or gh: every other text has none)."""
    cdef tuple keys = keys_of(s, n, n >= variant_letters)
    cdef list stems = []
    cdef char* buf
    cdef int i, k, cut, o
    cdef bint vowels = _has_vowel(s, n), bare
    cdef bytes end
    cdef str text
    if keys is None:  # text.phonetic not imported yet (it configures the rules), or no memory
        raise RuntimeError("the phonetic keys could not be made")
    buf = <char*> malloc(4 * n + 8)
    if buf == NULL:
        raise MemoryError()
    try:
        for end in endings:
            cut = <int> len(end)
            if cut > n or memcmp(s + n - cut, <const char*> end, cut) != 0:
                continue
            o = key_into(s, n - cut, buf, buf + 2 * n + 4) if n > cut else 0
            if o < 0:
                raise MemoryError()
            stems.append((cut, PyBytes_FromStringAndSize(buf, o)))
        bare = n >= 2 and not _has_vowel(s + 1, n - 1)
        buf[0] = s[0]
        k = 1
        for i in range(1, n):  # similarity.vowel_skeleton: a e i o u y dropped
            if not _vowel_or_y(s[i]):
                buf[k] = s[i]
                k += 1
        skeleton = PyBytes_FromStringAndSize(buf, k)
    finally:
        free(buf)
    data = PyBytes_FromStringAndSize(s, n)
    text = None
    if zh is not None or ko is not None or (not vowels and _two_letters(s, n)):
        text = data.decode("ascii")
    return (data, keys[0], keys[1], keys[2], keys[3], tuple(stems),
            1 | (not vowels) << 2 | bare << 3,
            b"" if zh is None else zh(text).encode("ascii"),
            b"" if ko is None else ko(text).encode("ascii"), skeleton,
            " ".join(others(text)).encode("ascii") if not vowels and _two_letters(s, n)
            else b"")


cdef inline bint _vowel_or_y(char c) noexcept:
    return c == b'a' or c == b'e' or c == b'i' or c == b'o' or c == b'u' or c == b'y'


cdef bint _two_letters(const char* s, int n) noexcept:
    """An h after t, d, s, k or g: a letter group an abjad's transliteration may also write
    for two letters (phonetic.abjad_other_skeletons reads them)."""
    cdef int i
    cdef char c
    for i in range(1, n):
        c = s[i - 1]
        if s[i] == b'h' and (c == b't' or c == b'd' or c == b's' or c == b'k' or c == b'g'):
            return True
    return False


def string_forms(str text not None, tuple endings not None, int variant_letters, object zh,
                 object ko, object others):
    """``prune.string_forms`` of a text of ASCII letters, in one call: :func:`_own_forms`
    of the text, then those of the text with each run of a letter written once when that
    differs (``similarity.written_once``; no syllable keys), else None. None for any other
    text (Python makes its forms). ``endings``: the Baltic endings, as bytes."""
    cdef bytes data
    cdef const char* s
    cdef char* once
    cdef Py_ssize_t size
    cdef int n, i, m
    if not text.isascii():
        return None
    data = text.encode("ascii")
    s = data
    size = len(data)
    if size == 0 or size > 1 << 24 or not _letters_only(s, <int> size):
        return None
    n = <int> size
    own = _own_forms(s, n, endings, variant_letters, zh, ko, others)
    for i in range(1, n):
        if s[i] == s[i - 1]:
            break
    else:
        return own + (None,)
    once = <char*> malloc(n)
    if once == NULL:
        raise MemoryError()
    try:
        once[0] = s[0]
        m = 1
        for i in range(1, n):
            if s[i] != s[i - 1]:
                once[m] = s[i]
                m += 1
        return own + (_own_forms(once, m, endings, variant_letters, None, None, others),)
    finally:
        free(once)


# ---------------------------------------------------------------- a query's acronym runs

def acronym_ids(tuple tokens not None, tuple kinds not None, dict words not None,
                frozenset spelled_kinds not None, frozenset unspelled not None,
                frozenset leading_words not None, frozenset trailing_words not None,
                int shortest, int longest):
    """What ``query_lists`` makes of ``align.acronym_runs`` of a query's words, in one call
    without the runs' dict: per run of words an acronym may spell (in the order
    ``acronym_runs`` meets them, each initials once), the initials' id among ``words`` (-1:
    none), its first and its last token. The constants are align's (``spelled_kinds``:
    _SPELLED_KINDS, ``unspelled``: _UNSPELLED, ``leading_words``, ``trailing_words``, the
    acronyms' ``shortest`` and ``longest`` lengths). ``tests/match/test_prune.py`` holds it
    to ``acronym_runs``."""
    cdef Py_ssize_t n = len(tokens), count = 0, j, start, size, first, last, after
    cdef list out = []
    cdef set seen
    cdef int64_t* spelled
    cdef int64_t* breaks
    cdef bint leading, inside
    cdef str token, kind, initials, firsts
    if n < shortest:
        return out
    if len(kinds) != n:
        raise ValueError("a kind for every token")
    leading = kinds[0] == "legal" and tokens[0] in leading_words
    spelled = <int64_t*> malloc((2 * n + 1) * sizeof(int64_t))
    if spelled == NULL:
        raise MemoryError()
    breaks = spelled + n
    try:
        firsts = ""
        breaks[0] = 0
        for j in range(n):
            token = tokens[j]
            kind = kinds[j]
            inside = kind in spelled_kinds and token not in unspelled
            if (inside and token[:1].isalpha()) or (j == 0 and leading):
                spelled[count] = j
                count += 1
                firsts += token[0]
            breaks[j + 1] = breaks[j] + (kind not in spelled_kinds and token not in unspelled
                                         and not (j == 0 and leading))
        seen = set()
        for start in range(count):
            for size in range(shortest - 1, longest + 1):
                if start + size > count:
                    break
                first = spelled[start]
                last = spelled[start + size - 1]
                if breaks[last + 1] != breaks[first]:
                    break
                initials = firsts[start:start + size]
                if size >= shortest and initials not in seen:
                    seen.add(initials)
                    out.append((words.get(initials, -1), first, last))
                after = last + 1
                if size < longest and after < n and kinds[after] == "legal" \
                        and tokens[after] in trailing_words:
                    initials = initials + (<str> tokens[after])[0]
                    if initials not in seen:
                        seen.add(initials)
                        out.append((words.get(initials, -1), first, after))
        return out
    finally:
        free(spelled)
