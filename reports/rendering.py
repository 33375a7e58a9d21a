"""HTML to PDF with WeasyPrint, reading nothing but the project's own static files.

Answer text reaches the HTML only through autoescaped template variables, so it is text, never
markup. The URL fetcher is the second wall: whatever a document asks for (an image, a
stylesheet, an attachment, an @import), only files of the project's static directories are
served, and the font files of :mod:`reports.fonts` by their exact ``file:`` URL; ``file:``
paths elsewhere, ``http(s)``, ``data:`` and every other scheme are refused.

A report is rendered in one language (``translation.override``): its texts, numbers and dates,
``<html lang dir>`` and the PDF's /Lang follow it.
"""

from __future__ import annotations

import logging
import mimetypes
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from assessments.models import Assessment, Cycle

from .content import country_report_context
from .fonts import font_face_css, font_file
from .models import ReportJob
from .overview import overview_report_context

if TYPE_CHECKING:
    from weasyprint.document import DocumentMetadata

logger = logging.getLogger(__name__)
# WeasyPrint (66) calls a fontTools function that fontTools has renamed, once per render of the
# variable Noto Sans: a notice to WeasyPrint, not to whoever reads our logs.
warnings.filterwarnings(
    "ignore", message="'instantiateVariableFont' is deprecated", category=UserWarning
)

# The documents' base URL: a name that resolves nowhere (RFC 2606), so a relative link can only
# mean a static file of ours.
BASE_URL = "https://report.invalid/"
CHARTS_URL = BASE_URL + "charts/"
ALLOWED_SUFFIXES = {".css", ".png", ".jpg", ".jpeg", ".svg", ".woff", ".woff2", ".ttf", ".otf"}


class RefusedURL(ValueError):
    """The report asked for something outside the project's static files."""


def static_roots() -> list[Path]:
    """The directories whose files a report may read."""
    roots = [Path(d if isinstance(d, str | Path) else d[1]) for d in settings.STATICFILES_DIRS]
    roots.append(Path(settings.STATIC_ROOT))
    roots += [Path(app.path) / "static" for app in apps.get_app_configs()]
    return [root.resolve() for root in roots if root.is_dir()]


def static_path(url: str) -> Path:
    """The file behind a report URL, or :class:`RefusedURL`."""
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(prefix):
        raise RefusedURL(f"not a static file of the project: {url[:200]!r}")
    if parts.query or parts.fragment:
        raise RefusedURL(f"static URLs take no query: {url[:200]!r}")
    relative = unquote(parts.path[len(prefix):])
    if Path(relative).suffix.lower() not in ALLOWED_SUFFIXES:
        raise RefusedURL(f"not a stylesheet, image or font: {url[:200]!r}")
    for root in static_roots():
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    raise RefusedURL(f"no such static file: {url[:200]!r}")


def static_url_fetcher(url: str, *args, **kwargs) -> dict:
    """WeasyPrint's URL fetcher for reports: the project's static files and fonts, nothing else."""
    font = font_file(url)
    if font is not None:
        return {"string": font.read_bytes(), "mime_type": "font/sfnt",
                "redirected_url": url, "filename": font.name}
    try:
        path = static_path(url)
    except RefusedURL:
        logger.warning("Report rendering refused to fetch %.200r", url)
        raise
    mime_type, _ = mimetypes.guess_type(path.name)
    return {
        "string": path.read_bytes(),
        "mime_type": mime_type or "application/octet-stream",
        "redirected_url": url,
        "filename": path.name,
    }


def chart_fetcher(charts: Mapping[str, str]) -> Callable[..., dict]:
    """The report's own charts (``charts/<name>``, drawn for it), then our static files."""

    def fetch(url: str, *args, **kwargs) -> dict:
        name = url.removeprefix(CHARTS_URL)
        if url.startswith(CHARTS_URL) and name in charts:
            return {"string": charts[name].encode(), "mime_type": "image/svg+xml",
                    "redirected_url": url, "filename": name}
        return static_url_fetcher(url, *args, **kwargs)

    return fetch


