"""The PDF reports are tagged PDF/UA-1 (a structure tree a screen reader can follow) and PDF/A-2u.

Read back with pypdf (structure tree, language, title) and with poppler's ``pdfinfo``.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from reports.rendering import render_country_pdf, render_overview_pdf
from tests.test_reports import make_gaps

HEADINGS = ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")


def structure(node, found: list[DictionaryObject]) -> list[DictionaryObject]:
    """Every structure element under ``node``, in reading order."""
    node = node.get_object()
    if isinstance(node, DictionaryObject):
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, IndirectObject | DictionaryObject):
                structure(kid, found)
    return found


@pytest.fixture
def reports(cast):
    make_gaps(cast.assessment_a, ("I.1", "We need a national strategy."), ("VII.D.5", ""))
    make_gaps(cast.assessment_b, ("I.1", "A strategy, please."))
    return {
        "country": (
            render_country_pdf(cast.assessment_a),
            f"Technical assistance gap report: Kenya, {cast.assessment_a.cycle.name}",
        ),
        "overview": (render_overview_pdf(cast.assessment_a.cycle), None),
    }


@pytest.mark.parametrize("kind", ["country", "overview"])
def test_reports_are_tagged_pdf_ua_and_pdf_a_with_language_title_headings_tables_and_alt_text(
    reports, kind
):
    pdf, title = reports[kind]
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - pypdf BooleanObject
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp
    # PDF/A-2u too, for archiving: identified as such, colours tied to sRGB.
    assert b'pdfaid:part="2"' in xmp and b'pdfaid:conformance="U"' in xmp
    assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp  # PDF/UA's schema declared
    assert reader.pdf_header == "%PDF-1.7"
    assert root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    assert reader.metadata.title and (title is None or reader.metadata.title == title)

    elements = structure(root["/StructTreeRoot"], [])
    tags = [e["/S"] for e in elements]
    # One title, then headings that never skip a level.
    headings = [int(t[2]) for t in tags if t in HEADINGS]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False)), headings
    # Tables, each with its header cells.
    tables = [e for e in elements if e["/S"] == "/Table"]
    assert len(tables) >= 3
    for table in tables:
        assert "/TH" in [e["/S"] for e in structure(table, [])]
    # The guideline chart is a figure whose alternative text says every score.
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == 1
    alt = str(figures[0]["/Alt"])
    assert alt.startswith("Guideline alignment scores") and "Guideline 10: " in alt


@pytest.mark.skipif(
    not shutil.which("pdfinfo") and not os.environ.get("CI"),
    reason="poppler-utils is not installed here (apt-get install poppler-utils); CI installs it.",
)
def test_pdfinfo_says_the_report_is_tagged(reports, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(reports["country"][0])
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    assert "Technical assistance gap report: Kenya" in info.stdout


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_a_report_in_another_language_is_tagged_with_that_language(cast, language):
    make_gaps(cast.assessment_a, ("I.1", "نحتاج إلى استراتيجية وطنية"))
    root = PdfReader(io.BytesIO(render_country_pdf(cast.assessment_a, language))).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - pypdf BooleanObject
    assert root["/Lang"] == language
    elements = structure(root["/StructTreeRoot"], [])
    tags = [e["/S"] for e in elements]
    assert tags.count("/H1") == 1 and tags.count("/Table") >= 3
    (figure,) = [e for e in elements if e["/S"] == "/Figure"]
    assert "10" in str(figure["/Alt"])  # the chart's alt text, every score included
