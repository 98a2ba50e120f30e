# The kernel's part: included by _kernel.pyx (one compilation unit, one module).
# The index's keys as arrays (index.py's NameIndex.key_ids and neighbours): a key table and
# its one-deletion neighbours that a persisted index maps from files, shared by every
# process, where dicts of strings were unpickled into each one's memory.

from cpython.unicode cimport PyUnicode_DecodeUTF8

cdef extern from "Python.h":
    const char* PyUnicode_AsUTF8AndSize(object, Py_ssize_t*) except NULL

cdef extern from *:
    """
    /* FNV-1a over the bytes, then splitmix64's finaliser: FNV alone leaves the low bits
       (a slot) poorly mixed by the last bytes, and keys differ mostly there. Fixed, not
       Python's string hash: the tables are files, read by other processes. */
    static inline uint64_t discreet_key_hash(const unsigned char* p, Py_ssize_t n) {
        uint64_t h = 0xcbf29ce484222325ULL;
        for (Py_ssize_t i = 0; i < n; i++) {
            h ^= p[i];
            h *= 0x100000001b3ULL;
        }
        h ^= h >> 30;
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 27;
        h *= 0x94d049bb133111ebULL;
        h ^= h >> 31;
        return h;
    }
    #define DISCREET_LOW32 ((uint64_t) 0xFFFFFFFFu)
    """
    uint64_t _key_hash "discreet_key_hash" (const unsigned char*, Py_ssize_t) nogil
    const uint64_t _LOW32 "DISCREET_LOW32"


# the deletions of a key whose reads Neighbours._ask asks together (a key's own and the first
# 63 deletions: every key a name writes), and the keys of a deletion's group it asks for
DEF _ASKED = 64
DEF _ASKED_KEYS = 4


cdef inline const unsigned char* _utf8(object text, Py_ssize_t* n, list keep) except NULL:
    """``text``'s UTF-8 bytes (as index.py encodes keys: lone surrogates passed through,
    their bytes then kept alive in ``keep``)."""
    try:
        return <const unsigned char*> PyUnicode_AsUTF8AndSize(text, n)
    except UnicodeEncodeError:
        data = (<str> text).encode("utf-8", "surrogatepass")
        keep.append(data)
        n[0] = len(data)
        return <const unsigned char*> (<bytes> data)


cdef inline int _char_len(unsigned char lead) noexcept nogil:
    """Bytes of the UTF-8 character that begins with ``lead``."""
    if lead < 0x80:
        return 1
    if lead < 0xE0:
        return 2
    if lead < 0xF0:
        return 3
    return 4


cdef inline bint _vowel_char(char c) noexcept:
    return c == b'a' or c == b'e' or c == b'i' or c == b'o' or c == b'u'


cdef inline bint _one_deleted(const unsigned char* p, Py_ssize_t n, const unsigned char* q,
                              Py_ssize_t m) noexcept nogil:
    """``p`` is ``q`` with one character deleted: then deleting ``q``'s first character
    that differs from ``p``'s gives ``p`` (whichever of a run of the same character was
    deleted)."""
    cdef Py_ssize_t i = 0
    cdef int c
    if m <= n:
        return False
    while i < n and p[i] == q[i]:
        i += 1
    while i > 0 and (q[i] & 0xC0) == 0x80:  # back to the start of the character
        i -= 1
    c = _char_len(q[i])
    return m == n + c and (n == i or memcmp(p + i, q + i + c, n - i) == 0)


def table_hashes(const unsigned char[:] blob, const int64_t[:] offsets):
    """Each string's hash (the strings one after another in ``blob``, string ``i`` at
    ``offsets[i]:offsets[i + 1]``)."""
    cdef Py_ssize_t count = len(offsets) - 1, i
    out = np.zeros(count if count > 0 else 0, np.uint64)
    cdef uint64_t[:] hashes = out
    cdef const unsigned char* base = &blob[0] if len(blob) else NULL
    for i in range(count):
        hashes[i] = _key_hash(base + offsets[i], offsets[i + 1] - offsets[i])
    return out


def table_slots(const uint64_t[:] hashes):
    """An open-addressing table (linear probing, at most three quarters full) of items by
    their hashes: a slot holds an item's hash's top 32 bits and its number plus one (0:
    empty); an item is in the first free slot from its hash's low bits on."""
    cdef Py_ssize_t count = len(hashes), i
    cdef uint64_t size = 1, mask, at, h
    while size * 3 < <uint64_t> count * 4 + 4:
        size *= 2
    out = np.zeros(size, np.uint64)
    cdef uint64_t[:] slots = out
    mask = size - 1
    for i in range(count):
        h = hashes[i]
        at = h & mask
        while slots[at] != 0:
            at = (at + 1) & mask
        slots[at] = ((h >> 32) << 32) | <uint64_t> (i + 1)
    return out


def deletion_hashes(const unsigned char[:] blob, const int64_t[:] offsets,
                    const unsigned char[:] eligible):
    """For each eligible key, each distinct string one of its characters deleted makes
    (the first of a run of the same character: deleting any other of the run makes the
    same string): its hash, and the key's number (in key order, then deletion order)."""
    cdef Py_ssize_t count = len(offsets) - 1, k, c, n = 0, size, room = 0, prev, clen, plen
    cdef const unsigned char* base = &blob[0] if len(blob) else NULL
    cdef const unsigned char* key
    cdef unsigned char* buffer
    for k in range(count):
        if eligible[k]:
            room += offsets[k + 1] - offsets[k]
    hashes_out = np.zeros(room, np.uint64)
    keys_out = np.zeros(room, np.int32)
    cdef uint64_t[:] hashes = hashes_out
    cdef int32_t[:] keys = keys_out
    cdef Py_ssize_t widest = 1
    for k in range(count):
        if offsets[k + 1] - offsets[k] > widest:
            widest = offsets[k + 1] - offsets[k]
    buffer = <unsigned char*> malloc(widest)
    if buffer == NULL:
        raise MemoryError()
    for k in range(count):
        if not eligible[k]:
            continue
        key = base + offsets[k]
        size = offsets[k + 1] - offsets[k]
        c = 0
        prev = -1
        plen = 0
        while c < size:
            clen = _char_len(key[c])
            if not (prev >= 0 and plen == clen and memcmp(key + prev, key + c, clen) == 0):
                memcpy(buffer, key, c)
                memcpy(buffer + c, key + c + clen, size - c - clen)
                hashes[n] = _key_hash(buffer, size - clen)
                keys[n] = <int32_t> k
                n += 1
            prev, plen = c, clen
            c += clen
    free(buffer)
    return hashes_out[:n].copy(), keys_out[:n].copy()


DEF _SWAPPED_KEPT = 4096
# KeyTable._swaps: readings whose keys are asked from memory together; tokens of this many
# letters or more are read one reading at a time (their blocks would be large)
DEF _SWAPS_AT_ONCE = 16
DEF _SWAPS_LONG = 256


