# The kernel's part: included by _kernel.pyx (one compilation unit, one module).
# Token similarity: similarity.py, rule for rule, on prepared strings (Str). Its numbers
# are rules.RULES (the struct R).

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


cdef inline double _swap_edit(const unsigned char* a, const unsigned char* b,
                              int m, bint written) noexcept:
    """similarity._swap_edit: the share of an edit a swap of two neighbouring letters
    counts (``b`` is ``a`` so swapped): less inside the word than at its first or last,
    least inside two words as written (``written``: not keys, not an abjad's)."""
    cdef int first = 0
    while a[first] == b[first]:
        first += 1
    if 0 < first < m - 2:
        return R.written_swap_edit if written else R.inner_swap_edit
    return R.swap_edit


cdef inline double _fuzzy(int edits, int longest, const unsigned char* a, int m,
                          const unsigned char* b, int n, bint written=False) noexcept:
    """similarity._fuzzy: edit similarity that forgives less in short tokens, two
    letters swapped aside (a swap counts swap_edit of an edit; a word with one swap is
    worth swapped_sim at least in words of three letters or more). ``written``: two
    words as written, not keys (_swap_edit)."""
    cdef double sim = 1.0 - (<double> edits) / (<double> longest)
    cdef bint swapped = edits == 1 and _swapped(a, m, b, n)
    cdef int swaps
    if swapped and longest >= R.short_token:
        sim = 1.0 - _swap_edit(a, b, m, written) / (<double> longest)
        return sim if sim >= R.swapped_sim else R.swapped_sim
    if longest <= R.short_token and edits:
        if swapped:
            return sim
        return sim if sim <= R.short_token_cap else R.short_token_cap
    if edits > 1 and sim >= R.min_sim:
        swaps = _pair_distance(a, m, b, n, False) - edits
        sim = 1.0 - ((<double> edits) - swaps * (1.0 - R.swap_edit)) / (<double> longest)
    if edits > 1 and longest <= R.short_word:
        return sim * R.short_word_factor
    return sim


cdef inline bint _not_arabic(Str* a) noexcept:
    cdef int i
    cdef unsigned char c
    for i in range(a.text_len):
        c = _text(a)[i]
        if c == b'c' or c == b'p' or c == b'q' or c == b'v' or c == b'x':
            return True
        if c == b'n' and i + 1 < a.text_len and _text(a)[i + 1] == b'g':
            return True
    return False


cdef bint _egyptian_g(Str* a, Str* b) noexcept:
    """similarity.egyptian_g: the words differ only where one writes g, the other j."""
    cdef int i, edits = 0, n = a.text_len
    cdef unsigned char x, y
    if n != b.text_len or n < R.egyptian_g_letters or not (a.alpha and b.alpha):
        return False
    for i in range(n):
        x = _text(a)[i]
        y = _text(b)[i]
        if x >= 128 or y >= 128:
            return False
        if x != y:
            if not ((x == b'g' and y == b'j') or (x == b'j' and y == b'g')):
                return False
            edits += 1
    return (edits > 0 and 1.0 - (<double> edits) / (<double> n) >= R.min_sim
            and not _not_arabic(a) and not _not_arabic(b))


cdef inline bint _plain_vowel(unsigned char c) noexcept:
    return c == b'a' or c == b'e' or c == b'i' or c == b'o' or c == b'u'


cdef inline int _mono_next(const unsigned char* s, int n, int* i) noexcept:
    """The next letter of similarity.monophthong(s) from ``i[0]`` on (a diphthong, aw au
    ow: o, ay ai ei ey: e, before a consonant or at the end, as its vowel), ``i[0]``
    moved past what it reads; -1 at the end."""
    cdef int k = i[0]
    cdef unsigned char c, d
    if k >= n:
        return -1
    c = s[k]
    if k + 1 < n and not (k + 2 < n and _plain_vowel(s[k + 2])):
        d = s[k + 1]
        if ((c == b'a' and (d == b'w' or d == b'u' or d == b'y' or d == b'i'))
                or (c == b'o' and d == b'w') or (c == b'e' and (d == b'i' or d == b'y'))):
            i[0] = k + 2
            return b'o' if (d == b'w' or d == b'u') else b'e'
    i[0] = k + 1
    return c


cdef bint _same_vowel(Str* a, Str* b, int* d) noexcept:
    """similarity._same_vowel: the words differ only in how they write a diphthong (``d``
    receives their edit distance when it is computed)."""
    cdef int i = 0, j = 0, x, y
    if a.text_len < R.variant_letters or b.text_len < R.variant_letters:
        return False
    while True:
        x = _mono_next(_text(a), a.text_len, &i)
        y = _mono_next(_text(b), b.text_len, &j)
        if x != y or x >= 128:
            return False
        if x < 0:
            break
    d[0] = _pair_distance(_text(a), a.text_len, _text(b), b.text_len, True)
    return _similar(d[0], a.text_len, b.text_len, R.min_sim)


cdef bint _ends_with(const unsigned char* s, int n, const char* tail, int m) noexcept:
    cdef int i
    if n != m:
        return False
    for i in range(m):
        if s[i] != <unsigned char> tail[i]:
            return False
    return True


cdef bint _diminutive(Str* a, Str* b, int* d) noexcept:
    """similarity.diminutive: one word is the other with a diminutive ending in place of
    its final a, e or o, or after it (``d`` receives their edit distance when computed)."""
    cdef Str* shorter = a if a.text_len < b.text_len else b
    cdef Str* longer = b if a.text_len < b.text_len else a
    cdef int i, stem = shorter.text_len, rest
    cdef unsigned char last
    cdef const unsigned char* tail
    if shorter.text_len < 3 or not (shorter.alpha and longer.alpha):
        return False
    last = _text(shorter)[stem - 1]
    if last == b'a' or last == b'e' or last == b'o':
        stem -= 1
    rest = longer.text_len - stem
    if stem < 3 or rest < 3 or rest > 4:
        return False
    for i in range(stem):
        if _text(longer)[i] != _text(shorter)[i] or _text(longer)[i] >= 128:
            return False
    for i in range(stem, shorter.text_len):
        if _text(shorter)[i] >= 128:
            return False
    tail = _text(longer) + stem
    if not (_ends_with(tail, rest, b"cito", 4) or _ends_with(tail, rest, b"cita", 4)
            or _ends_with(tail, rest, b"illo", 4) or _ends_with(tail, rest, b"illa", 4)
            or _ends_with(tail, rest, b"ito", 3) or _ends_with(tail, rest, b"ita", 3)):
        return False
    d[0] = _pair_distance(_text(a), a.text_len, _text(b), b.text_len, True)
    return _similar(d[0], a.text_len, b.text_len, R.min_sim)


cdef bint _baltic(Str* a, Str* b) noexcept:
    """similarity._baltic: one token is the other with a Baltic nominative ending."""
    cdef Str* longer = a if a.text_len > b.text_len else b
    cdef Str* shorter = b if a.text_len > b.text_len else a
    cdef int k
    if shorter.text_len < R.variant_letters:
        return False
    for k in range(longer.nstems):
        if (longer.text_len - _stem(longer, k).cut >= shorter.text_len - 1
                and _same(_stem_key(longer, k), _stem(longer, k).key_len, _key(shorter),
                          shorter.key_len)):
            return True
    return False


cdef inline bint _writes_mater(unsigned char mater, unsigned char ch) noexcept:
    """similarity._MATRES: ``ch`` writes what an abjad writes with ``mater`` (w or y)."""
    if mater == b'w':
        return ch == b'o' or ch == b'u' or ch == b'w' or ch == b'v'
    return ch == b'i' or ch == b'e' or ch == b'y'


cdef inline bint _writes_at(Str* bare, int i, Str* vowelled, int at) noexcept:
    """similarity._writes_mater: ``vowelled`` writes at ``at`` what ``bare`` writes with
    its w or y at ``i`` (a final y also the final a of the alif maqsura, after the
    consonant the abjad writes before the y)."""
    if _writes_mater(_text(bare)[i], _text(vowelled)[at]):
        return True
    return (_text(bare)[i] == b'y' and i == bare.text_len - 1
            and at == vowelled.text_len - 1 and _text(vowelled)[at] == b'a'
            and _text(vowelled)[at - 1] == _text(bare)[i - 1])


