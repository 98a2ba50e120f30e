"""What the matcher's kernel (``match/_kernel.pyx``) reads of the compiled phonetic keys:
the same rules in one place (``_phonetic.pyx``), called from C without a Python call."""


cdef bint _letters_only(const char* s, int n) noexcept
cdef bint _has_vowel(const char* s, int n) noexcept
cdef tuple keys_of(const char* data, int n, bint slavic)
cdef int key_into(const char* s, int n, char* out, char* work) noexcept
cdef int _east_slavic_of(const char* token, int n, char* buf) noexcept
cdef int _skeleton_of(const char* token, int n, char* buf) noexcept
cdef int _east_slavic_keyed(const char* token, int n, const char* key, int key_len,
                            char* buf) noexcept