cdef class KeyTable:
    """Strings (an index's keys) numbered in order, as arrays: their UTF-8 bytes one after
    another (``blob``, string ``i`` at ``offsets[i]:offsets[i + 1]``) and an open-addressing
    table of their hashes (:func:`table_slots`); a string found there is confirmed against
    its bytes. A mapping from string to number (``key in table``, ``table[key]``,
    ``table.get``, iteration in number order) that a persisted index maps from its files."""

    cdef readonly object blob
    cdef readonly object offsets
    cdef readonly object slots
    cdef const unsigned char[:] _blob
    cdef const int64_t[:] _at
    cdef const uint64_t[:] _slots
    cdef uint64_t mask
    cdef Py_ssize_t count
    cdef dict _swapped  # swaps() of the words met lately: the index and the scorer ask both

    def __init__(self, blob, offsets, slots):
        self._swapped = {}
        self.blob, self.offsets, self.slots = blob, offsets, slots
        self._blob = blob
        self._at = offsets
        self._slots = slots
        self.count = len(offsets) - 1
        self.mask = len(slots) - 1

    cdef Py_ssize_t _find(self, const unsigned char* p, Py_ssize_t n) noexcept:
        return self._find_h(p, n, _key_hash(p, n))

    cdef Py_ssize_t _find_h(self, const unsigned char* p, Py_ssize_t n, uint64_t h) noexcept:
        """:meth:`_find` of ``p[:n]`` whose hash ``h`` is made already (asked for)."""
        cdef uint64_t tag, at, v
        cdef Py_ssize_t k
        cdef int64_t s
        if self.count <= 0:
            return -1
        tag = h >> 32
        at = h & self.mask
        while True:
            v = self._slots[at]
            if v == 0:
                return -1
            if (v >> 32) == tag:
                k = <Py_ssize_t> (v & _LOW32) - 1
                s = self._at[k]
                if self._at[k + 1] - s == n and (n == 0 or memcmp(&self._blob[s], p, n) == 0):
                    return k
            at = (at + 1) & self.mask

    cdef void _ask(self, const uint64_t* hashes, Py_ssize_t count) noexcept:
        """Ask the memory for what :meth:`_find` reads of the keys of ``hashes`` (their
        slots, then the places and bytes of the keys there), all of a stage at once: each
        is a cache miss in a large table, and met one after the other they were paid in a
        row. Only fetches."""
        cdef Py_ssize_t i
        cdef uint64_t v
        cdef int64_t k
        if self.count <= 0:
            return
        for i in range(count):
            _prefetch(&self._slots[hashes[i] & self.mask])
        for i in range(count):
            v = self._slots[hashes[i] & self.mask]
            if v != 0 and (v >> 32) == (hashes[i] >> 32):
                _prefetch(&self._at[<int64_t> (v & _LOW32) - 1])
        for i in range(count):
            v = self._slots[hashes[i] & self.mask]
            if v != 0 and (v >> 32) == (hashes[i] >> 32):
                k = <int64_t> (v & _LOW32) - 1
                _prefetch(&self._blob[0] + self._at[k])

    cpdef Py_ssize_t find(self, object key):
        """The number of ``key`` (-1: not in the table)."""
        cdef Py_ssize_t n
        cdef list keep = []
        if type(key) is not str:
            return -1
        return self._find(_utf8(key, &n, keep), n)

    cpdef str key(self, Py_ssize_t i):
        """The string numbered ``i``."""
        cdef int64_t s = self._at[i], e = self._at[i + 1]
        if e == s:
            return ""
        return PyUnicode_DecodeUTF8(<char*> &self._blob[s], e - s, "surrogatepass")

    def get(self, key, default=None):
        cdef Py_ssize_t i = self.find(key)
        return default if i < 0 else i

    def __getitem__(self, key):
        cdef Py_ssize_t i = self.find(key)
        if i < 0:
            raise KeyError(key)
        return i

    def __contains__(self, key):
        return self.find(key) >= 0

    def __len__(self):
        return self.count

    def __iter__(self):
        cdef Py_ssize_t i
        for i in range(self.count):
            yield self.key(i)

    def keys(self):
        return list(self)

    def values(self):
        return range(self.count)

    def items(self):
        return list(zip(self, range(self.count)))

    def __reduce__(self):
        return KeyTable, (self.blob, self.offsets, self.slots)

    def parts(self, str token not None, Py_ssize_t three_letters):
        """``index.NameIndex._token``'s parts of an ASCII ``token``, in one call: the
        numbers of the keys (phonetic keys, as :func:`~discreet.text.phonetic.phonetic_key`
        reads a part: letters only, its key, else the part itself) of each split of the
        token in two parts of 3 letters or more that are both here, in order of the split;
        and, when the token has ``three_letters`` or more and its own key is not here, of
        each split in three such parts. None for a token not ASCII (Python splits it)."""
        cdef bytes data
        cdef Py_ssize_t size
        if not token.isascii():
            return None
        data = token.encode("ascii")
        size = len(data)
        if size > 1 << 24:
            return None
        return self._parts(data, <int> size, three_letters)

    cdef list _parts(self, const char* s, int n, Py_ssize_t three_letters):
        """:meth:`parts` of ASCII ``s[:n]``. The first parts' keys (and the token's own,
        when it may split in three) are made first and asked from memory together
        (:meth:`_ask`), then the second parts' of the first parts found: each look-up is a
        chain of cache misses in a large table. A token of :data:`_SWAPS_LONG` letters or
        more is read a look-up at a time."""
        cdef char* buf
        cdef char* work
        cdef char* keys = NULL
        cdef int i, j, each = 2 * n + 4, m
        cdef Py_ssize_t left, right, middle, last, asked
        cdef int* lens = NULL
        cdef Py_ssize_t* found = NULL
        cdef uint64_t* hashes = NULL
        cdef uint64_t* hslot
        cdef bint three, batched = n < _SWAPS_LONG
        cdef list parts = []
        if n < 6:
            return parts  # no split leaves two parts of 3 letters
        buf = <char*> malloc(4 * n + 8)
        if buf == NULL:
            raise MemoryError()
        work = buf + 2 * n + 4
        try:
            if batched:  # the keys of s[:i] (3 <= i < n - 2), then of s (i = n - 2)
                m = n - 4  # (one block: the hashes asked, each slot's hash, found, lengths)
                hashes = <uint64_t*> malloc(m * (2 * sizeof(uint64_t) + sizeof(Py_ssize_t)
                                                 + sizeof(int) + each))
                if hashes == NULL:
                    raise MemoryError()
                hslot = hashes + m
                found = <Py_ssize_t*> (hslot + m)
                lens = <int*> (found + m)
                keys = <char*> (lens + m)
                asked = 0
                for i in range(3, n - 1):
                    if i == n - 2 and n < three_letters:
                        break
                    lens[i - 3] = key_into(s, n if i == n - 2 else i, keys + (i - 3) * each,
                                           work)
                    if lens[i - 3] < 0:
                        raise RuntimeError("the phonetic rules are not configured")
                    hashes[asked] = hslot[i - 3] = _key_hash(
                        <const unsigned char*> keys + (i - 3) * each, lens[i - 3])
                    asked += 1
                self._ask(hashes, asked)
                for i in range(asked):
                    found[i] = self._find_h(<const unsigned char*> keys + i * each, lens[i],
                                            hslot[i])
                three = n >= three_letters and found[n - 5] < 0
                asked = 0  # the second parts of the first parts found
                for i in range(3, n - 2):
                    if found[i - 3] >= 0:
                        lens[i - 3] = key_into(s + i, n - i, keys + (i - 3) * each, work)
                        if lens[i - 3] < 0:
                            raise RuntimeError("the phonetic rules are not configured")
                        hashes[asked] = hslot[i - 3] = _key_hash(
                            <const unsigned char*> keys + (i - 3) * each, lens[i - 3])
                        asked += 1
                self._ask(hashes, asked)
            else:
                three = n >= three_letters and self._keyed(s, n, buf, work) < 0
            for i in range(3, n - 2):
                if batched:
                    left = found[i - 3]
                else:
                    left = self._keyed(s, i, buf, work)
                if left < 0:  # the rest's keys only when they can matter
                    continue
                if batched:
                    right = self._find_h(<const unsigned char*> keys + (i - 3) * each,
                                         lens[i - 3], hslot[i - 3])
                else:
                    right = self._keyed(s + i, n - i, buf, work)
                if right >= 0:
                    parts += (left, right)
                elif three:
                    for j in range(i + 3, n - 2):
                        middle = self._keyed(s + i, j - i, buf, work)
                        if middle >= 0:
                            last = self._keyed(s + j, n - j, buf, work)
                            if last >= 0:
                                parts += (left, middle, last)
        finally:
            free(buf)
            free(hashes)
        return parts

    def swaps(self, str token not None, str slavic, str skeleton not None,
              str joined=None):
        """The numbers here of the keys of ``token`` read with two neighbouring letters
        swapped back (phonetic.swap_keys' keys, which are made and looked up here in one
        call, no key a string): per place i where the two letters differ, in order, (i, the
        reading's phonetic key's number, ``slavic`` + its east-Slavic key's — when
        ``slavic`` is not None and the word has a vowel —, ``skeleton`` + its abjad
        skeleton's — when the two letters are consonants —, each -1 when not here or not
        made, whether the reading sets a letter beside the same letter and its phonetic
        key is the token's with one letter deleted, four letters or more:
        index.swapped_back_keys' one-deletion neighbours, and ``joined`` + its phonetic
        key's number — two list words written together, -1 when ``joined`` is None).
        None unless the token is lower-case ASCII letters (Python reads the keys:
        swaps.reading_keys). Kept for the last _SWAPPED_KEPT words asked (the index asks a
        query word's, then the scorer)."""
        return self._kept_swaps(token, slavic, skeleton, joined)

    cdef object _kept_swaps(self, str token, str slavic, str skeleton, str joined):
        """:meth:`swaps` (kept for the words asked lately)."""
        if self._swapped is None:  # made without __init__
            self._swapped = {}
        found = self._swapped.get((token, slavic, skeleton, joined))
        if found is None:
            if len(self._swapped) >= _SWAPPED_KEPT:
                self._swapped.clear()
            found = self._swapped[token, slavic, skeleton, joined] = self._swaps(
                token, slavic, skeleton, joined)
        return found

    cdef object _swaps(self, str token, str slavic, str skeleton, str joined):
        """:meth:`swaps`, not kept. The readings' keys are made a few readings at a time
        (:data:`_SWAPS_AT_ONCE`) and asked from memory together (:meth:`_ask`) before any is
        looked up: each look-up is a chain of cache misses in a large table, and a new
        word's were met one after the other."""
        cdef bytes data, pre_slavic = b"", pre_skeleton, pre_joined = b""
        cdef int pj = 0
        cdef Py_ssize_t jid
        cdef const char* s
        cdef char* arena
        cdef char* block
        cdef char* own
        cdef char* work
        cdef char* reading
        cdef int n, i, o, own_len, ps = 0, pk, r, made, at, first, each, room
        cdef int lens[4 * _SWAPS_AT_ONCE]
        cdef int places[_SWAPS_AT_ONCE]
        cdef uint64_t hashes[4 * _SWAPS_AT_ONCE]
        cdef uint64_t hs[4 * _SWAPS_AT_ONCE]  # each string's hash, by reading and key
        cdef Py_ssize_t key, slav, skel, asked
        cdef bint slavs, near
        cdef char x, y
        cdef list out = []
        if not token.isascii():
            return None
        data = token.encode("ascii")
        s = data
        if len(data) == 0 or len(data) > 1 << 20:
            return None
        n = <int> len(data)
        for i in range(n):
            if s[i] < b'a' or s[i] > b'z':
                return None
        slavs = slavic is not None and _has_vowel(s, n)
        if slavs:
            pre_slavic = slavic.encode("utf-8")
            ps = <int> len(pre_slavic)
        pre_skeleton = skeleton.encode("utf-8")
        pk = <int> len(pre_skeleton)
        if joined is not None:
            pre_joined = joined.encode("utf-8")
            pj = <int> len(pre_joined)
        # a reading's block: its phonetic key (with the joined prefix before it: room for
        # pj + 2n + 4), its east-Slavic key with its prefix (ps + 8n + 16), its abjad
        # skeleton with its prefix (pk + 8n + 16); before the blocks the reading, the
        # token's own key (2n + 4) and work room (8n + 16)
        room = 8 * n + 16
        each = pj + 2 * n + 4 + ps + room + pk + room
        at = (n if n < _SWAPS_LONG else 1) - 1  # readings a block each (one: a long token)
        if at > _SWAPS_AT_ONCE:
            at = _SWAPS_AT_ONCE
        if at < 1:
            at = 1
        arena = <char*> malloc(n + 2 * n + 4 + room + at * each)
        if arena == NULL:
            raise MemoryError()
        reading = arena
        own = reading + n
        work = own + 2 * n + 4
        try:
            own_len = key_into(s, n, own, work)
            if own_len < 0:
                raise RuntimeError("the phonetic rules are not configured")
            memcpy(reading, s, n)
            first = 0
            while first < n - 1:
                # the next readings' keys made (in lens: -1, none), and asked for together
                made = 0
                asked = 0
                i = first
                while i < n - 1 and made < at:
                    x = s[i]
                    y = s[i + 1]
                    if x == y:
                        i += 1
                        continue
                    places[made] = i
                    block = arena + n + 2 * n + 4 + room + made * each
                    reading[i] = y
                    reading[i + 1] = x
                    o = key_into(reading, n, block + pj, work)
                    if o < 0:
                        raise RuntimeError("the phonetic rules are not configured")
                    lens[4 * made] = o
                    hashes[asked] = hs[4 * made] = _key_hash(<const unsigned char*> block + pj, o)
                    asked += 1
                    lens[4 * made + 1] = -1
                    if pj:
                        memcpy(block, <const char*> pre_joined, pj)
                        lens[4 * made + 1] = pj + o
                        hashes[asked] = hs[4 * made + 1] = _key_hash(
                            <const unsigned char*> block, pj + o)
                        asked += 1
                    lens[4 * made + 2] = -1
                    if slavs:
                        r = pj + 2 * n + 4
                        memcpy(block + r, <const char*> pre_slavic, ps)
                        o = _east_slavic_keyed(reading, n, block + pj, o, block + r + ps)
                        lens[4 * made + 2] = ps + o
                        hashes[asked] = hs[4 * made + 2] = _key_hash(
                            <const unsigned char*> block + r, ps + o)
                        asked += 1
                    lens[4 * made + 3] = -1
                    if not _vowel_char(x) and not _vowel_char(y):
                        r = pj + 2 * n + 4 + ps + room
                        memcpy(block + r, <const char*> pre_skeleton, pk)
                        o = _skeleton_of(reading, n, block + r + pk)
                        lens[4 * made + 3] = pk + o
                        hashes[asked] = hs[4 * made + 3] = _key_hash(
                            <const unsigned char*> block + r, pk + o)
                        asked += 1
                    reading[i] = x
                    reading[i + 1] = y
                    made += 1
                    i += 1
                first = i
                self._ask(hashes, asked)
                for r in range(made):  # looked up in order, as they were met
                    i = places[r]
                    x = s[i]
                    y = s[i + 1]
                    block = arena + n + 2 * n + 4 + room + r * each
                    o = lens[4 * r]
                    key = self._find_h(<const unsigned char*> block + pj, o, hs[4 * r])
                    near = (((i > 0 and y == s[i - 1]) or (i + 2 < n and x == s[i + 2]))
                            and own_len >= 4 and _one_deleted(
                                <const unsigned char*> block + pj, o,
                                <const unsigned char*> own, own_len))
                    slav = skel = jid = -1
                    if lens[4 * r + 1] >= 0:
                        jid = self._find_h(<const unsigned char*> block, lens[4 * r + 1],
                                           hs[4 * r + 1])
                    if lens[4 * r + 2] >= 0:
                        slav = self._find_h(<const unsigned char*> block + pj + 2 * n + 4,
                                            lens[4 * r + 2], hs[4 * r + 2])
                    if lens[4 * r + 3] >= 0:
                        skel = self._find_h(
                            <const unsigned char*> block + pj + 2 * n + 4 + ps + room,
                            lens[4 * r + 3], hs[4 * r + 3])
                    out.append((i, key, slav, skel, near, jid))
        finally:
            free(arena)
        return tuple(out)

    cdef Py_ssize_t _keyed(self, const char* s, int n, char* buf, char* work) except -2:
        """The number of the phonetic key of ``s[:n]`` (n > 0) here (-1: not here); ``buf``
        and ``work``: room for 2n + 4 letters each."""
        cdef int o = key_into(s, n, buf, work)
        if o < 0:
            raise RuntimeError("the phonetic rules are not configured")
        return self._find(<const unsigned char*> buf, o)

    def joined(self, str a not None, str b not None):
        """``index.NameIndex._query_ids``' keys of two adjacent query words written as one,
        in one call: the numbers (-1: not here) of the phonetic key of ``a + b``, of the
        key of that text with each run of a letter written once (-1 too when that is the
        same key: ``similarity.written_once``), and of the joined key (``"j:"`` and the
        first). None unless both words are lowercase ASCII letters (Python reads them)."""
        return self._joined(a, b)

    cdef object _joined(self, str a, str b):
        """:meth:`joined` (callable from the kernel without a Python call)."""
        cdef Py_ssize_t na, nb
        cdef const char* pa = _lowercase(a, &na)
        cdef const char* pb = _lowercase(b, &nb)
        cdef int n, o, m, i, o2
        cdef char* text
        cdef char* out
        cdef char* work
        cdef char* once
        cdef Py_ssize_t first, joined, again = -1
        if pa == NULL or pb == NULL or na + nb > 1 << 24:
            return None
        n = <int> (na + nb)
        text = <char*> malloc(8 * n + 16)
        if text == NULL:
            raise MemoryError()
        once = text + n
        out = once + n  # two bytes of prefix, then room for 2n + 4
        work = out + 2 * n + 6
        try:
            memcpy(text, pa, na)
            memcpy(text + na, pb, nb)
            o = key_into(text, n, out + 2, work)
            if o < 0:
                raise RuntimeError("the phonetic rules are not configured")
            first = self._find(<const unsigned char*> (out + 2), o)
            out[0] = b'j'
            out[1] = b':'
            joined = self._find(<const unsigned char*> out, o + 2)
            m = 0
            for i in range(n):
                if i == 0 or text[i] != text[i - 1]:
                    once[m] = text[i]
                    m += 1
            if m != n:
                # the key of the text written once, where the joined key was (not needed now)
                o2 = key_into(once, m, out, work)
                if o2 != o or memcmp(out, out + 2, o) != 0:
                    again = self._find(<const unsigned char*> out, o2)
        finally:
            free(text)
        return first, again, joined

    def known(self, str token not None, Py_ssize_t slavic_letters):
        """``index.NameIndex._known``: the phonetic key of ``token`` is here, or (a word of
        ``slavic_letters`` or more with a vowel) its east-Slavic key (``"s:"`` and the key).
        None unless the token is lowercase ASCII letters (Python reads it)."""
        cdef Py_ssize_t n
        cdef const char* p = _lowercase(token, &n)
        if p == NULL or n > 1 << 24:
            return None
        return self._known(p, <int> n, slavic_letters)

    def shifted(self, str a not None, str b not None, Py_ssize_t least,
                Py_ssize_t slavic_letters):
        """``index.NameIndex._shifted_keys``' readings of two adjacent query words with
        the space one letter left, then right: none when both words are :meth:`known`;
        else each reading whose two words have ``least`` letters or more and are both
        known, as (left, right) strings, in that order. None unless both words are
        lowercase ASCII letters (Python reads them)."""
        return self._shifted(a, b, least, slavic_letters, True)

    cdef object _shifted(self, str a, str b, Py_ssize_t least, Py_ssize_t slavic_letters,
                         bint check):
        """:meth:`shifted` (``check``: whether both words are known is asked here; else
        the caller knows they are not both)."""
        cdef Py_ssize_t na, nb
        cdef const char* pa = _lowercase(a, &na)
        cdef const char* pb = _lowercase(b, &nb)
        cdef list out = []
        if least < 1:
            raise ValueError("a word read so has a letter at least")
        if pa == NULL or pb == NULL or na + nb > 1 << 24:
            return None
        if (check and self._known(pa, <int> na, slavic_letters)
                and self._known(pb, <int> nb, slavic_letters)):
            return out
        # the last letter of a moved to b: a[:-1], a[-1] + b
        if (na - 1 >= least and nb + 1 >= least
                and self._known(pa, <int> (na - 1), slavic_letters)
                and self._moved_known(pa + na - 1, pb, <int> nb, slavic_letters)):
            out.append((a[:na - 1], a[na - 1:] + b))
        # the first letter of b moved to a: a + b[0], b[1:]
        if (na + 1 >= least and nb - 1 >= least
                and self._moved_known(pa, pb, <int> na, slavic_letters, True)
                and self._known(pb + 1, <int> (nb - 1), slavic_letters)):
            out.append((a + b[:1], b[1:]))
        return out

    cdef bint _moved_known(self, const char* one, const char* rest, int n,
                           Py_ssize_t slavic_letters, bint after=False) except -1:
        """:meth:`_known` of a letter and ``n`` letters joined: ``one[0]`` before
        ``rest[:n]``, or (``after``) ``one[:n]`` then ``rest[0]``."""
        cdef char* text = <char*> malloc(n + 2)
        if text == NULL:
            raise MemoryError()
        try:
            if after:
                memcpy(text, one, n)
                text[n] = rest[0]
            else:
                text[0] = one[0]
                memcpy(text + 1, rest, n)
            return self._known(text, n + 1, slavic_letters)
        finally:
            free(text)

    cdef bint _known(self, const char* s, int n, Py_ssize_t slavic_letters) except -1:
        """Whether the phonetic key of ASCII letters ``s[:n]`` (n > 0) is here, or (``n``
        of ``slavic_letters`` or more, a vowel among them) their east-Slavic key."""
        cdef char* buf = <char*> malloc(8 * n + 24)
        cdef int o
        if buf == NULL:
            raise MemoryError()
        try:
            if self._keyed(s, n, buf, buf + 2 * n + 4) >= 0:
                return True
            if n < slavic_letters or not _has_vowel(s, n):
                return False
            buf[0] = b's'
            buf[1] = b':'
            o = _east_slavic_of(s, n, buf + 2)
            return self._find(<const unsigned char*> buf, o + 2) >= 0
        finally:
            free(buf)