cdef bint _consonant_w(Str* vowelled) noexcept:
    """similarity.consonant_w: a w after the first letter, a vowel or a w before it and a
    vowel after it (the consonant waw)."""
    cdef const unsigned char* t = _text(vowelled)
    cdef int k
    for k in range(1, vowelled.text_len - 1):
        if (t[k] == b'w' and _vowel_char(t[k + 1])
                and (_vowel_char(t[k - 1]) or t[k - 1] == b'w')):
            return True
    return False


cdef bint _writes_w(Str* bare) noexcept:
    """The token has a w."""
    cdef const unsigned char* t = _text(bare)
    cdef int k
    for k in range(bare.text_len):
        if t[k] == b'w':
            return True
    return False


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
    if _consonant_w(vowelled) and not _writes_w(bare):
        return True
    for i in range(1, bare.text_len):
        ch = _text(bare)[i]
        if (ch != b'w' and ch != b'y') or (i >= 2 and _text(bare)[i - 1] == ch):
            continue
        while at < vowelled.text_len and not _writes_at(bare, i, vowelled, at):
            at += 1
        if at == vowelled.text_len:
            return True
        at += 1
    return False


cdef inline int _next_of(const unsigned char* t, int n, int i, int prev,
                         unsigned char c1, unsigned char c2) noexcept:
    """similarity._letters_of: the first letter c1 or c2 at ``i`` or after that counts (not
    doubled after ``prev``, the last that counted, nor before an h), or n."""
    cdef unsigned char ch
    while i < n:
        ch = t[i]
        if ((ch == c1 or ch == c2) and not (i + 1 < n and t[i + 1] == b'h')
                and not (prev >= 0 and prev == i - 1 and t[i - 1] == ch)):
            return i
        i += 1
    return n


cdef inline int _count_of(const unsigned char* t, int n, unsigned char c1,
                          unsigned char c2) noexcept:
    """similarity._letters_of: how many letters c1 or c2 count."""
    cdef int count = 0
    cdef int i = _next_of(t, n, 0, -1, c1, c2)
    while i < n:
        count += 1
        i = _next_of(t, n, i + 1, i, c1, c2)
    return count


cdef bint _pair_differs(const unsigned char* x, int m, const unsigned char* y, int n,
                        unsigned char c1, unsigned char c2, unsigned char either) noexcept:
    """similarity.voicing_differs for one pair of letters: the vowel-less ``x``'s letters c1
    and c2, in order, against the vowelled ``y``'s, one differs (not at y's end, and not
    where x writes ``either``)."""
    cdef int i, j
    if _count_of(x, m, c1, c2) != _count_of(y, n, c1, c2):
        return False
    i = _next_of(x, m, 0, -1, c1, c2)
    j = _next_of(y, n, 0, -1, c1, c2)
    while i < m:
        if x[i] != y[j] and j != n - 1 and x[i] != either:
            return True
        i = _next_of(x, m, i + 1, i, c1, c2)
        j = _next_of(y, n, j + 1, j, c1, c2)
    return False


cdef bint _voicing_differs(Str* a, Str* b) noexcept:
    """similarity.voicing_differs: the abjad token's d and t (s and z, but an abjad z; p
    and b, but an abjad b), in order, against the vowelled one's: one differs, not at the
    vowelled word's end."""
    cdef Str* bare
    cdef Str* vowelled
    cdef const unsigned char* x
    cdef const unsigned char* y
    cdef int m, n
    if a.vowelless == b.vowelless:
        return False
    bare, vowelled = (a, b) if a.vowelless else (b, a)
    x, m, y, n = _text(bare), bare.text_len, _text(vowelled), vowelled.text_len
    return (_pair_differs(x, m, y, n, b'd', b't', 0)
            or _pair_differs(x, m, y, n, b's', b'z', b'z')
            or _pair_differs(x, m, y, n, b'b', b'p', b'b'))


cdef double _skeletons_sim(const unsigned char* a, int m, const unsigned char* b, int n,
                           bint unmatched) noexcept:
    """similarity._skeletons_sim: how alike two abjad skeletons are."""
    cdef int longest = m if m > n else n
    cdef int d = _pair_distance(a, m, b, n, False)
    cdef double sim
    if unmatched:
        sim = R.abjad_sim * (1.0 - (<double> (d + 1)) / (<double> (longest + 1)))
    else:
        sim = R.abjad_sim * (1.0 - (<double> d) / (<double> longest))
    return sim * (1.0 if longest >= R.skeleton_letters else R.short_skeleton)


cdef double _skeleton_sim(Str* a, Str* b, double fuzzy, int abjad) noexcept:
    """similarity._skeleton_sim: similarity from consonants alone (each reading of a
    vowel-less token's th, dh, sh, kh, gh: the closest)."""
    cdef int shortest = a.text_len if a.text_len < b.text_len else b.text_len
    cdef double sim, other
    cdef bint unmatched
    cdef int at_a, at_b, m, n
    cdef const unsigned char* x
    cdef const unsigned char* y
    if (abjad and (a.vowelless or b.vowelless) and shortest >= 2 and a.alpha and b.alpha
            and a.skel_len and b.skel_len
            and (abjad != BARE or _opens_vowel(a) == _opens_vowel(b))
            and not (abjad != BARE and _glides_differ(a, b))):
        unmatched = _matres_unmatched(a, b) or (abjad != BARE and _voicing_differs(a, b))
        sim = _skeletons_sim(_skel(a), a.skel_len, _skel(b), b.skel_len, unmatched)
        if not (a.others_len or b.others_len):
            return _bare_max(sim, a, b, fuzzy, abjad)
        at_a = -1
        m = _reading(a, &at_a, &x)
        while m:
            at_b = -1
            n = _reading(b, &at_b, &y)
            while n:
                other = _skeletons_sim(x, m, y, n, unmatched)
                sim = other if other > sim else sim
                n = _reading(b, &at_b, &y)
            m = _reading(a, &at_a, &x)
        return _bare_max(sim, a, b, fuzzy, abjad)
    return _consonant_sim(a, b, fuzzy)


cdef inline int _opening_glide(Str* s) noexcept:
    """similarity.opening_glide: the letter w or y a vowel follows, or 0."""
    cdef const unsigned char* t = _text(s)
    if s.text_len > 1 and (t[0] == b'w' or t[0] == b'y') and _plain_vowel(t[1]):
        return t[0]
    return 0


cdef inline bint _glides_differ(Str* a, Str* b) noexcept:
    """similarity.glides_differ: a vowelled spelling opened by the consonant w or y, an
    abjad one not opened by that letter."""
    cdef int glide
    if a.vowelless == b.vowelless:
        return False
    glide = _opening_glide(b if a.vowelless else a)
    return glide != 0 and _text(a if a.vowelless else b)[0] != glide


cdef inline bint _opens_vowel(Str* s) noexcept:
    """similarity._skeleton_sim: the string begins with a, e, i, o, u or y."""
    cdef unsigned char c = _text(s)[0]
    return c == b'a' or c == b'e' or c == b'i' or c == b'o' or c == b'u' or c == b'y'


cdef inline double _bare_max(double sim, Str* a, Str* b, double fuzzy, int abjad) noexcept:
    """similarity._skeleton_sim: a Latin query written without vowels (BARE) keeps the Latin
    consonant rule too."""
    cdef double other
    if abjad != BARE:
        return sim
    other = _consonant_sim(a, b, fuzzy)
    return other if other > sim else sim


cdef inline double _consonant_sim(Str* a, Str* b, double fuzzy) noexcept:
    """similarity._consonant_sim: the same consonants, an edit similarity ``fuzzy``."""
    if (fuzzy >= R.consonant_fuzzy and a.text_len >= R.variant_letters
            and b.text_len >= R.variant_letters):
        if a.cons_len >= 2 and _same(_cons(a), a.cons_len, _cons(b), b.cons_len):
            return R.consonant_base + R.consonant_scale * fuzzy
    return 0.0


cdef inline int _once(const unsigned char* text, int n, unsigned char* out) noexcept:
    """similarity._once: ``text`` with each run of one letter written once, into ``out``
    (room for n letters); its length."""
    cdef int i, m = 0
    for i in range(n):
        if i == 0 or text[i] != text[i - 1]:
            out[m] = text[i]
            m += 1
    return m


