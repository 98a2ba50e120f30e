# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The keys of :mod:`discreet.text.phonetic`, compiled.

Every query token needs its phonetic key, consonants, abjad skeleton and east-Slavic key,
and the Python versions (a chain of regular-expression substitutions each) cost more than
the rest of a query's matching. These functions apply the same rewrite rules in one pass
each, on ASCII tokens; :mod:`discreet.text.phonetic` keeps the rules as data and as the
reference implementation, and ``tests/text/test_phonetic.py`` holds the two equal on every
list token and on generated ones. Anything not ASCII letters and digits is left to Python
(the functions return None).
"""

from libc.stdlib cimport free, malloc
from libc.string cimport memcmp, memcpy
from cpython.bytes cimport PyBytes_FromStringAndSize

__all__ = ["abjad_skeleton", "configure", "consonants", "east_slavic_key", "other_skeletons",
           "phonetic_key", "swap_keys", "token_keys"]

DEF MAX_GROUPS = 32


cdef struct _Group:
    char written[8]
    int length
    char sound[4]
    int sound_length
    bint abjad  # also one sound in a vowel-less (abjad) transliteration


cdef struct _Groups:  # rewrite rules, in order, and which of them begin with each letter
    _Group group[MAX_GROUPS]
    int count
    unsigned char first[128][MAX_GROUPS]  # the groups a letter begins, in order
    int nfirst[128]


cdef _Groups _groups
cdef _Groups _vowel_groups
cdef char _letters[128][3]  # a letter's replacement (up to 2 letters), 0-terminated
cdef char _classes[128]
cdef bint _ready = False


def configure(groups, letters, vowel_groups, classes, abjad_groups):
    """The rules, from :mod:`discreet.text.phonetic` (called once, on import there)."""
    global _ready
    cdef int i, c
    _set_groups(&_groups, groups, abjad_groups)
    _set_groups(&_vowel_groups, vowel_groups, frozenset())
    for c in range(128):
        _letters[c][0] = c
        _letters[c][1] = 0
        _letters[c][2] = 0
        _classes[c] = c
    for c, replacement in letters.items():
        data = replacement.encode("ascii")
        for i in range(2):
            _letters[c][i] = data[i] if i < len(data) else 0
    for c, replacement in classes.items():
        _classes[c] = ord(replacement)
    _ready = True


cdef void _set_groups(_Groups* groups, rules, abjad_groups) except *:
    """``rules`` (written, sound) in order, and for each letter the ones it begins."""
    cdef int c, g
    if len(rules) > MAX_GROUPS:
        raise ValueError(f"at most {MAX_GROUPS} letter groups")
    groups.count = 0
    for written, sound in rules:
        _set_group(&groups.group[groups.count], written, sound)
        groups.group[groups.count].abjad = written in abjad_groups
        groups.count += 1
    for c in range(128):
        groups.nfirst[c] = 0
    for g in range(groups.count):
        c = <unsigned char> groups.group[g].written[0] & 127
        groups.first[c][groups.nfirst[c]] = g
        groups.nfirst[c] += 1


cdef void _set_group(_Group* group, str written, str sound):
    data = written.encode("ascii")
    group.length = len(data)
    for i in range(group.length):
        group.written[i] = data[i]
    data = sound.encode("ascii")
    group.sound_length = len(data)
    for i in range(group.sound_length):
        group.sound[i] = data[i]


cdef inline bint _vowel(char c) noexcept:
    return c == b'a' or c == b'e' or c == b'i' or c == b'o' or c == b'u'


cdef inline bint _letter(char c) noexcept:
    return (c >= b'a' and c <= b'z') or (c >= b'A' and c <= b'Z')


cdef bint _letters_only(const char* s, int n) noexcept:
    cdef int i
    if n == 0:
        return False
    for i in range(n):
        if not _letter(s[i]):
            return False
    return True


cdef bint _lower_only(const char* s, int n) noexcept:
    cdef int i
    if n == 0:
        return False
    for i in range(n):
        if s[i] < b'a' or s[i] > b'z':
            return False
    return True


cdef bint _has_vowel(const char* s, int n) noexcept:
    cdef int i
    for i in range(n):
        if _vowel(s[i]):
            return True
    return False


cdef int _rewrite(const char* s, int n, char* out, _Groups* groups, bint abjad) noexcept:
    """Left to right, at each place the first group (in order) written there is replaced by
    its sound: what ``re.sub`` of the alternation does (``abjad``: only the groups that are
    one sound in a vowel-less transliteration). Only the groups the letter there begins are
    tried."""
    cdef int i = 0, o = 0, g, k, c
    cdef _Group* group
    cdef bint found
    while i < n:
        found = False
        c = <unsigned char> s[i] & 127
        for g in range(groups.nfirst[c]):
            group = &groups.group[groups.first[c][g]]
            if abjad and not group.abjad:
                continue
            if i + group.length > n:
                continue
            for k in range(1, group.length):
                if s[i + k] != group.written[k]:
                    break
            else:
                for k in range(group.sound_length):
                    out[o] = group.sound[k]
                    o += 1
                i += group.length
                found = True
                break
        if not found:
            out[o] = s[i]
            o += 1
            i += 1
    return o


cdef int _phonetic(const char* token, int n, char* out, char* work,
                   bint merge=True) noexcept:
    """phonetic_key into ``out`` (room for 2n + 2 letters); its length. ``work``: as much
    room again. The token has letters only. ``merge`` False: letters written twice stay
    two, and a final h stays (an abjad skeleton's key of a vowel-less token)."""
    cdef int i, o, m
    cdef const char* s = token
    cdef char c
    cdef bint vowels
    # pinyin x, Wade-Giles hs (not the h-s of a vowel-less Arabic transliteration: hsyn)
    vowels = _has_vowel(token, n)
    if s[0] == b'x' or (n >= 2 and s[0] == b'h' and s[1] == b's' and vowels):
        work[0] = b's'
        m = 2 if s[0] == b'h' else 1
        for i in range(m, n):
            work[1 + i - m] = s[i]
        n = 1 + n - m
        for i in range(n):
            out[i] = work[i]
        s = out
        vowels = _has_vowel(s, n)
    m = _rewrite(s, n, work, &_groups, not vowels)
    o = 0
    for i in range(m):
        c = work[i]
        out[o] = _letters[<unsigned char> c & 127][0]
        o += 1
        if _letters[<unsigned char> c & 127][1]:
            out[o] = _letters[<unsigned char> c & 127][1]
            o += 1
    m = _rewrite(out, o, work, &_vowel_groups, False)
    if not merge:
        for i in range(m):
            out[i] = work[i]
        return m
    o = 0
    for i in range(m):  # a letter written twice or more is one
        if o and out[o - 1] == work[i]:
            continue
        out[o] = work[i]
        o += 1
    if o > 3 and out[o - 1] == b'h' and _vowel(out[o - 2]):
        o -= 1
    return o


cdef int _abjad_key(const char* token, int n, char* out, char* work, char* pre) noexcept:
    """phonetic._abjad_key into ``out`` (``pre``: room for n letters): j kept (as Q), a
    vowel-less token's letters not merged (its final llh written lh), dj and dzh read as j
    and zh as z then h, c before e or i as s in a vowelled one."""
    cdef int i = 0, m = 0
    cdef bint vowels = _has_vowel(token, n)
    cdef bint allah = (not vowels and n >= 3 and token[n - 3] == b'l'
                       and token[n - 2] == b'l' and token[n - 1] == b'h')
    cdef char c
    if allah:
        n -= 1  # the article's l before Allah: bdllh is bdlh
    while i < n:
        c = token[i]
        if vowels and c == b'd' and i + 1 < n and token[i + 1] == b'j':
            i += 1  # dj: j
            continue
        if vowels and c == b'd' and i + 2 < n and token[i + 1] == b'z' and token[i + 2] == b'h':
            pre[m] = b'Q'  # dzh: j
            m += 1
            i += 3
            continue
        if vowels and c == b'z' and i + 1 < n and token[i + 1] == b'h':
            pre[m] = b'z'  # zh: z then h (H, which no group begins), as in Azhar
            pre[m + 1] = b'H'
            m += 2
            i += 2
            continue
        if vowels and c == b'c' and i + 1 < n and (token[i + 1] == b'e' or token[i + 1] == b'i'):
            c = b's'  # soft c (Feliciano)
        pre[m] = b'Q' if c == b'j' else c
        m += 1
        i += 1
    if allah:
        pre[m - 1] = b'h'
    return _phonetic(pre, m, out, work, vowels)


cdef bytes _ascii(str text):
    """The text as bytes when it is ASCII (else None)."""
    if not text.isascii():
        return None
    return text.encode("ascii")


DEF KEY = 0
DEF CONSONANTS = 1
DEF SKELETON = 2


cdef int _consonants_of(const char* token, int n, char* buf, int o) noexcept:
    """The consonants of phonetic key ``buf[:o]`` of ``token``, in place; their length."""
    cdef bint vowelless = not _has_vowel(token, n)
    cdef int i, k = 0
    cdef char c
    if not _letters_only(buf, o):
        return o
    for i in range(o):
        c = buf[i]
        if _vowel(c) or (vowelless and (c == b'i' or c == b'v' or c == b'u')):
            continue
        buf[k] = _classes[<unsigned char> c & 127]
        k += 1
    return k


cdef int _skeleton_of(const char* token, int n, char* buf) noexcept:
    """The abjad skeleton of ``token`` into ``buf`` (room for 5n + 8); its length."""
    cdef int i, k = 0
    cdef int o = _abjad_key(token, n, buf, buf + 2 * n + 4, buf + 4 * n + 8)
    cdef char c
    if not _letters_only(buf, o):
        return o
    for i in range(o):
        c = buf[i]
        if _vowel(c) or c == b'v':
            continue
        c = _classes[<unsigned char> c & 127]
        buf[k] = b'j' if c == b'Q' else c
        k += 1
    if k > 2 and buf[k - 1] == b'h':
        k -= 1
    return k


cdef int _east_slavic_of(const char* token, int n, char* buf) noexcept:
    """The east-Slavic key of ``token`` (letters, a vowel among them) into ``buf`` (room for
    8n + 16); its length."""
    cdef int i, m, o
    m = _east_slavic_rules(token, n, buf, buf + 2 * n + 4)
    for i in range(m):
        buf[4 * n + 8 + i] = buf[i]
    o = _phonetic(buf + 4 * n + 8, m, buf, buf + 2 * n + 4)
    for i in range(o):
        if buf[i] == b'a':
            buf[i] = b'o'
    return o


cdef int _east_slavic_keyed(const char* token, int n, const char* key, int key_len,
                            char* buf) noexcept:
    """:func:`_east_slavic_of` of ``token`` (letters, a vowel among them) whose phonetic key
    ``key[:key_len]`` is made already: when no east-Slavic rule rewrites the token, that
    key with its a read o (the key's own rewrites not done twice); into ``buf`` (room for
    8n + 16); its length."""
    cdef int i, m = _east_slavic_rules(token, n, buf, buf + 2 * n + 4)
    if m != n or memcmp(buf, token, n) != 0:
        return _east_slavic_of(token, n, buf)
    for i in range(key_len):
        buf[i] = b'o' if key[i] == b'a' else key[i]
    return key_len


cdef object _keyed(str token, int what):
    """The phonetic key of ``token``, or its consonants or abjad skeleton (``what``); None
    when it is not ASCII (Python does it)."""
    cdef bytes data = _ascii(token)
    cdef int n, o
    cdef char* buf
    if data is None or not _ready:
        return None
    n = len(data)
    if not _letters_only(data, n):
        return token
    buf = <char*> malloc(5 * n + 8)
    if buf == NULL:
        return None
    if what == SKELETON:
        o = _skeleton_of(data, n, buf)
    else:
        o = _phonetic(data, n, buf, buf + 2 * n + 4)
        if what == CONSONANTS:
            o = _consonants_of(data, n, buf, o)
    result = PyBytes_FromStringAndSize(buf, o).decode("ascii")
    free(buf)
    return result


DEF MAX_SPLIT = 16  # groups other_skeletons reads either way at most (the caller's most)


def other_skeletons(str token, int most):
    """phonetic.abjad_other_skeletons of a token of lowercase ASCII letters, in one call: the
    places of its first ``most`` letter groups (t, d, s, k or g, then h), each subset of
    them read as two letters (the h written H), each variant's abjad skeleton made here as
    ``abjad_skeleton`` makes it (:func:`_skeleton_of`), the distinct ones in order but the
    token's own. None for any other token, for ``most`` out of range, or when the rules are
    not configured (Python reads them)."""
    cdef bytes data = _ascii(token)
    cdef const char* s
    cdef char* buf
    cdef char* variant
    cdef int n, i, o, count = 0, bit
    cdef long chosen
    cdef int places[MAX_SPLIT]
    cdef dict out
    cdef str first
    if data is None or not _ready or most < 0 or most > MAX_SPLIT:
        return None
    n = <int> len(data)
    s = data
    if not _lower_only(s, n):
        return None
    if _has_vowel(s, n):
        return ()
    for i in range(1, n):
        if count < most and s[i] == b'h' and (
                s[i - 1] == b't' or s[i - 1] == b'd' or s[i - 1] == b's'
                or s[i - 1] == b'k' or s[i - 1] == b'g'):
            places[count] = i
            count += 1
    if count == 0:
        return ()
    buf = <char*> malloc(6 * n + 8)
    if buf == NULL:
        raise MemoryError()
    variant = buf + 5 * n + 8
    out = {}
    try:
        o = _skeleton_of(s, n, buf)
        first = PyBytes_FromStringAndSize(buf, o).decode("ascii")
        for chosen in range(1, 1 << count):
            memcpy(variant, s, n)
            for bit in range(count):
                if chosen >> bit & 1:
                    variant[places[bit]] = b'H'
            o = _skeleton_of(variant, n, buf)
            out[PyBytes_FromStringAndSize(buf, o).decode("ascii")] = None
    finally:
        free(buf)
    out.pop(first, None)
    return tuple(out)


def token_keys(str token, bint slavic):
    """The phonetic key, east-Slavic key (``slavic``; else empty), consonants and abjad
    skeleton of ``token``, as ASCII bytes, in one call (what the matcher's tables read of
    every query word); None unless the token is ASCII letters (Python does it)."""
    cdef bytes data = _ascii(token)
    if data is None or not _ready or not _letters_only(data, len(data)):
        return None
    return keys_of(data, <int> len(data), slavic)


cdef tuple keys_of(const char* data, int n, bint slavic):
    """:func:`token_keys` of ``data[:n]``, ASCII letters (the caller checked: ``_phonetic.pxd``
    shares this with the matcher's kernel); None when the rules are not configured yet or
    memory is short."""
    cdef char* buf
    cdef int o
    if not _ready:
        return None
    buf = <char*> malloc(8 * n + 16)
    if buf == NULL:
        return None
    try:
        o = _phonetic(data, n, buf, buf + 2 * n + 4)
        key = PyBytes_FromStringAndSize(buf, o)
        o = _consonants_of(data, n, buf, o)
        cons = PyBytes_FromStringAndSize(buf, o)
        o = _skeleton_of(data, n, buf)
        skel = PyBytes_FromStringAndSize(buf, o)
        if not slavic:
            slav = b""
        elif _has_vowel(data, n):
            slav = PyBytes_FromStringAndSize(buf, _east_slavic_of(data, n, buf))
        else:
            slav = PyBytes_FromStringAndSize(data, n)
        return key, slav, cons, skel
    finally:
        free(buf)


def swap_keys(str token, str slavic, str skeleton):
    """The keys of ``token`` read with two neighbouring letters swapped, for each place i
    where the two differ (in order): (i, the reading's phonetic key, ``slavic`` + its
    east-Slavic key or None, ``skeleton`` + its abjad skeleton or None), in one call for
    all the readings (the swap rule's index keys: a word no list word writes is read so,
    and each reading once made is asked for these three). The east-Slavic key when
    ``slavic`` is not None and the word has a vowel (none: ``phonetic.east_slavic_key``
    leaves it as written); the skeleton when the two letters swapped are consonants (the
    consonant rule's reading). None unless the token is lower-case ASCII letters, as
    normalised words are (Python does it: ``phonetic.reference_swap_keys``)."""
    cdef bytes data = _ascii(token)
    cdef bytes pre_slavic, pre_skeleton
    cdef const char* s
    cdef char* reading
    cdef char* buf
    cdef int n, i, o, ps = 0, pk
    cdef bint vowels, slavs
    cdef char x, y
    if data is None or not _ready or not _lower_only(data, len(data)):
        return None
    n = len(data)
    s = data
    vowels = _has_vowel(s, n)
    slavs = slavic is not None and vowels
    if slavs:
        pre_slavic = slavic.encode("ascii")
        ps = len(pre_slavic)
    pre_skeleton = skeleton.encode("ascii")
    pk = len(pre_skeleton)
    # the reading, then room for the longest key with its prefix (_east_slavic_of: 8n + 16)
    reading = <char*> malloc(n + 8 * n + 16 + ps + pk)
    if reading == NULL:
        return None
    buf = reading + n
    out = []
    try:
        memcpy(reading, s, n)
        for i in range(n - 1):
            x = s[i]
            y = s[i + 1]
            if x == y:
                continue
            reading[i] = y
            reading[i + 1] = x
            o = _phonetic(reading, n, buf, buf + 2 * n + 4)
            key = buf[:o].decode("ascii")
            slav = None
            if slavs:
                memcpy(buf, <const char*> pre_slavic, ps)
                o = _east_slavic_of(reading, n, buf + ps)
                slav = buf[:ps + o].decode("ascii")
            skel = None
            if not _vowel(x) and not _vowel(y):
                memcpy(buf, <const char*> pre_skeleton, pk)
                o = _skeleton_of(reading, n, buf + pk)
                skel = buf[:pk + o].decode("ascii")
            out.append((i, key, slav, skel))
            reading[i] = x
            reading[i + 1] = y
        return tuple(out)
    finally:
        free(reading)


cdef int key_into(const char* s, int n, char* out, char* work) noexcept:
    """:func:`phonetic_key` of ASCII ``s[:n]`` (n > 0) into ``out`` (room for 2n + 4, and
    ``work`` as much), as the compiled key reads it: letters only, their key; else the text
    as it is. Its length (-1: the rules are not configured yet)."""
    cdef int i
    if not _ready:
        return -1
    if not _letters_only(s, n):
        for i in range(n):
            out[i] = s[i]
        return n
    return _phonetic(s, n, out, work, True)


def phonetic_key(str token):
    """phonetic.phonetic_key (None: not ASCII, let Python do it)."""
    return _keyed(token, KEY)


def consonants(str token):
    """phonetic.consonants (None: not ASCII)."""
    return _keyed(token, CONSONANTS)


def abjad_skeleton(str token):
    """phonetic.abjad_skeleton (None: not ASCII)."""
    return _keyed(token, SKELETON)


cdef inline bint _consonant_after_u(char c) noexcept:
    """[bcdfghjklmnpqrstvwxz]: a consonant letter (not y)."""
    return _letter(c) and not _vowel(c) and c != b'y'


cdef char _two_letters_rule(const char* s, int n, int i, int rule) noexcept:
    """The letter east-Slavic rule ``rule`` writes for the two letters at ``i`` (0: none)."""
    if i + 1 >= n:
        return 0
    if rule == 3:  # dz not before h (Dzmitry)
        if s[i] == b'd' and s[i + 1] == b'z' and not (i + 2 < n and s[i + 2] == b'h'):
            return b'd'
    elif rule == 4:  # ts before i, e or y, or between vowels (Tsertsel, Rastsislau)
        if (s[i] == b't' and i + 2 < n and s[i + 1] == b's'
                and (s[i + 2] == b'i' or s[i + 2] == b'e' or s[i + 2] == b'y'
                     or (i > 0 and _vowel(s[i - 1]) and _vowel(s[i + 2])))):
            return b't'
    elif (s[i] == b'i' or s[i] == b'y') and (s[i + 1] == b'a' or s[i + 1] == b'e'):
        return b'e'  # rule 6: i or y before a or e (Sviatlana, Aliaksei)
    return 0


cdef int _two_into_one(const char* s, int n, char* out, int rule) noexcept:
    """Left to right, every two letters ``rule`` matches written as its one letter (what
    ``re.sub`` of the rule's pattern does); the new length."""
    cdef int i = 0, o = 0
    cdef char c
    while i < n:
        c = _two_letters_rule(s, n, i, rule)
        if c:
            out[o] = c
            i += 2
        else:
            out[o] = s[i]
            i += 1
        o += 1
    return o


cdef int _east_slavic_rules(const char* s, int n, char* out, char* work) noexcept:
    """The Belarusian and Ukrainian spelling rules of phonetic._EAST_SLAVIC, in order, each
    over the result of the one before (as the chain of ``re.sub`` does)."""
    cdef int i
    cdef char c
    # 0. e after ch, sh or zh, or after a ts a vowel precedes: a (Charhinets, Zaitsau)
    for i in range(n):
        c = s[i]
        if c == b'e' and i >= 2 and (
                (s[i - 1] == b'h' and (s[i - 2] == b'c' or s[i - 2] == b's'
                                       or s[i - 2] == b'z'))
                or (i >= 3 and s[i - 1] == b's' and s[i - 2] == b't' and _vowel(s[i - 3]))):
            c = b'a'
        out[i] = c
    # 1. u after a vowel, before a consonant or at the end: v (Zakharau)
    for i in range(n):
        c = out[i]
        if (c == b'u' and i > 0 and _vowel(out[i - 1])
                and (i + 1 == n or _consonant_after_u(out[i + 1]))):
            c = b'v'
        work[i] = c
    # 2. initial u before l and a vowel: v (Uladzimir)
    if n >= 3 and work[0] == b'u' and work[1] == b'l' and _vowel(work[2]):
        work[0] = b'v'
    n = _two_into_one(work, n, out, 3)  # 3. dz not before h: d (Dzmitry)
    n = _two_into_one(out, n, work, 4)  # 4. ts before i, e or y, or between vowels: t
    # 5. h not after k, s, z, c, g, t, d or p: g (Siarhei, Oleh)
    for i in range(n):
        c = work[i]
        if c == b'h' and not (i > 0 and (work[i - 1] == b'k' or work[i - 1] == b's'
                                         or work[i - 1] == b'z' or work[i - 1] == b'c'
                                         or work[i - 1] == b'g' or work[i - 1] == b't'
                                         or work[i - 1] == b'd' or work[i - 1] == b'p')):
            c = b'g'
        out[i] = c
    n = _two_into_one(out, n, work, 6)  # 6. i or y before a or e: e (Sviatlana)
    # 7. Mikal- before a: Nikol- (Mikalai)
    if (n > 5 and work[0] == b'm' and work[1] == b'i' and work[2] == b'k' and work[3] == b'a'
            and work[4] == b'l' and work[5] == b'a'):
        work[0] = b'n'
        work[3] = b'o'
    for i in range(n):
        out[i] = work[i]
    return n


def east_slavic_key(str token):
    """phonetic.east_slavic_key (None: not ASCII, or capitals)."""
    cdef bytes data = _ascii(token)
    cdef int n
    cdef char* buf
    if data is None or not _ready:
        return None
    n = len(data)
    if not _letters_only(data, n) or not _has_vowel(data, n):
        return token
    if not _lower_only(data, n):
        return None  # capitals (never in a normalised token): the rules as written read them
    buf = <char*> malloc(8 * n + 16)
    if buf == NULL:
        return None
    result = PyBytes_FromStringAndSize(buf, _east_slavic_of(data, n, buf)).decode("ascii")
    free(buf)
    return result
