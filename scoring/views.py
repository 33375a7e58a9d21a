"""Results: what a country's answers say, for the ministry and for UNODC staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from assessments.access import get_assessment, is_unodc_staff
from assessments.models import Cycle, MemberState
from assessments.progress import assessment_page_context
from audit.services import Kind, audit_record
from catalogue.models import Category
from catalogue.tables import as_csv, as_xlsx

from . import exports
from .charts import guideline_chart_svg
from .heat_html import heat_rows_html
from .results import cycle_results, heat_rows, item_url, results_for_display

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_FILTER = "“{value}” is not a {what} here; showing all {plural}."


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
    return render(
        request,
        "scoring/results.html",
        {
            **assessment_page_context(assessment, rights),
            "results": scored,
            "chart": guideline_chart_svg([(g.number, g.score) for g in scored.guidelines]),
            "improve": improve,
            "top_gaps": scored.top_gaps(15),
            "gaps_by_category": scored.gaps_by_category(3),
        },
    )


def _staff_only(request: HttpRequest) -> None:
    if not is_unodc_staff(request.user):
        raise Http404("No such page.")


def _filters(request: HttpRequest) -> tuple[Cycle | None, str, list[str]]:
    """The cycle (default: the latest open one) and region asked for, and what was ignored."""
    notes = []
    cycles = Cycle.objects.filter(is_baseline=False)
    cycle = cycles.first()
    wanted = request.GET.get("cycle", "")
    if wanted:
        chosen = cycles.filter(pk=wanted).first() if wanted.isdigit() else None
        if chosen is None:
            notes.append(BAD_FILTER.format(value=wanted, what="cycle", plural="of the latest"))
        else:
            cycle = chosen
    region = request.GET.get("region", "")
    if region and region not in MemberState.regions():
        notes.append(BAD_FILTER.format(value=region, what="region", plural="regions"))
        region = ""
    return cycle, region, notes


@require_safe
@login_required
def heatmap(request: HttpRequest) -> HttpResponse:
    """Staff: countries x categories, the implementation index of each, by region and cycle."""
    _staff_only(request)
    cycle, region, notes = _filters(request)
    categories = list(Category.objects.all())
    rows = heat_rows(cycle, [c.numeral for c in categories], region)
    return render(
        request,
        "scoring/heatmap.html",
        {
            "cycle": cycle,
            "region": region,
            "notes": notes,
            "cycles": Cycle.objects.filter(is_baseline=False),
            "regions": MemberState.regions(),
            "categories": categories,
            "rows_html": heat_rows_html(rows),
        },
    )


@require_safe
@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Staff: the gaps and the scores of a cycle (and region) as CSV or XLSX."""
    _staff_only(request)
    cycle, region, _ = _filters(request)
    scored = [r for _, r in cycle_results(cycle, region)]
    name = slugify(f"ta-needs-{cycle or 'none'}-{region or 'all'}")
    what = request.GET.get("what", "gaps")
    columns, rows = (
        (exports.SCORE_COLUMNS, exports.score_rows(scored))
        if what == "scores"
        else (exports.GAP_COLUMNS, exports.gap_rows(scored))
    )
    if request.GET.get("format") == "xlsx":
        body = as_xlsx(
            [
                ("Gaps", exports.GAP_COLUMNS, exports.gap_rows(scored)),
                ("Scores", exports.SCORE_COLUMNS, exports.score_rows(scored)),
            ]
        )
        audit_record(Kind.EXPORT, user=request.user, detail=f"{name}.xlsx")
        return _download(body, XLSX, f"{name}.xlsx")
    audit_record(Kind.EXPORT, user=request.user, detail=f"{name}-{what}.csv")
    return _download(as_csv(columns, rows), "text/csv", f"{name}-{what}.csv")


@require_safe
@login_required
def action_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The country's action plan: each gap with matched tools, priority, timeline, provider."""
    assessment, _ = get_assessment(request.user, pk)
    scored = results_for_display(assessment)
    answers = {a.activity.ref: a for a in assessment.answers.select_related("activity")}
    body = as_xlsx(
        [
            ("Action plan", exports.ACTION_PLAN_COLUMNS, exports.action_plan_rows(scored, answers)),
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
