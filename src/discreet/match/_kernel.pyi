"""Type stub of the compiled kernel (``_kernel.pyx`` and the ``.pxi`` parts it includes)."""

import numpy as np
import numpy.typing as npt

from discreet.match.prune import Forms

_Ints = npt.NDArray[np.int64]
_Floats = npt.NDArray[np.float64]

METHODS: tuple[str, ...]

def kernel_rules() -> dict[str, object]: ...

class Strings:
    def __init__(self, forms: list[Forms], stamps: bool = True) -> None: ...
    @staticmethod
    def packed(forms: tuple[tuple[bytes | npt.NDArray[np.uint8], _Ints], ...], stem_at: _Ints,
               stem_cut: _Ints, flags: npt.NDArray[np.uint8], once: _Ints) -> Strings: ...
    def __len__(self) -> int: ...

class QueryName:
    def __init__(self, strings: Strings, ident: list[int], source: list[int], kind: list[int],
                 weight: tuple[float, ...], spans: list[tuple[int, int, int]],
                 spell: list[int], acronym_runs: list[tuple[int, int, int]],
                 lineages: list[tuple[int, int]], has_lineage: bool, total: float, legal: int,
                 has_legal: bool, org: bool, abjad: bool, syllabic: int, script_set: int,
                 fallback: bool, cuts: tuple[float, float, float], truncatable: bool = False,
                 length: int = 0, equivalents: list[tuple[int, int]] | None = None,
                 syllable_keys: bool = False,
                 shifts: list[tuple[int, int, int, int]] | None = None,
                 bare: bool = False) -> None: ...

class Kernel:
    def __init__(self, words: Strings, runs: Strings,
                 tables: dict[str, npt.NDArray[np.generic]]) -> None: ...
    def evaluate(self, query: QueryName, positions: list[int], floor: float, lowered: _Floats,
                 ) -> tuple[list[float], list[float]]: ...
    def syllabic_among(self, positions: list[int]) -> bool: ...
    def score(self, query: QueryName, p: int) -> float: ...
    def explain(self, query: QueryName, p: int) -> tuple[
        float, list[tuple[tuple[int, ...], tuple[int, ...], float, str]], tuple[int, ...],
        tuple[int, ...], tuple[float, ...], float, float, bool, bool, bool, bool, bool, bool,
    ] | None: ...

def token_similarity(strings: Strings, a: int, b: int, abjad: int) -> tuple[float, str]: ...
def syllable_similarity(strings: Strings, a: int, b: int, script: int) -> tuple[float, str]: ...
def distance(a: bytes, b: bytes, transpositions: bool) -> int: ...

class Postings:
    def __init__(self, flat: npt.NDArray[np.int32], start: _Ints, size: _Ints, idf: _Floats,
                 acronym: npt.NDArray[np.uint8], masses: _Floats,
                 skeleton_masses: _Floats, inits: npt.NDArray[np.uint32],
                 firsts: npt.NDArray[np.uint32]) -> None: ...
    def candidates(self, key_list: list[int], share_list: list[float], own: float,
                   ratio: float, large: int, limit: int, abjad: bool,
                   tail: float = 1.0, unshared: float = 0.0, agree: float = 0.0,
                   q_inits: int = 0, q_firsts: int = 0) -> list[int]: ...
