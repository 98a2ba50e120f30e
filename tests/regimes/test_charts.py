"""Charts and PDF reports, rendered for real: SVG parsed with lxml, PNG read by its header,
PDF read back with pypdf. No mocks: what a reader of the report gets is what is checked."""

from __future__ import annotations

import io
import re
import struct
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any, cast

import pytest
from lxml import etree
from pypdf import PageObject, PdfReader
from pypdf.generic import Destination, DictionaryObject

from discreet.errors import DiscreetError
from discreet.regimes.charts import (
    MAX_BARS,
    MAX_NAMED,
    MAX_POINTS,
    RenderError,
    Section,
    Table,
    flows_chart,
    render_pdf,
    size_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
CYRILLIC = "Иван Петрович Сидоров"
ARABIC = "أسامة محمد بن لادن"


def _svg(data: bytes) -> etree._Element:
    """The SVG's root, parsed without network or entity expansion (matplotlib writes a
    DOCTYPE; nothing in it is loaded)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser)


def _texts(root: etree._Element) -> list[str]:
    # lxml gives str pieces on Python 3; its stubs say str or bytes
    return ["".join(cast(Iterator[str], t.itertext())).strip() for t in root.iter(f"{SVG}text")]


def _ids(root: etree._Element, prefix: str) -> list[str | None]:
    return [el.get("id") for el in root.iter() if (el.get("id") or "").startswith(prefix)]


def _png(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _steps(start: date, every: int, counts: list[int]) -> list[tuple[date, int]]:
    return [(start + timedelta(days=every * i), c) for i, c in enumerate(counts)]


SERIES = {
    "UN": _steps(date(2016, 1, 7), 240, [255, 257, 260, 262, 262, 261, 259, 260]),
    "OFAC": _steps(date(2015, 3, 2), 365, [5970, 6120, 6350, 7010, 7600]),
    "EU": _steps(date(2014, 7, 30), 400, [20, 150, 2100]),
}
FLOWS = [("2022", 1401, 12), ("2023", 980, 40), ("2024", 1210, 301), ("2025", 77, 105)]


# -- size over time -------------------------------------------------------------------------


def test_size_chart_svg_names_every_authority_with_title_desc_and_axis_labels() -> None:
    root = _svg(size_chart(SERIES, title="Russia/Ukraine: listings per list"))
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert title.text == "Russia/Ukraine: listings per list"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text is not None
    for name, last in (("UN", "260"), ("OFAC", "7,600"), ("EU", "2,100")):
        assert f"{name}: {last} active listings" in desc.text
    texts = _texts(root)
    assert {"UN", "OFAC", "EU", "version date", "active listings",
            "Russia/Ukraine: listings per list", "authority"} <= set(texts)
    assert len(_ids(root, "series-")) == 3
    # dates on the x axis: year ticks within the data's span
    years = {t for t in texts if re.fullmatch(r"20\d\d", t)}
    assert years and {int(y) for y in years} <= set(range(2014, 2021))


def test_size_chart_png_has_its_pixel_size() -> None:
    data = size_chart(SERIES, title="sizes", fmt="png")
    assert _png(data) == (1000, 550)
    assert len(data) > 10_000  # lines and labels drawn, not a blank canvas


def test_size_chart_accepts_unsorted_points_and_datetimes() -> None:
    shuffled = {"UN": [(datetime(2020, 5, 1, 13, 0), 12), (date(2018, 1, 1), 10),
                       (date(2019, 1, 1), 11)]}
    in_order = {"UN": [(date(2018, 1, 1), 10), (date(2019, 1, 1), 11), (date(2020, 5, 1), 12)]}
    assert size_chart(shuffled, title="t") == size_chart(in_order, title="t")
    desc = _svg(size_chart(shuffled, title="t"))[1].text
    assert desc is not None
    assert "12 active listings on 2020-05-01 (from 10 on 2018-01-01)" in desc


@pytest.mark.parametrize("series", [{}, {"UN": [], "EU": []}])
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_empty_size_chart_says_no_data(series: dict[str, list[tuple[date, int]]],
                                       fmt: str) -> None:
    data = size_chart(series, title="Nothing held", fmt=fmt)
    if fmt == "png":
        assert _png(data) == (1000, 550)
        return
    root = _svg(data)
    assert "no data" in _texts(root)
    assert "Nothing held" in _texts(root)
    assert root[1].text is not None and root[1].text.startswith("No data")


def test_an_authority_without_versions_is_named_as_such() -> None:
    desc = _svg(size_chart({**SERIES, "CA": []}, title="t"))[1].text
    assert desc is not None
    assert desc.endswith("No versions for: CA.")


# -- flows ------------------------------------------------------------------------------------


def test_flows_chart_svg_has_one_bar_up_and_one_down_per_period() -> None:
    root = _svg(flows_chart(FLOWS, title="Designations and delistings per year"))
    texts = _texts(root)
    assert {"2022", "2023", "2024", "2025", "designations", "delistings", "period",
            "Designations and delistings per year"} <= set(texts)
    assert len(_ids(root, "designation-")) == 4
    assert len(_ids(root, "delisting-")) == 4
    desc = root[1].text
    assert desc is not None
    assert "3,668 designations, 458 delistings, net +3,210" in desc
    assert "2025: +77 −105" in desc
    # delistings are drawn downward but labelled as counts, never negative
    assert not [t for t in texts if t.startswith(("-", "−"))]


def test_flows_chart_png() -> None:
    assert _png(flows_chart(FLOWS, title="flows", fmt="png")) == (1000, 550)


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_empty_flows_chart_says_no_data(fmt: str) -> None:
    data = flows_chart([], title="No flows", fmt=fmt)
    if fmt == "svg":
        assert "no data" in _texts(_svg(data))
    else:
        assert _png(data) == (1000, 550)


def test_many_periods_are_merged_into_bars_that_keep_the_totals() -> None:
    rows = [(f"{2000 + i // 12}-{i % 12 + 1:02d}", i % 9, i % 4) for i in range(600)]
    root = _svg(flows_chart(rows, title="fifty years by month"))
    assert len(_ids(root, "designation-")) == MAX_BARS
    desc = root[1].text
    assert desc is not None
    total_up, total_down = sum(r[1] for r in rows), sum(r[2] for r in rows)
    assert f"{total_up:,} designations, {total_down:,} delistings" in desc
    assert f"Drawn as {MAX_BARS} bars" in desc
    assert "2000-01–2000-05" in _texts(root)  # spans are labelled first–last period


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "SVG", "", "jpeg"])
def test_unknown_format_is_a_clear_value_error_of_the_tree(fmt: str) -> None:
    draw: Callable[[], bytes]
    for draw in (lambda: size_chart(SERIES, title="t", fmt=fmt),
                 lambda: flows_chart(FLOWS, title="t", fmt=fmt)):
        with pytest.raises(RenderError, match=f"chart format {fmt!r} is not one of svg, png"):
            draw()
    assert issubclass(RenderError, DiscreetError) and issubclass(RenderError, ValueError)


@pytest.mark.parametrize("points", [
    [(date(2020, 1, 1), -1)],
    [(date(2020, 1, 1), 2.5)],
    [(date(2020, 1, 1), True)],
    [(date(2020, 1, 1), "12")],
    [("2020-01-01", 12)],
    [(None, 12)],
    [(date(2020, 1, 1),)],
    [42],
])
def test_bad_points_are_refused_with_the_authority_named(points: list[object]) -> None:
    with pytest.raises(RenderError, match=r"^OFAC: "):
        size_chart({"OFAC": points}, title="t")  # type: ignore[dict-item]


@pytest.mark.parametrize("row", [("2024", -3, 0), ("2024", 3, 1.5), ("2024", None, 0)])
def test_bad_flows_are_refused(row: tuple[str, object, object]) -> None:
    with pytest.raises(RenderError, match="2024"):
        flows_chart([("2023", 1, 1), row], title="t")  # type: ignore[list-item]


# -- determinism and bounds ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_same_input_gives_the_same_bytes(fmt: str) -> None:
    assert size_chart(SERIES, title="t", fmt=fmt) == size_chart(SERIES, title="t", fmt=fmt)
    assert flows_chart(FLOWS, title="t", fmt=fmt) == flows_chart(FLOWS, title="t", fmt=fmt)


def test_svg_holds_no_timestamp_and_ids_differ_between_charts() -> None:
    first = size_chart(SERIES, title="one")
    second = size_chart(SERIES, title="two")
    assert b"<dc:date>" not in first
    assert _svg(first)[0].get("id") != _svg(second)[0].get("id")


def test_huge_input_stays_bounded_in_time_size_and_legend() -> None:
    start = date(1999, 1, 1)
    series = {f"authority {a:03d}": [(start + timedelta(days=d), 1000 + (d * (a + 1)) % 97 + a)
                                     for d in range(10_000)]
              for a in range(100)}
    began = time.perf_counter()
    svg = size_chart(series, title="one hundred authorities")
    png = size_chart(series, title="one hundred authorities", fmt="png")
    elapsed = time.perf_counter() - began
    root = _svg(svg)
    named = _ids(root, "series-")
    assert len(named) == MAX_NAMED
    assert len(_ids(root, "other-")) == 100 - MAX_NAMED
    legend = {t for t in _texts(root) if t.startswith("authority ")}
    largest = sorted(series, key=lambda name: (-series[name][-1][1], name))[:MAX_NAMED]
    assert legend == set(largest)  # only the largest at their last version are named
    assert f"{100 - MAX_NAMED} other authorities" in _texts(root)
    assert len(svg) < 1_500_000 and len(png) < 500_000
    assert elapsed < 20, elapsed  # generous: shared CI machines; about 3 s on a quiet one
    # each drawn line keeps at most its budget of points
    for line in root.iter(f"{SVG}path"):
        assert (line.get("d") or "").count("L") <= 2 * MAX_POINTS + 2


def test_thinning_keeps_peaks_and_dips() -> None:
    start = date(2000, 1, 1)
    points = [(start + timedelta(days=d), 500) for d in range(5_000)]
    points[2_345] = (points[2_345][0], 9_999)  # one day's spike
    points[3_456] = (points[3_456][0], 1)  # one day's dip
    desc_and_ticks = _texts(_svg(size_chart({"UN": points}, title="spike")))
    assert "10,000" in desc_and_ticks or "9,000" in desc_and_ticks  # y axis reaches the spike
    png_spiky = size_chart({"UN": points}, title="spike", fmt="png")
    flat = [(d, 500) for d, _ in points]
    assert png_spiky != size_chart({"UN": flat}, title="spike", fmt="png")


# -- PDF ------------------------------------------------------------------------------------------


def _flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as one space (a reader's wrapping)."""
    return " ".join(text.split())


def _squeezed(text: str) -> str:
    """Text without any space (a reader may drop or add spaces inside a table cell)."""
    return re.sub(r"\s+", "", text)


def _report(rows: int = 24) -> bytes:
    note = "amended several times, most recently by the regulation of 2024; " * 5
    table = [[f"un-{i}", CYRILLIC if i % 2 else ARABIC, "RUSSIA", note] for i in range(rows)]
    return render_pdf("Russia/Ukraine: has the regime been eased since 2022-02-24?", [
        Section("Answer", ["Net change: +3,210 listings; 458 delistings.",
                           f"Largest delisting: {CYRILLIC}; then {ARABIC}"],
                [], []),
        Section("Delisted parties", [], [Table(["id", "name", "programme", "note"], table)], []),
        Section("Charts", [], [], [size_chart(SERIES, title="sizes", fmt="png"),
                                   flows_chart(FLOWS, title="flows", fmt="png")]),
    ])


@pytest.fixture(scope="module")
def report() -> tuple[bytes, PdfReader, list[str]]:
    """One report, read once: its bytes, the reader, the text of each page."""
    data = _report()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return data, reader, [page.extract_text() for page in reader.pages]


def test_pdf_text_comes_back_in_every_script(report: tuple[bytes, PdfReader, list[str]]) -> None:
    text = _flat("\n".join(report[2]))
    assert "Russia/Ukraine: has the regime been eased since 2022-02-24?" in text
    for heading in ("Answer", "Delisted parties", "Charts"):
        assert heading in text
    # a right-to-left run ends the line: readers differ on the order of a neutral after it
    assert f"Largest delisting: {CYRILLIC}; then {ARABIC}" in text
    squeezed = _squeezed(text)
    assert squeezed.count(_squeezed(CYRILLIC)) == 12 + 1  # rows, and the paragraph
    assert squeezed.count(_squeezed(ARABIC)) == 12 + 1


def test_pdf_table_wraps_breaks_across_pages_and_repeats_its_header(
        report: tuple[bytes, PdfReader, list[str]]) -> None:
    pages = report[2]
    table_pages = [page for page in pages if "un-" in page]
    assert len(table_pages) >= 2  # the table runs over a page break
    assert all("idnameprogrammenote" in _squeezed(page) for page in table_pages)  # header
    found = {int(n) for n in re.findall(r"un-(\d+)", "\n".join(table_pages))}
    assert found == set(range(24))
    # the long note wraps inside its cell: every word kept, over several lines
    assert _squeezed("\n".join(pages)).count(_squeezed("most recently by the regulation")) \
        == 24 * 5


def _title(entry: Destination | list[Any]) -> str | None:
    """An outline entry's title; the report's outline is flat (no nested list)."""
    assert isinstance(entry, Destination), entry
    return entry.title


def _resources(page: PageObject) -> DictionaryObject:
    """A page's resource dictionary (pypdf resolves it when read)."""
    resources = page["/Resources"]
    assert isinstance(resources, DictionaryObject)
    return resources


def test_pdf_outline_images_and_fonts(report: tuple[bytes, PdfReader, list[str]]) -> None:
    reader = report[1]
    assert [_title(o) for o in reader.outline] == ["Answer", "Delisted parties", "Charts"]
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 2
    sizes = set()
    for img in images:
        assert img.image is not None, img.name  # each embedded image is decoded
        sizes.add((img.image.width, img.image.height))
    assert sizes == {(1000, 550)}
    fonts = {str(f["/BaseFont"]) for page in reader.pages
             for f in _resources(page).get("/Font", {}).values()}
    assert fonts and all("DejaVu" in f for f in fonts), fonts  # embedded, no core fonts


def test_pdf_is_deterministic() -> None:
    sections = [Section(f"Part {ARABIC}", [CYRILLIC], [Table(["a", "b"], [[ARABIC, "1"]])],
                        [flows_chart(FLOWS, title="flows", fmt="png")])]
    assert render_pdf("same", sections) == render_pdf("same", sections)


def test_pdf_with_scripts_dejavu_lacks_keeps_the_text() -> None:
    data = render_pdf("金正恩 and 김정은", [Section("Ωμέγα", ["name: 金正恩 (DPRK)"], [], [])])
    text = _flat(_pdf_text(data))
    assert "金正恩 and 김정은" in text and "Ωμέγα" in text and "name: 金正恩 (DPRK)" in text


def test_pdf_short_rows_are_padded_and_long_ones_refused() -> None:
    text = _pdf_text(render_pdf("t", [Section("s", [], [Table(["a", "b", "c"],
                                                              [["only one"]])], [])]))
    assert "only one" in text
    with pytest.raises(RenderError, match="row 1 has 3 cells, more than the header's 2"):
        render_pdf("t", [Section("s", [], [Table(["a", "b"], [["1", "2", "3"]])], [])])
    with pytest.raises(RenderError, match="at least one header cell"):
        render_pdf("t", [Section("s", [], [Table([], [])], [])])


@pytest.mark.parametrize("image", [b"", b"GIF89a" + b"\0" * 40, b"<svg/>",
                                   b"\x89PNG\r\n\x1a\n" + b"\0" * 30,
                                   b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + struct.pack(">II", 8, 8)
                                   + b"not a png body"])
def test_pdf_refuses_images_that_are_not_png(image: bytes) -> None:
    with pytest.raises(RenderError, match="PNG"):
        render_pdf("t", [Section("s", [], [], [image])])


def test_pdf_of_nothing_is_a_title_page() -> None:
    data = render_pdf("Empty report", [])
    assert "Empty report" in _pdf_text(data)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_pdf_cuts_a_huge_cell_and_says_so() -> None:
    text = _pdf_text(render_pdf("t", [Section("s", [], [Table(["a"], [["x" * 9_000]])], [])]))
    assert "7,000 more characters" in _flat(text)
