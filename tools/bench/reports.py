"""How long the reports take, and how much of it is WeasyPrint's (for the benchmark command).

The budget: the project's own work (queries, scoring, templates, charts: everything up to the
HTML) stays within 30 % of WeasyPrint's time for the same HTML.
"""

from __future__ import annotations

import io
import time

from pypdf import PdfReader

from assessments.models import Assessment, Cycle
from reports.rendering import country_document, overview_document
from scoring.models import ScoreCache
from scoring.results import memo_clear, score_all


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def _busiest(cycle: Cycle) -> tuple[Assessment, int, int]:
    """The assessment with the most gaps, its gap count, the number of assessments."""
    scored = score_all(cycle)
    if not scored:
        raise ValueError(f"The cycle {cycle} has no assessment.")
    pk = max(scored, key=lambda pk: (len(scored[pk].gaps), -pk))
    assessment = Assessment.objects.select_related("country", "cycle").get(pk=pk)
    return assessment, len(scored[pk].gaps), len(scored)


def _country(assessment: Assessment) -> tuple[dict[str, float], bytes]:
    ScoreCache.objects.filter(pk=assessment.pk).delete()
    memo_clear()
    document, project = _timed(country_document, assessment)
    pdf, first = _timed(document.pdf)
    _, weasyprint = _timed(document.pdf)
    return {"total": project + first, "weasyprint": weasyprint, "project": project}, pdf


def _global(cycle: Cycle) -> tuple[dict[str, float], bytes]:
    score_all(cycle)  # the cycle's cache fresh, as the heat map leaves it
    memo_clear()
    document, project = _timed(overview_document, cycle)
    pdf, first = _timed(document.pdf)
    _, weasyprint = _timed(document.pdf)
    return {"total": project + first, "weasyprint": weasyprint, "project": project}, pdf


def _quickest(runs: list[tuple[dict[str, float], bytes]], name: str) -> dict:
    """Each figure's quickest run (the machine's noise only ever adds), and the pages."""
    figures = {key: min(run[key] for run, _ in runs) for key in runs[0][0]}
    figures["overhead_ratio"] = figures["project"] / figures["weasyprint"]
    return {
        **{f"{name}_{key}": round(value, 3) for key, value in figures.items()},
        f"{name}_pages": _pages(runs[-1][1]),
    }


def report_timings(cycle: Cycle, *, repeat: int = 1) -> dict:
    """Seconds and pages of the country report with the most gaps and of the global overview.

    ``country_total`` is all that render_country_pdf does, from a cold score cache (the
    assessment's cached results and this process's memo dropped): queries, scoring and
    matching, templates, chart and WeasyPrint. ``global_total`` starts from the cycle's score
    cache as the heat map leaves it (fresh), this process's memo dropped: every payload is read
    and loaded again. ``*_weasyprint``: WeasyPrint alone, again, on the same HTML string;
    ``*_project``: the rest (the HTML); ``*_overhead_ratio``: project / weasyprint, budgeted
    in the bench command. One warm-up render of each first, so that loading fonts and compiling
    templates, once per worker process, count in neither. Each figure is the quickest of
    ``repeat`` runs.
    """
    assessment, gaps, countries = _busiest(cycle)
    country_document(assessment).pdf()  # warm-up: fonts, templates, matching index
    overview_document(cycle).pdf()
    return {
        "country": assessment.country.iso3,
        "country_gaps": gaps,
        **_quickest([_country(assessment) for _ in range(repeat)], "country"),
        "global_countries": countries,
        **_quickest([_global(cycle) for _ in range(repeat)], "global"),
    }
