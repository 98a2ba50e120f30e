# The kernel's part: included by _kernel.pyx (one compilation unit, one module).
# The name score: score.py, term for term and in the same order of double operations, on an
# alignment (_align.pxi). Its numbers are rules.RULES (the struct R).

cdef struct Detail:  # what score.NameScore holds besides the score
    int npairs
    Cand pairs[2 * MAX_TOKENS]
    double losses[2 * MAX_TOKENS]
    uint64_t used_q
    uint64_t used_l
    double contradiction
    double omission
    bint capped
    bint legal
    bint crossed
    bint one_word
    bint truncated
    bint lone_variant


cdef inline bint _python_scores(Name* q, Name* l) noexcept:
    """The pairs Python scores (the kernel returns NaN): two names in the same syllabic
    scripts (Python compares their characters, score._same_script_cap), syllables against
    a query whose strings lack syllable keys, a romanised name against syllables
    (score._syllables_apart), names of more words than a machine word has bits; a list
    name with a word that is one given name with a query word (a nickname, the name in
    another language: align.py's rule, which reads where each name writes its given names)."""
    return (q.fallback or l.fallback or (q.script_set > 0 and q.script_set == l.script_set)
            or l.syllabic != q.syllabic or q.n > MAX_TOKENS or l.n > MAX_TOKENS
            or (q.nequiv > 0 and _shares_given_name(q, l)))


cdef bint _shares_given_name(Name* q, Name* l) noexcept:
    """A word of list name ``l`` is among the query's given-name equivalents."""
    cdef int j, k
    for j in range(l.n):
        for k in range(q.nequiv):
            if l.ident[j] == q.equiv_word[k]:
                return True
    return False


cdef inline double _pair_loss(double sim, int method) noexcept:
    """score._pair_loss: loss per unit of weight of a pair of variant tokens."""
    if method == M_INITIAL:
        return R.initial_loss
    return R.fuzzy_loss * (1.0 - sim) + R.fuzzy_steep * (
        R.fuzzy_knee - sim if R.fuzzy_knee - sim > 0.0 else 0.0)


cdef inline bint _vowel_pair(Name* q, Name* l, Cand* pair) noexcept:
    """score._vowel_pairs: one query word written without its vowels, paired by a vowel
    rule (skeleton or consonants) with no slip besides, neither name in an abjad."""
    return (not (q.abjad or l.abjad) and pair.sim < 1.0
            and pair.sim >= R.vowelless_sim * R.short_skeleton
            and (pair.method == M_VOWELLESS or pair.method == M_SKELETON)
            and pair.q_first == pair.q_last
            and q.strs[q.word[pair.q_first]].latin_vowelless != 0) or _letter_skeleton(q, l, pair)


cdef inline bint _letter_skeleton(Name* q, Name* l, Cand* pair) noexcept:
    """score._letter_skeleton: an initial's pair of a one-letter query word with a list word
    of that letter and vowels only (its vowel skeleton), in a query whose letters are
    skeletons too."""
    cdef const Str* a
    cdef const Str* b
    if (pair.method != M_INITIAL or not q.skeletal or q.abjad or l.abjad
            or pair.q_first != pair.q_last or pair.l_first != pair.l_last):
        return False
    a = &q.strs[q.word[pair.q_first]]
    b = &l.strs[l.word[pair.l_first]]
    return (a.text_len == 1 and b.text_len >= 2 and b.vskel_len == 1
            and _vskel(b)[0] == _text(a)[0])


cdef double _pair_losses(Name* q, Name* l, Alignment* al, int* partner, double* substance,
                         Detail* detail) noexcept:
    """score._pair_losses: the sum of the pairs' losses (in the order of the pairs), and in
    ``substance`` the matched weight of substantive query tokens; ``partner`` receives each
    query token's first list token (-1: unpaired), for _lineage_crossed. The pairs of
    query words written without vowels share one doubt (score._vowel_pairs), with the words
    so written the preparation read back (prepare.restored_vowelless)."""
    cdef int i, j, k, vowel = 0, shared
    cdef double sq, sl, sub, weight, loss, losses = 0.0
    cdef Cand* pair
    for i in range(q.n):
        partner[i] = -1
    for k in range(al.npairs):
        if _vowel_pair(q, l, &al.pairs[k]):
            vowel += 1
    shared = vowel + q.restored if vowel else 0
    for k in range(al.npairs):
        pair = &al.pairs[k]
        sq = 0.0
        sub = 0.0
        for i in range(pair.q_first, pair.q_last + 1):
            sq += q.weight[i]
            if _substantive(q.kind[i]):
                sub += q.weight[i]
            partner[i] = pair.l_first
        sl = 0.0
        for j in range(pair.l_first, pair.l_last + 1):
            if not pair.l_ends or j == pair.l_first or j == pair.l_last:
                sl += l.weight[j]
        weight = (sq + sl) / 2
        substance[0] += sub
        if _letter_skeleton(q, l, pair):
            loss = weight * _pair_loss(R.vowelless_sim * R.short_skeleton, M_VOWELLESS)
        else:
            loss = weight * _pair_loss(pair.sim, pair.method) if pair.sim < 1.0 else 0.0
        if shared >= 2 and _vowel_pair(q, l, pair):
            loss /= shared
        losses += loss
        if detail != NULL:
            detail.pairs[k] = pair[0]
            detail.losses[k] = loss
    return losses


