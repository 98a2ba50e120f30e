"""Entry script for ``spark-submit``: ``spark-submit …/cli/spark_entry.py [--db URL] IN OUT …``.

spark-submit runs a Python *file*; this one hands its arguments to
``discreet spark-screen``, so the cluster job and the local command are one code path.
"""

from __future__ import annotations

import sys

__all__ = ["arguments"]


def arguments(argv: list[str]) -> list[str]:
    """The CLI arguments: group options (``--db URL``) first, then the command's."""
    head = argv[:2] if argv[:1] == ["--db"] else []
    return [*head, "spark-screen", *argv[len(head):]]


if __name__ == "__main__":
    from discreet.cli import main

    sys.argv = [sys.argv[0], *arguments(sys.argv[1:])]
    main()
