"""Reports in the reader's language: each of the six read back from the PDF.

The country report and the global overview are rendered in every language of
``settings.LANGUAGES`` and read back with pypdf: the document's /Lang, the fonts embedded for
Arabic and Chinese, Arabic text from the database extracted as written, the month of the date
in the language, and the headings as gettext translates them. The headings' test asks that the
translation exists: it fails until the catalogues (locale/) are written.
"""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from pypdf import PdfReader

from catalogue.models import Category
from reports import services
from reports.models import ReportJob
from reports.rendering import country_document, render_country_pdf, render_overview_pdf
from reports.services import report_request, report_run
from tests.test_reports import make_gaps, squeezed, text_of

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
ARABIC_NEED = "نحتاج إلى تدريب القضاة والمدعين العامين"
ARABIC_TITLE = "الإطار القانوني والسياساتي"
COUNTRY_HEADINGS = [
    "Technical assistance gap report", "Summary", "Gaps and matched tools",
    "The ten guidelines: what to improve", "Ratification profile", "Method",
]
OVERVIEW_HEADINGS = [
    "Technical assistance needs overview", "The most common gaps",
    "The compendium entries most often matched", "Guideline alignment", "Method",
]
# Font names as WeasyPrint writes them (a subset prefix, then the @font-face family).
LATIN_FONT, ARABIC_FONT, CHINESE_FONT = "Noto-Sans", "Almarai", "Noto-Sans-SC"

_rendered: dict[str, tuple[bytes, bytes]] = {}


@pytest.fixture
def reports(cast):
    """The (country, overview) PDFs of each language; rendered once, from the same data."""
    make_gaps(cast.assessment_a, ("I.1", ARABIC_NEED), ("VII.D.5", ""))
    make_gaps(cast.assessment_b, ("I.1", "A strategy, please."))
    # The title in every language's column: each report shows its own language's text.
    Category.objects.filter(numeral="I").update(
        **{f"title_{code.replace('-', '_')}": ARABIC_TITLE for code in LANGUAGES}
    )

    def render(language: str) -> tuple[bytes, bytes]:
        if language not in _rendered:
            _rendered[language] = (
                render_country_pdf(cast.assessment_a, language),
                render_overview_pdf(cast.assessment_a.cycle, "", language),
            )
        return _rendered[language]

    return render