cdef inline int _y_skeleton(Str* a, unsigned char* out) noexcept:
    """similarity.y_skeleton into ``out`` (room for a.text_len letters): the first letter
    and every later letter but a-e-i-o-u; its length."""
    cdef int i, m = 1
    cdef unsigned char c
    out[0] = _text(a)[0]
    for i in range(1, a.text_len):
        c = _text(a)[i]
        if not (c == 97 or c == 101 or c == 105 or c == 111 or c == 117):  # a e i o u
            out[m] = c
            m += 1
    return m


cdef inline bint _letter_alike(unsigned char a, unsigned char b) noexcept:
    """Two letters _distance counts as the same (it reads a letter's lower 7 bits)."""
    return ((a ^ b) & 127) == 0


cdef bint _letters_alike_from(const unsigned char* x, const unsigned char* y, int start,
                      int end) noexcept:
    cdef int k
    for k in range(start, end):
        if not _letter_alike(x[k], y[k]):
            return False
    return True


cdef bint _apart_at_most(const unsigned char* x, int m, const unsigned char* y, int n,
                         bint transpositions, int most) noexcept:
    """Whether ``_pair_distance(x, m, y, n, transpositions)`` is at most ``most`` (0 or 1:
    the same letters, or one edit apart), told in one pass over the letters from the first
    that differs, not by the distance's table (the bound asks it of many pairs of words)."""
    cdef int i = 0, shortest = m if m < n else n
    if most < 0:
        return False
    if most > 1 or m > 64 or n > 64:
        return _pair_distance(x, m, y, n, transpositions) <= most
    if m - n > most or n - m > most:
        return False
    while i < shortest and _letter_alike(x[i], y[i]):
        i += 1
    if m > n:  # the longer without its first letter that differs is the shorter
        return _letters_alike_from(x + 1, y, i, n)
    if n > m:
        return _letters_alike_from(x, y + 1, i, m)
    if i == m:  # the same letters
        return True
    if most == 0:
        return False
    if _letters_alike_from(x, y, i + 1, m):  # one replaced
        return True
    return (transpositions and i + 1 < m and _letter_alike(x[i], y[i + 1])
            and _letter_alike(x[i + 1], y[i]) and _letters_alike_from(x, y, i + 2, m))


def apart_at_most(bytes a, bytes b, bint transpositions, int most):
    """:func:`_apart_at_most` (for tests: it must equal ``distance(a, b, transpositions) <=
    most``)."""
    return _apart_at_most(a, len(a), b, len(b), transpositions, most)


cdef inline bint _vowelless_pairs(Str* a, Str* b, int* edits, int* longest) noexcept:
    """Whether similarity._vowelless_sim applies: a word without vowels (after its first
    letter) and a word, letters only, whose vowel skeletons are equal (or one edit apart,
    in skeletons of five letters or more; skeletons with their y kept when the vowel
    skeletons are one letter); ``edits`` receives the skeletons' distance, ``longest`` the
    longer skeleton's length (``edits`` NULL: only whether, which needs no distance)."""
    if not (a.latin_vowelless or b.latin_vowelless) or not (a.alpha and b.alpha):
        return False
    cdef unsigned char y_a[64]
    cdef unsigned char y_b[64]
    cdef const unsigned char* sa = _vskel(a)
    cdef const unsigned char* sb = _vskel(b)
    cdef int la = a.vskel_len, lb = b.vskel_len
    longest[0] = la if la > lb else lb
    if longest[0] < 2:
        # "My" for Mayu: the y the short word kept is its skeleton's second letter
        if a.text_len > 64 or b.text_len > 64:
            return False
        la = _y_skeleton(a, y_a)
        lb = _y_skeleton(b, y_b)
        sa, sb = y_a, y_b
        longest[0] = la if la > lb else lb
        if longest[0] < 2:
            return False
    cdef unsigned char once_a[64]
    cdef unsigned char once_b[64]
    cdef int d, na, nb, most = 1 if longest[0] >= R.vowelless_slip_letters else 0
    if edits == NULL:  # the skeletons within ``most``, or (below) those written once
        if _apart_at_most(sa, la, sb, lb, False, most):
            return True
        if la > 64 or lb > 64:
            return False
        na = _once(sa, la, once_a)
        nb = _once(sb, lb, once_b)
        return ((na if na > nb else nb) >= R.skeleton_letters
                and _apart_at_most(once_a, na, once_b, nb, False, most))
    edits[0] = _pair_distance(sa, la, sb, lb, False)
    if edits[0] and la <= 64 and lb <= 64:
        # a letter written twice in one skeleton and once in the other is no edit (in
        # skeletons of skeleton_letters or more written once)
        na = _once(sa, la, once_a)
        nb = _once(sb, lb, once_b)
        if (na if na > nb else nb) >= R.skeleton_letters:
            d = _pair_distance(once_a, na, once_b, nb, False)
            if d < edits[0]:
                edits[0] = d
    return edits[0] <= most


cdef inline int _key_skeleton(const unsigned char* key, int n, bint lead_o,
                              unsigned char* out) noexcept:
    """similarity.vowel_skeleton of a key into ``out`` (room for n letters), its first a
    read o (``lead_o``); its length."""
    cdef int i, m = 1
    cdef unsigned char c
    out[0] = b'o' if lead_o and key[0] == b'a' else key[0]
    for i in range(1, n):
        c = key[i]
        if not (c == 97 or c == 101 or c == 105 or c == 111 or c == 117 or c == 121):
            out[m] = c
            m += 1
    return m


cdef inline unsigned char _opening_vowel(unsigned char c) noexcept:
    """similarity.opening_vowel_read of a skeleton's first letter: a o u read o, e i read i."""
    if c == b'a' or c == b'u':
        return b'o'
    if c == b'e':
        return b'i'
    return c


cdef inline bint _folded_reading(const unsigned char* fa, int la, const unsigned char* fb,
                                 int lb, int* edits, int* longest) noexcept:
    """_folded_pairs of one reading of the vowelled word: the two folded skeletons of
    skeleton_letters or more, equal or one edit apart in five letters or more."""
    if (la if la < lb else lb) < R.skeleton_letters:
        return False
    longest[0] = la if la > lb else lb
    if edits == NULL:
        return _apart_at_most(fa, la, fb, lb, False,
                              1 if longest[0] >= R.vowelless_slip_letters else 0)
    edits[0] = _pair_distance(fa, la, fb, lb, False)
    return edits[0] <= (1 if longest[0] >= R.vowelless_slip_letters else 0)


cdef inline bint _folded_pairs(Str* a, Str* b, int* edits, int* longest) noexcept:
    """Whether similarity._folded_sim applies: a word without vowels (after its first
    letter) against a word with them, of variant_letters or more (its east-Slavic key
    made), whose folded skeletons (the first's phonetic key's against the other's
    east-Slavic key's, the first a read o; or the two phonetic keys': similarity.
    _folded_sim) have skeleton_letters or more and are equal (or one edit apart,
    in skeletons of five letters or more); ``edits``, ``longest`` as _vowelless_pairs,
    of the reading that gives the higher similarity (``edits`` NULL: only whether)."""
    if a.latin_vowelless == b.latin_vowelless or not (a.alpha and b.alpha):
        return False
    cdef Str* bare = a if a.latin_vowelless else b
    cdef Str* vowelled = b if a.latin_vowelless else a
    if (vowelled.eskey_len == 0 or bare.key_len == 0 or vowelled.eskey_len > 64
            or bare.key_len > 64 or vowelled.key_len == 0 or vowelled.key_len > 64):
        return False
    cdef unsigned char fa[64]
    cdef unsigned char fb[64]
    cdef int la = _key_skeleton(_key(bare), bare.key_len, True, fa)
    cdef int lb = _key_skeleton(_eskey(vowelled), vowelled.eskey_len, False, fb)
    # similarity.opening_vowel_read: the opening vowel read by its class (a o u, e i)
    fa[0] = _opening_vowel(fa[0])
    fb[0] = _opening_vowel(fb[0])
    cdef bint found = _folded_reading(fa, la, fb, lb, edits, longest)
    if found and (edits == NULL or edits[0] == 0):
        return True
    cdef int first_edits = 0, first_longest = 0
    if found:
        first_edits, first_longest = edits[0], longest[0]
    # the phonetic keys' reading, first a kept (Khanif / Hanif: the east-Slavic key reads
    # h as g)
    la = _key_skeleton(_key(bare), bare.key_len, False, fa)
    lb = _key_skeleton(_key(vowelled), vowelled.key_len, False, fb)
    if not _folded_reading(fa, la, fb, lb, edits, longest):
        if found:
            edits[0], longest[0] = first_edits, first_longest
        return found
    # both read: the one with the fewer edits per letter (the higher similarity)
    if found and first_edits * longest[0] <= edits[0] * first_longest:
        edits[0], longest[0] = first_edits, first_longest
    return True


