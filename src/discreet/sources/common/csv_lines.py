"""Line decoding for the delimited list files (OFAC CSV, OFSI ConList).

Published CSVs mix encodings: OFAC's are UTF-8 since 2021 but older copies carry stray
Windows-1252 bytes, and the 2014 OFSI file is cp1252 throughout. Decoding line by line,
with a cp1252 fallback, reads all of them without crashing on one bad byte.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator

from discreet.text.csvtext import decode_line

__all__ = ["BOM", "decode_line", "decoded_lines"]

BOM = codecs.BOM_UTF8
CTRL_Z = "\x1a"  # DOS end-of-file marker that OFAC appends after the last record


def decoded_lines(raw_lines: Iterable[bytes]) -> Iterator[str]:
    """Decoded lines with the BOM and ``\\x1a`` removed and line ends normalised to ``\\n``.

    Lines are kept (even when blank) so that the csv reader's line numbers stay true. A last
    line without a line ending keeps lacking one (unless ``\\x1a`` marks the end): that is
    how a truncated file is told from a complete one.
    """
    first = True
    for raw in raw_lines:
        if first:
            raw = raw.removeprefix(BOM)
            first = False
        text = decode_line(raw)
        ended = text.endswith(("\n", CTRL_Z))  # a lone "\r" at the end is a cut CRLF
        text = text.replace(CTRL_Z, "").rstrip("\r\n")
        yield text + "\n" if ended else text
