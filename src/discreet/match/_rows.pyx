# cython: language_level=3, boundscheck=False, wraparound=False
"""Result records made of their rows, compiled: what a query does last for each result.

A persisted index keeps each entity as its row (``model.entity_row``: the fields in slot
order, each record a tuple of its own slots' values) and each prepared name as its state
(the fields' values in order). Python fills such an object slot by slot in a class of the
same slots, then assigns its ``__class__`` (``model.filling_class``): a function call for
each record, a type call, and a class assignment whose layout check costs as much as the
stores. Here each value is stored by the slot's own descriptor (what a plain slot store
does; a frozen dataclass's ``__setattr__``, which refuses, is not asked) in an object
allocated as ``object.__new__`` allocates it (no ``__init__``, as the Python fill): the same
object, every slot set, in a fraction of the instructions. The store is the one the slot's
descriptor makes (``member_set``: the value at the slot's offset in the object), made in
line: the descriptor of each slot is checked once, when its class is taken (a plain slot
of an object, writable), not called for each value of each record of each result.
"""

cimport cython
from cpython.dict cimport PyDict_GetItem, PyDict_SetItem
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.object cimport PyTypeObject
from cpython.ref cimport Py_INCREF, Py_XDECREF, PyObject
from libc.stdlib cimport free, malloc
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_GET_SIZE, PyTuple_New, PyTuple_SET_ITEM

__all__ = ["Kept", "Reader", "Rows", "Slots", "Texts"]

cdef extern from "Python.h":
    object PyUnicode_DecodeUTF8(const char* data, Py_ssize_t size, const char* errors)


cdef extern from "marshal.h":
    object PyMarshal_ReadObjectFromString(const char* data, Py_ssize_t size)

cdef extern from "Python.h":
    # what object.__new__ calls (a class defined in Python allocates so): the object with
    # every slot empty, tracked by the collector when its class is
    object PyType_GenericAlloc(PyTypeObject* cls, Py_ssize_t items)


cdef extern from "structmember.h":
    # a slot's member: where its value lives in the object, and how it is stored
    ctypedef struct PyMemberDef:
        const char* name
        int type
        Py_ssize_t offset
        int flags
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member
    int T_OBJECT_EX
    int READONLY


cdef inline object _word(tuple words, object number):
    """The word at ``number`` (a number past the words: an index written otherwise)."""
    cdef Py_ssize_t at = number
    if not 0 <= at < PyTuple_GET_SIZE(words):
        raise ValueError(f"no word {at} of {PyTuple_GET_SIZE(words)}")
    return <object>PyTuple_GET_ITEM(words, at)


class _Slot:
    """A class of one slot: what a slot's descriptor is."""

    __slots__ = ("slot",)


_MEMBER = type(_Slot.__dict__["slot"])  # the type of a slot's descriptor (member_descriptor)


cdef bint _plain(object descriptor):
    """Whether ``descriptor`` (a member descriptor) is a slot's: an object reference stored
    at its offset (an empty slot read an AttributeError), writable."""
    cdef PyMemberDef* member = (<PyMemberDescrObject*>descriptor).d_member
    return member.type == T_OBJECT_EX and not (member.flags & READONLY) and member.offset > 0