def raise_credits(dict keys, dict found, double weight):
    """``index.NameIndex._query_ids``' merge of one query word's keys into the name's: each
    key of ``found`` (key number: share, in order) earns ``share * weight``, the larger
    credit where ``keys`` holds the key already (its place kept)."""
    _raise_credits(keys, found, weight)


cdef int _raise_credits(dict keys, dict found, double weight) except -1:
    """:func:`raise_credits` (callable from the kernel without a Python call)."""
    cdef double value
    cdef object old, made
    if not keys:  # (the first word's: each key new)
        for key, share in found.items():
            keys[key] = (<double> share) * weight
        return 0
    for key, share in found.items():
        value = (<double> share) * weight
        made = value
        old = keys.setdefault(key, made)
        if old is not made and value > <double> old:
            keys[key] = made
    return 0


def query_words(tuple tokens not None, tuple kinds not None, tuple weights not None,
                frozenset skip not None, bint abjad, dict kept not None, object index,
                dict keys not None, list bridged, Py_ssize_t bridged_most, dict masses,
                list shares, Neighbours neighbours not None, object forms,
                WordRules rules not None, Py_ssize_t most):
    """``index.NameIndex._query_ids``' loop over a query name's words, in one call (the
    rule: ``_query_ids_by_rule``): each counted word's keys (titles, particles, ... of
    ``skip`` only when the name is one word) read from ``kept`` (the words met lately, by
    (word, abjad): ``_token``'s), else, for a word of two lowercase or uppercase ASCII
    letters or more while ``kept`` holds fewer than ``most``, made here as ``_new_token``
    makes them (:meth:`Neighbours.word`, ``forms``: ``prune.string_forms``; its share kept
    in ``index._word_mass``) and kept, else by ``index._token``; merged into ``keys``
    (:func:`raise_credits`); a word with a bridge key put in ``bridged`` (None: not
    asked; up to ``bridged_most``); when ``masses`` is not None, the word's share (kept
    there, else the one just made, else ``index._word_share``) times its weight appended
    to ``shares``. Returns the counted words as (token, weight) and the keys of the parts
    of those that have parts."""
    cdef Py_ssize_t i, n = len(tokens)
    cdef bint alone = n == 1, ready = False
    cdef list pairs = [], halves = []
    cdef tuple read, word, made
    cdef dict word_mass = None
    cdef str token
    cdef object weight, share, fresh, idf_weights = None, top = None
    if len(kinds) != n or len(weights) != n:
        raise ValueError("a prepared name's tokens, kinds and weights differ in number")
    for i in range(n):
        if not alone and kinds[i] in skip:
            continue
        token = tokens[i]
        weight = weights[i]
        pairs.append((token, weight))
        word = (token, abjad)
        fresh = None
        read = kept.get(word)
        if read is None:
            if len(kept) < most and len(token) >= 2 and token.isascii() and token.isalpha():
                if not ready:  # (as _new_token asks it: the table in use, its shares)
                    idf_weights = index._word_weights()
                    word_mass = index._word_mass
                    top = index.top
                    ready = True
                made = neighbours.word(token, abjad, forms(token, False), rules, idf_weights,
                                       top)
                if made is not None:
                    fresh = made[2]
                    if fresh is not None:
                        word_mass[word] = fresh
                    read = (made[0], made[1], made[3], made[4])
                else:
                    read = index._token_by_rule(token, abjad)
                kept[word] = read
            else:
                read = index._token(token, abjad)
                ready = False  # (a full cache emptied: the shares' table asked again)
        if read[2] and bridged is not None and len(bridged) < bridged_most:
            bridged.append(read)
        _raise_credits(keys, read[0], weight)
        if read[1]:
            halves.append(read[1])
        if masses is not None:
            share = masses.get(word)
            if share is None:
                if fresh is not None:
                    share = masses[word] = fresh
                else:
                    share = index._word_share(token, abjad, masses)
                    ready = False
            shares.append(share * weight)
    return pairs, halves