cdef inline double _skeleton_credit(int letters) noexcept:
    """similarity._skeleton_credit: a vowel skeleton's worth against the word, the vowels'
    doubt spread over the letters of a skeleton of ``vowelless_slip_letters`` or more."""
    if letters < R.vowelless_slip_letters:
        return R.vowelless_sim
    return 1.0 - (1.0 - R.vowelless_sim) * R.skeleton_letters / (<double> letters)


cdef inline bint _end_edit(const unsigned char* x, int m, const unsigned char* y,
                           int n) noexcept:
    """similarity._end_edit: one edit apart at the first or the last letter."""
    if m == n:
        return m >= 1 and (memcmp(x + 1, y + 1, m - 1) == 0 or memcmp(x, y, m - 1) == 0)
    if m == n + 1:
        return memcmp(x + 1, y, n) == 0 or memcmp(x, y, n) == 0
    if n == m + 1:
        return memcmp(y + 1, x, m) == 0 or memcmp(y, x, m) == 0
    return False


cdef double _vowelless_sim(Str* a, Str* b, int abjad) noexcept:
    """similarity._vowelless_sim: a word written without its vowels against the word (or
    a spelling variant of it, no name in an abjad: similarity._folded_sim; ``abjad``
    0, 1 or BARE, as similarity.BARE)."""
    cdef int edits = 0, longest = 0, la, lb, na, nb
    cdef double sim = 0.0, folded
    cdef unsigned char once_a[64]
    cdef unsigned char once_b[64]
    # similarity._edit_letters: an edit at either end of the skeletons is one of the
    # longer word's letters as written, no name in an abjad (else the skeleton's)
    cdef int letters = 0 if abjad and abjad != BARE else (
        a.text_len if a.text_len > b.text_len else b.text_len)
    if not (a.latin_vowelless or b.latin_vowelless) or not (a.alpha and b.alpha):
        return 0.0
    if _vowelless_pairs(a, b, &edits, &longest):
        if edits == 1 and letters > longest:
            la, lb = a.vskel_len, b.vskel_len
            if not _end_edit(_vskel(a), la, _vskel(b), lb):
                letters = 0
                if la <= 64 and lb <= 64:
                    na = _once(_vskel(a), la, once_a)
                    nb = _once(_vskel(b), lb, once_b)
                    if ((na if na > nb else nb) >= R.skeleton_letters
                            and _end_edit(once_a, na, once_b, nb)):
                        letters = a.text_len if a.text_len > b.text_len else b.text_len
        sim = ((_skeleton_credit(a.vskel_len if a.vskel_len < b.vskel_len else b.vskel_len)
                if abjad == BARE and edits == 0 else R.vowelless_sim)
               * (1.0 - (<double> edits) / (<double> (longest if longest > letters
                                                       else letters))))
        sim *= (1.0 if longest >= R.skeleton_letters else R.short_skeleton)
    if (not abjad or abjad == BARE) and _folded_pairs(a, b, &edits, &longest):
        folded = (R.vowelless_sim * R.east_slavic_sim
                  * (1.0 - (<double> edits) / (<double> longest)))
        if folded > sim:
            sim = folded
    return sim


cdef double _spelling(Str* a, Str* b, int* method, int* d) noexcept:
    """similarity._spelling: the spelling rules that read the words as written (their
    similarity, ``method`` set; -1 when none applies). ``d``: the texts' edit distance
    when known (-1 else), set when computed."""
    if _egyptian_g(a, b):
        method[0] = M_PHONETIC
        return R.phonetic_sim
    if _same_vowel(a, b, d):
        method[0] = M_PHONETIC
        return R.diphthong_sim
    if _diminutive(a, b, d):
        method[0] = M_FUZZY
        return R.diminutive_sim
    if _baltic(a, b):
        d[0] = _pair_distance(_text(a), a.text_len, _text(b), b.text_len, True)
        if _similar(d[0], a.text_len, b.text_len, R.min_sim):
            method[0] = M_DECLINED
            return R.baltic_sim
    if (a.text_len >= R.variant_letters and b.text_len >= R.variant_letters
            and _same(_eskey(a), a.eskey_len, _eskey(b), b.eskey_len)):
        if d[0] < 0:
            d[0] = _pair_distance(_text(a), a.text_len, _text(b), b.text_len, True)
        if _similar(d[0], a.text_len, b.text_len, R.min_sim):
            method[0] = M_ROMANISED
            return R.east_slavic_sim
    return -1.0


cdef inline bint _doubled(Str* a, Str* b) noexcept:
    """similarity.doubled: different words of letters (one written with a run at least)
    that are one once each run of a letter is written once, two letters at least so."""
    cdef Str* once_a = _written_once(a)
    cdef Str* once_b = _written_once(b)
    return (a.alpha and b.alpha and (a.once != 0 or b.once != 0)
            and once_a.text_len >= 2
            and _same(_text(once_a), once_a.text_len, _text(once_b), once_b.text_len))


cdef bint _initial_twice(Str* a, Str* b) noexcept:
    """similarity.initial_twice: one word the other with the consonant it begins with
    written twice, a vowel after it (ASCII letters, the other variant_letters long at
    least)."""
    cdef Str* s = a if a.text_len < b.text_len else b
    cdef Str* l = b if a.text_len < b.text_len else a
    cdef unsigned char c
    if l.text_len != s.text_len + 1 or s.text_len < R.variant_letters or not s.alpha \
            or not _ascii(s):
        return False
    c = _text(s)[0]
    return (c == _text(l)[0] and not _plain_vowel(c) and _plain_vowel(_text(s)[1])
            and memcmp(_text(l) + 1, _text(s), s.text_len) == 0)


cdef bint _typed_thrice(Str* a, Str* b) noexcept:
    """similarity.typed_thrice: the words (ASCII, not the same) are one once each run of a
    letter three long or more is written twice, and that is not a roman numeral's letters.
    Run by run: the same letter, both runs of one letter or both of two or more."""
    cdef const unsigned char* x = _text(a)
    cdef const unsigned char* y = _text(b)
    cdef int i = 0, j = 0, ri, rj, m = a.text_len, n = b.text_len
    cdef bint roman = True
    if not (_ascii(a) and _ascii(b)) or _same(x, m, y, n):
        return False
    while i < m and j < n:
        if x[i] != y[j]:
            return False
        ri = i + 1
        while ri < m and x[ri] == x[i]:
            ri += 1
        rj = j + 1
        while rj < n and y[rj] == y[j]:
            rj += 1
        if (ri - i >= 2) != (rj - j >= 2):
            return False
        if memchr(b"ivxlcdm", x[i], 7) == NULL:
            roman = False
        i, j = ri, rj
    return i == m and j == n and not roman


cdef double _typed_twice(Str* a, Str* b, int* method) noexcept:
    """similarity.typed_twice: the spelling rules, else the consonant rule, on the words
    with each run of a letter written once (one of them written so), no edit for a letter
    so dropped (-1: none)."""
    cdef Str* once_a = _written_once(a)
    cdef Str* once_b = _written_once(b)
    cdef int d = -1, longest
    cdef double sim
    if not (a.alpha and b.alpha) or (a.once == 0) == (b.once == 0) or _same(
            _text(once_a), once_a.text_len, _text(once_b), once_b.text_len):
        return -1.0
    sim = _spelling(once_a, once_b, method, &d)
    if sim < 0.0:
        if d < 0:
            d = _pair_distance(_text(once_a), once_a.text_len, _text(once_b), once_b.text_len, True)
        longest = once_a.text_len if once_a.text_len > once_b.text_len else once_b.text_len
        sim = _consonant_sim(once_a, once_b, _fuzzy(d, longest, _text(once_a), once_a.text_len,
                                                    _text(once_b), once_b.text_len))
        if sim == 0.0:
            return -1.0
        method[0] = M_SKELETON
    return sim