cdef class Slots:
    """Objects of one class of slots made of their slots' values, in the order of
    ``names`` (every slot of the class, in its order: the caller's tests hold it).
    ``empties``: for each slot, None, or ``list`` or ``dict``: the slot's value stored as
    None stands for a new empty one (a row need not carry an empty list). ``coded``: the
    slots whose value may be stored as a number, the place of the text in the words a
    :class:`Rows` reads with (one object each, the index's few schemata, sources and
    kinds, not a new string each time)."""

    cdef readonly type cls
    cdef tuple _setters  # each slot's member descriptor, in order (kept alive here)
    cdef Py_ssize_t* _offsets  # ... and where its value is stored in an object
    cdef tuple _empties
    cdef tuple _coded
    cdef Py_ssize_t _size

    def __init__(self, type cls, tuple names, tuple empties=None, tuple coded=None):
        if tuple(cls.__dict__.get("__slots__", ())) != names:
            raise ValueError(f"{cls.__name__}'s slots are not {names!r}")
        if cls.__new__ is not object.__new__:
            raise ValueError(f"{cls.__name__} has its own __new__")
        self.cls = cls
        self._setters = tuple(cls.__dict__[name] for name in names)
        self._size = len(names)
        for name, setter in zip(names, self._setters):
            # a plain slot (what ``__slots__`` makes): an object reference stored at an
            # offset, writable; anything else would not be stored as a slot store does
            if type(setter) is not _MEMBER or not _plain(setter):
                raise ValueError(f"{cls.__name__}.{name} is not a plain slot")
        free(self._offsets)  # (NULL unless made again)
        self._offsets = <Py_ssize_t*>malloc(max(self._size, 1) * sizeof(Py_ssize_t))
        if self._offsets == NULL:
            raise MemoryError()
        for i, setter in enumerate(self._setters):
            self._offsets[i] = (<PyMemberDescrObject*>setter).d_member.offset
        if empties is None:
            empties = (None,) * self._size
        if len(empties) != self._size or any(e not in (None, list, dict) for e in empties):
            raise ValueError(f"an empty value for each slot: None, list or dict")
        self._empties = empties
        if coded is None:
            coded = (False,) * self._size
        if len(coded) != self._size:
            raise ValueError("coded or not, for each slot")
        self._coded = tuple(bool(c) for c in coded)

    def __dealloc__(self):
        free(self._offsets)

    def __call__(self, values):
        """The object of ``values`` (a tuple or a list, one value a slot)."""
        if type(values) is list:
            values = tuple(values)
        return self.make(values, ())

    def many(self, rows):
        """The objects of each of ``rows`` (tuples), as a tuple, in order."""
        cdef Py_ssize_t i, size = len(rows)
        made = PyTuple_New(size)
        for i in range(size):
            item = self.make(<tuple?>rows[i], ())
            Py_INCREF(item)  # (the new tuple steals it)
            PyTuple_SET_ITEM(made, i, item)
        return made

    cdef object make(self, tuple values, tuple words):
        cdef Py_ssize_t i
        cdef object value, empty
        cdef PyObject** slot
        if PyTuple_GET_SIZE(values) != self._size:
            raise ValueError(f"{self._size} values for {self.cls.__name__}, not "
                             f"{PyTuple_GET_SIZE(values)}")
        made = PyType_GenericAlloc(<PyTypeObject*>self.cls, 0)
        for i in range(self._size):
            value = <object>PyTuple_GET_ITEM(values, i)
            if value is None:
                empty = <object>PyTuple_GET_ITEM(self._empties, i)
                if empty is list:
                    value = []
                elif empty is dict:
                    value = {}
            elif type(value) is int and <object>PyTuple_GET_ITEM(self._coded, i) is True:
                value = _word(words, value)
            # the slot's store (a new object's slot is empty: nothing let go but NULL)
            slot = <PyObject**>((<char*><PyObject*>made) + self._offsets[i])
            Py_INCREF(value)
            Py_XDECREF(slot[0])
            slot[0] = <PyObject*>value
        return made


