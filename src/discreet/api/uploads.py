"""Uploaded files checked before anything reads them.

An Excel workbook is a zip archive: a few kilobytes can unpack to gigabytes (a "zip
bomb"), which the reader would hold in memory or take hours over, in a server shared by
everyone. The archive's own directory says what it unpacks to, without unpacking it.

Text saved as UTF-16 or UTF-32 (Excel's "Unicode text", Notepad's "Unicode") is turned
into UTF-8 first, which the readers expect: read as bytes, its header would be a column
"ÿþi\0d\0" and every name garbled.
"""

from __future__ import annotations

import codecs
import os
import zipfile
from pathlib import Path

from discreet.errors import ConfigError

__all__ = ["UNPACKED_BYTES", "UNPACKED_PARTS", "UNPACKED_RATIO", "as_utf8",
           "check_unpacked"]

UNPACKED_BYTES = 512 * 1024 * 1024  # what a workbook may unpack to, all its parts together
UNPACKED_RATIO = 200  # times its packed size, for a part of more than a few MB
UNPACKED_PARTS = 10_000  # files inside the archive


def check_unpacked(path: Path, shown: str) -> None:
    """Refuse a zip archive (an Excel workbook is one) that would unpack to far more than
    it weighs: a "zip bomb" would take the server's memory or its time for everyone.
    Read from the archive's directory, nothing unpacked; other files pass unchanged."""
    try:
        if not zipfile.is_zipfile(path):
            return
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return  # the reader says what is wrong with it
    total = sum(p.file_size for p in parts)
    swollen = [p for p in parts if p.file_size > 8 * 1024 * 1024
               and p.file_size > UNPACKED_RATIO * max(1, p.compress_size)]
    if total > UNPACKED_BYTES or swollen or len(parts) > UNPACKED_PARTS:
        raise ConfigError(f"{shown} unpacks to {total:,} bytes in {len(parts):,} parts "
                          f"(at most {UNPACKED_BYTES:,} bytes, none more than "
                          f"{UNPACKED_RATIO} times its packed size): save it as CSV and "
                          "upload that")


# longest first: the UTF-32 LE mark begins with the UTF-16 LE one
_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def as_utf8(path: Path, shown: str) -> None:
    """Rewrite a text file that starts with a UTF-16 or UTF-32 byte order mark as UTF-8,
    in place and a megabyte at a time; other files are left as they are. A file that is
    not valid in the encoding its mark names is refused, naming where it breaks."""
    with path.open("rb") as handle:
        start = handle.read(4)
    encoding = next((name for mark, name in _MARKS if start.startswith(mark)), None)
    if encoding is None:
        return
    done = path.with_name(path.name + ".utf8")
    try:
        with path.open("r", encoding=encoding, newline="") as source, \
                done.open("w", encoding="utf-8", newline="") as out:
            while block := source.read(1 << 20):
                out.write(block)
    except UnicodeDecodeError as exc:
        done.unlink(missing_ok=True)
        raise ConfigError(f"{shown} starts as {encoding.upper()} text but is not valid "
                          f"{encoding.upper()} ({exc.reason}): save it again as UTF-8 "
                          "CSV") from exc
    os.replace(done, path)