DEF SLIP_LENGTHS = 2  # similarity._SLIP_LENGTHS


cdef bint _one_edit(const unsigned char* x, int m, const unsigned char* y, int n) noexcept:
    """Whether the optimal string alignment distance of ``x`` and ``y``
    (``_pair_distance(x, m, y, n, True)``) is 1: one letter more or less, one replaced, or
    two neighbours swapped. Told in one pass over the letters from the first that differs,
    not by the distance's table: most pairs a bound tests are no slip apart, and this is
    asked of every pair of words of near length."""
    cdef int i = 0, shortest = m if m < n else n
    if m > 64 or n > 64 or m - n > 1 or n - m > 1:
        return _pair_distance(x, m, y, n, True) == 1
    while i < shortest and _letter_alike(x[i], y[i]):
        i += 1
    if m > n:  # the longer without its first letter that differs is the shorter
        return _letters_alike_from(x + 1, y, i, n)
    if n > m:
        return _letters_alike_from(x, y + 1, i, m)
    if i == m:  # the same letters
        return False
    if _letters_alike_from(x, y, i + 1, m):  # one replaced
        return True
    return (i + 1 < m and _letter_alike(x[i], y[i + 1]) and _letter_alike(x[i + 1], y[i])
            and _letters_alike_from(x, y, i + 2, m))  # two neighbours swapped


def one_edit(bytes a, bytes b):
    """Whether the compiled edit distance (with transpositions) of ``a`` and ``b`` is 1, as
    :func:`_one_edit` tells it (for tests: it must equal ``distance(a, b, True) == 1``)."""
    return _one_edit(a, len(a), b, len(b))


cdef bint _one_slip(const unsigned char* x, int m, const unsigned char* y, int n) noexcept:
    """similarity.one_slip: one letter more or less, or two neighbouring letters swapped
    (keys of variant_letters letters at least), not a letter more at the end."""
    if m < R.variant_letters or n < R.variant_letters or _same(x, m, y, n) or m - n > 1 \
            or n - m > 1:
        return False
    if not _one_edit(x, m, y, n):
        return False
    if m == n:
        return _swapped(x, m, y, n)
    return memcmp(x, y, m if m < n else n) != 0  # the shorter does not begin the longer


cdef double _slipped_variant(Str* a, Str* b) noexcept:
    """similarity.slipped_variant: a slip on top of a spelling variant, the words' east-
    Slavic keys or phonetic keys one slip apart (-1: none)."""
    cdef int longest
    cdef double edit = 0.0  # the slip's share of an edit: a swap's less (_fuzzy)
    if not (a.alpha and b.alpha) or a.text_len < R.variant_letters \
            or b.text_len < R.variant_letters or a.text_len - b.text_len > SLIP_LENGTHS \
            or b.text_len - a.text_len > SLIP_LENGTHS:
        return -1.0
    if _one_slip(_eskey(a), a.eskey_len, _eskey(b), b.eskey_len):
        edit = R.swap_edit if a.eskey_len == b.eskey_len else 1.0
    if _one_slip(_key(a), a.key_len, _key(b), b.key_len):
        if a.key_len == b.key_len:
            edit = R.swap_edit
        elif edit == 0.0:
            edit = 1.0
    if edit == 0.0:
        return -1.0
    # min_sim once the slip's edit is forgiven
    if not _similar(_pair_distance(_text(a), a.text_len, _text(b), b.text_len, True) - 1,
                    a.text_len, b.text_len, R.min_sim):
        return -1.0
    longest = a.text_len if a.text_len > b.text_len else b.text_len
    return R.east_slavic_sim * (1.0 - edit / longest)


cdef inline bint _ascii(Str* a) noexcept:
    cdef int i
    for i in range(a.text_len):
        if _text(a)[i] >= 128:
            return False
    return True


cdef int _vowels_apart(const unsigned char* x, const unsigned char* y, int n) noexcept:
    """similarity._vowels_apart of two texts of ``n`` letters each."""
    cdef int i, apart = 0
    for i in range(n):
        if x[i] != y[i]:
            if not (_plain_vowel(x[i]) and _plain_vowel(y[i])):
                return -1
            apart += 1
    return apart


cdef double _start_slip(Str* a, Str* b) noexcept:
    """similarity.start_slip: one word the other with its first letter dropped or its first
    two swapped, the rest as written or with vowels written otherwise (-1: none)."""
    cdef int longest, vowels = -1, apart, k
    cdef Str* x
    cdef Str* y
    cdef double slip, fuzzy
    if a.text_len < R.variant_letters or b.text_len < R.variant_letters \
            or not (a.alpha and b.alpha) or _text(a)[0] == _text(b)[0]:
        return -1.0
    if _text(a)[0] != _text(b)[1] and _text(b)[0] != _text(a)[1]:
        return -1.0  # neither begins with the other's second letter (the test below asks
        # it of both ways), told before the letters are read through
    if not (_ascii(a) and _ascii(b)):
        return -1.0
    longest = a.text_len if a.text_len > b.text_len else b.text_len
    for k in range(2):
        x = a if k == 0 else b
        y = b if k == 0 else a
        if _text(x)[0] != _text(y)[1]:
            continue
        if x.text_len == y.text_len - 1:
            apart = _vowels_apart(_text(x), _text(y) + 1, x.text_len)
            if apart >= 0 and (vowels < 0 or apart < vowels):
                vowels = apart
        if x.text_len == y.text_len and _text(x)[1] == _text(y)[0]:
            apart = _vowels_apart(_text(x) + 2, _text(y) + 2, x.text_len - 2)
            if apart >= 0 and (vowels < 0 or apart < vowels):
                vowels = apart
    if vowels < 0:
        return -1.0
    slip = 1.0 - R.start_slip_edit / (<double> longest)
    if vowels == 0:
        return slip
    fuzzy = 1.0 - (<double> vowels) / (<double> longest)
    if fuzzy < R.consonant_fuzzy:
        return -1.0
    return slip * (R.consonant_base + R.consonant_scale * fuzzy)


cdef inline bint _ending(unsigned char c) noexcept:
    """similarity._ENDINGS: a letter words decline and names take their feminine with."""
    return (c == 97 or c == 101 or c == 105 or c == 111 or c == 117 or c == 121
            or c == 115)


cdef double _dropped_letter(Str* a, Str* b) noexcept:
    """similarity.dropped_letter: one word the other with one letter left out after its
    first, where one edit falls below fuzzy_knee; not a vowel, y or s at its end (-1:
    none)."""
    cdef Str* s = a if a.text_len < b.text_len else b
    cdef Str* l = b if a.text_len < b.text_len else a
    cdef int at = 0
    if l.text_len - s.text_len != 1 or s.text_len < R.short_token \
            or 1.0 - 1.0 / (<double> l.text_len) >= R.fuzzy_knee \
            or not (a.alpha and b.alpha) or _text(a)[0] != _text(b)[0] \
            or not (_ascii(a) and _ascii(b)):
        return -1.0
    while at < s.text_len and _text(s)[at] == _text(l)[at]:
        at += 1
    if memcmp(_text(s) + at, _text(l) + at + 1, s.text_len - at) != 0:
        return -1.0
    if at == s.text_len and _ending(_text(l)[at]):
        return -1.0
    return 1.0 - R.dropped_edit / (<double> l.text_len)


cdef double _dropped_first(Str* a, Str* b) noexcept:
    """similarity.dropped_first: a word of three letters one of four with its first letter
    left out, the rest as written, neither a known given name (-1: none)."""
    cdef Str* s = a if a.text_len < b.text_len else b
    cdef Str* l = b if a.text_len < b.text_len else a
    if s.text_len != R.short_token or l.text_len != R.short_token + 1 \
            or not (a.alpha and b.alpha) or _text(a)[0] == _text(b)[0] \
            or s.given != 0 or l.given != 0 or not (_ascii(a) and _ascii(b)) \
            or memcmp(_text(s), _text(l) + 1, s.text_len) != 0:
        return -1.0
    return 1.0 - R.dropped_edit / (<double> l.text_len)