cdef inline bint _known_word(object index, dict known, str token, KeyTable table,
                             Py_ssize_t slavic_letters, Py_ssize_t most) except -1:
    """``index._known(token)``, read from ``known`` (its answers kept) when there, else
    for a word of lowercase ASCII letters made here (:meth:`KeyTable.known`) and kept
    while ``known`` holds fewer than ``most``."""
    cdef Py_ssize_t n
    cdef const char* p
    cdef bint found
    kept = known.get(token)
    if kept is not None:
        return kept
    if len(known) < most:
        p = _lowercase(token, &n)
        if p != NULL and n <= 1 << 24:
            found = table._known(p, <int> n, slavic_letters)
            known[token] = found
            return found
    return index._known(token)


def query_pairs(KeyTable table not None, list pairs not None, list halves not None,
                dict keys not None, dict known not None, object index, str skeleton not None,
                object fuzzy, object half, Py_ssize_t slavic_letters, Py_ssize_t most,
                Py_ssize_t least):
    """``index.NameIndex._query_ids``' keys of a query name's adjacent words and of its
    words' parts, for a name not in an abjad script, in one call (the rule:
    ``_query_ids_by_rule``): each pair of ``pairs`` (token, weight) written as one
    (:meth:`KeyTable.joined`, else ``index._joined_by_rule``; when neither reading is
    here and neither word is known, its readings with two letters swapped back at
    ``fuzzy``, ``skeleton`` the abjad skeletons' prefix), then the parts' keys of
    ``halves`` at ``half``, then each pair read with a letter across the space
    (``index._shifted_read``) unless both words are known (``known``: the answers of
    ``index._known`` kept)."""
    cdef Py_ssize_t i, n = len(pairs)
    cdef tuple one, two, found
    cdef str a, b
    cdef object k, again, shifted, entry, readings
    for i in range(n - 1):
        one = pairs[i]
        two = pairs[i + 1]
        a = one[0]
        b = two[0]
        found = table._joined(a, b)
        if found is None:
            index._joined_by_rule(a, b, one[1] + two[1], keys)
            continue
        k, again, shifted = found
        if k >= 0:
            keys[k] = 1.0
        if again >= 0:
            keys.setdefault(again, 1.0)
        if shifted >= 0:
            keys[shifted] = one[1] + two[1]
        if k < 0 and again < 0 \
                and not _known_word(index, known, a, table, slavic_letters, most) \
                and not _known_word(index, known, b, table, slavic_letters, most):
            for entry in table._kept_swaps(a + b, None, skeleton, None) or ():
                k = (<tuple> entry)[1]
                if k >= 0:
                    keys.setdefault(k, fuzzy)
    for parts in halves:
        for k in <tuple> parts:
            keys.setdefault(k, half)
    for i in range(n - 1):
        one = pairs[i]
        two = pairs[i + 1]
        a = one[0]
        b = two[0]
        if _known_word(index, known, a, table, slavic_letters, most) \
                and _known_word(index, known, b, table, slavic_letters, most):
            continue
        readings = table._shifted(a, b, least, slavic_letters, False)
        if readings is None or readings:  # (most pairs have no reading: no call)
            index._shifted_read(a, one[1], b, two[1], keys, readings)