def fonts_of(pdf: bytes) -> set[str]:
    """The base font names of every page, without the subset prefix (``ABCDEF+``)."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").partition("+")[2])
    return names


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_report_declares_its_language_and_embeds_fonts_for_its_script(reports, language):
    for pdf in reports(language):
        reader = PdfReader(io.BytesIO(pdf))
        assert reader.trailer["/Root"]["/Lang"] == language
        fonts = fonts_of(pdf)
        assert LATIN_FONT in fonts
        if language == "ar":
            assert ARABIC_FONT in fonts and f"{ARABIC_FONT}-Bold" in fonts
        if language == "zh-hans":
            assert CHINESE_FONT in fonts


def has_words(pdf: bytes, text: str) -> bool:
    """Every word of ``text`` in the PDF, its letters in order. Word by word: pypdf gives a line
    that mixes scripts with its runs in visual order, and may glue a Latin run to an Arabic
    word ("I. الإطار" in a right-to-left line comes back as "الإطارI")."""
    extracted = text_of(pdf)
    return all(word in extracted for word in text.split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_arabic_text_from_the_database_reads_back_as_written_in_every_report(reports, language):
    country, overview = reports(language)
    assert has_words(country, ARABIC_NEED)  # a ministry's answer
    assert has_words(country, ARABIC_TITLE)  # a category's title
    assert has_words(overview, ARABIC_TITLE)  # in the heat map's key


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_date_is_written_in_the_report_language(reports, language):
    with translation.override(language):
        date = date_format(timezone.now(), "DATE_FORMAT")  # Django's catalogues name the months
        bidi = translation.get_language_bidi()
    for pdf in reports(language):
        if bidi:  # the month's name; its digits come back in visual order
            month = " ".join(word for word in re.findall(r"\w+", date) if not word.isdigit())
            assert has_words(pdf, month), date
        else:
            assert squeezed(date) in squeezed(text_of(pdf)), date


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_headings_are_in_the_report_language(reports, language):
    """Needs the catalogues: every heading translated (not the English msgid) and printed."""
    country, overview = reports(language)
    for pdf, msgids in ((country, COUNTRY_HEADINGS), (overview, OVERVIEW_HEADINGS)):
        text = squeezed(text_of(pdf))
        with translation.override(language):
            headings = {msgid: gettext(msgid) for msgid in msgids}
        if language != settings.LANGUAGE_CODE:
            untranslated = [msgid for msgid, heading in headings.items() if heading == msgid]
            assert not untranslated, f"no {language} translation of {untranslated}"
        for heading in headings.values():
            assert squeezed(heading) in text, heading


def test_an_arabic_report_is_right_to_left(cast):
    html = country_document(cast.assessment_a, "ar").html
    assert '<html lang="ar" dir="rtl">' in html
    assert '<html lang="fr" dir="ltr">' in country_document(cast.assessment_a, "fr").html


def test_the_guideline_chart_is_mirrored_in_arabic():
    from scoring.charts import guideline_chart_svg

    scores = [(1, 80.0), (2, None)]
    with translation.override("ar"):
        svg = guideline_chart_svg(scores)
    # Labels anchored at the right edge, the bar of 80 filled from the right.
    assert 'text-anchor="end"' in svg and 'text-anchor="start"' not in svg
    assert '<rect x="120.0" y="8" width="240.0"' in svg
    assert 'text-anchor="end"' not in guideline_chart_svg(scores)


# --- jobs: the language asked for is the language rendered and stored -----------------------


def test_a_job_renders_in_its_language_and_stores_it_apart(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        english = report_request(assessment=cast.assessment_a, language="en")
        arabic = report_request(assessment=cast.assessment_a, language="ar")
    assert english.pk != arabic.pk  # an active English job never answers an Arabic request
    english.refresh_from_db()
    arabic.refresh_from_db()
    assert (english.status, arabic.status) == (ReportJob.Status.DONE, ReportJob.Status.DONE)
    assert "/en/" in english.file.name and english.file.name.endswith("-en.pdf")
    assert "/ar/" in arabic.file.name and arabic.file.name.endswith("-ar.pdf")
    lang = PdfReader(arabic.file.open("rb")).trailer["/Root"]["/Lang"]
    assert lang == "ar"


def test_a_job_asked_for_without_a_language_takes_the_active_one(cast):
    with translation.override("fr"):
        job = report_request(assessment=cast.assessment_a)
    assert job.language == "fr"
    with pytest.raises(ValueError):
        report_request(assessment=cast.assessment_a, language="de")


def test_a_failed_job_says_why_in_its_language(cast, monkeypatch):
    job = ReportJob.objects.create(
        assessment=cast.assessment_a, cycle=cast.assessment_a.cycle, language="fr"
    )

    def fail(job):
        raise RuntimeError

    monkeypatch.setattr("reports.rendering.render_job_pdf", fail)
    assert report_run(job_id=job.pk).result == "failed"
    job.refresh_from_db()
    with translation.override("fr"):
        assert job.error == services.FAILED % {"error": "RuntimeError"}


def test_the_request_button_offers_the_six_languages_and_sends_the_one_chosen(client, cast):
    client.force_login(cast.focal_a)
    page = client.get(reverse("assessments:overview", args=[cast.assessment_a.pk])).content
    for code in LANGUAGES:
        assert f'<option value="{code}"'.encode() in page
    assert b'<option value="en" lang="en" selected>' in page
    url = reverse("reports:request_country", args=[cast.assessment_a.pk])
    response = client.post(url, {"language": "zh-hans"})
    job = ReportJob.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.language == "zh-hans"
    assert client.post(url, {"language": "xx"}).status_code == 302
    assert ReportJob.objects.count() == 1


def test_the_ask_again_button_keeps_the_language(client, cast):
    job = ReportJob.objects.create(
        assessment=cast.assessment_a, cycle=cast.assessment_a.cycle, language="ru",
        status=ReportJob.Status.DONE,
    )
    job.file.save("r.pdf", ContentFile(b"%PDF-1.7"))
    client.force_login(cast.focal_a)
    page = client.get(job.get_absolute_url()).content.decode()
    assert '<input type="hidden" name="language" value="ru">' in page


def test_the_command_renders_in_the_language_asked_for(cast, tmp_path):
    out = tmp_path / "ken-ar.pdf"
    call_command("render_report", "KEN", "--language", "ar", "--out", str(out),
                 stdout=io.StringIO())
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "ar"
    overview = tmp_path / "global-zh.pdf"
    call_command("render_report", "--overview", "--language", "zh-hans", "--out", str(overview),
                 stdout=io.StringIO())
    assert CHINESE_FONT in fonts_of(overview.read_bytes())
