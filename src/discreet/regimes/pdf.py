"""A regime report as PDF: a title line, headed sections of paragraphs, tables and charts.

Reports name listed persons in their own scripts (Cyrillic, Arabic, Chinese), and fpdf2's
core fonts are Latin-1 only, so the text is set in DejaVu Sans, the TrueType font that
matplotlib ships in its data folder (nothing is downloaded, no system font is needed), with
right-to-left scripts shaped by HarfBuzz. Characters DejaVu Sans lacks (Chinese, Korean)
fall back to matplotlib's Last Resort font, which draws a placeholder naming the script:
the page stays readable and the PDF's text layer (copy, search, a reader's extraction)
keeps every character as written. The output is deterministic (a fixed creation date, the
file id derived from the content), so one report gives the same bytes twice.
"""

from __future__ import annotations

import functools
import io
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace
from matplotlib.ft2font import FT2Font

from discreet.errors import DiscreetError

__all__ = ["MAX_ROWS", "RenderError", "Section", "Table", "png_size", "render_pdf"]

_FONT = "DejaVu"
_FALLBACK = "LastResort"
_FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)  # no wall-clock time in the file
_MARGIN = 15.0  # mm
_MAX_CELL = 2_000  # characters: one row must fit on one page (fpdf2 never splits a row)
MAX_ROWS = 1_000  # rows a table shows (layout costs milliseconds a row); a last row says so
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class RenderError(DiscreetError, ValueError):
    """Raised when a chart or a PDF is asked for in a format or with data it cannot draw.

    A ``ValueError`` too, since the fault is always the value passed in.
    """


@dataclass(frozen=True)
class Table:
    """A table of text: one header row, then rows of as many cells (short rows are padded)."""

    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Section:
    """One headed part of a report: paragraphs, then tables, then PNG images (charts)."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    images: list[bytes] = field(default_factory=list)


def _font_dir() -> Path:
    """Matplotlib's bundled TrueType fonts (DejaVu, Last Resort), found through its data path."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@functools.cache
def _covered() -> frozenset[int]:
    """The code points DejaVu Sans draws (read once: about 5,900)."""
    return frozenset(FT2Font(str(_font_dir() / "DejaVuSans.ttf")).get_charmap())


def _needs_fallback(texts: Iterable[str]) -> bool:
    """Whether any character lacks a DejaVu glyph (loading the fallback font costs seconds)."""
    covered = _covered()
    return any(ord(char) not in covered for text in texts for char in text
               if not char.isspace() and char.isprintable())


def _needs_shaping(texts: Iterable[str]) -> bool:
    """Whether text holds scripts that need shaping: Hebrew to Mongolian, Arabic forms.

    Shaping is right for any text but several times slower, so plain runs skip it.
    """
    return any(0x0590 <= ord(char) <= 0x1CFF or 0xFB1D <= ord(char) <= 0xFEFC
               for text in texts for char in text)