def name_letters(tuple tokens not None, tuple kinds not None, unsigned long long firsts,
                 frozenset skip not None):
    """index.py's ``letters`` of a name's ``tokens`` and ``kinds`` in one call: a bit a Latin
    letter (a to z) for each initial's letter, and for each other word's first letter but
    the kinds ``skip``, over ``firsts`` (the organisation's bit, or 0); as a loop in Python
    it was a fair share of a new query's own keys. Tokens and kinds differ in number: the
    ValueError ``zip(strict=True)`` raises."""
    cdef Py_ssize_t i, n = len(tokens)
    cdef unsigned long long inits = 0
    cdef str token
    cdef object kind
    cdef Py_UCS4 c
    cdef int code
    if len(kinds) != n:
        raise ValueError("a name's tokens and kinds differ in number")
    for i in range(n):
        token = tokens[i]
        if len(token) == 0:
            continue
        c = token[0]
        code = <int> c - 97
        if code < 0 or code > 25:  # (a to z)
            continue
        kind = kinds[i]
        if kind == "initial":
            inits |= 1ULL << code
        elif kind not in skip:
            firsts |= 1ULL << code
    return inits, firsts


def kind_weights(tuple tokens not None, tuple kinds not None, dict by_kind not None,
                 frozenset rare not None, dict weighed not None, object weight,
                 Py_ssize_t kept):
    """prepare.py's ``_weights`` in one call: each token's weight, its kind's (``by_kind``,
    a KeyError for a kind it has not), times its rarity weight for the kinds ``rare``, that
    ``weighed`` keeps for the tokens met lately (else ``weight(token)``, kept; at ``kept``
    tokens ``weighed`` is emptied first); tokens and kinds read in pairs, as zip reads them
    (prepare.assemble counts them). As a loop in Python it was a fair share of a new
    query's preparation."""
    cdef Py_ssize_t i, n = min(len(tokens), len(kinds))
    cdef list out = []
    cdef object token, kind, found
    for i in range(n):
        token = tokens[i]
        kind = kinds[i]
        if kind in rare:
            found = weighed.get(token)
            if found is None:
                if len(weighed) >= kept:
                    weighed.clear()
                found = weight(token)
                weighed[token] = found
            out.append(by_kind[kind] * found)
        else:
            out.append(by_kind[kind])
    return tuple(out)


cdef inline const char* _lowercase(str text, Py_ssize_t* n) except? NULL:
    """``text``'s bytes when it is one or more lowercase ASCII letters (else NULL): the
    words the compiled key rules read as Python's do."""
    cdef const char* p
    cdef Py_ssize_t i
    if not text.isascii():
        return NULL
    p = PyUnicode_AsUTF8AndSize(text, n)
    if n[0] == 0:
        return NULL
    for i in range(n[0]):
        if p[i] < b'a' or p[i] > b'z':
            return NULL
    return p


cdef inline bint _folded_pair(char x, char y) noexcept:
    """Two letters the phonetic key writes as one (index.py's ``_FOLDED_PAIR``): a letter
    twice, or ae, ei, eo, eu, ey, ie, iy, oe, ou, ue, ye, yi."""
    if x == y:
        return True
    if x == b'a' or x == b'u':
        return y == b'e'
    if x == b'e':
        return y == b'i' or y == b'o' or y == b'u' or y == b'y'
    if x == b'i':
        return y == b'e' or y == b'y'
    if x == b'o':
        return y == b'e' or y == b'u'
    if x == b'y':
        return y == b'e' or y == b'i'
    return False


cdef inline Py_ssize_t _prefixed(KeyTable table, bytes prefix, bytes key, char* buf) except -2:
    """The number of ``prefix`` + ``key`` in ``table`` (-1: not there); ``buf``: room for
    both."""
    cdef Py_ssize_t a = len(prefix), b = len(key)
    memcpy(buf, <const char*> prefix, a)
    memcpy(buf + a, <const char*> key, b)
    return table._find(<const unsigned char*> buf, a + b)


cdef inline uint64_t _prefixed_hash(bytes prefix, bytes key, char* buf) except? 0:
    """The hash :meth:`KeyTable._find` reads of ``prefix`` + ``key`` (:func:`_prefixed`'s
    string); ``buf``: room for both."""
    cdef Py_ssize_t a = len(prefix), b = len(key)
    memcpy(buf, <const char*> prefix, a)
    memcpy(buf + a, <const char*> key, b)
    return _key_hash(<const unsigned char*> buf, a + b)


cdef inline int _put(dict found, Py_ssize_t k, object credit, bint replace,
                     set grouped) except -1:
    """A key group's key ``k`` (-1: not here) earns ``credit`` in ``found`` (``replace``:
    over an earlier credit, its place kept; else only when not met yet), and is put in
    ``grouped`` (None: not asked)."""
    if k < 0:
        return 0
    if grouped is not None:
        grouped.add(k)
    if replace or k not in found:
        found[k] = credit
    return 0


cdef inline Py_ssize_t table_find(KeyTable table, const char* p, Py_ssize_t n) noexcept:
    return table._find(<const unsigned char*> p, n)


cdef class WordRules:
    """What :meth:`Neighbours.word` reads of index.py's rules for a query word's keys: the
    key prefixes, the groups' credits (the floats Python's groups carry), the letter
    counts, the nicknames (``given``: the words that have any; ``nicknames``: their
    keys, ``index.nickname_keys``) and a word without vowels' folded keys (``folded``,
    ``index.folded_keys``' query keys). Set once by index.py: the rules live there."""

    cdef readonly Py_ssize_t slavic_letters, variant_letters, acronym_min
    cdef readonly Py_ssize_t acronym_max, skeleton_letters, deletion_letters
    cdef readonly Py_ssize_t two_slips_letters, three_parts
    cdef readonly object one, acronym_sim, abjad_sim, east_slavic_sim, fuzzy, vowelless_sim
    cdef readonly object nickname_sim, folded_sim, given, nicknames, folded
    cdef readonly bytes consonant, acronym, abjad, slavic_prefix, vowelless, bare
    cdef readonly str slavic, skeleton, joined

    def __init__(self, dict letters not None, dict credits not None, dict prefixes not None,
                 object given, object nicknames, object folded):
        self.slavic_letters = letters["slavic"]
        self.variant_letters = letters["variant"]
        self.acronym_min, self.acronym_max = letters["acronym"]
        self.skeleton_letters = letters["skeleton"]
        self.deletion_letters = letters["deletion"]
        self.two_slips_letters = letters["two_slips"]
        self.three_parts = letters["three_parts"]
        self.one = credits["own"]
        self.acronym_sim = credits["acronym"]
        self.abjad_sim = credits["abjad"]
        self.east_slavic_sim = credits["slavic"]
        self.fuzzy = credits["fuzzy"]
        self.vowelless_sim = credits["vowelless"]
        self.nickname_sim = credits["nickname"]
        self.folded_sim = credits["folded"]
        self.consonant = prefixes["consonant"].encode("ascii")
        self.acronym = prefixes["acronym"].encode("ascii")
        self.abjad = prefixes["abjad"].encode("ascii")
        self.slavic = prefixes["slavic"]
        self.slavic_prefix = self.slavic.encode("ascii")
        self.vowelless = prefixes["vowelless"].encode("ascii")
        self.bare = prefixes["bare"].encode("ascii")
        self.skeleton = prefixes["skeleton"]
        self.joined = prefixes["joined"]
        self.given, self.nicknames, self.folded = given, nicknames, folded


