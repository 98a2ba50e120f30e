"""Reading a commented YAML data file shipped in the package, checked as it is read.

discreet keeps facts as data (the programme catalogue here, the dataset catalogue in
``lists/``), and every such file is read the same way: safe YAML, a key given twice refused
(plain YAML keeps the last silently, so a pasted duplicate would replace an entry unseen),
and every check failing as ``ValueError("<file>: <key path>: <what is wrong>")`` so the
message points at the line to fix. This module is that one reading; it lives in the lowest
package that reads such a file, so ``lists/`` (a higher layer) may import it too.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import yaml

__all__ = ["YamlFile"]


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice; ``file_name`` names the file."""

    file_name = "?"

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(f"{self.file_name}: line {key_node.start_mark.line + 1}: "
                                 f"{key!r} is given twice")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """Dates stay text until ``YamlFile.date`` checks them (YAML's own reading raises,
    unnamed, on 2004-02-30)."""
    return loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None


class YamlFile:
    """One data file's reading and checks: every error names the file and the key path."""

    def __init__(self, name: str, *, dates_as_text: bool = False) -> None:
        self.name = name
        loader: type[_UniqueKeyLoader] = type(
            "Loader", (_UniqueKeyLoader,), {"file_name": name})
        if dates_as_text:  # add_constructor copies the table: the base loader is untouched
            loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
        self._loader = loader

    def fail(self, where: str, message: str) -> ValueError:
        """The error for ``where`` (a key path such as ``datasets.eu_fsf.url``)."""
        return ValueError(f"{self.name}: {where}: {message}")

    def load(self, text: str) -> Any:
        """The parsed YAML (safe: plain data only); invalid YAML is a ValueError too."""
        try:
            return yaml.load(text, Loader=self._loader)  # a SafeLoader
        except yaml.YAMLError as exc:
            raise ValueError(f"{self.name}: not valid YAML: {exc}") from None

    def packaged(self, package: str) -> str:
        """The file's text as shipped in ``package``'s ``data`` folder."""
        return resources.files(package).joinpath("data", self.name).read_text("utf-8")

    def text(self, value: Any, where: str, *, strip: bool = True) -> str:
        """A non-empty string (stripped unless ``strip`` is false)."""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"expected a non-empty string, got {value!r}")
        return value.strip() if strip else value

    def texts(self, value: Any, where: str) -> tuple[str, ...]:
        """A list of non-empty strings; an item's error names its index."""
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, got {value!r}")
        return tuple(self.text(item, f"{where}[{i}]") for i, item in enumerate(value))

    def mapping(self, value: Any, where: str, keys: set[str] | None = None,
                required: tuple[str, ...] = ()) -> dict[str, Any]:
        """A mapping with text keys only (a YAML 1.1 key such as 26532022 or NO must be
        quoted), none outside ``keys`` when given, every one of ``required`` present."""
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping")
        for key in value:
            if not isinstance(key, str):
                raise self.fail(where, f"key {key!r} is not text (quote it)")
        if keys is not None:
            unknown = sorted(set(value) - keys)
            if unknown:
                raise self.fail(f"{where}.{unknown[0]}",
                                f"unknown key (known: {', '.join(sorted(keys))})")
        for key in required:
            if key not in value:
                raise self.fail(f"{where}.{key}", "required")
        return value

    def date(self, value: Any, where: str) -> str:
        """An ISO date (YYYY-MM-DD) as text."""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(self.text(value, where)).isoformat()
        except ValueError:
            raise self.fail(where, f"expected an ISO date (YYYY-MM-DD), got {value!r}") from None