cdef class Rows:
    """Objects of a class of slots made of their rows, whose fields at ``records``' keys
    are lists of records' rows (each made its record in its list: the row's own list,
    freshly read, becomes the object's; None, an empty list when ``slots`` says so).
    ``checked``: the values the field at ``check`` must have; for another, the object's
    ``__post_init__`` is called (its error). ``words``: what a coded value's number is the
    place of (:class:`Slots`), in the object and its records, and in the lists of text at
    ``listed`` (each item text, or the number of its word)."""

    cdef Slots _slots
    cdef tuple _at  # the fields holding records, in order
    cdef tuple _records  # ... and their records' Slots
    cdef tuple _listed  # the fields holding lists of text, some coded
    cdef readonly tuple words
    cdef Py_ssize_t _check
    cdef frozenset _checked

    def __init__(self, Slots slots, dict records, Py_ssize_t check, frozenset checked,
                 tuple words=(), tuple listed=()):
        self._slots = slots
        self._at = tuple(sorted(records))
        self._records = tuple(records[at] for at in self._at)
        self._check = check
        self._checked = checked
        self.words = words
        self._listed = listed

    def __call__(self, tuple row):
        """The object of ``row``."""
        return self.make(row)

    cdef object make(self, tuple row):
        cdef Py_ssize_t f, i, size
        cdef Slots record
        cdef list listed
        cdef object found
        cdef tuple words = self.words
        made = self._slots.make(row, words)
        for f in range(PyTuple_GET_SIZE(self._listed)):
            found = <object>PyTuple_GET_ITEM(row, <Py_ssize_t>(<object>PyTuple_GET_ITEM(self._listed, f)))
            if found is None:
                continue
            listed = <list?>found
            for i in range(PyList_GET_SIZE(listed)):
                item = <object>PyList_GET_ITEM(listed, i)
                if type(item) is int:
                    listed[i] = _word(words, item)
        for f in range(PyTuple_GET_SIZE(self._at)):
            found = <object>PyTuple_GET_ITEM(row, <Py_ssize_t>(<object>PyTuple_GET_ITEM(self._at, f)))
            if found is None:
                continue  # stored empty: an empty list made
            listed = <list?>found
            record = <Slots>PyTuple_GET_ITEM(self._records, f)
            size = PyList_GET_SIZE(listed)
            for i in range(size):
                listed[i] = record.make(<tuple?>(<list>listed)[i], words)
        checked = <object>PyTuple_GET_ITEM(row, self._check)
        if type(checked) is int:
            checked = _word(words, checked)
        if checked not in self._checked:
            made.__post_init__()
        return made


cdef class _Spans:
    """Rows of bytes read by their number from two arrays: ``blob``, the rows one after
    another, and ``offsets``, where each begins (int64, one more than rows), both
    contiguous and kept alive here (:class:`Reader`'s marshalled rows, :class:`Texts`'
    UTF-8 texts): a row read from its bytes in place, no slice of a memoryview."""

    cdef object _blob, _offsets
    cdef const unsigned char* _data
    cdef const long long* _ends
    cdef Py_ssize_t _rows

    @cython.final
    cdef int _hold(self, blob, offsets) except -1:
        cdef const unsigned char[::1] data = blob
        cdef const long long[::1] ends = offsets
        if ends.shape[0] < 1 or ends[0] < 0 or ends[ends.shape[0] - 1] > data.shape[0]:
            raise ValueError("offsets past the blob")
        self._blob, self._offsets = blob, offsets
        self._data = &data[0] if data.shape[0] else NULL
        self._ends = &ends[0]
        self._rows = ends.shape[0] - 1
        return 0

    @cython.final
    cdef Py_ssize_t _span(self, Py_ssize_t i, const char** at, str what) except -1:
        """Row ``i``'s size, its first byte at ``at``; ``what`` names a row in errors."""
        cdef long long start, end
        if not 0 <= i < self._rows:
            raise IndexError(f"no {what} {i} of {self._rows}")
        start, end = self._ends[i], self._ends[i + 1]
        if not 0 <= start <= end:
            raise ValueError(f"{what} {i} ends before it begins")
        at[0] = <const char*>self._data + start
        return end - start


cdef class Reader(_Spans):
    """Objects read by their number from a blob of rows marshalled one after another and
    their offsets (:class:`_Spans`); each row made its object by ``maker`` (a
    :class:`Slots` of a tuple of values, or :class:`Rows`). A row is unmarshalled from its
    bytes in place: no call of ``marshal.loads``."""

    cdef readonly object maker

    def __init__(self, maker, blob, offsets):
        if not isinstance(maker, (Slots, Rows)):
            raise TypeError(f"a Slots or Rows, not {type(maker).__name__}")
        self._hold(blob, offsets)
        self.maker = maker

    def __call__(self, Py_ssize_t i):
        """The object of row ``i``."""
        return self.read(i)

    cdef object read(self, Py_ssize_t i):
        cdef const char* at
        cdef Py_ssize_t size = self._span(i, &at, "row")
        row = PyMarshal_ReadObjectFromString(at, size)
        if type(self.maker) is Rows:
            return (<Rows>self.maker).make(<tuple?>row)
        return (<Slots>self.maker).make(<tuple?>row, ())


