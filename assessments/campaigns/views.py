"""Staff pages of a running cycle: response tracking, and its export."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from django.views.decorators.http import require_safe

from catalogue.tables import as_csv, as_xlsx

from ..access import staff_required
from ..models import Cycle, MemberState
from .chart import weekly_progress_svg
from .tracking import Stage, TrackingRow, stage_counts, tracking_rows, weekly_progress

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Headers in English here, translated when a file is written.
CSV = "text/csv; charset=utf-8"  # UTF-8 with a BOM (catalogue.tables.as_csv): any language
EXPORT_COLUMNS = [
    gettext_noop("country"),
    gettext_noop("iso3"),
    gettext_noop("region"),
    gettext_noop("stage"),
    gettext_noop("overdue"),
    gettext_noop("answered"),
    gettext_noop("items"),
    gettext_noop("percent answered"),
    gettext_noop("deadline"),
    gettext_noop("days left"),
    gettext_noop("last activity"),
    gettext_noop("focal points"),
]


def _filtered(request: HttpRequest, rows: list[TrackingRow]):
    """The rows matching the stage and region asked for, and notes on what was ignored."""
    notes = []
    stage = request.GET.get("stage", "")
    if stage and stage not in Stage.LABELS:
        notes.append(_("“%(value)s” is not a stage; showing every stage.") % {"value": stage})
        stage = ""
    region = request.GET.get("region", "")
    if region and region not in MemberState.regions():
        notes.append(_("“%(value)s” is not a region; showing every region.") % {"value": region})
        region = ""
    chosen = [
        r
        for r in rows
        if r.matches(stage) and (not region or r.assessment.country.region == region)
    ]
    return chosen, stage, region, notes


@require_safe
@login_required
@staff_required
def tracking(request: HttpRequest, pk: int) -> HttpResponse:
    """Where each country of the cycle stands, with counts by stage and region and the trend."""
    cycle = get_object_or_404(Cycle, pk=pk, is_baseline=False)
    today = timezone.localdate()
    rows = tracking_rows(cycle, today)
    chosen, stage, region, notes = _filtered(request, rows)
    by_region, overall = stage_counts(rows)
    return render(
        request,
        "assessments/tracking.html",
        {
            "cycle": cycle,
            "today": today,
            "counts": by_region,
            "all_regions": overall,
            "stages": list(Stage.LABELS.items()),
            "regions": MemberState.regions(),
            "stage": stage,
            "region": region,
            "notes": notes,
            "rows": chosen,
            "chart": weekly_progress_svg(weekly_progress(cycle, today)),
        },
    )


@require_safe
@login_required
@staff_required
def tracking_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The tracking list as filtered on the page, as CSV or XLSX."""
    cycle = get_object_or_404(Cycle, pk=pk, is_baseline=False)
    chosen, stage, region, _notes = _filtered(request, tracking_rows(cycle, timezone.localdate()))
    yes, no = pgettext("answer", "yes"), pgettext("answer", "no")
    rows = [
        [
            r.assessment.country.name,
            r.assessment.country.iso3,
            r.assessment.country.region,
            r.stage_label,
            yes if r.is_overdue else no,
            r.answered,
            r.total,
            r.percent,
            r.deadline.isoformat(),
            r.days_left,
            r.last_activity.isoformat(timespec="minutes") if r.last_activity else "",
            "; ".join(f"{u.get_full_name() or u.username} <{u.email}>" for u in r.focal_points),
        ]
        for r in chosen
    ]
    name = slugify(f"responses-{cycle.name}-{region or 'all'}-{stage or 'all'}")
    headers = [_(column) for column in EXPORT_COLUMNS]
    if request.GET.get("format") == "xlsx":
        body = as_xlsx([(pgettext("sheet", "Responses"), headers, rows)])
        return _download(body, XLSX, f"{name}.xlsx")
    return _download(as_csv(headers, rows), CSV, f"{name}.csv")


def _download(body: bytes, content_type: str, filename: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(body), as_attachment=True, filename=filename, content_type=content_type
    )
