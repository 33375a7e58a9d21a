"""What a country answered: one row per activity, the ratification profile, evidence files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from catalogue.models import Activity, Entry

from ..choices import AnswerState, Priority, Ratification, Timeline
from .cycles import Assessment


class Answer(models.Model):
    """One activity in one assessment.

    ``state`` says whether the item is answered, and how: a level is only meaningful when the
    state is ``level``, so "not yet answered" never reads as level 0. ``version`` grows with
    every save; a save that carries an older version is a conflict, never a silent overwrite.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="answers")
    state = models.CharField(max_length=8, choices=AnswerState.choices, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable_reason = models.TextField(blank=True)
    assistance_needed = models.BooleanField(null=True, blank=True)
    assistance_kinds = models.JSONField(default=list, blank=True)
    priority = models.CharField(max_length=8, choices=Priority.choices, blank=True)
    timeline = models.CharField(max_length=8, choices=Timeline.choices, blank=True)
    crime_areas = models.JSONField(default=list, blank=True)
    other_providers = models.TextField(blank=True)
    regional_obligations = models.TextField(blank=True)
    safeguards = models.TextField(blank=True)
    legal_context = models.TextField(blank=True)
    delivery_modes = models.JSONField(default=list, blank=True)
    baseline = models.TextField(blank=True)
    target = models.TextField(blank=True)
    resources = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    evidence_links = models.TextField(blank=True, help_text="One link per line.")
    prefill_note = models.TextField(
        blank=True, help_text="Where a pre-filled value came from, until the ministry confirms."
    )
    needs_confirmation = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["activity__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "activity"], name="one_answer_per_activity"
            ),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__lte=4),
                name="level_between_0_and_4",
            ),
        ]
        # Freshness of scores (count, versions, last save per assessment) read from the index
        # alone: the heat map checks every country of a cycle at each view.
        indexes = [
            models.Index(fields=["assessment", "updated_at", "version"], name="answer_freshness")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.activity.ref}"

    @property
    def is_answered(self) -> bool:
        return bool(self.state)


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.answer.assessment_id}/{instance.answer.activity.ref}/{filename}"


class Evidence(models.Model):
    """A file a ministry attached to an answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name


class RatificationStatus(models.Model):
    """Whether the country is party to one Part A instrument (the profile section)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="ratifications"
    )
    instrument = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Ratification.choices, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["instrument__position"]
        verbose_name_plural = "ratification statuses"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "instrument"], name="one_status_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.instrument.ref}: {self.status or 'unanswered'}"
