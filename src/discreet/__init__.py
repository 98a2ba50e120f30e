"""discreet: on-premises sanctions screening and sanctions-regime monitoring."""

from discreet.errors import DiscreetError
from discreet.model import Entity

__all__ = ["DiscreetError", "Entity", "__version__"]

__version__ = "0.1.0"
