# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The matcher's inner loops, compiled: candidate sums, score bounds, name scores.

Python holds the rules; this module runs the loops a query spends its time in, on tables
Python prepared once per index. It is one compilation unit made of parts that sit beside
the Python module each mirrors, rule for rule and in the same order of double operations,
so the numbers are the same to the last bit (``tests/match/test_kernel.py`` checks it):

=====================  ==========================================================
``_distance.pxi``      rapidfuzz's OSA and Levenshtein distances (bit-parallel)
``_strings.pxi``       ``prune.string_forms``: a token's forms, prepared once
``_similarity.pxi``    ``similarity.py``: token and syllable similarity
``_align.pxi``         ``align.py``: which token pairs with which
``_score.pxi``         ``score.py``: the name score from an alignment
``_prune.pxi``         ``prune.py``: every candidate's bound, then exact scores
``_index.pxi``         ``index.py``: a query's keys summed per list name
``_keys.pxi``          ``index.py``: the keys' table and their one-deletion neighbours
=====================  ==========================================================

Every number of the rules is read from :data:`discreet.match.rules.RULES` when this module
is imported, into the struct ``R`` (no number of a rule is written here). Pairs the kernel
does not score (two names written in the same syllabic scripts, Chinese or Korean, whose
characters Python compares; names of more than 64 words) come back as NaN and Python
scores them. Every string here is ASCII ([a-z0-9]: tokens, phonetic keys, skeletons).
"""

from libc.math cimport INFINITY, NAN, fabs, nextafter
from libc.stdint cimport int8_t, int32_t, int64_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memchr, memcmp, memcpy, memmove, memset
from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.list cimport PyList_New, PyList_SET_ITEM
from cpython.ref cimport Py_INCREF

from discreet.text._phonetic cimport (_east_slavic_keyed, _east_slavic_of, _has_vowel,
                                      _letters_only, _skeleton_of, key_into, keys_of)

import numpy as np

from discreet.match import rules
from discreet.text.given_names import given_classes_ascii

__all__ = ["METHODS", "KeyTable", "Kept", "Kernel", "Neighbours", "Postings", "QueryName", "Strings",
           "deletion_hashes", "distance", "kernel_rules", "query_pairs",
           "query_words", "raise_credits", "string_forms",
           "string_table", "syllable_similarity",
           "table_hashes", "table_slots", "token_similarity", "Weights", "WordRules"]

DEF ALPHABET = 128
DEF STEMS = 5
DEF MAX_TOKENS = 64

# the set bits of a word, inline: __builtin_popcountll is a call into libgcc unless the
# build targets a CPU with the instruction (the kernel is built for any x86-64), and the
# bound's tests count bits a million times a thousand queries
cdef extern from *:
    """
    static inline int discreet_popcount(unsigned long long x) {
    #if defined(__POPCNT__)
        return __builtin_popcountll(x);
    #else
        x = x - ((x >> 1) & 0x5555555555555555ULL);
        x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
        x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
        return (int) ((x * 0x0101010101010101ULL) >> 56);
    #endif
    }
    """
    int popcount "discreet_popcount" (unsigned long long) nogil

# kinds of token: their positions in rules.KINDS (checked below)
DEF NAME = 0
DEF PATRONYMIC = 1
DEF INITIAL = 2
DEF NUMBER = 3
DEF GENERIC = 4
DEF PARTICLE = 5
DEF LEGAL = 6
DEF TITLE = 7

if rules.KINDS != ("name", "patronymic", "initial", "number", "generic", "particle", "legal",
                   "title"):
    raise ImportError("rules.KINDS changed: renumber the kernel's kinds (_kernel.pyx)")

# how the token rules read a pair's names (similarity.BARE): 0 Latin, 1 one in an abjad
# script, BARE the query a Latin name written without its vowels
DEF BARE = 2

# how two tokens pair (similarity.token_similarity's methods, then align's)
DEF M_EXACT = 0
DEF M_PHONETIC = 1
DEF M_DECLINED = 2
DEF M_ROMANISED = 3
DEF M_FUZZY = 4
DEF M_SKELETON = 5
DEF M_INITIAL = 6
DEF M_NONE = 7
DEF M_JOINED = 8
DEF M_ACRONYM = 9
DEF M_VOWELLESS = 10
DEF M_REGROUPED = 11
DEF M_TRUNCATED = 12
DEF TRANSCRIPTION_LETTERS = 64  # similarity._TRANSCRIPTION_LETTERS

METHODS = ("exact", "phonetic", "declined", "romanised", "fuzzy", "skeleton", "initial",
           "none", "joined", "acronym", "vowelless", "regrouped", "truncated")


# The numbers of the rules the kernel reads, by their names in rules.Rules. Filled once, at
# import, from rules.kernel_rules(): Cython copies a mapping into a struct field by field,
# by name (a field the table lacks fails the import).
cdef struct Rules:
    # token similarity
    double min_sim
    double phonetic_sim
    double doubled_sim
    double initial_twice_sim
    double initial_sim
    double form_slip_sim
    int form_slip_letters
    double transcribed_sim
    double transcribed_near_sim
    int transcribed_letters
    double two_names_sim
    double abjad_sim
    double short_skeleton
    int skeleton_letters
    double baltic_sim
    double east_slavic_sim
    int egyptian_g_letters
    double diphthong_sim
    double diminutive_sim
    double vowelless_sim
    int vowelless_slip_letters
    int variant_letters
    int short_token
    double short_token_cap
    int short_word
    double swapped_sim
    double swap_edit
    double inner_swap_edit
    double written_swap_edit
    double start_slip_edit
    double dropped_edit
    double short_word_factor
    double consonant_fuzzy
    double consonant_base
    double consonant_scale
    # alignment
    double join_min_sim
    int join_letters
    int join_slack
    int join_slack_share
    double acronym_sim
    int acronym_min
    int acronym_max
    int spelled_out
    double regrouped_sim
    int regroup_letters
    int regroup_gap
    double truncated_sim
    int truncated_letters
    double truncated_long_sim
    int truncated_prefix
    # name score
    double fuzzy_loss
    double fuzzy_steep
    double fuzzy_knee
    double initial_loss
    double contradiction
    double contradiction_abs
    double omission
    double forebear_share
    double generic_cap
    double one_word_cap
    int lone_letters_per_slip
    double legal_conflict
    double lineage_crossed
    double truncated_tail
    double kunya_share
    double min_total
    double unmatched[8]  # by kind code


cdef Rules R = rules.kernel_rules()


def kernel_rules():
    """The numbers the kernel holds, by name (for tests: they must be rules.RULES')."""
    return R


include "_distance.pxi"
include "_strings.pxi"
include "_similarity.pxi"
include "_align.pxi"
include "_score.pxi"
include "_prune.pxi"
include "_index.pxi"
include "_keys.pxi"
