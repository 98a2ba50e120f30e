"""discreet: on-premises sanctions screening and sanctions-regime monitoring."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from discreet.errors import DiscreetError
from discreet.model import Entity

__all__ = ["DiscreetError", "Entity", "__version__", "frozen_import"]

__version__ = "0.1.0"


@contextmanager
def frozen_import() -> Iterator[None]:
    """Around importing a large part (the service, the pages): it makes hundreds of
    thousands of objects and no garbage, so no collector passes meanwhile (a tenth of the
    time), and what it made (modules, classes, routes: there for the life of the process)
    frozen after, so that later passes do not walk it either (as the API's index is,
    ``match.settle``)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