cdef class Neighbours:
    """The keys one deletion away from a string: for each distinct string a deletion of a
    key makes (:func:`deletion_hashes`), the keys that make it, in key order. Stored by the
    deletions' hashes (``hashes``, ascending, each once; ``slots``: their table), each
    one's keys at ``keys_of[starts[g]:starts[g + 1]]``; a key found so is confirmed to be
    the string with one character more (two deletions may share a hash), so the deletions
    themselves are not stored."""

    cdef readonly KeyTable table
    cdef readonly object hashes
    cdef readonly object slots
    cdef readonly object starts
    cdef readonly object keys_of
    cdef const uint64_t[:] _hashes
    cdef const uint64_t[:] _slots
    cdef const int64_t[:] _starts
    cdef const int32_t[:] _keys
    cdef uint64_t mask
    cdef Py_ssize_t groups

    def __init__(self, KeyTable table, hashes, slots, starts, keys_of):
        self.table = table
        self.hashes, self.slots, self.starts, self.keys_of = hashes, slots, starts, keys_of
        self._hashes = hashes
        self._slots = slots
        self._starts = starts
        self._keys = keys_of
        self.groups = len(hashes)
        self.mask = len(slots) - 1

    cdef Py_ssize_t _group(self, const unsigned char* p, Py_ssize_t n) noexcept:
        return self._group_h(_key_hash(p, n))

    cdef Py_ssize_t _group_h(self, uint64_t h) noexcept:
        """:meth:`_group` of a string whose hash ``h`` is made already."""
        cdef uint64_t tag, at, v
        cdef Py_ssize_t g
        if self.groups <= 0:
            return -1
        tag = h >> 32
        at = h & self.mask
        while True:
            v = self._slots[at]
            if v == 0:
                return -1
            if (v >> 32) == tag:
                g = <Py_ssize_t> (v & _LOW32) - 1
                if self._hashes[g] == h:
                    return g
            at = (at + 1) & self.mask

    cdef list _near(self, object probe, bint first):
        """The numbers of the keys ``probe`` is one deletion of (only the first when
        ``first``)."""
        cdef Py_ssize_t n, g, e, k
        cdef int64_t s
        cdef list keep = [], out = []
        cdef const unsigned char* p
        cdef KeyTable table = self.table
        if type(probe) is not str:
            return out
        p = _utf8(probe, &n, keep)
        g = self._group(p, n)
        if g < 0:
            return out
        for e in range(self._starts[g], self._starts[g + 1]):
            k = self._keys[e]
            s = table._at[k]
            if _one_deleted(p, n, &table._blob[s], table._at[k + 1] - s):
                out.append(k)
                if first:
                    break
        return out

    cdef Py_ssize_t _ask(self, const unsigned char* p, Py_ssize_t size, unsigned char* buffer,
                         uint64_t* hashes) noexcept:
        """Ask the memory for what :meth:`_credit` reads of key ``p[:size]`` and of each of
        its distinct deletions (the first :data:`_ASKED`), stage by stage and all of a stage
        at once (their slots, groups, keys, the keys' places, their bytes): in an index of a
        million names each is a cache miss, and :meth:`_near_into` met them one after the
        other (a chain of five a deletion). Only fetches: what is read is read again by
        :meth:`_credit`, unchanged. The hashes are left in ``hashes`` (their count
        returned); ``buffer``: room for ``size`` bytes."""
        cdef Py_ssize_t m = 0, i, c, clen, prev = -1, plen = 0, e, last
        cdef int64_t g
        cdef int64_t groups[_ASKED]
        cdef uint64_t h, v, at, tag
        cdef KeyTable table = self.table
        hashes[m] = _key_hash(p, size)
        m += 1
        c = 0
        while c < size and m < _ASKED:  # the deletions _near_into credits, in its order
            clen = _char_len(p[c])
            if not (prev >= 0 and plen == clen and memcmp(p + prev, p + c, clen) == 0):
                memcpy(buffer, p, c)
                memcpy(buffer + c, p + c + clen, size - c - clen)
                hashes[m] = _key_hash(buffer, size - clen)
                m += 1
            prev, plen = c, clen
            c += clen
        if self.groups <= 0:
            return m
        for i in range(m):
            _prefetch(&self._slots[hashes[i] & self.mask])
        for i in range(m):  # the first slot of the same tag (as _group meets it)
            h = hashes[i]
            tag = h >> 32
            at = h & self.mask
            g = -1
            while True:
                v = self._slots[at]
                if v == 0:
                    break
                if (v >> 32) == tag:
                    g = <int64_t> (v & _LOW32) - 1
                    break
                at = (at + 1) & self.mask
            groups[i] = g
            if g >= 0:
                _prefetch(&self._hashes[g])
                _prefetch(&self._starts[g])
        for i in range(m):
            if groups[i] >= 0:
                _prefetch(&self._keys[self._starts[groups[i]]])
        for i in range(m):
            g = groups[i]
            if g >= 0:
                last = self._starts[g + 1]
                if last - self._starts[g] > _ASKED_KEYS:
                    last = self._starts[g] + _ASKED_KEYS
                for e in range(self._starts[g], last):
                    _prefetch(&table._at[self._keys[e]])
        for i in range(m):
            g = groups[i]
            if g >= 0:
                last = self._starts[g + 1]
                if last - self._starts[g] > _ASKED_KEYS:
                    last = self._starts[g] + _ASKED_KEYS
                for e in range(self._starts[g], last):
                    _prefetch(&table._blob[0] + table._at[self._keys[e]])
        return m

    cdef bint _credit(self, const unsigned char* p, Py_ssize_t n, dict found,
                      object share) except -1:
        """Credit ``share`` to each key ``p`` is one deletion of that ``found`` lacks (in
        key order); whether there is any such key at all."""
        return self._credit_h(p, n, _key_hash(p, n), found, share)

    cdef bint _credit_h(self, const unsigned char* p, Py_ssize_t n, uint64_t h, dict found,
                        object share) except -1:
        """:meth:`_credit` of ``p[:n]`` whose hash ``h`` is made already."""
        cdef Py_ssize_t g = self._group_h(h), e, k
        cdef int64_t s
        cdef KeyTable table = self.table
        cdef bint any_near = False
        if g < 0:
            return False
        for e in range(self._starts[g], self._starts[g + 1]):
            k = self._keys[e]
            s = table._at[k]
            if _one_deleted(p, n, &table._blob[s], table._at[k + 1] - s):
                any_near = True
                found.setdefault(k, share)  # (one look-up: credited when not met yet)
        return any_near

    def expand(self, list groups, str key, Py_ssize_t letters, object share):
        """A query token's keys, by number, with the credit each earns, in the order first
        met (index.py's ``NameIndex._expand``, which this mirrors, key strings aside).

        ``groups``: (keys, credit, replace) in order; a key in the table earns its group's
        credit (``replace``: over an earlier one, keeping its place; else only when not met
        yet). Then, unless ``share`` is None, ``key`` (the token's phonetic key) reaches
        keys a typo away at ``share``: the keys it, or a deletion of one of its characters,
        is one deletion of (SymSpell style; deletions only of a key of ``letters``
        characters or more, each distinct deletion once, in order); and, when ``key`` is
        neither in the table nor a deletion of a key, its deletions that are in the table.
        """
        cdef dict found = {}
        cdef KeyTable table = self.table
        cdef list keep = []
        cdef Py_ssize_t n, k, size
        cdef const unsigned char* p
        for keys, credit, replace in groups:
            for text in keys:
                if type(text) is not str:
                    continue
                p = _utf8(text, &n, keep)
                k = table._find(p, n)
                if k >= 0 and (replace or k not in found):
                    found[k] = credit
        if share is None:
            return found
        p = _utf8(key, &size, keep)
        self._near_into(p, size, len(key) >= letters, found, share)
        return found

    cdef int _near_into(self, const unsigned char* p, Py_ssize_t size, bint deletions,
                        dict found, object share) except -1:
        """:meth:`expand`'s typo neighbours of key ``p[:size]``, credited ``share`` where
        ``found`` lacks them: the keys it, or a deletion of one of its characters
        (``deletions``: the key is long enough to have them), is one deletion of; and, when
        the key is neither in the table nor a deletion of a key, its deletions in the table.
        Whether any key is one deletion from the key itself."""
        cdef KeyTable table = self.table
        cdef Py_ssize_t k, c, clen, prev, plen
        cdef unsigned char* buffer
        cdef bint near
        cdef uint64_t hashes[_ASKED]
        cdef Py_ssize_t asked, j
        if not deletions:  # no deletions: nothing more to try
            return self._credit(p, size, found, share)
        buffer = <unsigned char*> malloc(size if size > 0 else 1)
        if buffer == NULL:
            raise MemoryError()
        try:
            asked = self._ask(p, size, buffer, hashes)
            near = self._credit_h(p, size, hashes[0], found, share)
            c, prev, plen = 0, -1, 0
            j = 1  # the next deletion's hash (asked: made already)
            while c < size:  # each distinct deletion: the first of a run of one character
                clen = _char_len(p[c])
                if not (prev >= 0 and plen == clen and memcmp(p + prev, p + c, clen) == 0):
                    memcpy(buffer, p, c)
                    memcpy(buffer + c, p + c + clen, size - c - clen)
                    self._credit_h(buffer, size - clen, hashes[j] if j < asked
                                   else _key_hash(buffer, size - clen), found, share)
                    j += 1
                prev, plen = c, clen
                c += clen
            if near or table._find_h(p, size, hashes[0]) >= 0:
                return near
            table._ask(hashes + 1, asked - 1)  # (the deletions: the key's own is found)
            c, prev, plen = 0, -1, 0
            j = 1
            while c < size:
                clen = _char_len(p[c])
                if not (prev >= 0 and plen == clen and memcmp(p + prev, p + c, clen) == 0):
                    memcpy(buffer, p, c)
                    memcpy(buffer + c, p + c + clen, size - c - clen)
                    k = table._find_h(buffer, size - clen, hashes[j] if j < asked
                                      else _key_hash(buffer, size - clen))
                    j += 1
                    if k >= 0 and k not in found:
                        found[k] = share
                prev, plen = c, clen
                c += clen
        finally:
            free(buffer)
        return near

    def credit(self, str probe, dict found, object share):
        """Credit ``share`` to each key ``probe`` is one deletion of that ``found`` (key
        numbers to credits) lacks, in key order: a probe's neighbours by number, no string
        made (index.py's ``rejoined_keys`` probes)."""
        cdef list keep = []
        cdef Py_ssize_t n
        cdef const unsigned char* p = _utf8(probe, &n, keep)
        self._credit(p, n, found, share)

    def rejoined(self, str token not None, Py_ssize_t least, dict found, object share):
        """index.py's ``rejoined_keys`` of ``token`` credited as ``credit`` credits each
        (its one-deletion neighbours' keys ``found`` lacks earn ``share``, in order): the
        phonetic keys of the two parts at each place two letters the key writes as one
        meet (a letter twice, or ae, ei, eo, eu, ey, ie, iy, oe, ou, ue, ye, yi: after the
        first of them), joined, where longer than the token's own key; words of ``least``
        letters or more. Made and looked up here, no string made (a new query word's
        regular expression and four phonetic keys a place cost more than the lookups).
        None (nothing done) unless the token is lowercase ASCII letters (Python reads it)."""
        cdef Py_ssize_t n
        cdef const char* s = _lowercase(token, &n)
        if s == NULL or n > 1 << 20:
            return None
        if n >= least:
            self._rejoined(s, <int> n, found, share)
        return True

    cdef int _rejoined(self, const char* s, int m, dict found, object share) except -1:
        """:meth:`rejoined` of lowercase ASCII letters ``s[:m]`` (long enough)."""
        cdef char* own
        cdef char* buf
        cdef char* work
        cdef int i, own_len, lo, ro
        # the own key (2n + 4), the two parts' keys one after the other (2n + 8), work room
        own = <char*> malloc(6 * m + 16)
        if own == NULL:
            raise MemoryError()
        buf = own + 2 * m + 4
        work = buf + 2 * m + 8
        try:
            own_len = -1
            for i in range(1, m):
                if not _folded_pair(s[i - 1], s[i]):
                    continue
                if own_len < 0:
                    own_len = key_into(s, m, own, work)
                    if own_len < 0:
                        raise RuntimeError("the phonetic rules are not configured")
                lo = key_into(s, i, buf, work)
                ro = key_into(s + i, m - i, buf + lo, work)
                if lo + ro > own_len:  # (a key met twice credits nothing more)
                    self._credit(<const unsigned char*> buf, lo + ro, found, share)
        finally:
            free(own)
        return 0

    cdef int _diphthongs(self, bytes key, dict found, object share, char* buf) except -1:
        """index.py's ``diphthong_keys`` of phonetic ``key`` (long enough) looked up, each
        found credited ``share`` where ``found`` lacks it: the key with the a of each ai
        or au between consonants (or a consonant and the end) left out. ``buf``: room for
        the key."""
        cdef const char* p = key
        cdef int n = <int> len(key), i
        cdef Py_ssize_t k
        for i in range(n - 1):
            if (i > 0 and p[i] == b'a' and (p[i + 1] == b'i' or p[i + 1] == b'u')
                    and not _vowel_char(p[i - 1])
                    and (i + 2 == n or not _vowel_char(p[i + 2]))):
                memcpy(buf, p, i)
                memcpy(buf + i, p + i + 1, n - i - 1)
                k = self.table._find(<const unsigned char*> buf, n - 1)
                if k >= 0 and k not in found:
                    found[k] = share
        return 0

    cdef int _h_kept(self, const char* s, int n, dict found, WordRules rules) except -1:
        """index.py's ``h_kept_key`` of lowercase ASCII letters ``s[:n]`` (an initial hs, a
        vowel, ``rules.variant_letters`` or more) with its typo neighbours credited
        ``rules.fuzzy`` where ``found`` lacks them (:meth:`_near_into`): the h before the
        phonetic key of the rest of the word."""
        cdef char* key = <char*> malloc(4 * n + 16)
        cdef int o
        if key == NULL:
            raise MemoryError()
        try:
            key[0] = b'h'
            o = key_into(s + 1, n - 1, key + 1, key + 2 * n + 8)
            if o < 0:
                raise RuntimeError("the phonetic rules are not configured")
            self._near_into(<const unsigned char*> key, o + 1, o + 1 >= rules.deletion_letters,
                            found, rules.fuzzy)
        finally:
            free(key)
        return 0

    def word(self, str token not None, bint abjad, tuple forms, WordRules rules not None,
             Weights weights, double top):
        """index.py's ``NameIndex._token_by_rule`` of a query word of two lowercase ASCII
        letters or more (nearly every new word), in one call: its key groups
        (``_key_groups``, read off its compiled ``forms``, ``prune.string_forms(token,
        False)``), a word without vowels after its first letter's skeleton probes
        (``_bare_probes``), looked up and expanded by their typo neighbours
        (:meth:`expand`), its rejoined keys (:meth:`rejoined`), its readings with two
        letters swapped back when no list word writes it (``KeyTable.swaps``, then
        ``_swapped_near_ids``), its parts (``KeyTable.parts``), and such a word's bridge
        and near keys (``_bare_bridges``, ``_near``): every key made and looked up here, no
        key a string but a bare word's folded keys (``rules.folded``). Returns (its keys by
        number with their credits, in order; its parts' key numbers; its share of the
        query's evidence, ``NameIndex._query_token_mass``, by ``weights`` — the index's own
        idf by key number, None: not asked — and ``top``; its bridge keys; its near keys).
        A word with a vowel after its first letter reads the same in an abjad script's
        name (``abjad``) as in a Latin one. None for any other word, a word without vowels
        after its first in an abjad script's name, and a word whose east-Slavic key is not
        among its forms (none is, with the rules' letter counts as they are): Python reads
        them by the rules."""
        cdef Py_ssize_t n, k, kv = -1
        cdef const char* s = _lowercase(token, &n)
        cdef KeyTable table = self.table
        cdef bytes phon, cons, skel, slav, vskel, otext, ophon, ocons, oslav
        cdef tuple once, parts, folded = ()
        cdef char* buf
        cdef int lp, lc, lv, m, i
        cdef Py_ssize_t kp = -1, kc = -1, room
        cdef dict found = {}
        cdef set grouped = None
        cdef list keep = [], bridging = None
        cdef const unsigned char* q
        cdef Py_ssize_t nq
        cdef double share, best, value
        cdef uint64_t hashes[10]
        cdef Py_ssize_t asked
        cdef const double[:] w
        cdef bint bare, vowels
        if s == NULL or n < 2 or n > 1 << 20 or forms is None:
            return None
        bare = not _has_vowel(s + 1, <int> n - 1)
        vowels = not bare or _has_vowel(s, 1)
        if (bare and abjad) or rules.slavic_letters <= n < rules.variant_letters:
            return None  # (the abjad's rules; its east-Slavic key is not among its forms)
        phon, slav, cons, skel, vskel = forms[1], forms[2], forms[3], forms[4], forms[9]
        once = forms[11]
        if once is not None and len(once[0]) >= rules.slavic_letters \
                and len(once[0]) < rules.variant_letters:
            return None  # (its east-Slavic key is not among its forms: Python makes it)
        lp, lc, lv = <int> len(phon), <int> len(cons), <int> len(vskel)
        room = 16 * n + 64 + len(phon) + len(slav) + len(cons) + len(skel) + lv
        if bare:
            grouped, bridging = set(), []
        buf = <char*> malloc(room)
        if buf == NULL:
            raise MemoryError()
        try:
            # the groups' keys asked from memory together first (each look-up a chain of
            # cache misses in a large table, met one after the other below)
            asked = 1
            hashes[0] = _key_hash(<const unsigned char*> (<const char*> phon), lp)
            if lc >= 2:
                hashes[asked] = _prefixed_hash(rules.consonant, cons, buf)
                asked += 1
            if rules.acronym_min <= n <= rules.acronym_max:
                hashes[asked] = _prefixed_hash(rules.acronym, token.encode("ascii"), buf)
                asked += 1
            if len(skel) >= 2:
                hashes[asked] = _prefixed_hash(rules.abjad, skel, buf)
                asked += 1
            if n >= rules.slavic_letters and vowels:
                hashes[asked] = _prefixed_hash(rules.slavic_prefix, slav, buf)
                asked += 1
            if once is not None:
                otext, ophon, ocons, oslav = once[0], once[1], once[3], once[2]
                if len(otext) >= 2:
                    hashes[asked] = _key_hash(<const unsigned char*> (<const char*> ophon),
                                              len(ophon))
                    asked += 1
                    if len(ocons) >= 2:
                        hashes[asked] = _prefixed_hash(rules.consonant, ocons, buf)
                        asked += 1
                if len(otext) >= rules.slavic_letters and vowels:
                    hashes[asked] = _prefixed_hash(rules.slavic_prefix, oslav, buf)
                    asked += 1
            if lv >= rules.skeleton_letters:
                hashes[asked] = _prefixed_hash(rules.bare if bare else rules.vowelless, vskel,
                                               buf)
                asked += 1
            table._ask(hashes, asked)
            # the key groups, in _key_groups' order (True: an earlier credit replaced)
            kp = table._find(<const unsigned char*> (<const char*> phon), lp)
            _put(found, kp, rules.one, True, grouped)
            if lc >= 2:
                kc = _prefixed(table, rules.consonant, cons, buf)
                _put(found, kc, rules.one, True, grouped)
            if rules.acronym_min <= n <= rules.acronym_max:
                k = _prefixed(table, rules.acronym, token.encode("ascii"), buf)
                _put(found, k, rules.acronym_sim, True, grouped)
            if len(skel) >= 2:
                _put(found, _prefixed(table, rules.abjad, skel, buf), rules.abjad_sim, True,
                     grouped)
            if n >= rules.slavic_letters and vowels:
                _put(found, _prefixed(table, rules.slavic_prefix, slav, buf),
                     rules.east_slavic_sim, True, grouped)
            if once is not None:
                otext, ophon, ocons, oslav = once[0], once[1], once[3], once[2]
                if len(otext) >= 2:
                    k = table._find(<const unsigned char*> (<const char*> ophon), len(ophon))
                    _put(found, k, rules.one, False, grouped)
                    if len(ocons) >= 2:
                        _put(found, _prefixed(table, rules.consonant, ocons, buf), rules.one,
                             False, grouped)
                if len(otext) >= rules.slavic_letters and vowels:
                    _put(found, _prefixed(table, rules.slavic_prefix, oslav, buf),
                         rules.fuzzy, False, grouped)
            if lv >= rules.skeleton_letters:
                kv = _prefixed(table, rules.bare if bare else rules.vowelless, vskel, buf)
                _put(found, kv, rules.vowelless_sim, False, grouped)
            if bare:  # its folded skeletons (a bridge: see NameIndex._marks)
                folded = rules.folded(token)
                for text in folded:
                    q = _utf8(text, &nq, keep)
                    k = table._find(q, nq)
                    _put(found, k, rules.folded_sim, False, grouped)
                    bridging.append(k)
            if token in rules.given:
                for text in rules.nicknames(token):
                    q = _utf8(text, &nq, keep)
                    _put(found, table._find(q, nq), rules.nickname_sim, False, grouped)
            if bare and lv >= rules.skeleton_letters and kv < 0:
                self._probes_into(vskel, rules, found, grouped, bridging, buf)
            # the typo neighbours, the rejoined keys, the readings with two letters swapped
            self._near_into(<const unsigned char*> (<const char*> phon), lp,
                            lp >= rules.deletion_letters, found, rules.fuzzy)
            if lp >= rules.deletion_letters:
                self._diphthongs(phon, found, rules.fuzzy, buf)
            if n >= rules.variant_letters:
                self._rejoined(s, <int> n, found, rules.fuzzy)
                if s[0] == b'h' and s[1] == b's' and vowels:
                    self._h_kept(s, <int> n, found, rules)
            # (index._swaps_read: from variant_letters on, three letters without vowels)
            if (n >= rules.variant_letters or (bare and n >= 3)) \
                    and not table._known(s, <int> n, rules.slavic_letters):
                self._swapped_into(token, s, <int> n, phon, rules, found, buf)
            parts = tuple(table._parts(s, <int> n, rules.three_parts))
            bridges = () if not bare else tuple([k for k in bridging if k in found])
            near = () if not bridges else tuple([k for k in found if k not in grouped])
            if weights is None:
                return found, parts, None, bridges, near
            w = weights._values
            # the word's share of the query's evidence (NameIndex._token_mass; then at most
            # what its keys may gather when it has no parts: _query_token_mass)
            if kp < 0 and kc < 0:
                share = top
                k = _prefixed(table, rules.acronym, token.encode("ascii"), buf)
                if k >= 0:
                    share = (<double> rules.acronym_sim) * w[k]
                elif kv >= 0:
                    share = (<double> rules.vowelless_sim) * w[kv]
                else:
                    for text in folded:
                        k = table.find(text)
                        if k >= 0:
                            share = (<double> rules.folded_sim) * w[k]
                            break
            else:
                share = w[kp] if kp >= 0 else top
                if lc >= 2:
                    value = w[kc] if kc >= 0 else top
                    if value > share:
                        share = value
            if found and not parts:
                best = _most_credit(found, w)
                if best < share:
                    share = best
        finally:
            free(buf)
        return found, parts, share, bridges, near

    cdef int _probes_into(self, bytes skeleton, WordRules rules, dict found, set grouped,
                          list bridging, char* buf) except -1:
        """index.py's ``skeleton_probes`` of a bare word's vowel ``skeleton`` no list word
        has, looked up at the vowel rule's credit where ``found`` lacks them: the skeleton
        with each run of a letter written once, when that has ``rules.skeleton_letters`` or
        more, then it with each of its letters written twice, in order (but the skeleton
        itself); each key met put in ``grouped`` and ``bridging``. ``buf``: room for the
        prefix and twice the skeleton."""
        cdef const char* p = skeleton
        cdef int n = <int> len(skeleton), m = 0, i, pb = <int> len(rules.bare)
        cdef char* once = buf + pb
        cdef Py_ssize_t k
        memcpy(buf, <const char*> rules.bare, pb)
        for i in range(n):
            if i == 0 or p[i] != p[i - 1]:
                once[m] = p[i]
                m += 1
        if m < rules.skeleton_letters:
            return 0
        if m != n:  # (the skeleton written once is a probe unless it is the skeleton)
            k = table_find(self.table, buf, pb + m)
            _put(found, k, rules.vowelless_sim, False, grouped)
            bridging.append(k)
        for i in range(m):  # letter i written twice: once[:i + 1] + once[i:]
            memmove(once + i + 1, once + i, m - i)
            if not (m + 1 == n and memcmp(once, p, n) == 0):
                k = table_find(self.table, buf, pb + m + 1)
                _put(found, k, rules.vowelless_sim, False, grouped)
                bridging.append(k)
            memmove(once + i, once + i + 1, m - i)
        return 0

    cdef int _swapped_into(self, str token, const char* s, int n, bytes phon, WordRules rules,
                           dict found, char* buf) except -1:
        """:meth:`word`'s readings of a word no list word writes with two neighbouring
        letters swapped back (``NameIndex._swapped_back_ids``, at ``rules.fuzzy`` over a
        lower credit); none posted, a word of ``rules.two_slips_letters`` or more whose own
        key has no typo neighbour: the neighbours of each reading's key
        (``_swapped_near_ids``). ``buf``: room for 8n + 16 letters."""
        cdef KeyTable table = self.table
        cdef list ids = []
        cdef dict fresh
        cdef char* reading
        cdef char* work
        cdef int i, o
        cdef char x, y
        cdef object old
        swaps = table._kept_swaps(token, rules.slavic if n >= rules.slavic_letters else None,
                                  rules.skeleton, rules.joined)
        for _, key, slavic, _, near, joined in swaps:
            if near:
                continue  # a letter set beside itself, written once: a one-deletion neighbour
            if key >= 0:
                ids.append(key)
            if slavic >= 0:
                ids.append(slavic)
            if joined >= 0:
                ids.append(joined)
        for key in ids:
            old = found.get(key)
            if old is None or <double> old < <double> rules.fuzzy:
                found[key] = rules.fuzzy
        if ids or n < rules.two_slips_letters:
            return 0
        fresh = {}
        self._near_into(<const unsigned char*> (<const char*> phon), len(phon),
                        len(phon) >= rules.deletion_letters, fresh, rules.fuzzy)
        if fresh:
            return 0  # one slip explains the word
        reading = buf
        work = buf + n
        memcpy(reading, s, n)
        for i in range(n - 1):
            x = s[i]
            y = s[i + 1]
            if x == y:
                continue
            reading[i] = y
            reading[i + 1] = x
            o = key_into(reading, n, work, work + 2 * n + 4)
            if o < 0:
                raise RuntimeError("the phonetic rules are not configured")
            fresh = {}
            self._near_into(<const unsigned char*> work, o, o >= rules.deletion_letters,
                            fresh, rules.fuzzy)
            for key in fresh:
                if key not in found:
                    found[key] = rules.fuzzy
            reading[i] = x
            reading[i + 1] = y
        return 0

    def get(self, probe, default=()):
        """The keys ``probe`` is one deletion of, in key order (``default``: none)."""
        found = self._near(probe, False)
        if not found:
            return default
        return tuple([self.table.key(k) for k in found])

    def __contains__(self, probe):
        return bool(self._near(probe, True))

    def __reduce__(self):
        return Neighbours, (self.table, self.hashes, self.slots, self.starts, self.keys_of)


def most_credit(dict near, const double[:] weights):
    """The largest credit x idf of a query token's keys (``near``: key number: credit, in
    order; ``weights``: each key's idf by number), the first such in order, as Python's
    ``max`` gives it; 0 keys: an error, as ``max`` raises."""
    if not near:
        raise ValueError("no keys")
    return _most_credit(near, weights)


cdef double _most_credit(dict near, const double[:] weights) except? -1.0:
    """:func:`most_credit` of keys ``near`` (one at least)."""
    cdef Py_ssize_t i = 0
    cdef double best = 0.0, value
    for key, credit in near.items():
        value = <double> credit * weights[<Py_ssize_t> key]
        if i == 0 or value > best:
            best = value
        i += 1
    return best


cdef class Weights:
    """Each key's idf by key number (``values``, an array) as :meth:`Neighbours.word`
    reads it: made once for a table, where a view made each call cost a new word more
    than its share's sums."""

    cdef readonly object values
    cdef const double[:] _values

    def __init__(self, values):
        self.values = values
        self._values = values
