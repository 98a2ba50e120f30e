# The kernel's part: included by _kernel.pyx (one compilation unit, one module).
# Alignment: align.py, step for step, on names as the kernel reads them (Name): which token
# of the query pairs with which of the list name. Its numbers are rules.RULES (the struct R).

# One name as align and name_score read it; arrays point into the tables (list names) or
# into the query's arrays. Word, string and token numbers are 32 bits: a list name's record
# (prune.name_records) is then a cache line or two.
cdef struct Name:
    int n
    Str* strs  # token i is strs[word[i]]
    const int32_t* word
    const int32_t* ident  # equal for equal texts (list names: word ids; the query: word id
    #                       if the text is a list word, else below 0)
    const int32_t* source  # a legal form's: the ident of the one word it was written as
    #                        ("sa" for the jsc of "S.A."); else below 0
    const int8_t* kind
    const double* weight
    int nspans
    Str* span_strs  # run r is span_strs[span_str[r]]
    const int32_t* span_str
    const int32_t* span_start
    const int32_t* span_size
    const int64_t* span_shift  # (a query) per run, four strings of shift_strs: its two words
    #                            with the space one letter left, then right (-1: none); else NULL
    Str* shift_strs  # (a query) those strings; NULL until made, with span_shift, when first
    #                  read (_shift_strings); list names: NULL
    void* owner  # (a query) its QueryName, which makes them; else NULL
    const int64_t* swap_first  # (a query) per token, its first string of strs read with two
    #                            letters swapped back (similarity.swap_readings) ...
    const int64_t* swap_count  # ... and how many there are; else NULL
    const int32_t* spell  # per token: what an acronym lookup of it compares (see Query)
    int nacr  # runs of words an acronym may spell: what they spell, first and last token
    const int32_t* acr_id
    const int32_t* acr_first
    const int32_t* acr_last
    int nlin  # lineages: son and father token of each "X bin Y"
    const int32_t* lin_son
    const int32_t* lin_father
    bint has_lineage
    double total
    int64_t legal
    bint has_legal
    bint org
    bint abjad
    uint64_t opened  # (a query) its Arabic-script words opening with a vowel letter (bits:
    #                  score.vowel_opened_words); list names: 0
    uint64_t places  # (an organisation's query) its words that name a country (bits:
    #                  score.place_words); list names: 0
    bint transcribed  # (a query) a foreign name written in Han characters by its sounds
    #                   (text.scripts.transcribed); list names: False
    bint bare  # (a query) a Latin name written without vowels (prepare.written_without_vowels)
    int restored  # (a query) its words written without vowels read back (prepare.restored_vowelless)
    bint skeletal  # (a query) its one-letter words are skeletons too (prepare.letters_as_skeletons)
    int syllabic  # 1: written in Chinese characters, 2: in Korean Hangul
    int64_t script_set  # the scripts it is written in, when one is syllabic (else 0)
    bint fallback  # Python scores this name (see the module docstring)
    int64_t length  # characters of the name as written
    bint truncatable  # (a query) long enough to have been cut by a field limit
    int cut_at  # (a query) strs[cut_at]: its last token as a cut reads it (align.cut_text)
    int nequiv  # (a query) list words that are one given name with a query token
    const int64_t* equiv_token  # ... the query token (text/given_names.py) ...
    const int64_t* equiv_word  # ... and the list word's id; list names: none
    # (a list name, in the bound's pass) per token, the query tokens its word may pair with
    # as a single pair (the bound's bits: prune's rows, never stricter than token similarity
    # at min_sim); NULL: not known, any may
    const int64_t* loose
    const int64_t* loose_runs  # ... and per run, the query tokens it may pair with (joined)


cdef struct Cand:  # a possible pair in align
    double sim
    int count
    int method
    int q_first
    int q_last
    int l_first
    int l_last
    double rank  # how early align takes it (align._rank): the similarity, but regrouped
    bint l_ends  # the list words l_first and l_last only, those between left free


cdef inline uint64_t _listed_mask(Cand* c) noexcept:
    """The list words a possible pair holds (bits): l_first to l_last, or only the two
    ends (a regrouped pair across a middle name, align._regrouped_across)."""
    if c.l_ends:
        return ((<uint64_t> 1) << c.l_first) | ((<uint64_t> 1) << c.l_last)
    return _range(c.l_first, c.l_last)


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
    return (R.acronym_min <= s.text_len <= R.acronym_max
            and (side.kind[i] == NAME or side.kind[i] == GENERIC)
            and s.alpha)


