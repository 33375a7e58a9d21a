"""Report jobs: one row per PDF asked for, with its status, rendered by a Celery worker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Cycle


def report_path(job: ReportJob, filename: str) -> str:
    # The language is part of the path: an English PDF is never the one stored for Arabic.
    return f"reports/{job.cycle_id}/{job.kind}/{job.language}/{filename}"


class ReportJobQuerySet(models.QuerySet):
    def active(self) -> ReportJobQuerySet:
        return self.filter(status__in=ReportJob.ACTIVE)


class ReportJob(models.Model):
    """One report asked for: queued -> running -> done | failed.

    At most one job per report is active (queued or running) at a time, so the same report
    asked for twice renders once. A failed job stays as the record of what went wrong; asking
    again creates a new job.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country gap report")
        REGIONAL = "regional", _("Regional overview")
        GLOBAL = "global", _("Global overview")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.COUNTRY)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="report_jobs"
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="report_jobs")
    region = models.CharField(max_length=40, blank=True)
    language = models.CharField(
        max_length=7, choices=settings.LANGUAGES, default="en",
        help_text=_("The language the report is written in."),
    )
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text=_("Renders started."))
    note = models.TextField(blank=True, help_text=_("Why a queued job waits (broker down)."))
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=report_path, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Handed to the broker.")
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Two partial constraints rather than one: NULLs are distinct in a unique index.
            models.UniqueConstraint(
                fields=["kind", "assessment", "cycle", "language"],
                condition=Q(status__in=["queued", "running"], assessment__isnull=False),
                name="one_active_report_per_assessment",
            ),
            models.UniqueConstraint(
                fields=["kind", "region", "cycle", "language"],
                condition=Q(status__in=["queued", "running"], assessment__isnull=True),
                name="one_active_report_per_region",
            ),
        ]

    def __str__(self) -> str:
        subject = self.assessment or self.region or _("all countries")
        return (
            f"{self.get_kind_display()}: {subject}, {self.language} "
            f"({self.get_status_display().lower()})"
        )

    def get_absolute_url(self) -> str:
        return reverse("reports:job", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    def filename(self) -> str:
        """The name offered to the browser, e.g. ``KEN-2026-assessment-country-report-ar.pdf``."""
        from django.utils.text import slugify

        if self.assessment_id:
            subject = self.assessment.country.iso3
        else:
            subject = slugify(self.region) or "global"
        return f"{subject}-{slugify(self.cycle.name)}-{self.kind}-report-{self.language}.pdf"
