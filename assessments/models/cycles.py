"""Assessment cycles, one assessment per country and cycle, and the review trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import Category, languages_validate

from ..choices import LegalTradition
from .countries import MemberState


class Cycle(models.Model):
    """An assessment round. Cycle zero is the 2004 synopsis: a read-only baseline."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_baseline = models.BooleanField(
        _("is baseline"),
        default=False,
        help_text=_("The 2004 synopsis reported to the Counter-Terrorism Committee: read-only."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    opening_pending = models.BooleanField(
        _("opening pending"),
        default=False,
        editable=False,
        help_text=_(
            "Staff asked to open the cycle for every member state and that has not completed "
            "yet (for example while the background service was unavailable)."
        ),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """One member state's answers in one cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        VALIDATED = "validated", _("Validated")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="assessments"
    )
    country = models.ForeignKey(
        MemberState, verbose_name=_("country"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    legal_tradition = models.CharField(
        _("legal tradition"), max_length=16, choices=LegalTradition.choices, blank=True
    )
    legal_context = models.TextField(
        _("legal context"),
        blank=True,
        help_text=_("The legal system and how international law takes effect in it."),
    )
    languages = models.CharField(
        _("languages"),
        max_length=40,
        blank=True,
        validators=[languages_validate],
        help_text=_(
            "The languages the ministry works in, as codes separated by spaces: tools available "
            "in none of them are suggested last."
        ),
    )
    profile_version = models.PositiveIntegerField(_("profile version"), default=0)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The earlier assessment this one was pre-filled from."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-cycle__starts_on", "country__name"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "country"], name="one_assessment_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.country} – {self.cycle}"

    @classmethod
    def lock(cls, pk: int) -> Assessment:
        """The row, locked until the end of the transaction (call inside ``atomic``).

        Moves of the workflow and answer saves take this lock first, so a save waits for a
        submission in progress and then sees its status.
        """
        return cls.objects.select_for_update().get(pk=pk)

    @property
    def is_editable_by_ministry(self) -> bool:
        """Ministries edit drafts and returned assessments; the baseline is never edited."""
        return not self.cycle.is_baseline and self.status in {
            self.Status.DRAFT,
            self.Status.RETURNED,
        }


class StatusEvent(models.Model):
    """One move of the workflow: who moved the assessment from which status to which, and why."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=Assessment.Status.choices
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=Assessment.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.PROTECT
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("status event")
        verbose_name_plural = _("status events")

    def __str__(self) -> str:
        return f"{self.assessment}: {self.from_status} → {self.to_status}"


class SectionComment(models.Model):
    """A reviewer's comment on one section, shown to the ministry beside the items."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="comments"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["category__position", "created_at"]
        verbose_name = _("section comment")
        verbose_name_plural = _("section comments")

    def __str__(self) -> str:
        return f"{self.assessment} {self.category.numeral}: {self.text[:40]}"