cdef int _truncated_tail(Name* q, Name* l, Alignment* al, bint longer) noexcept:
    """score._truncated_tail (the caller checks the query may be cut): when every query
    token is paired, the last paired list token, or the list word (not a legal form) the
    last query token pairs with as cut; ``l.n`` (no tail) when no list token after it is
    left unmatched, or against a list name no longer than the query unless so cut."""
    cdef int j, k, last = -1, cut = -1
    if not al.npairs or al.used_q != (_range(0, q.n - 1) if q.n else 0):
        return l.n
    for k in range(al.npairs):
        if al.pairs[k].l_last > last:
            last = al.pairs[k].l_last
        if (al.pairs[k].q_first <= q.n - 1 <= al.pairs[k].q_last
                and al.pairs[k].method == M_TRUNCATED
                and l.kind[al.pairs[k].l_last] != LEGAL and al.pairs[k].l_last > cut):
            cut = al.pairs[k].l_last
    if cut >= 0:
        last = cut
    elif not longer:
        return l.n
    for j in range(last + 1, l.n):
        if not (al.used_l >> j) & 1:
            return last
    return l.n


cdef inline bint _kunya(Str* s) noexcept:
    """score._KUNYA: the particle of a kunya (abu, umm)."""
    return s.text_len == 3 and (memcmp(_text(s), b"abu", 3) == 0
                                or memcmp(_text(s), b"umm", 3) == 0)


cdef bint _kunya_query(Name* q) noexcept:
    """The query is a kunya alone, a particle of score._KUNYA and one name, either order
    (what _kunya_named asks of the query; the bounds read it)."""
    cdef int at
    if q.n != 2 or q.org:
        return False
    at = 0 if _kunya(&q.strs[q.word[0]]) else 1
    return (_kunya(&q.strs[q.word[at]]) and q.kind[at] == PARTICLE
            and q.kind[1 - at] == NAME)


cdef bint _kunya_named(Name* q, Name* l, Alignment* al, int* partner) noexcept:
    """score.kunya_named: the query is a kunya alone (a particle of score._KUNYA and one
    name, either order) paired with the same kunya in list name ``l`` (``partner``: each
    query token's first list token, from _pair_losses); in a query written wholly without
    vowels (``skeletal``), its name word by a vowel rule too."""
    cdef int at, j, k
    cdef Str* a
    cdef Str* b
    cdef bint bare = q.skeletal and not l.abjad
    if l.org or not _kunya_query(q):
        return False
    at = 0 if _kunya(&q.strs[q.word[0]]) else 1
    a = &q.strs[q.word[at]]
    j = partner[at]
    if j < 0 or partner[1 - at] != j + 1:
        return False
    for k in range(al.npairs):  # each word paired alone, as written (sim 1)
        if (al.pairs[k].q_first != al.pairs[k].q_last
                or al.pairs[k].l_first != al.pairs[k].l_last
                or (al.pairs[k].sim < 1.0 and not (bare and _vowel_pair(q, l, &al.pairs[k])))):
            return False
    b = &l.strs[l.word[j]]
    return b.text_len == a.text_len and memcmp(_text(a), _text(b), a.text_len) == 0


cdef bint _leaves_generic(Name* name, uint64_t used) noexcept:
    """A generic word of the name is unmatched (score._contradiction)."""
    return _leaves(name, used, GENERIC)


cdef bint _leaves(Name* name, uint64_t used, int kind) noexcept:
    """A word of this kind is unmatched (score._left_on_both)."""
    cdef int i
    for i in range(name.n):
        if not (used >> i) & 1 and name.kind[i] == kind:
            return True
    return False


