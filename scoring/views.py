"""Results: what a country's answers say, for the ministry and for UNODC staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from assessments.access import get_assessment, staff_required
from assessments.models import Cycle, MemberState
from assessments.progress import assessment_page_context
from audit.services import Kind, audit_record
from catalogue.models import Category
from catalogue.tables import as_csv, as_xlsx

from . import exports
from .charts import guideline_chart_svg
from .forms import HeatMapFilterForm
from .heat_html import heat_rows_html
from .results import cycle_results, heat_rows, item_url, results_for_display
from .wording import wording_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"  # UTF-8 with a BOM (catalogue.tables.as_csv): any language


@require_safe
@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, rights = get_assessment(request.user, pk)
    scored = results_for_display(assessment)
    improve = [
        (
            guideline,
            [(c, [(ref, item_url(scored, ref)) for ref in c.items]) for c in guideline.not_met],
        )
        for guideline in scored.guidelines
    ]
    top_gaps = scored.top_gaps(15)
    return render(
        request,
        "scoring/results.html",
        {
            **assessment_page_context(assessment, rights),
            "results": scored,
            "chart": guideline_chart_svg([(g.number, g.score) for g in scored.guidelines]),
            "improve": improve,
            "top_gaps": top_gaps,
            "wording": wording_for(list(scored.guidelines), top_gaps),
            "gaps_by_category": scored.gaps_by_category(3),
        },
    )


@require_safe
@login_required
@staff_required
def heatmap(request: HttpRequest) -> HttpResponse:
    """Staff: countries x categories, the implementation index of each, by region and cycle."""
    form = HeatMapFilterForm(request.GET)
    cycle, region = form.filters()
    categories = list(Category.objects.all())
    rows = heat_rows(cycle, [c.numeral for c in categories], region)
    return render(
        request,
        "scoring/heatmap.html",
        {
            "cycle": cycle,
            "region": region,
            "notes": form.ignored(),
            "cycles": Cycle.objects.filter(is_baseline=False),
            "regions": MemberState.regions(),
            "categories": categories,
            "rows_html": heat_rows_html(rows),
        },
    )


@require_safe
@login_required
@staff_required
def export(request: HttpRequest) -> HttpResponse:
    """Staff: the gaps and the scores of a cycle (and region) as CSV or XLSX."""
    cycle, region = HeatMapFilterForm(request.GET).filters()
    scored = [r for _, r in cycle_results(cycle, region)]
    name = slugify(f"ta-needs-{cycle or 'none'}-{region or 'all'}")
    what = request.GET.get("what", "gaps")
    columns, rows = (
        (exports.score_headers(), exports.score_rows(scored))
        if what == "scores"
        else (exports.gap_headers(), exports.gap_rows(scored))
    )
    if request.GET.get("format") == "xlsx":
        body = as_xlsx(
            [
                (pgettext("sheet", "Gaps"), exports.gap_headers(), exports.gap_rows(scored)),
                (
                    pgettext("sheet", "Scores"), exports.score_headers(),
                    exports.score_rows(scored),
                ),
            ]
        )
        audit_record(Kind.EXPORT, user=request.user, detail=f"{name}.xlsx")
        return _download(body, XLSX, f"{name}.xlsx")
    audit_record(Kind.EXPORT, user=request.user, detail=f"{name}-{what}.csv")
    return _download(as_csv(columns, rows), CSV, f"{name}-{what}.csv")


@require_safe
@login_required
def action_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The country's action plan: each gap with matched tools, priority, timeline, provider."""
    assessment, _ = get_assessment(request.user, pk)
    scored = results_for_display(assessment)
    answers = {a.activity.ref: a for a in assessment.answers.select_related("activity")}
    body = as_xlsx(
        [
            (
                pgettext("sheet", "Action plan"), exports.action_plan_headers(),
                exports.action_plan_rows(scored, answers),
            ),
        ]
    )
    name = slugify(f"action-plan-{assessment.country.iso3}-{assessment.cycle.name}")
    audit_record(
        Kind.EXPORT, user=request.user, country=assessment.country.iso3, obj=assessment,
        detail=f"{name}.xlsx",
    )
    return _download(body, XLSX, f"{name}.xlsx")


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