DEF VARIANT_LETTERS_MOST = 64  # similarity._DROPPED_VARIANT_LETTERS
DEF VARIANT_KEY_EDITS = 3  # similarity._DROPPED_VARIANT_KEY_EDITS


cdef bint _dropped_variant_may(Str* a, Str* b) noexcept:
    """similarity.dropped_on_variant's tests but the letters left out: ASCII letters, both
    variant_letters long or longer (64 at most), lengths two apart at most, more than one
    edit apart, min_sim once an edit is forgiven, east-Slavic keys begun alike and three
    edits apart at most. The score bound's test (_prune.pxi: _pairs): what passes may pair, and the keys
    of the words less a letter are made only for the pairs that pass."""
    cdef int edits, k
    if not (a.alpha and b.alpha) or a.text_len < R.variant_letters \
            or b.text_len < R.variant_letters or a.text_len - b.text_len > SLIP_LENGTHS \
            or b.text_len - a.text_len > SLIP_LENGTHS \
            or a.text_len > VARIANT_LETTERS_MOST or b.text_len > VARIANT_LETTERS_MOST \
            or a.eskey_len - b.eskey_len > VARIANT_KEY_EDITS \
            or b.eskey_len - a.eskey_len > VARIANT_KEY_EDITS \
            or _eskey(a)[0] != _eskey(b)[0]:
        return False
    # a letter one word has and the other lacks is an edit: most pairs are told apart so,
    # before any distance
    edits = popcount(a.text_mask & ~b.text_mask)
    k = popcount(b.text_mask & ~a.text_mask)
    if not _similar((edits if edits > k else k) - 1, a.text_len, b.text_len, R.min_sim) \
            or not (_ascii(a) and _ascii(b)):
        return False
    if _pair_distance(_eskey(a), a.eskey_len, _eskey(b), b.eskey_len, True) > VARIANT_KEY_EDITS:
        return False
    edits = _pair_distance(_text(a), a.text_len, _text(b), b.text_len, True)
    return edits >= 2 and _similar(edits - 1, a.text_len, b.text_len, R.min_sim)


cdef double _dropped_on_variant(Str* a, Str* b, double above) noexcept:
    """similarity.dropped_on_variant: one word, with one of its letters where the two differ
    (not its last) left out, shares the other's east-Slavic key (-1: none, or not above ``above``: the
    similarity found already, or the bound's cut, which the rule's most, east_slavic_sim x
    (1 - 1 / the longer word's letters), must beat before any key is made)."""
    cdef int longest, k, i, start, end, n, m
    cdef Str* x
    cdef Str* y
    cdef const unsigned char* tx
    cdef const unsigned char* ty
    cdef char cut[VARIANT_LETTERS_MOST]
    cdef char buf[8 * VARIANT_LETTERS_MOST + 16]
    longest = a.text_len if a.text_len > b.text_len else b.text_len
    if R.east_slavic_sim * (1.0 - 1.0 / (<double> longest)) <= above \
            or not _dropped_variant_may(a, b):
        return -1.0
    for k in range(2):
        x = a if k == 0 else b
        y = b if k == 0 else a
        if y.text_len < x.text_len:
            continue
        tx = _text(x)
        ty = _text(y)
        start = 0
        while start < x.text_len and tx[start] == ty[start]:
            start += 1
        end = 0
        while end < x.text_len - start and tx[x.text_len - 1 - end] == ty[y.text_len - 1 - end]:
            end += 1
        n = y.text_len - 1
        if end == 0:  # not its last letter: another ending (Sancho / Sanchez)
            end = 1
        for i in range(start, y.text_len - end):
            memcpy(cut, ty, i)
            memcpy(cut + i, ty + i + 1, n - i)
            if n < R.variant_letters:
                continue
            if _has_vowel(cut, n):
                m = _east_slavic_of(cut, n, buf)
                if _same(<const unsigned char*> buf, m, _eskey(x), x.eskey_len):
                    return R.east_slavic_sim * (1.0 - 1.0 / (<double> longest))
            elif _same(<const unsigned char*> cut, n, _eskey(x), x.eskey_len):
                return R.east_slavic_sim * (1.0 - 1.0 / (<double> longest))
    return -1.0


DEF READ_BACK_EDITS = 2  # similarity._READ_BACK_EDITS


cdef bint _egyptian_text(const unsigned char* a, int n, const unsigned char* b,
                         int m) noexcept:
    """similarity.egyptian_g of two ASCII words of letters (:func:`_egyptian_g`'s test on
    texts: a word read back is no prepared string)."""
    cdef int i, edits = 0
    cdef unsigned char x, y
    if n != m or n < R.egyptian_g_letters:
        return False
    for i in range(n):
        x = a[i]
        y = b[i]
        if x != y:
            if not ((x == b'g' and y == b'j') or (x == b'j' and y == b'g')):
                return False
            edits += 1
    if edits == 0 or 1.0 - (<double> edits) / (<double> n) < R.min_sim:
        return False
    for i in range(n):
        x = a[i]
        y = b[i]
        if (x == b'c' or x == b'p' or x == b'q' or x == b'v' or x == b'x'
                or y == b'c' or y == b'p' or y == b'q' or y == b'v' or y == b'x'):
            return False
        if i + 1 < n and ((x == b'n' and a[i + 1] == b'g') or (y == b'n' and b[i + 1] == b'g')):
            return False
    return True


cdef double _read_back_sim(const unsigned char* r, int n, Str* y, char* buf) noexcept:
    """similarity._read_back_sim: reading ``r[:n]`` (a word with a letter put back) against
    ``y``, by the phonetic key, g for j, or a letter written twice in one of the two; 0
    when none, or not above the edits' reading. ``buf``: room for 4n + 8. The rules first,
    the edits only for a reading a rule reads (most readings none)."""
    cdef int klen, longest, m
    cdef double fuzzy, other, sim
    cdef bint same_key
    cdef char* key = buf
    cdef unsigned char once[VARIANT_LETTERS_MOST]
    cdef Str* once_y
    klen = key_into(<const char*> r, n, key, buf + 2 * n + 4)
    if klen < 0:
        return 0.0
    same_key = _same(<const unsigned char*> key, klen, _key(y), y.key_len)
    if same_key or _egyptian_text(r, n, _text(y), y.text_len):
        sim = R.phonetic_sim
    else:
        m = _once(r, n, once)
        once_y = _written_once(y)
        if m < 2 or not _same(once, m, _text(once_y), once_y.text_len):
            return 0.0
        sim = R.doubled_sim
    longest = n if n > y.text_len else y.text_len
    fuzzy = _fuzzy(_pair_distance(r, n, _text(y), y.text_len, True), longest, r, n,
                   _text(y), y.text_len)
    if not same_key:
        longest = klen if klen > y.key_len else y.key_len
        other = _fuzzy(_pair_distance(<const unsigned char*> key, klen, _key(y), y.key_len,
                                      True),
                       longest, <const unsigned char*> key, klen, _key(y), y.key_len)
        if other > fuzzy:
            fuzzy = other
    return sim if sim > fuzzy else 0.0


