"""Every error discreet raises on purpose.

The tree::

    DiscreetError                 root: catch this to handle any expected failure
    ├── ParseError                a published file could not be read as a list
    │   └── UnsafeInputError      the file tries XXE, entity expansion or similar tricks
    ├── UnknownFormatError        no parser recognises the file's content
    ├── RejectedListError         a file parsed but is implausible as a new version
    ├── StoreError                the version store cannot do what was asked
    │   └── NotFoundError         a source, version or entity does not exist
    ├── FetchError                an official file could not be downloaded
    └── ConfigError               a configuration file or value is invalid

Third-party errors (lxml, csv, sqlite3, psycopg, httpx) are wrapped in one of these so
that callers, and the CLI, only ever see this tree.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DiscreetError",
    "FetchError",
    "NotFoundError",
    "ParseError",
    "RejectedListError",
    "StoreError",
    "UnknownFormatError",
    "UnsafeInputError",
]


class DiscreetError(Exception):
    """Root of every error discreet raises on purpose."""


class ParseError(DiscreetError):
    """Raised when a published file is malformed, truncated or wrongly encoded.

    Carries the file name, and where known the line and the field, so that the
    message points a person at the exact place to look.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field {self.field}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class UnsafeInputError(ParseError):
    """Raised when an XML file declares a DTD or entities (XXE, billion laughs)."""


class UnknownFormatError(DiscreetError):
    """Raised when no parser recognises a file; says what the file looks like instead."""


class RejectedListError(DiscreetError):
    """Raised when a parsed file is refused as a new version (empty, shrunk too much).

    ``--force`` overrides the refusals that are a matter of judgement (a large drop).
    """


class StoreError(DiscreetError):
    """Raised when the version store fails or is asked for something impossible."""


class NotFoundError(StoreError):
    """Raised when a source, version or entity asked for does not exist."""


class FetchError(DiscreetError):
    """Raised when a download fails after its retries (status, timeout, network)."""


class ConfigError(DiscreetError):
    """Raised when the configuration file or an option value is invalid."""