cdef inline Cand _pair(double sim, int count, int method, int token, int first, int last,
                       bint flip) noexcept:
    """A pair of token ``token`` of one side with tokens ``first`` to ``last`` of the other
    (``flip``: the token is the list name's)."""
    if flip:
        return Cand(sim, count, method, first, last, token, token, sim, False)
    return Cand(sim, count, method, token, token, first, last, sim, False)


cdef inline int _slack(int letters) noexcept:
    """align._joined: how many letters a run written as one word may differ by from a token
    of ``letters`` letters."""
    cdef int slack = letters // R.join_slack_share
    return slack if slack > R.join_slack else R.join_slack


cdef inline bint _holds_legal(Name* b, int first, int last) noexcept:
    """A legal form is among tokens ``first`` to ``last`` of ``b``."""
    cdef int k
    for k in range(first, last + 1):
        if b.kind[k] == LEGAL:
            return True
    return False


cdef Py_ssize_t _joined(Name* a, Name* b, uint64_t used_a, uint64_t used_b, int abjad,
                        int script, bint flip, Cand* out) noexcept:
    """align._joined, one side: a free token of ``a`` against a run of free tokens of
    ``b`` written as one word."""
    cdef Py_ssize_t found = 0
    cdef int i, r, target, slack, method, first, last, letters
    cdef bint by_text
    cdef double sim
    cdef Str* sa
    cdef Str* sb
    for i in range(a.n):
        if (used_a >> i) & 1:
            continue
        sa = &a.strs[a.word[i]]
        target = sa.text_len
        if target < R.join_letters or _special(a.kind[i]):
            continue
        slack = _slack(target)
        for r in range(b.nspans):
            first = <int> b.span_start[r]
            last = <int> (b.span_start[r] + b.span_size[r] - 1)
            if used_b & _range(first, last):
                continue
            if not flip and b.loose_runs != NULL and not (b.loose_runs[r] >> i) & 1:
                continue  # the bound's test: no similarity of join_min_sim
            if (flip and a.loose != NULL and last < 62
                    and (a.loose[i] & <int64_t> _range(first, last)) != <int64_t> _range(first, last)):
                # the bound's test of the query's run (a row of its own, whose bits are the
                # run's every token: all set in the list token's bits when it passed)
                continue
            sb = &b.span_strs[b.span_str[r]]
            if abjad and sa.vowelless != sb.vowelless and _holds_legal(b, first, last):
                continue  # an abjad writes a legal form as a word of its own
            if (b.opened and _opened_apart(b, first, a, sa) if flip
                    else a.opened and _opened_apart(
                        a, i, b, &b.strs[b.word[first + 1 if _article(b, first) else first]])):
                continue  # align._opened_apart (a list run by its first word, the article aside)
            by_text = not (sb.text_len - target > slack or target - sb.text_len > slack)
            letters = sb.text_len
            if abjad and sa.vowelless != sb.vowelless:  # align._letters
                letters = sb.skel_len - sa.skel_len + target
            if not by_text and (letters - target > slack or target - letters > slack):
                continue
            sim = _similarity(sa, sb, abjad, script, &method)
            if sim >= R.join_min_sim and (by_text or method == M_SKELETON):
                out[found] = _pair(sim, 1 + <int> b.span_size[r],
                                   M_JOINED if method == M_EXACT else method, i, first, last,
                                   flip)
                found += 1
    return found


cdef Py_ssize_t _acronyms(Name* a, Name* b, uint64_t used_a, uint64_t used_b, bint flip,
                          Cand* out) noexcept:
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
                out[found] = _pair(R.acronym_sim, 2 + last - first, M_ACRONYM, i, first,
                                   last, flip)
                found += 1
            break
    return found


cdef inline double _cut_sim(Str* cut) noexcept:
    """align.cut_sim: a cut last word against a word it begins, by the letters it keeps."""
    return R.truncated_long_sim if cut.text_len >= R.truncated_letters else R.truncated_sim


cdef inline bint _prefix_of(Str* cut, Str* word) noexcept:
    """align.prefix_of: ``cut`` is the first letters (two or more) of ``word``."""
    return (word.text_len > cut.text_len >= R.truncated_prefix and cut.alpha
            and memcmp(_text(word), _text(cut), cut.text_len) == 0)


