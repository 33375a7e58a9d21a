"""What a country answered: one row per activity, the ratification profile, evidence files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
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

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="answers"
    )
    state = models.CharField(_("state"), max_length=8, choices=AnswerState.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    not_applicable_reason = models.TextField(_("not applicable reason"), blank=True)
    assistance_needed = models.BooleanField(_("assistance needed"), null=True, blank=True)
    assistance_kinds = models.JSONField(_("assistance kinds"), default=list, blank=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, blank=True)
    timeline = models.CharField(_("timeline"), max_length=8, choices=Timeline.choices, blank=True)
    crime_areas = models.JSONField(_("crime areas"), default=list, blank=True)
    other_providers = models.TextField(_("other providers"), blank=True)
    regional_obligations = models.TextField(_("regional obligations"), blank=True)
    safeguards = models.TextField(_("safeguards"), blank=True)
    legal_context = models.TextField(_("legal context"), blank=True)
    delivery_modes = models.JSONField(_("delivery modes"), default=list, blank=True)
    baseline = models.TextField(_("baseline"), blank=True)
    target = models.TextField(_("target"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    evidence_links = models.TextField(
        _("evidence links"), blank=True, help_text=_("One link per line.")
    )
    prefill_note = models.TextField(
        _("prefill note"),
        blank=True,
        help_text=_("Where a pre-filled value came from, until the ministry confirms."),
    )
    needs_confirmation = models.BooleanField(_("needs confirmation"), default=False)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["activity__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
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

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("original name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class RatificationStatus(models.Model):
    """Whether the country is party to one Part A instrument (the profile section)."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="ratifications",
    )
    instrument = models.ForeignKey(
        Entry, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Ratification.choices, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["instrument__position"]
        verbose_name = _("ratification status")
        verbose_name_plural = _("ratification statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "instrument"], name="one_status_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.instrument.ref}: {self.status or 'unanswered'}"