cdef double _dropped_read_back(Str* a, Str* b, double above) noexcept:
    """similarity.dropped_read_back: one word, with one of the other's letters put back
    somewhere, reads as the other by a key (-1: none, or not above ``above``: the similarity
    found already, or the bound's cut, which the rule's most, phonetic_sim x (1 -
    dropped_edit / (the longer word's letters + 1)), must beat before any reading is made)."""
    cdef int longest, k, at, j, m, n, i, start, end, stop
    cdef Str* x
    cdef Str* y
    cdef const unsigned char* tx
    cdef const unsigned char* ty
    cdef unsigned char letter
    cdef unsigned char reading[VARIANT_LETTERS_MOST]
    cdef char buf[4 * VARIANT_LETTERS_MOST + 8]
    cdef bint seen[128]
    cdef double best = 0.0, sim
    longest = a.text_len if a.text_len > b.text_len else b.text_len
    if R.phonetic_sim * (1.0 - R.dropped_edit / (<double> (longest + 1))) <= above \
            or not (a.alpha and b.alpha) or a.text_len - b.text_len > SLIP_LENGTHS \
            or b.text_len - a.text_len > SLIP_LENGTHS or a.text_len < R.short_token \
            or b.text_len < R.short_token or longest >= VARIANT_LETTERS_MOST:
        return -1.0
    # a letter one word has and the other lacks is an edit: most pairs are told apart so,
    # before any distance
    if popcount(a.text_mask & ~b.text_mask) > READ_BACK_EDITS \
            or popcount(b.text_mask & ~a.text_mask) > READ_BACK_EDITS \
            or not (_ascii(a) and _ascii(b)):
        return -1.0
    # two edits: the letter left out and one of the variant (similarity._READ_BACK_EDITS)
    i = _pair_distance(_text(a), a.text_len, _text(b), b.text_len, True)
    if i != READ_BACK_EDITS or not _similar(i, a.text_len, b.text_len, R.min_sim):
        return -1.0
    for k in range(2):
        x = a if k == 0 else b
        y = b if k == 0 else a
        m = x.text_len
        if m > y.text_len:
            continue
        tx = _text(x)
        ty = _text(y)
        n = m + 1
        start = 0  # similarity._shared_ends
        while start < m and tx[start] == ty[start]:
            start += 1
        end = 0
        while end < m - start and tx[m - 1 - end] == ty[y.text_len - 1 - end]:
            end += 1
        # where the two differ, and not after its last letter: another ending
        stop = m - end if m - end < m - 1 else m - 1
        for at in range(start, stop + 1):
            memset(seen, 0, sizeof(seen))
            for j in range(start, y.text_len - end):
                letter = ty[j]
                if seen[letter]:
                    continue
                seen[letter] = True
                if letter == tx[at] or (at > 0 and letter == tx[at - 1]):
                    continue  # a letter written twice: the doubled rule's, and no key's
                memcpy(reading, tx, at)
                reading[at] = letter
                memcpy(reading + at + 1, tx + at, m - at)
                if _same(reading, n, ty, y.text_len):
                    continue
                sim = _read_back_sim(reading, n, y, buf)
                if sim > 0.0:
                    sim *= 1.0 - R.dropped_edit / (<double> (n if n > y.text_len
                                                              else y.text_len))
                    if sim > best:
                        best = sim
    if best == 0.0 or best <= above:
        return -1.0
    return best


cdef inline bint _skeleton_letter(unsigned char c) noexcept:
    """A letter similarity.vowel_skeleton keeps after the first: not a e i o u y."""
    return not (c == 97 or c == 101 or c == 105 or c == 111 or c == 117 or c == 121)


cdef double _consonant_cut(Str* x, Str* y) noexcept:
    """similarity.dropped_consonant one way round: the best consonant rule value of ``x``
    against ``y`` with one of its consonants (not its first or last letter) left out,
    when the two so have the same consonants and are one edit apart (0: none)."""
    cdef const unsigned char* sx = _vskel(x)
    cdef const unsigned char* sy = _vskel(y)
    cdef const unsigned char* ty = _text(y)
    cdef int lx = x.vskel_len, n = y.text_len - 1, i, j = 0, longest
    cdef double best = 0.0, fuzzy, sim
    cdef unsigned char cut[VARIANT_LETTERS_MOST]
    if y.vskel_len != lx + 1 or lx < R.skeleton_letters or y.text_len > VARIANT_LETTERS_MOST:
        return 0.0
    for i in range(1, n):  # not its last letter: another ending
        if not _skeleton_letter(ty[i]):
            continue
        j += 1  # ty[i] is the skeleton's letter j
        if memcmp(sy, sx, j) != 0:
            break  # the skeletons part before it: so before every later letter too
        if memcmp(sy + j + 1, sx + j, lx - j) != 0:
            continue
        memcpy(cut, ty, i)
        memcpy(cut + i, ty + i + 1, n - i)
        # one vowel written otherwise, no more (Shuchenka / Shevchenko: two); none is one
        # letter left out, the edit rules'
        if not _one_edit(cut, n, _text(x), x.text_len):
            continue
        longest = n if n > x.text_len else x.text_len
        fuzzy = 1.0 - 1.0 / (<double> longest)
        sim = R.consonant_base + R.consonant_scale * fuzzy
        if sim > best:
            best = sim
    return best


cdef double _dropped_consonant(Str* a, Str* b) noexcept:
    """similarity.dropped_consonant: one consonant left out of a word whose vowels are
    written otherwise, the first letters the same (-1: none)."""
    cdef double best, other
    if a.text_len < R.variant_letters or b.text_len < R.variant_letters \
            or a.text_len - b.text_len > SLIP_LENGTHS or b.text_len - a.text_len > SLIP_LENGTHS \
            or _text(a)[0] != _text(b)[0] or not (a.alpha and b.alpha) \
            or (a.vskel_len - b.vskel_len != 1 and b.vskel_len - a.vskel_len != 1) \
            or not (_ascii(a) and _ascii(b)):
        return -1.0
    best = _consonant_cut(a, b)
    other = _consonant_cut(b, a)
    if other > best:
        best = other
    if best == 0.0:
        return -1.0
    return best * (1.0 - 1.0 / (<double> (a.text_len if a.text_len > b.text_len
                                          else b.text_len)))


cdef inline bint _different_names(Str* a, Str* b) noexcept:
    """text.given_names.different_names: two known given names of two names."""
    return a.given != 0 and b.given != 0 and a.given != b.given


cdef inline double _token_similarity(Str* a, Str* b, int abjad, int* method,
                                     bint without_vowels) noexcept:
    """similarity.token_similarity, on prepared strings."""
    return _token_similarity_by(a, b, abjad, method, without_vowels, True)


cdef inline double _variant_similarity(Str* a, Str* b, int abjad, int* method) noexcept:
    """similarity.variant_similarity: token_similarity without its slip rules, nor a word
    read as written without its vowels."""
    return _token_similarity_by(a, b, abjad, method, False, False)


cdef double _token_similarity_by(Str* a, Str* b, int abjad, int* method,
                                 bint without_vowels, bint slips) noexcept:
    """similarity.token_similarity(..., slips=``slips``), on prepared strings."""
    cdef double sim
    if _same(_text(a), a.text_len, _text(b), b.text_len):
        method[0] = M_EXACT
        return 1.0
    if a.text_len == 1 or b.text_len == 1:
        if _text(a)[0] == _text(b)[0] and a.alpha and b.alpha:
            method[0] = M_INITIAL
            return R.initial_sim
        method[0] = M_NONE
        return 0.0
    if a.digit or b.digit:
        method[0] = M_NONE
        return 0.0
    if _doubled(a, b):
        method[0] = M_PHONETIC
        # not in an abjad's skeleton: two letters a vowel kept apart (lyl, Layla)
        return R.initial_twice_sim if not abjad and (_initial_twice(a, b) or _typed_thrice(a, b)) \
            else R.doubled_sim
    if _different_names(a, b):
        # two known given names of two names (text.given_names.different_names): a cost,
        # not a zero (similarity.two_names)
        sim = _spelled_similarity(a, b, abjad, method, without_vowels, slips)
        return sim if sim < R.two_names_sim else R.two_names_sim
    return _spelled_similarity(a, b, abjad, method, without_vowels, slips)