def _texts(title: str, sections: Sequence[Section]) -> Iterator[str]:
    """Every text a report will set, to choose its fonts before the first page."""
    yield title
    for section in sections:
        yield section.heading
        yield from section.paragraphs
        for table in section.tables:
            yield from (str(text) for text in table.header)
            yield from (str(text) for row in table.rows for text in row)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header; RenderError when it is not a PNG."""
    if len(data) < 24 or not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise RenderError("a report image must be a PNG file (signature and IHDR header)")
    width, height = struct.unpack(">II", data[16:24])
    if width == 0 or height == 0:
        raise RenderError(f"a report image has no area ({width}x{height} pixels)")
    return int(width), int(height)


def _cell(text: object) -> str:
    """A table cell as text, cut (saying how much) when one cell alone could outgrow a page."""
    value = str(text)
    if len(value) > _MAX_CELL:
        return f"{value[:_MAX_CELL]}… ({len(value) - _MAX_CELL:,} more characters)"
    return value


def _col_widths(table: Table, columns: int) -> tuple[float, ...]:
    """Relative column widths from the longest cell of each column, within 1:6."""
    longest = [1] * columns
    for row in [table.header, *table.rows]:
        for i, text in enumerate(row[:columns]):
            longest[i] = max(longest[i], min(len(str(text)), 60))
    return tuple(float(max(n, 10)) for n in longest)


class _Report:
    """Lays out one report on A4 pages."""

    def __init__(self, title: str, *, fallback: bool) -> None:
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_creation_date(_FIXED_DATE)
        pdf.set_title(title)
        pdf.set_creator("discreet")
        pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        pdf.set_auto_page_break(True, margin=_MARGIN)
        fonts = _font_dir()
        pdf.add_font(_FONT, "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font(_FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        if fallback:
            pdf.add_font(_FALLBACK, "", str(fonts / "LastResortHE-Regular.ttf"))
            pdf.set_fallback_fonts([_FALLBACK], exact_match=False)
        pdf.add_page()
        self.pdf = pdf

    def shaping(self, texts: Iterable[str]) -> None:
        """Shapes the next block's text (joins Arabic letters, orders right-to-left runs) if
        it needs it."""
        self.pdf.set_text_shaping(_needs_shaping(texts))

    def title(self, text: str) -> None:
        pdf = self.pdf
        self.shaping([text])
        pdf.set_font(_FONT, "B", 18)
        pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

    def heading(self, text: str) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - _MARGIN - 30:  # a heading never ends a page alone
            pdf.add_page()
        pdf.set_font(_FONT, "B", 13)
        self.shaping([text])
        pdf.start_section(text)  # an outline entry: the reader's bookmarks list the sections
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def paragraph(self, text: str) -> None:
        pdf = self.pdf
        pdf.set_font(_FONT, "", 10)
        self.shaping([text])
        pdf.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def table(self, table: Table) -> None:
        columns = len(table.header)
        if columns == 0:
            raise RenderError("a report table needs at least one header cell")
        for number, row in enumerate(table.rows, 1):
            if len(row) > columns:
                raise RenderError(f"report table row {number} has {len(row)} cells, "
                                  f"more than the header's {columns}")
        pdf = self.pdf
        pdf.set_font(_FONT, "", 8)
        rows = [[_cell(text) for text in row] for row in [table.header, *table.rows[:MAX_ROWS]]]
        hidden = len(table.rows) - MAX_ROWS
        self.shaping(text for row in rows for text in row)
        with pdf.table(col_widths=_col_widths(table, columns), text_align="LEFT",
                       line_height=4.2, padding=1, repeat_headings=1,
                       headings_style=FontFace(emphasis="BOLD", fill_color=(225, 225, 225)),
                       first_row_as_headings=True) as grid:
            for cells in rows:
                grid.row([*cells, *[""] * (columns - len(cells))])
            if hidden > 0:
                grid.row().cell(f"… and {hidden:,} more rows, not shown here (the JSON and "
                                "Markdown forms hold them all)", colspan=columns)
        pdf.ln(3)

    def image(self, data: bytes, alt: str) -> None:
        """A PNG scaled to the page width (never enlarged past 96 dpi), on one page."""
        width_px, height_px = png_size(data)
        pdf = self.pdf
        usable_w = pdf.w - 2 * _MARGIN
        usable_h = pdf.h - 2 * _MARGIN
        width = min(usable_w, width_px * 25.4 / 96)
        height = width * height_px / width_px
        if height > usable_h:
            height = usable_h
            width = height * width_px / height_px
        if pdf.get_y() + height > pdf.h - _MARGIN:
            pdf.add_page()
        try:
            pdf.image(io.BytesIO(data), x=_MARGIN, w=width, h=height, alt_text=alt)
        except Exception as exc:  # fpdf2/Pillow reject a damaged PNG body with many types
            raise RenderError(f"a report image could not be read as PNG: {exc}") from exc
        pdf.ln(3)

    def output(self) -> bytes:
        return bytes(self.pdf.output())

    def close(self) -> None:
        """Closes the font files (fpdf2 closes them only on output, not when layout fails)."""
        for font in self.pdf.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()


def render_pdf(title: str, sections: Sequence[Section]) -> bytes:
    """A report as PDF bytes: the title line, then each section's heading and contents.

    Tables wrap long cells and continue across pages with their header repeated; images
    are PNG (charts from ``size_chart``/``flows_chart`` with ``fmt="png"``).
    """
    report = _Report(title, fallback=_needs_fallback(_texts(title, sections)))
    try:
        report.title(title)
        for section in sections:
            report.heading(section.heading)
            for text in section.paragraphs:
                report.paragraph(text)
            for table in section.tables:
                report.table(table)
            for number, data in enumerate(section.images, 1):
                report.image(data, f"{section.heading}: chart {number}")
        return report.output()
    finally:
        report.close()