cdef int _substantive_pairs(Name* q, Alignment* al) noexcept:
    """How many pairs hold a word of substance of the query (score._contradiction)."""
    cdef int i, k, count = 0
    for k in range(al.npairs):
        for i in range(al.pairs[k].q_first, al.pairs[k].q_last + 1):
            if _substantive(q.kind[i]):
                count += 1
                break
    return count


cdef bint _with_their_word(Name* name, uint64_t used, int i, bint persons) noexcept:
    """Token ``i``, unmatched, is a particle that introduces a name word left over too,
    through unmatched particles, in a person's name (``persons``: neither name is an
    organisation's; score._with_their_word): it costs nothing."""
    cdef int j
    if not persons or name.kind[i] != PARTICLE:
        return False
    j = i + 1
    while j < name.n and name.kind[j] == PARTICLE and not (used >> j) & 1:
        j += 1
    return j < name.n and name.kind[j] == NAME and not (used >> j) & 1


cdef double _left(Name* name, uint64_t used, int after, double share, bint generic_as_name,
                  bint patronymic_as_name, bint persons, double* kinds,
                  double* aside) noexcept:
    """score.name_score's left_q / left_l: the weight of a name's unmatched tokens, those
    after token ``after`` counting ``share`` of theirs, a particle left over with its word
    nothing (score._with_their_word); ``kinds`` receives what they cost by kind
    (score.UNMATCHED_WEIGHTS; a generic word what a name costs when ``generic_as_name``, a
    patronymic when ``patronymic_as_name``: score._contradiction), for the contradiction; ``aside`` the weight of the particles
    left over with their word, which the name's total leaves out."""
    cdef double left = 0.0
    cdef int i, kind
    kinds[0] = 0.0
    aside[0] = 0.0
    for i in range(name.n):
        if (used >> i) & 1:
            continue
        if _with_their_word(name, used, i, persons):
            aside[0] += name.weight[i]
        else:
            left += name.weight[i] * (share if i > after else 1.0)
            kind = name.kind[i]
            if (generic_as_name and kind == GENERIC) or (patronymic_as_name
                                                          and kind == PATRONYMIC):
                kind = NAME
            kinds[0] += R.unmatched[kind]
    return left


cdef double _omitted(Name* name, uint64_t used, bint persons) noexcept:
    """score._omitted_in_lineage: unmatched weight, an ancestor skipped in a lineage
    counting forebear_share of its weight, a particle left over with its word nothing
    (score._with_their_word)."""
    cdef double total = 0.0
    cdef int i, k
    cdef bint chain
    for i in range(name.n):
        if (used >> i) & 1 or _with_their_word(name, used, i, persons):
            continue
        chain = False
        for k in range(name.nlin):
            if name.lin_son[k] + 1 <= i <= name.lin_father[k]:
                chain = True
                break
        total += name.weight[i] * (R.forebear_share if chain else 1.0)
    return total


cdef bint _lineage_crossed(Name* q, Name* l, int* partner) noexcept:
    """score._lineage_crossed: the alignment reads a lineage backwards (the partner of our
    father is their son, and our son's their father)."""
    cdef int k, a, i, j
    for k in range(q.nlin):
        i = partner[q.lin_son[k]]
        j = partner[q.lin_father[k]]
        if i < 0 or j < 0:
            continue
        for a in range(l.nlin):
            if l.lin_son[a] == j and l.lin_father[a] == i:
                return True
    return False


cdef bint _same_tokens(Name* q, Name* l) noexcept:
    """score.name_score: ``q.tokens == listed.tokens``."""
    cdef int i
    if q.n != l.n:
        return False
    for i in range(q.n):
        if q.ident[i] != l.ident[i]:
            return False
    return True


cdef inline bint _naming(Str* s) noexcept:
    """score._NAMING: a particle that makes a name with the word after it (abu, umm, bin,
    binti)."""
    if s.text_len == 3:
        return (memcmp(_text(s), b"abu", 3) == 0 or memcmp(_text(s), b"umm", 3) == 0
                or memcmp(_text(s), b"bin", 3) == 0)
    return s.text_len == 5 and memcmp(_text(s), b"binti", 5) == 0


cdef bint _one_word(Name* q, Name* l, uint64_t used_q) noexcept:
    """score.name_score's one_word: the list name is one word (titles and particles but a
    kunya's or a lineage's aside, and its legal form against a query not an organisation's
    nor with a form of its own: score._words) and a name of the query is left over (an alias cannot carry a query of more names)."""
    cdef int i, words = 0
    for i in range(l.n):
        if (l.kind[i] != TITLE and l.kind[i] != PARTICLE
                and (l.kind[i] != LEGAL or q.org or q.has_legal)) or _naming(&l.strs[l.word[i]]):
            words += 1
    if words > 1:
        return False
    for i in range(q.n):
        if not (used_q >> i) & 1 and q.kind[i] == NAME:
            return True
    return False