cdef double _spelled_similarity(Str* a, Str* b, int abjad, int* method,
                                bint without_vowels, bint slips) noexcept:
    """similarity.spelled_similarity, on prepared strings."""
    cdef int d = -1, longest, found, doubled
    cdef double fuzzy, other, skel, vowelless, sim, twice, slipped
    cdef bint keys_texts
    if _same(_key(a), a.key_len, _key(b), b.key_len):
        method[0] = M_PHONETIC
        return R.phonetic_sim
    sim = _spelling(a, b, method, &d)
    if sim >= 0.0:
        return sim
    # a swap inside the words as written is priced as a slip (similarity._swap_edit), not
    # in an abjad or in a Latin name written without vowels
    keys_texts = (_same(_key(a), a.key_len, _text(a), a.text_len)
                  and _same(_key(b), b.key_len, _text(b), b.text_len))
    longest = a.key_len if a.key_len > b.key_len else b.key_len
    fuzzy = _fuzzy(_pair_distance(_key(a), a.key_len, _key(b), b.key_len, True), longest,
                   _key(a), a.key_len, _key(b), b.key_len, not abjad and keys_texts)
    if not keys_texts:
        if d < 0:
            d = _pair_distance(_text(a), a.text_len, _text(b), b.text_len, True)
        longest = a.text_len if a.text_len > b.text_len else b.text_len
        other = _fuzzy(d, longest, _text(a), a.text_len, _text(b), b.text_len, not abjad)
        if other > fuzzy:
            fuzzy = other
    skel = _skeleton_sim(a, b, fuzzy, abjad)
    vowelless = 0.0 if not without_vowels or (abjad and _matres_unmatched(a, b)) \
        else _vowelless_sim(a, b, abjad)
    if vowelless > fuzzy and (vowelless > skel or (abjad == BARE and vowelless == skel)):
        found, sim = M_VOWELLESS, vowelless
    elif skel > fuzzy:
        found, sim = M_SKELETON, skel
    else:
        found, sim = M_FUZZY, fuzzy
    if not slips:
        method[0] = found
        return sim
    twice = _typed_twice(a, b, &doubled)
    if twice > sim:
        found, sim = doubled, twice
    slipped = _slipped_variant(a, b)
    if slipped > sim:
        found, sim = M_FUZZY, slipped
    slipped = _start_slip(a, b)
    if slipped > sim:
        found, sim = M_FUZZY, slipped
    slipped = -1.0 if abjad else _dropped_letter(a, b)
    if slipped > sim:
        found, sim = M_FUZZY, slipped
    slipped = -1.0 if abjad else _dropped_first(a, b)
    if slipped > sim:
        found, sim = M_FUZZY, slipped
    slipped = -1.0 if abjad else _dropped_consonant(a, b)
    if slipped > sim:
        found, sim = M_FUZZY, slipped
    slipped = -1.0 if abjad else _dropped_on_variant(a, b, sim)
    if slipped > sim:
        found, sim = M_FUZZY, slipped
    slipped = -1.0 if abjad or sim >= R.phonetic_sim else _dropped_read_back(a, b, sim)
    if slipped > sim:
        found, sim = M_FUZZY, slipped
    method[0] = found
    return sim


cdef inline bint _syllables_alike(Str* a, Str* b, int script) noexcept:
    """The two syllables share the key of their script's romanisations."""
    if script == 1:
        return _same(_zh(a), a.zh_len, _zh(b), b.zh_len)
    return _same(_ko(a), a.ko_len, _ko(b), b.ko_len)


cdef inline bint _vowel_letter(Str* a) noexcept:
    cdef unsigned char c = _text(a)[0]
    return a.text_len == 1 and (c == 97 or c == 101 or c == 105 or c == 111 or c == 117)


cdef double _syllable_similarity(Str* a, Str* b, int script, int* method) noexcept:
    """similarity.syllable_similarity (``script`` 1: han, 2: hangul)."""
    if _same(_text(a), a.text_len, _text(b), b.text_len):
        method[0] = M_EXACT
        return 1.0
    if (a.text_len == 1 and not _vowel_letter(a)) or (b.text_len == 1 and not _vowel_letter(b)):
        if _text(a)[0] == _text(b)[0] and a.alpha and b.alpha:
            method[0] = M_INITIAL
            return R.initial_sim
        method[0] = M_NONE
        return 0.0
    if _syllables_alike(a, b, script):
        method[0] = M_PHONETIC
        return R.phonetic_sim
    method[0] = M_NONE
    return 0.0


cdef inline double _similarity(Str* a, Str* b, int abjad, int script,
                               int* method) noexcept:
    """What align compares tokens with: syllables when a name is Chinese or Korean."""
    if script:
        return _syllable_similarity(a, b, script, method)
    return _token_similarity(a, b, abjad, method, True)


def token_similarity(Strings strings, Py_ssize_t a, Py_ssize_t b, int abjad):
    """The compiled token similarity of strings ``a`` and ``b`` (for tests: it must equal
    :func:`discreet.match.similarity.token_similarity`)."""
    cdef int method
    sim = _token_similarity(&strings.strs[a], &strings.strs[b], abjad, &method, True)
    return sim, METHODS[method]


def syllable_similarity(Strings strings, Py_ssize_t a, Py_ssize_t b, int script):
    """The compiled syllable similarity (``script`` 1: han, 2: hangul), for tests."""
    cdef int method
    sim = _syllable_similarity(&strings.strs[a], &strings.strs[b], script, &method)
    return sim, METHODS[method]


# -- a foreign name written in Han characters by its sounds (similarity.transcription_key) --

cdef inline unsigned char _transcribed_class(const unsigned char* w, int n, int i,
                                             bint pinyin) noexcept:
    """similarity.transcription_key's class of letter ``i`` of ``w`` (0: none; 'x' of a
    Latin word is two, k-s: written by the caller)."""
    cdef unsigned char c = w[i]
    cdef unsigned char after = w[i + 1] if i + 1 < n else 0
    if c == 98 or c == 112:  # b p
        if not pinyin and c == 112 and after == 104:  # ph
            return 102
        return 112
    if c == 100 or c == 116:  # d t
        return 116
    if c == 103 or c == 107:  # g k
        return 107
    if c == 102 or c == 119:  # f w
        return 102
    if c == 108 or c == 114:  # l r
        return 108
    if c == 109 or c == 110:  # m n
        return 110
    if pinyin:
        if c == 106 or c == 113 or c == 120 or c == 122 or c == 99 or c == 115:  # j q x z c s
            return 115
        return 0
    if c == 113:  # q
        return 107
    if c == 118:  # v
        return 102
    if c == 115 or c == 106 or c == 122:  # s j z
        return 115
    if c == 99:  # c: s before e, i, y, h; else k
        return 115 if (after == 101 or after == 105 or after == 121 or after == 104) else 107
    return 0


cdef int _transcription_key(Str* s, bint pinyin, unsigned char* out) noexcept:
    """similarity.transcription_key of ``s`` into ``out`` (room for 2 x its letters), its
    length; 0 for a word of other characters than ASCII letters, or too long."""
    cdef const unsigned char* w = _text(s)
    cdef int n = s.text_len, i, k = 0, t
    cdef unsigned char c
    cdef unsigned char found[2]
    cdef int nfound
    if n >= TRANSCRIPTION_LETTERS:
        return 0
    for i in range(n):
        c = w[i]
        if not (97 <= c <= 122 or 65 <= c <= 90):
            return 0
    for i in range(n):
        if w[i] == 103 and i > 0 and w[i - 1] == 110:  # ng: one nasal
            continue
        nfound = 0
        if not pinyin and w[i] == 120:  # x: k-s
            found[0] = 107
            found[1] = 115
            nfound = 2
        else:
            found[0] = _transcribed_class(w, n, i, pinyin)
            nfound = 1 if found[0] else 0
        for t in range(nfound):
            if k == 0 or out[k - 1] != found[t]:
                out[k] = found[t]
                k += 1
    return k


cdef bint _transcribed_apart(const unsigned char* a, int la, const unsigned char* b,
                            int lb) noexcept:
    """similarity._transcribed_apart: one letter put in, left out or typed for another apart."""
    cdef int k = 0, differ = 0
    cdef const unsigned char* t
    if la == lb:
        for k in range(la):
            if a[k] != b[k]:
                differ += 1
        return differ == 1
    if la < lb:  # ``a`` the longer
        t = a
        a = b
        b = t
        la, lb = lb, la
    if la != lb + 1:
        return False
    while k < lb and a[k] == b[k]:
        k += 1
    return memcmp(a + k + 1, b + k, lb - k) == 0


cdef double _transcription_sim(Str* reading, Str* latin) noexcept:
    """similarity.transcription_similarity."""
    cdef unsigned char a[2 * TRANSCRIPTION_LETTERS]
    cdef unsigned char b[2 * TRANSCRIPTION_LETTERS]
    cdef int la = _transcription_key(reading, True, a)
    cdef int lb = _transcription_key(latin, False, b)
    if la == 0 or lb == 0:
        return 0.0
    if la == lb and memcmp(a, b, la) == 0 and la >= R.transcribed_letters:
        return R.transcribed_sim
    if (la if la > lb else lb) >= R.transcribed_letters and _transcribed_apart(a, la, b, lb):
        return R.transcribed_near_sim
    return 0.0
