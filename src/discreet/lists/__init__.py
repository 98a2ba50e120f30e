"""The list pipeline: from an official list's URL or file to a stored version.

``fetch`` downloads (timeouts, retries, never half-written), ``settings`` reads the TOML
settings (sources, mirror, removal gate), ``load`` turns a file into a parsed list, checks it and
stores it, ``update`` runs the three for each configured source, and ``catalogue`` holds the
known datasets (``data/datasets.yml``). Data flows one way: this package uses ``sources/``,
``store/``, ``text/`` and ``model``; none of them imports it.
"""

__all__: list[str] = []