cdef inline bint _whole(Name* name, uint64_t used) noexcept:
    """Every token of the name is paired (score.lone_variant: nothing left over)."""
    cdef int i
    for i in range(name.n):
        if not (used >> i) & 1:
            return False
    return True


cdef bint _slip_undone(const unsigned char* a, int m, const unsigned char* b, int n,
                       int edits) noexcept:
    """score._slip_undone: undoing one typing slip of query word ``a`` against list word
    ``b`` (a letter typed twice, two neighbours swapped, a letter of ``b`` dropped) leaves
    fewer than ``edits`` edits. Words longer than a buffer are left as they are."""
    cdef unsigned char buf[64]
    cdef int i, j
    if m >= 64 or n >= 64:
        return False
    for i in range(1, m):
        if a[i] == a[i - 1]:
            memcpy(buf, a, i)
            memcpy(buf + i, a + i + 1, m - i - 1)
            if _pair_distance(buf, m - 1, b, n, True) < edits:
                return True
        memcpy(buf, a, m)
        buf[i - 1] = a[i]
        buf[i] = a[i - 1]
        if _pair_distance(buf, m, b, n, True) < edits:
            return True
    for j in range(n):
        memcpy(buf, b, j)
        memcpy(buf + j, b + j + 1, n - j - 1)
        if _pair_distance(a, m, buf, n - 1, True) < edits:
            return True
    return False


cdef bint _lone_variant(Name* q, Name* l, Alignment* al) noexcept:
    """score.lone_variant: an organisation's list name or a person's of two words of
    substance or more, the query one word of substance paired with one word of the list
    name only as variants further apart than typing slips (not a word written without its
    vowels nor one cut by a field limit; nor a person's word another romanisation of it)."""
    cdef int i, k, d, longest, ours = -1, theirs = -1, words = 0
    cdef Str* a
    cdef Str* b
    cdef Cand* chosen = al.pairs
    if q.abjad or l.abjad or q.syllabic or l.syllabic:
        return False
    if not l.org:
        for i in range(l.n):
            if _substantive(l.kind[i]):
                words += 1
        if words < 2:
            return False
    for i in range(q.n):
        if _substantive(q.kind[i]):
            if ours >= 0:
                return False
            ours = i
    if ours < 0:
        return False
    for k in range(al.npairs):
        if (chosen[k].q_first == ours and chosen[k].q_last == ours
                and chosen[k].l_first == chosen[k].l_last
                and _substantive(l.kind[chosen[k].l_first])):
            theirs = chosen[k].l_first
            if (chosen[k].sim >= 1.0 or chosen[k].method == M_VOWELLESS
                    or chosen[k].method == M_TRUNCATED
                    or (not l.org and chosen[k].method == M_PHONETIC)):
                return False
            a = &q.strs[q.word[ours]]
            b = &l.strs[l.word[theirs]]
            for i in range(a.text_len):
                if _text(a)[i] >= 128:
                    return False
            for i in range(b.text_len):
                if _text(b)[i] >= 128:
                    return False
            d = _pair_distance(_text(a), a.text_len, _text(b), b.text_len, True)
            if (d > 1 and _whole(q, al.used_q) and _whole(l, al.used_l)
                    and a.text_len > R.short_token and b.text_len > R.short_token
                    and _slip_undone(_text(a), a.text_len, _text(b), b.text_len, d)):
                d -= 1  # the writer's one slip (score._one_slip)
            longest = a.text_len if a.text_len > b.text_len else b.text_len
            return d > 1 and d * R.lone_letters_per_slip > longest
    return False


cdef double _spelt_out(Name* q, Name* l, Alignment* al) noexcept:
    """score._spelt_out: what the query's acronyms weigh more as the list words they spell
    than as their one word each, when its words left over only qualify the name."""
    cdef double more = 0.0, spelt
    cdef Py_ssize_t a
    cdef int j
    cdef Cand* c
    cdef bint spelt_any = False
    if not q.org:
        return 0.0
    for a in range(al.npairs):
        if al.pairs[a].method == M_ACRONYM:
            spelt_any = True
            break
    if not spelt_any:
        return 0.0  # (most names)
    for j in range(q.n):
        if (not (al.used_q >> j) & 1 and q.kind[j] != GENERIC and q.kind[j] != LEGAL
                and q.kind[j] != PARTICLE and not (q.places >> j) & 1):
            return 0.0  # a word left over that names, not qualifies (score._QUALIFYING)
    for a in range(al.npairs):
        c = &al.pairs[a]
        if c.method == M_ACRONYM and c.q_first == c.q_last and c.l_last > c.l_first:
            spelt = 0.0
            for j in range(c.l_first, c.l_last + 1):
                spelt += l.weight[j]
            spelt -= q.weight[c.q_first]
            if spelt > 0.0:
                more += spelt
    return more