# PDF/A admits only the XMP schemas it knows, or those it is told about: the PDF/UA
# identification's schema, declared as a PDF/A extension schema (ISO 19005-2, 6.6.2.3.2).
PDFA_SCHEMAS = {
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
for _prefix, _uri in PDFA_SCHEMAS.items():
    ElementTree.register_namespace(_prefix, _uri)  # the prefixes PDF/A names them by
EXTENSION, SCHEMA, PROPERTY = PDFA_SCHEMAS.values()


def pdf_a_and_ua_metadata(
    metadata: DocumentMetadata, variant: str, version: int, conformance: str
) -> bytes:
    """WeasyPrint's XMP metadata for its PDF/A variant, with PDF/UA-1's identification added.

    WeasyPrint writes one variant's identification; the document is both (see html_to_pdf).
    """
    from weasyprint.pdf.metadata import NS, generate_rdf_metadata

    def element(parent: ElementTree.Element, tag: str, text: str | None = None, **attrib):
        child = ElementTree.SubElement(parent, tag, attrib)
        child.text = text
        return child

    rdf = ElementTree.fromstring(generate_rdf_metadata(metadata, variant, version, conformance))
    about, resource = f"{{{NS['rdf']}}}about", {f"{{{NS['rdf']}}}parseType": "Resource"}
    element(rdf, f"{{{NS['rdf']}}}Description", **{about: "", f"{{{NS['pdfuaid']}}}part": "1"})
    schemas = element(
        element(rdf, f"{{{NS['rdf']}}}Description", **{about: ""}), f"{{{EXTENSION}}}schemas"
    )
    schema = element(element(schemas, f"{{{NS['rdf']}}}Bag"), f"{{{NS['rdf']}}}li", **resource)
    element(schema, f"{{{SCHEMA}}}namespaceURI", NS["pdfuaid"])
    element(schema, f"{{{SCHEMA}}}prefix", "pdfuaid")
    element(schema, f"{{{SCHEMA}}}schema", "PDF/UA Universal Accessibility Schema")
    properties = element(element(schema, f"{{{SCHEMA}}}property"), f"{{{NS['rdf']}}}Seq")
    part = element(properties, f"{{{NS['rdf']}}}li", **resource)
    element(part, f"{{{PROPERTY}}}name", "part")
    element(part, f"{{{PROPERTY}}}valueType", "Integer")
    element(part, f"{{{PROPERTY}}}category", "internal")
    element(part, f"{{{PROPERTY}}}description", "Part of ISO 14289 the document conforms to")
    return ElementTree.tostring(rdf, encoding="utf-8")


def html_to_pdf(html: str, charts: Mapping[str, str] | None = None) -> bytes:
    """A tagged PDF/UA-1 document that is also PDF/A-2u, for archiving: structure tree,
    language, title shown, alt text for images, fonts embedded, sRGB output intent.

    WeasyPrint takes one ``pdf_variant``: PDF/A-2u (same PDF 1.7 base as PDF/UA-1) with the
    structure tagging PDF/UA uses (``pdf_tags``), and both identifications in the metadata.

    ``charts`` are SVG drawings by name that the HTML shows as ``<img src="charts/<name>">``:
    an image carries its alt text into the PDF's structure tree, an inline SVG does not.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = chart_fetcher(charts or {})
    fonts = FontConfiguration()
    faces = CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        stylesheets=[faces], font_config=fonts
    )
    document.metadata.generate_rdf_metadata = pdf_a_and_ua_metadata
    return document.write_pdf(attachments=[], pdf_variant="pdf/a-2u", pdf_tags=True)


@dataclass(frozen=True)
class ReportDocument:
    """A report's HTML and the charts it shows as images."""

    html: str
    charts: Mapping[str, str]

    def pdf(self) -> bytes:
        return html_to_pdf(self.html, self.charts)


def _stylesheet() -> str:
    return BASE_URL + settings.STATIC_URL.strip("/") + "/css/report.css"


def country_document(assessment: Assessment, language: str | None = None) -> ReportDocument:
    """The country report in ``language`` (default: the active language)."""
    with translation.override(language or translation.get_language()):
        context = country_report_context(assessment)
        context["stylesheet"] = _stylesheet()
        html = render_to_string("reports/country.html", context)
    return ReportDocument(html, {"guidelines.svg": context["guideline_chart"]})


def render_country_pdf(assessment: Assessment, language: str | None = None) -> bytes:
    return country_document(assessment, language).pdf()


def overview_document(
    cycle: Cycle, region: str = "", language: str | None = None
) -> ReportDocument:
    """The regional overview (``region``) or the global one (``region`` empty), in
    ``language`` (default: the active language)."""
    with translation.override(language or translation.get_language()):
        context = overview_report_context(cycle, region)
        context["stylesheet"] = _stylesheet()
        html = render_to_string("reports/overview.html", context)
    return ReportDocument(html, {"guidelines.svg": context["guideline_chart"]})


def render_overview_pdf(cycle: Cycle, region: str = "", language: str | None = None) -> bytes:
    return overview_document(cycle, region, language).pdf()


def render_job_pdf(job: ReportJob) -> bytes:
    """The job's report, in the job's language."""
    if job.kind == ReportJob.Kind.COUNTRY:
        assessment = Assessment.objects.select_related("country", "cycle").get(
            pk=job.assessment_id
        )
        return render_country_pdf(assessment, job.language)
    cycle = Cycle.objects.get(pk=job.cycle_id)
    region = job.region if job.kind == ReportJob.Kind.REGIONAL else ""
    return render_overview_pdf(cycle, region, job.language)
