"""Ask for a report, follow its job, download the PDF: access through assessments.access."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from assessments.access import get_assessment, is_unodc_staff, staff_required
from assessments.models import Cycle
from audit.services import Kind, audit_record

from .models import ReportJob
from .services import report_request, report_request_overview, report_send

REFUSED = gettext_lazy("%(reason)s No overview report was asked for.")
REFUSED_COUNTRY = gettext_lazy("%(reason)s No report was asked for.")


def get_report_job(user, pk: int) -> ReportJob:
    """The job, if the user may see its country (staff: every job); 404 otherwise."""
    job = ReportJob.objects.select_related("assessment__country", "cycle").filter(pk=pk).first()
    if job is None:
        raise Http404(_("No such report."))
    if job.assessment_id is None:
        if not is_unodc_staff(user):
            audit_record(
                Kind.ACCESS_REFUSED, user=user, object_type="reports.reportjob", object_id=pk
            )
            raise Http404(_("No such report."))
    else:
        get_assessment(user, job.assessment_id)
    return job


@require_POST
@login_required
def request_country_report(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    """The country report, in the language chosen in the form (default: the page's)."""
    assessment, _rights = get_assessment(request.user, assessment_pk)
    try:
        job = report_request(
            assessment=assessment, user=request.user, language=request.POST.get("language")
        )
    except ValueError as exc:
        messages.error(request, REFUSED_COUNTRY % {"reason": exc})
        return redirect("assessments:overview", assessment.pk)
    return redirect(job)


@require_POST
@login_required
@staff_required
def request_overview(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """Staff: the overview of a cycle, of one region (``region`` in the form) or of all, in
    the language chosen in the form (default: the page's)."""
    cycle = get_object_or_404(Cycle, pk=cycle_pk, is_baseline=False)
    region = request.POST.get("region", "").strip()
    try:
        job = report_request_overview(
            cycle=cycle, region=region, user=request.user, language=request.POST.get("language")
        )
    except ValueError as exc:
        messages.error(request, REFUSED % {"reason": exc})
        heatmap = reverse("scoring:heatmap")
        return redirect(f"{heatmap}?{urlencode({'cycle': cycle.pk})}")
    return redirect(job)


@require_GET
@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_report_job(request.user, pk)
    if job.status == ReportJob.Status.QUEUED and job.sent_at is None and job.note:
        # The broker was down when the job was created: each look at the page tries again.
        report_send(job_id=job.pk)
        job.refresh_from_db()
    template = "reports/_job_status.html" if request.htmx else "reports/job.html"
    return render(request, template, {"job": job})


@require_GET
@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_report_job(request.user, pk)
    if not job.is_done:
        raise Http404(_("This report is not ready."))
    audit_record(
        Kind.REPORT_DOWNLOAD, user=request.user, obj=job, detail=job.filename(),
        country=job.assessment.country.iso3 if job.assessment_id else "",
    )
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename(),
        content_type="application/pdf",
    )
