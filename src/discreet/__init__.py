"""discreet: on-premises sanctions screening and sanctions-regime monitoring."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from discreet.errors import DiscreetError
from discreet.model import Entity

__all__ = ["DiscreetError", "Entity", "__version__", "collector_paused"]

__version__ = "0.1.0"


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """No cycle collector passes meanwhile: around work that makes hundreds of thousands
    (a build: millions) of containers and no garbage, whose full passes would walk them all
    (a tenth of an import's time; minutes of a build at a million entities).

    ``freeze``: what exists after is frozen, so that later passes do not walk it either:
    around importing a large part (the service, the pages), whose modules, classes and
    routes are there for the life of the process (as the API's index is, ``match.settle``).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if freeze:
                gc.freeze()
            gc.enable()
