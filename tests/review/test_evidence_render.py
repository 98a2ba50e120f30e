"""The one format switch of the evidence reports (``evidence.render``), which the API, the
web pages and ``discreet report`` all call: each format's bytes, media type and text are
those of its renderer, and an unknown format is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from discreet.review.evidence import (
    FORMATS,
    customer_evidence,
    render,
    render_html,
    render_json,
)
from discreet.store import Store
from tests.review.test_evidence import _book


def test_render_each_format(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        _book(store)
        report = customer_evidence(store, "K1")
    assert FORMATS == ("json", "html", "pdf")
    as_json, as_html, as_pdf = (render(report, fmt) for fmt in FORMATS)
    assert (as_json.fmt, as_json.media_type) == ("json", "application/json")
    assert as_json.text == render_json(report) and as_json.body == as_json.text.encode()
    assert (as_html.fmt, as_html.media_type) == ("html", "text/html; charset=utf-8")
    assert as_html.text == render_html(report) and as_html.body == as_html.text.encode()
    assert report["audit"]["head_hash"] in as_html.text and "Hamid" in as_html.text
    assert (as_pdf.fmt, as_pdf.media_type, as_pdf.text) == ("pdf", "application/pdf", None)
    assert as_pdf.body.startswith(b"%PDF-") and b"%%EOF" in as_pdf.body[-64:]
    for wrong in ("xml", "PDF", ""):
        with pytest.raises(ValueError, match="unknown report format"):
            render(report, wrong)