@cython.auto_pickle(False)
cdef class Kept:
    """What a packed sequence (``packed.Packed``, whose base this is) keeps of the items
    read lately, and a read of item ``i`` by its number, compiled: the same bookkeeping
    (see ``Packed``) as its Python ``__getitem__`` did, which cost a result some three
    thousand instructions besides its decoding (a Python call from the subscript slot,
    three dict lookups, the counts). Any other subscript (a slice, a negative or numpy
    number) is the subclass's ``_other``. The limits (``DECODED``, ``ONCE``) are read from
    ``_limits`` (``packed``'s globals) at each use, and the read that keeps an item from the
    class's ``_kept_at``, as the Python reads did."""

    cdef public object _decoded  # OrderedDict: item number -> item, the latest read last
    cdef public dict _once  # item number -> its reads, of the latest read once or twice
    cdef public dict _before  # ... of the ONCE before them
    cdef public object _make  # what decodes an item (None: the subclass's _decode)
    cdef public Py_ssize_t _size
    cdef public dict _limits  # where DECODED and ONCE are read

    def __getitem__(self, index):
        cdef Py_ssize_t i
        if type(index) is int:
            try:
                i = index
            except OverflowError:
                return self._other(index)
            if 0 <= i < self._size:
                return self._read(index, i)
        return self._other(index)

    cdef object _read(self, object index, Py_ssize_t i):
        cdef PyObject* hit = PyDict_GetItem(self._decoded, index)  # (a dict's own lookup)
        cdef object found, make
        cdef dict once
        cdef Py_ssize_t reads
        if hit != NULL:  # the item read is now the latest (another thread may have made
            found = <object>hit  # room meanwhile: then a KeyError, and nothing to do)
            try:
                self._decoded.move_to_end(index)
            except KeyError:
                pass
            return found
        make = self._make
        if make is None:
            found = self._decode(index)
        elif type(make) is Reader:
            found = (<Reader>make).read(i)
        else:
            found = make(index)
        once = self._once
        hit = PyDict_GetItem(once, index)
        if hit == NULL:
            hit = PyDict_GetItem(self._before, index)
        reads = (<object>hit if hit != NULL else 0) + 1
        if reads < self._kept_at:  # read too few times yet: its reads counted
            PyDict_SetItem(once, index, reads)
            if len(once) >= self._limits["ONCE"]:
                self._before, self._once = once, {}
            return found
        decoded = self._decoded
        decoded[index] = found  # (the OrderedDict's own store: kept last)
        if len(decoded) > self._limits["DECODED"]:
            try:
                decoded.popitem(last=False)  # the one read least lately makes room
            except KeyError:
                pass
        return found


@cython.auto_pickle(False)
cdef class Texts(_Spans):
    """Texts read by their number from two arrays: ``blob``, their UTF-8 bytes one after
    another (surrogates written as such), and ``offsets``, where each begins (int64, one
    more than texts), both contiguous and kept alive here: a text decoded from its bytes in
    place, where a memoryview's slice and ``str`` of it cost a few thousand instructions a
    text (the ids a query's tied results are told apart by, ``lookup.EntityLookup``)."""

    def __init__(self, blob, offsets):
        self._hold(blob, offsets)

    def __len__(self):
        return self._rows

    def __call__(self, Py_ssize_t i):
        """Text ``i``."""
        return self.text(i)

    def many(self, positions):
        """Each text at ``positions`` (numbers), in order, as a list."""
        return [self.text(p) for p in positions]

    cdef object text(self, Py_ssize_t i):
        cdef const char* at
        cdef Py_ssize_t size = self._span(i, &at, "text")
        return PyUnicode_DecodeUTF8(at, size, "surrogatepass")