cdef Py_ssize_t _regrouped(Name* q, Name* l, uint64_t used_q, uint64_t used_l, int abjad,
                           bint persons, Cand* out) noexcept:
    """align._regrouped: two adjacent free words on each side, the same letters (one edit
    forgiven) with the space elsewhere, or like the list words with the query's space one
    letter off; each word like its counterpart; then, between ``persons``' names, across a
    middle name (_regrouped_across)."""
    cdef Py_ssize_t found = 0
    cdef int r, s, i, j, longest, edits
    cdef double sim, shifted
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
            if longest < R.regroup_letters or (q.ident[i] == l.ident[j]
                                               and q.ident[i + 1] == l.ident[j + 1]):
                continue
            if not (_alike(&q.strs[q.word[i]], &l.strs[l.word[j]], R.min_sim)
                    and _alike(&q.strs[q.word[i + 1]], &l.strs[l.word[j + 1]], R.min_sim)):
                continue
            edits = 2
            if qi.text_len - lj.text_len <= 1 and lj.text_len - qi.text_len <= 1:
                edits = _pair_distance(_text(qi), qi.text_len, _text(lj), lj.text_len, True)
            sim = 1.0 - (<double> edits) / (<double> longest) if edits <= 1 else 0.0
            shifted = _shifted(q, s, l, j, j + 1, abjad)
            sim = R.regrouped_sim * (sim if sim >= shifted else shifted)
            if sim != 0.0:
                out[found] = Cand(sim, 4, M_REGROUPED, i, i + 1, j, j + 1,
                                  _rank(sim, q, i, l, j, j + 1, abjad), False)
                found += 1
    if persons:
        found += _regrouped_across(q, l, used_q, used_l, abjad, out + found)
    return found


cdef Py_ssize_t _regrouped_across(Name* q, Name* l, uint64_t used_q, uint64_t used_l,
                                  int abjad, Cand* out) noexcept:
    """align._regrouped_across: two adjacent free query words, their space one letter off,
    against two free list words with one or two free names' words between that no other
    free query word is like (a middle name the query leaves out); each query word like its
    list word."""
    cdef Py_ssize_t found = 0
    cdef int s, i, j, k, longest, last
    cdef double sim
    for j in range(l.n):
        if (used_l >> j) & 1 or _special(l.kind[j]):
            continue
        last = j + 1 + R.regroup_gap
        if last > l.n - 1:
            last = l.n - 1
        for k in range(j + 2, last + 1):
            if _special(l.kind[k - 1]) or (used_l >> (k - 1)) & 1:
                break
            if (used_l >> k) & 1 or _special(l.kind[k]):
                continue
            for s in range(q.nspans):
                if q.span_size[s] != 2:
                    continue
                i = <int> q.span_start[s]
                if used_q & _range(i, i + 1) or _special(q.kind[i]) or _special(q.kind[i + 1]):
                    continue
                longest = max(q.strs[q.word[i]].text_len + q.strs[q.word[i + 1]].text_len,
                              l.strs[l.word[j]].text_len + l.strs[l.word[k]].text_len)
                if longest < R.regroup_letters or (q.ident[i] == l.ident[j]
                                                   and q.ident[i + 1] == l.ident[k]):
                    continue
                if not (_alike(&q.strs[q.word[i]], &l.strs[l.word[j]], R.min_sim)
                        and _alike(&q.strs[q.word[i + 1]], &l.strs[l.word[k]], R.min_sim)):
                    continue
                if not _left_out(q, used_q | _range(i, i + 1), l, j + 1, k):
                    continue
                sim = R.regrouped_sim * _shifted(q, s, l, j, k, abjad)
                if sim != 0.0:
                    out[found] = Cand(sim, 4, M_REGROUPED, i, i + 1, j, k,
                                      _rank(sim, q, i, l, j, k, abjad), True)
                    found += 1
    return found


cdef bint _left_out(Name* q, uint64_t used_q, Name* l, int first, int end) noexcept:
    """align._left_out: no free query word (bit clear in ``used_q``) is like a list word
    ``first`` to ``end - 1`` (edit similarity min_sim)."""
    cdef int x, m
    for x in range(q.n):
        if (used_q >> x) & 1:
            continue
        for m in range(first, end):
            if _alike(&q.strs[q.word[x]], &l.strs[l.word[m]], R.min_sim):
                return False
    return True