cdef double _name_score(Name* q, Name* l, Detail* detail) noexcept:
    """score.name_score(q, l).score; NaN when Python must score the pair. ``detail``
    (unless NULL) receives the alignment and the terms (NameScore's fields)."""
    # an abjad query is never read as cut against a name in another script: it writes no
    # vowels, so its length says nothing of a field limit (score.name_score)
    # (its last word read as cut whatever the list name's length; the words lost after the
    # cut against a longer one, or any when the last word pairs as cut: _truncated_tail)
    cdef bint reads_cut = q.truncatable and not l.syllabic and (l.abjad or not q.abjad)
    cdef Alignment al
    cdef int partner[MAX_TOKENS]
    cdef int after
    cdef double substance = 0.0, kinds_q, kinds_l, losses, left_q, left_l, contradiction
    cdef double omission, total, raw, share
    cdef bint tail, lineage, legal, crossed, capped, one_word, lone, generic_as_name, fathers
    cdef double aside_q, aside_l
    cdef bint persons
    if _python_scores(q, l) or not _align(q, l, reads_cut, &al):
        return NAN
    losses = _pair_losses(q, l, &al, partner, &substance, detail)
    after = _truncated_tail(q, l, &al, l.length > q.length) if reads_cut else l.n
    tail = after < l.n
    share = R.truncated_tail
    if not tail and _kunya_named(q, l, &al, partner):
        after = -1  # every list word left over counts kunya_share (score.kunya_named)
        share = R.kunya_share
    # a generic word left over on each side costs what a name costs when one word of
    # substance at most agrees (score._contradiction)
    generic_as_name = (_leaves_generic(q, al.used_q) and _leaves_generic(l, al.used_l)
                       and _substantive_pairs(q, &al) <= 1)
    # a patronymic left over on each side names another father (score._contradiction)
    fathers = _leaves(q, al.used_q, PATRONYMIC) and _leaves(l, al.used_l, PATRONYMIC)
    persons = not (q.org or l.org)
    left_q = _left(q, al.used_q, q.n, 1.0, generic_as_name, fathers, persons, &kinds_q,
                   &aside_q)
    left_l = _left(l, al.used_l, after, share, generic_as_name, fathers, persons, &kinds_l,
                   &aside_l)
    contradiction = kinds_q if kinds_q <= kinds_l else kinds_l
    lineage = q.has_lineage and l.has_lineage
    if lineage and not tail:
        omission = fabs(_omitted(q, al.used_q, persons) - _omitted(l, al.used_l, persons))
    else:
        omission = fabs(left_q - left_l)
    # a particle left over with its word is as if not written (score._with_their_word)
    total = q.total - aside_q + _spelt_out(q, l, &al)
    if l.total - aside_l > total:
        total = l.total - aside_l
    if R.min_total > total:
        total = R.min_total
    raw = 1.0 - (losses + R.contradiction * (left_q if left_q <= left_l else left_l)
                 + R.omission * omission) / total
    raw -= R.contradiction_abs * contradiction
    legal = q.has_legal and l.has_legal and (q.legal & l.legal) == 0
    if legal:
        raw -= R.legal_conflict
    crossed = lineage and _lineage_crossed(q, l, partner)
    if crossed:
        raw -= R.lineage_crossed
    capped = substance == 0 and not _same_tokens(q, l)
    if capped and raw > R.generic_cap:
        raw = R.generic_cap
    one_word = _one_word(q, l, al.used_q)
    # the flag is read by explanations; the cap needs it only when nothing else caps
    lone = (detail != NULL or (raw > R.one_word_cap and not one_word)) \
        and _lone_variant(q, l, &al)
    if raw > R.one_word_cap and (one_word or lone):
        raw = R.one_word_cap
    if detail != NULL:
        detail.npairs = al.npairs
        detail.used_q = al.used_q
        detail.used_l = al.used_l
        detail.contradiction = contradiction
        detail.omission = omission
        detail.capped = capped
        detail.legal = legal
        detail.crossed = crossed
        detail.one_word = one_word
        detail.truncated = tail
        detail.lone_variant = lone
    free(al.pairs)
    return 0.0 if raw < 0.0 else (1.0 if raw > 1.0 else raw)
