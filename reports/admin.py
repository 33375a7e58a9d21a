"""Report jobs in the admin: follow them, start reports for a cycle, ask again, recover."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from assessments.models import Assessment, Cycle, MemberState

from .models import ReportJob
from .services import (
    MAX_ATTEMPTS,
    report_request,
    report_request_overview,
    report_requeue_stuck,
    report_retry,
)

CHOOSE_REGION = gettext_lazy("Choose the region of the regional overview.")


def _region_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((region, region) for region in MemberState.regions())]


class StartForm(forms.Form):
    REPORTS = (
        ("country", gettext_lazy("Country gap reports, one per assessment")),
        ("global", gettext_lazy("Global overview of all member states")),
        ("regional", gettext_lazy("Regional overview")),
    )

    report = forms.ChoiceField(
        label=gettext_lazy("Report"), choices=REPORTS, initial="country", required=False,
        widget=forms.RadioSelect,
    )
    cycle = forms.ModelChoiceField(
        Cycle.objects.filter(is_baseline=False), label=gettext_lazy("Cycle")
    )
    countries = forms.CharField(
        label=gettext_lazy("Countries"),
        required=False,
        help_text=gettext_lazy(
            "Country reports: ISO3 codes separated by spaces or commas; empty for every country."
        ),
    )
    region = forms.ChoiceField(
        label=gettext_lazy("Region"), choices=_region_choices, required=False,
        help_text=gettext_lazy("Regional overview: the region."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the reports"), choices=settings.LANGUAGES,
        initial=get_language, required=False,
        help_text=gettext_lazy("Empty: the language of this page."),
    )

    def clean_countries(self) -> list[str]:
        return [c.upper() for c in self.cleaned_data["countries"].replace(",", " ").split()]

    def clean(self) -> dict:
        data = super().clean()
        data["report"] = data.get("report") or "country"
        if data["report"] == "regional" and not data.get("region"):
            self.add_error("region", CHOOSE_REGION)
        return data


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    change_list_template = "admin/reports/reportjob/change_list.html"
    list_display = (
        "subject", "kind", "cycle", "language", "status", "attempts", "created_at",
        "finished_at", "pdf",
    )
    list_display_links = ("subject",)
    list_filter = ("status", "kind", "language", "cycle")
    list_select_related = ("assessment__country", "assessment__cycle", "cycle")
    search_fields = ("assessment__country__name", "assessment__country__iso3", "region")
    readonly_fields = [f.name for f in ReportJob._meta.fields]
    actions = ("ask_again", "recover_stuck")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are started through "Start reports", which deduplicates

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("report of"), ordering="assessment__country__name")
    def subject(self, obj: ReportJob) -> str:
        if obj.assessment_id:
            return obj.assessment.country.name
        return obj.region or _("All member states")

    @admin.display(description=gettext_lazy("PDF"))
    def pdf(self, obj: ReportJob) -> str:
        if not obj.is_done:
            return "–"
        return format_html(
            '<a href="{}" hreflang="{}">{}</a>',
            reverse("reports:download", args=[obj.pk]), obj.language, _("download"),
        )

    def get_urls(self):
        start = path(
            "start/", self.admin_site.admin_view(self.start_view), name="reports_reportjob_start"
        )
        return [start, *super().get_urls()]

    def start_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return redirect("admin:index")
        form = StartForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            cycle, report = form.cleaned_data["cycle"], form.cleaned_data["report"]
            language = form.cleaned_data["language"] or None  # None: the active language
            if report != "country":
                region = form.cleaned_data["region"] if report == "regional" else ""
                job = report_request_overview(
                    cycle=cycle, region=region, user=request.user, language=language
                )
                messages.info(request, _("%(report)s of %(cycle)s queued.") % {
                    "report": job.get_kind_display(), "cycle": cycle})
                return redirect("admin:reports_reportjob_changelist")
            codes = form.cleaned_data["countries"]
            assessments = cycle.assessments.select_related("country", "cycle")
            if codes:
                assessments = assessments.filter(country__iso3__in=codes)
            jobs = [
                report_request(assessment=a, user=request.user, language=language)
                for a in assessments
            ]
            messages.info(request, ngettext(
                "%(count)d report queued for %(cycle)s.",
                "%(count)d reports queued for %(cycle)s.", len(jobs),
            ) % {"count": len(jobs), "cycle": cycle})
            return redirect("admin:reports_reportjob_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Start reports"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/reports/reportjob/start.html", context)

    @admin.action(description=gettext_lazy("Ask again for the selected failed reports"))
    def ask_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        failed = queryset.filter(status=ReportJob.Status.FAILED)
        jobs = [report_retry(job=job, user=request.user) for job in failed]
        messages.info(request, ngettext(
            "%(count)d report queued again.", "%(count)d reports queued again.", len(jobs)
        ) % {"count": len(jobs)})

    @admin.action(
        description=gettext_lazy("Recover stuck jobs (all of them, not only the selected)")
    )
    def recover_stuck(self, request: HttpRequest, queryset: QuerySet) -> None:
        counts = report_requeue_stuck()
        messages.info(
            request,
            _(
                "%(requeued)d stuck job(s) queued again, %(failed)d marked failed after "
                "%(attempts)d attempts, %(sent)d waiting job(s) sent."
            ) % {**counts, "attempts": MAX_ATTEMPTS},
        )


@admin.action(
    description=gettext_lazy(
        "Produce the PDF gap report of the selected assessments, in the current language"
    )
)
def produce_gap_reports(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    jobs = [
        report_request(assessment=assessment, user=request.user)
        for assessment in queryset.select_related("cycle", "country")
    ]
    url = reverse("admin:reports_reportjob_changelist")
    model_admin.message_user(
        request,
        format_html(
            _(
                '{} report(s) queued or already on their way: follow them in <a href="{}">'
                "Report jobs</a>."
            ),
            len(jobs), url,
        ),
        messages.SUCCESS,
    )


# Reports adds its action to the assessments' admin, which does not know this app.
_assessment_admin = admin.site.get_model_admin(Assessment)
_assessment_admin.actions = (*(_assessment_admin.actions or ()), produce_gap_reports)