cdef double _rank(double sim, Name* q, int i, Name* l, int j, int k, int abjad) noexcept:
    """align._rank: two words regrouped (``sim``), when the reading beats the words as
    written (their similarities' mean by the list words' letters), before either word's own
    pair with its list word and by their likeness, the space's cost aside; else ``sim``
    (list words ``j`` and ``k``)."""
    cdef int method
    cdef Str* x = &l.strs[l.word[j]]
    cdef Str* y = &l.strs[l.word[k]]
    cdef double left = _token_similarity(&q.strs[q.word[i]], x, abjad, &method, True)
    cdef double right = _token_similarity(&q.strs[q.word[i + 1]], y, abjad, &method, True)
    cdef double straight = ((left * (<double> x.text_len) + right * (<double> y.text_len))
                            / (<double> (x.text_len + y.text_len)))
    if sim <= straight:
        return sim
    return max(sim / R.regrouped_sim, nextafter(max(left, right), INFINITY))


cdef double _shifted(Name* q, int s, Name* l, int j, int k, int abjad) noexcept:
    """align._shifted: the query's run ``s`` with its space one letter off against list
    words ``j`` and ``k``: the similarities' mean by the list words' letters, each at
    least join_min_sim, the better shift (0.0: none)."""
    cdef double best = 0.0, left, right, sim
    cdef int side, method
    cdef Str* x = &l.strs[l.word[j]]
    cdef Str* y = &l.strs[l.word[k]]
    if q.span_shift == NULL:
        return 0.0
    if q.shift_strs == NULL and not _shift_strings(q):
        return 0.0  # not made (no memory): the query's pass raises the error
    for side in range(2):
        if q.span_shift[4 * s + 2 * side] < 0:
            continue
        left = _token_similarity(&q.shift_strs[q.span_shift[4 * s + 2 * side]], x, abjad,
                                 &method, True)
        if left < R.join_min_sim:
            continue  # the shift needs both words alike: the second is not compared
        right = _token_similarity(&q.shift_strs[q.span_shift[4 * s + 2 * side + 1]], y, abjad,
                                  &method, True)
        if right >= R.join_min_sim:
            sim = ((left * (<double> x.text_len) + right * (<double> y.text_len))
                   / (<double> (x.text_len + y.text_len)))
            if sim > best:
                best = sim
    return best


