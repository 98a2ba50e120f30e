# The kernel's part: included by _kernel.pyx (one compilation unit, one module).
# Edit distances (rapidfuzz's OSA and Levenshtein, which similarity.py, align.py and score.py
# call): bit-parallel (Hyyrö's algorithm, one machine word per string; a full table past 64
# letters).

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


def distance(bytes a, bytes b, bint transpositions):
    """The compiled edit distance (for tests: it must equal rapidfuzz's)."""
    return _pair_distance(a, len(a), b, len(b), transpositions)
