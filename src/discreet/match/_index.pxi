# The kernel's part: included by _kernel.pyx (one compilation unit, one module).
# Candidates: index.py's sum of a query's keys per list name (NameIndex.candidates), on
# the index's postings as one array.

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