cdef inline bint _alike(Str* a, Str* b, double cut) noexcept:
    """OSA.normalized_similarity(a, b) >= cut."""
    return _similar(_pair_distance(_text(a), a.text_len, _text(b), b.text_len, True), a.text_len,
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


cdef inline int _listed_word(int kind) noexcept:
    """_word, a generic word aside too (align._LISTED_ASIDE: a list name's short word
    without vowels is an acronym beside generic words)."""
    return 0 if kind == GENERIC else _word(kind)


cdef inline bint _vowel_first(Str* s) noexcept:
    """align._listed_acronym: the word begins with a-e-i-o-u (Amr, Abd: a name the lists
    write without its vowels), not a consonant (SMP: an acronym wherever it stands)."""
    cdef unsigned char c = _text(s)[0]
    return c == 97 or c == 101 or c == 105 or c == 111 or c == 117


cdef inline bint _vowel_at(const unsigned char* t, int k) noexcept:
    return t[k] == b'a' or t[k] == b'e' or t[k] == b'i' or t[k] == b'o' or t[k] == b'u'


cdef bint _opens_on_consonant(Str* s) noexcept:
    """similarity.opens_on_consonant: one consonant (sh, kh, th, dh, gh, ch, zh, ph: one)
    and a vowel or y after it, or no vowel at all."""
    cdef const unsigned char* t = _text(s)
    cdef int n = s.text_len, at = 1
    cdef unsigned char c
    if n == 0 or _vowel_at(t, 0):
        return False
    if _vowelless(t, n):
        return True
    c = t[1] if n > 1 else 0
    if c == b'h' and (t[0] == b's' or t[0] == b'k' or t[0] == b't' or t[0] == b'd'
                      or t[0] == b'g' or t[0] == b'c' or t[0] == b'z' or t[0] == b'p'):
        at = 2
    return at >= n or _vowel_at(t, at) or t[at] == b'y'


cdef inline bint _opened_apart(Name* q, int i, Name* l, Str* b) noexcept:
    """align._opened_apart: query word ``i``, an Arabic-script word opening with a vowel
    letter, is not ``b`` of a Latin list name ``l``, opening on a consonant."""
    return (q.opened >> i) & 1 and not l.abjad and _opens_on_consonant(b)


cdef bint _slip_apart(const unsigned char* a, int la, const unsigned char* b,
                      int lb) noexcept:
    """align.slip_apart: one letter more or less, or two neighbouring letters swapped."""
    cdef const unsigned char* t
    cdef int k = 0
    if la == lb + 1 or lb == la + 1:
        if la < lb:  # ``a`` the longer
            t = a
            a = b
            b = t
            la, lb = lb, la
        while k < lb and a[k] == b[k]:
            k += 1
        return memcmp(a + k + 1, b + k, lb - k) == 0
    if la != lb:
        return False
    while k < la and a[k] == b[k]:
        k += 1
    return (k + 1 < la and a[k] == b[k + 1] and a[k + 1] == b[k]
            and memcmp(a + k + 2, b + k + 2, la - k - 2) == 0)


cdef inline bint _lower_ascii(Str* s) noexcept:
    cdef int k
    for k in range(s.text_len):
        if not (97 <= _text(s)[k] <= 122 or 65 <= _text(s)[k] <= 90):
            return False
    return True


cdef bint _form_slip(Name* q, int i, Name* l, int j) noexcept:
    """align._form_slip: one name's legal form (written as one word, a list word) and the
    other's first or last word that writes that word with one slip, its first and last
    letters the form's. A query's form written as a word no list name writes has its
    source among the query's own strings (-2 - its number: prune.NameTables._query)."""
    cdef Str* word
    cdef Str* source
    cdef int at, last, lw, ls
    if l.kind[j] == LEGAL and q.kind[i] != LEGAL:
        if l.source[j] < 0:
            return False
        word = &q.strs[q.word[i]]
        source = &l.strs[l.source[j]]
        at = i
        last = q.n - 1
    elif q.kind[i] == LEGAL and l.kind[j] != LEGAL:
        if q.source[i] >= 0:
            source = &l.strs[q.source[i]]
        elif q.source[i] <= -2:  # a word no list name writes: the query's own string
            source = &q.strs[-2 - q.source[i]]
        else:
            return False
        word = &l.strs[l.word[j]]
        at = j
        last = l.n - 1
    else:
        return False
    lw = word.text_len
    ls = source.text_len
    if lw > ls + 1 or ls > lw + 1:  # (most pairs: no slip apart by their lengths)
        return False
    return (last > 0 and (at == 0 or at == last) and ls >= 2 and lw >= 1
            and (lw if lw > ls else ls) >= R.form_slip_letters
            and _text(word)[0] == _text(source)[0]
            and _text(word)[lw - 1] == _text(source)[ls - 1]
            and _lower_ascii(word) and _slip_apart(_text(word), lw, _text(source), ls))


cdef inline bint _form_initial(Str* letter, Str* source) noexcept:
    """align._form_initial: the query's letter alone is the list name's legal form (the
    one word it was written as, ``source``) without its vowels ("O" for OOO)."""
    return (source.vskel_len == letter.text_len
            and memcmp(_vskel(source), _text(letter), letter.text_len) == 0)


cdef const int* _swap_edits = _edits_within(R.min_sim)


cdef inline bint _swap_apart(Str* a, Str* b) noexcept:
    """similarity.swapped_variant's test of the words as written: ``b`` ASCII letters, the
    lengths two letters apart at most, the edit similarity min_sim once an edit (the
    swap's) is forgiven (first by the letters each lacks, which most pairs fail)."""
    cdef int m = a.text_len, n = b.text_len
    cdef int lower = m - n if m > n else n - m
    cdef int missing
    if lower > SLIP_LENGTHS or not b.alpha:
        return False
    missing = popcount(a.text_mask & ~b.text_mask)
    if missing > lower:
        lower = missing
    missing = popcount(b.text_mask & ~a.text_mask)
    if missing > lower:
        lower = missing
    if not _within(lower - 1, m, n, _swap_edits, R.min_sim) or not _ascii(b):
        return False
    return _within(_pair_distance(_text(a), m, _text(b), n, True) - 1, m, n, _swap_edits,
                   R.min_sim)


cdef double _edit_sim(Str* a, Str* b) noexcept:
    """similarity._edit_sim: the edit similarity of the texts or, when the phonetic keys
    differ, of the keys, the higher."""
    cdef int longest = a.text_len if a.text_len > b.text_len else b.text_len
    cdef double texts = _fuzzy(_pair_distance(_text(a), a.text_len, _text(b), b.text_len, True),
                               longest, _text(a), a.text_len, _text(b), b.text_len)
    cdef double keys
    if _same(_key(a), a.key_len, _key(b), b.key_len):
        return texts
    longest = a.key_len if a.key_len > b.key_len else b.key_len
    keys = _fuzzy(_pair_distance(_key(a), a.key_len, _key(b), b.key_len, True), longest,
                  _key(a), a.key_len, _key(b), b.key_len)
    return texts if texts >= keys else keys


cdef bint _moves_vowel(Str* a, Str* r) noexcept:
    """similarity._moves_vowel: reading ``r`` of ``a`` moves a vowel past a consonant."""
    cdef int i = 0
    while _text(a)[i] == _text(r)[i]:
        i += 1
    return _plain_vowel(_text(a)[i]) != _plain_vowel(_text(a)[i + 1])


cdef double _swapped_variant(Name* q, int i, Str* b, int abjad) noexcept:
    """similarity.swapped_variant: query token ``i`` read with two letters swapped back
    (its strings from swap_first) against list string ``b``, the best similarity times 1 -
    swap_edit / the longer word's letters, of the readings a spelling rule reads closer than
    their letters (-1: none)."""
    cdef Str* a = &q.strs[q.word[i]]
    cdef Str* r
    cdef double best = 0.0, sim
    cdef int k, method, longest
    if q.swap_count == NULL or q.swap_count[i] == 0 or not _swap_apart(a, b):
        return -1.0
    longest = a.text_len if a.text_len > b.text_len else b.text_len
    for k in range(<int> q.swap_count[i]):
        r = &q.strs[q.swap_first[i] + k]
        sim = _variant_similarity(r, b, abjad, &method)
        if (sim > best and sim > _edit_sim(r, b)  # a spelling rule's, not the edits'
                and not (method == M_SKELETON and _moves_vowel(a, r))):
            best = sim
    if best == 0.0:
        return -1.0
    best *= 1.0 - R.swap_edit / (<double> longest)
    if _different_names(a, b) and best > R.two_names_sim:
        return R.two_names_sim  # two known given names, one read with a swap: still two
    return best


cdef Py_ssize_t _candidates(Name* q, Name* l, uint64_t used_q, uint64_t used_l, int abjad,
                            int script, bint acronyms, bint cut, Cand* out) noexcept:
    """align's possible pairs of free tokens, in align's order: single tokens (``cut``: the
    query's last word may begin a list word), then one token against a run of the other
    side's, then acronyms, then two words regrouped."""
    cdef Py_ssize_t found = 0, first
    cdef int i, j, la, lb, nfree_q = 0, nfree_l = 0, ka, kb, method, longest, shortest
    cdef int words_q = 0, words_l = 0
    cdef double sim, other
    # (asked of every pair: read once) an organisation's legal forms with slipped words;
    # a Han transcription's readings against a Latin name
    cdef bint slips = acronyms and not script
    cdef bint heard = q.transcribed and abjad == 0 and not script
    cdef Str* sa
    cdef Str* sb
    for i in range(q.n):
        words_q += _word(q.kind[i])
        if not (used_q >> i) & 1:
            nfree_q += 1
    for j in range(l.n):
        words_l += _listed_word(l.kind[j])
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
                out[found] = Cand(_cut_sim(sa), 2, M_TRUNCATED, i, i, j, j, _cut_sim(sa), False)
                found += 1
                continue
            sb = &l.strs[l.word[j]]
            if (slips
                    and ((kb == LEGAL and ka != LEGAL and (i == 0 or i == q.n - 1))
                         or (ka == LEGAL and kb != LEGAL and (j == 0 or j == l.n - 1)))
                    and _form_slip(q, i, l, j)):
                out[found] = Cand(R.form_slip_sim, 2, M_FUZZY, i, i, j, j, R.form_slip_sim,
                                  False)
                found += 1
                continue
            if (q.org and ka == INITIAL and kb == LEGAL and l.source[j] >= 0
                    and _form_initial(sa, &l.strs[l.source[j]])):
                out[found] = Cand(R.initial_sim, 2, M_INITIAL, i, i, j, j, R.initial_sim, False)
                found += 1
                continue
            if (_special(ka) or _special(kb)) and ka != kb:
                continue  # legal forms and numbers pair only with their own kind
            if abjad == 1 and not script and _article(q, i) != _article(l, j):
                continue  # align._article_apart: the article is no name across an abjad
            if q.opened and _opened_apart(q, i, l, sb):
                continue  # align._opened_apart
            lb = sb.text_len
            if (cut and i == q.n - 1 and not _special(ka)
                    and _prefix_of(&q.strs[q.cut_at], sb)):
                sim = _similarity(sa, sb, abjad, script, &method)
                if sim < _cut_sim(&q.strs[q.cut_at]):
                    sim = _cut_sim(&q.strs[q.cut_at])
                    method = M_TRUNCATED
                out[found] = Cand(sim, 2, method, i, i, j, j, sim, False)
                found += 1
                continue
            if heard:
                # align._singles: a Han transcription's reading against a Latin word
                other = _transcription_sim(sa, sb)
                if other > 0.0:
                    sim = _similarity(sa, sb, abjad, script, &method)
                    if other > sim:
                        sim = other
                        method = M_ROMANISED
                    if sim >= R.min_sim:
                        out[found] = Cand(sim, 2, method, i, i, j, j, sim, False)
                        found += 1
                    continue
            if l.loose != NULL and not (l.loose[j] >> i) & 1:
                continue  # the bound's test: no similarity of min_sim, even by a swap
            longest = la if la > lb else lb
            shortest = la if la < lb else lb
            if (la > 1 and lb > 1 and shortest < longest * R.min_sim - 1
                    and not (sa.latin_vowelless or sb.latin_vowelless)):
                continue  # no edit similarity this high (a word without vowels aside)
            sim = _similarity(sa, sb, abjad, script, &method)
            if (method == M_VOWELLESS and acronyms and not script
                    and ((la < R.spelled_out and sa.latin_vowelless and words_q - _word(ka) == 0
                          and abjad != BARE)
                         or (lb < R.spelled_out and sb.latin_vowelless
                             and (words_l - _listed_word(kb) == 0
                                  or (ka != GENERIC and not _vowel_first(sb)))))):
                # an organisation's only word, short and without vowels, is an acronym; a
                # list word with no vowel at all is one beside any word, but against a
                # generic word (align._listed_acronym)
                sim = _token_similarity(sa, sb, abjad, &method, False)
            if (not script and q.swap_count != NULL and q.swap_count[i]
                    and sim < 1.0 - R.swap_edit / (<double> longest)):  # the rule's most
                other = _swapped_variant(q, i, sb, abjad)
                if other > sim:
                    sim = other
                    method = M_FUZZY
            if sim >= R.min_sim:
                out[found] = Cand(sim, 2, method, i, i, j, j, sim, False)
                found += 1
    if nfree_q > 1 or nfree_l > 1:
        if nfree_l >= 2:
            found += _joined(q, l, used_q, used_l, abjad, script, False, out + found)
        if nfree_q >= 2:
            found += _joined(l, q, used_l, used_q, abjad, script, True, out + found)
    if acronyms and q.abjad == l.abjad:  # align.spells_across: not across an abjad
        first = found
        if nfree_l >= 3:
            found += _acronyms(q, l, used_q, used_l, False, out + found)
        if nfree_q >= 3:
            found += _acronyms(l, q, used_l, used_q, True, out + found)
        if found > first:
            found = _unless_spelled(out, first, found)
    if nfree_q > 1 and nfree_l > 1 and not script:
        found += _regrouped(q, l, used_q, used_l, abjad, not acronyms, out + found)
    return found


# align.align's result: the pairs chosen (best first after the identical ones) and the
# tokens of each side they pair (bit i set: token i is paired)
cdef struct Alignment:
    int npairs
    Cand* pairs  # malloc'ed by _align; the caller frees it
    uint64_t used_q
    uint64_t used_l


cdef inline bint _after_proclitic(Name* name, int i) noexcept:
    """Token ``i`` follows the conjunction wa or the preposition li (align._after_proclitic)."""
    cdef Str* s
    if i == 0:
        return False
    s = &name.strs[name.word[i - 1]]
    return s.text_len == 2 and ((_text(s)[0] == b'w' and _text(s)[1] == b'a')
                                or (_text(s)[0] == b'l' and _text(s)[1] == b'i'))


cdef int _particle_partner(Name* q, int i, Name* l) noexcept:
    """align._exact for the article (query token ``i``): the list token of the same text,
    after wa or li as ``i`` is or not, as many places from the end as the query has such
    tokens after ``i``, or -1."""
    cdef int k, j, rank = 0
    cdef bint group = _after_proclitic(q, i)
    for k in range(i + 1, q.n):
        if q.ident[k] == q.ident[i] and _after_proclitic(q, k) == group:
            rank += 1
    for j in range(l.n - 1, -1, -1):
        if l.ident[j] == q.ident[i] and _after_proclitic(l, j) == group:
            if rank == 0:
                return j
            rank -= 1
    return -1


cdef inline bint _article(Name* name, int i) noexcept:
    """Token ``i`` is the particle al (align._ARTICLE)."""
    cdef Str* s = &name.strs[name.word[i]]
    return (name.kind[i] == PARTICLE and s.text_len == 2 and _text(s)[0] == b'a'
            and _text(s)[1] == b'l')


cdef void _exact(Name* q, Name* l, bint cut, Alignment* al) noexcept:
    """align._exact: identical tokens pair first, each query token with the first free
    equal list token (or a legal form with the word it was written as, _same_word); the
    article al (when no name has a legal form, and the query may not be ``cut``) with the
    one as far from the end."""
    cdef int i, j
    cdef bint forms = cut
    for i in range(q.n):
        if q.kind[i] == LEGAL:
            forms = True
    for j in range(l.n):
        if l.kind[j] == LEGAL:
            forms = True
    for i in range(q.n):
        if not forms and q.ident[i] >= 0 and _article(q, i):
            j = _particle_partner(q, i, l)
            if j >= 0:
                al.used_q |= (<uint64_t> 1) << i
                al.used_l |= (<uint64_t> 1) << j
                al.pairs[al.npairs] = Cand(1.0, 2, M_EXACT, i, i, j, j, 1.0, False)
                al.npairs += 1
            continue
        for j in range(l.n):
            if (not (al.used_l >> j) & 1 and _same_word(q, i, l, j)
                    and not (q.opened and _opened_apart(q, i, l, &l.strs[l.word[j]]))):
                al.used_q |= (<uint64_t> 1) << i
                al.used_l |= (<uint64_t> 1) << j
                al.pairs[al.npairs] = Cand(1.0, 2, M_EXACT, i, i, j, j, 1.0, False)
                al.npairs += 1
                break


cdef void _best_first(Cand* cands, Py_ssize_t found) noexcept:
    """align.align's sort: initials last; best first (by rank); on a tie, fewer tokens,
    then the order found (a stable insertion sort)."""
    cdef Py_ssize_t a, b
    cdef Cand pick
    cdef bint initial
    cdef double rank
    for a in range(1, found):
        pick = cands[a]
        initial = pick.method == M_INITIAL
        rank = pick.rank
        b = a - 1
        while b >= 0 and ((cands[b].method == M_INITIAL and not initial) or (
                (cands[b].method == M_INITIAL) == initial
                and (cands[b].rank < rank or (cands[b].rank == rank
                                                 and cands[b].count > pick.count)))):
            cands[b + 1] = cands[b]
            b -= 1
        cands[b + 1] = pick


cdef void _take(Cand* cands, Py_ssize_t found, Alignment* al) noexcept:
    """align.align: each candidate in turn whose tokens are all still free is a pair."""
    cdef Py_ssize_t a
    cdef uint64_t mq, ml
    for a in range(found):
        mq = _range(cands[a].q_first, cands[a].q_last)
        ml = _listed_mask(&cands[a])
        if not (al.used_q & mq or al.used_l & ml):
            al.used_q |= mq
            al.used_l |= ml
            al.pairs[al.npairs] = cands[a]
            al.npairs += 1


cdef bint _align(Name* q, Name* l, bint cut, Alignment* al) noexcept:
    """align.align(q, l): identical tokens first, then align's possible pairs of the free
    tokens (_candidates), best first, each taken while its tokens are free. ``cut``: the
    query may have been cut by a field limit. False when out of memory."""
    # (and regrouped pairs across a middle name: regroup_gap per query run and list word)
    cdef int capacity = (2 * q.n * l.n + q.n * l.nspans + l.n * q.nspans + q.n + l.n + 1
                         + R.regroup_gap * q.nspans * l.n)
    cdef Py_ssize_t found
    cdef Cand* cands = <Cand*> malloc(capacity * sizeof(Cand))
    al.pairs = <Cand*> malloc((q.n + l.n + 1) * sizeof(Cand))
    al.npairs = 0
    al.used_q = 0
    al.used_l = 0
    if cands == NULL or al.pairs == NULL:
        free(cands)
        free(al.pairs)
        al.pairs = NULL
        return False
    _exact(q, l, cut, al)
    if (~al.used_q & _range(0, q.n - 1) if q.n else 0) and (
            ~al.used_l & _range(0, l.n - 1) if l.n else 0):
        found = _candidates(q, l, al.used_q, al.used_l,
                            1 if q.abjad or l.abjad else (BARE if q.bare else 0),
                            q.syllabic or l.syllabic, q.org or l.org, cut, cands)
        _best_first(cands, found)
        _take(cands, found, al)
    free(cands)
    return True
