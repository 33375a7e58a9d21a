"""Running a cycle: per-country deadline extensions, who gets which e-mails, and the e-mail log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cycles import Assessment


class DeadlineExtension(models.Model):
    """Staff gave one country more time. Rows are never edited: the latest one is in force."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="deadline_extensions",
    )
    ends_on = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("deadline extension")

    def __str__(self) -> str:
        return f"{self.assessment}: {self.ends_on}"


class EmailPreference(models.Model):
    """Whether a user receives reminders (their language is accounts' UserPreference)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="email_preference",
    )
    reminders = models.BooleanField(
        _("receives reminders"),
        default=True,
        help_text=_("Off: no deadline reminders (notifications of reviews are still sent)."),
    )

    class Meta:
        verbose_name = _("e-mail preference")

    def __str__(self) -> str:
        return str(self.user)


class RegionReviewer(models.Model):
    """A UNODC staff member told when a country of the region submits."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reviewed_regions",
    )
    region = models.CharField(_("region"), max_length=40)

    class Meta:
        ordering = ["region", "user__username"]
        verbose_name = _("region reviewer")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="unique_region_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.region}"


class Email(models.Model):
    """One e-mail to one person about one assessment, from queued to its outcome.

    The row is written before the e-mail is sent, so the unique (assessment, recipient, key)
    makes each reminder a claim: of two runs of the schedule, only the one whose row was written
    sends it. Subject and body are rendered once, in the recipient's language, so a retry sends
    the same text.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Deadline reminder")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned with comments")
        VALIDATED = "validated", _("Validated")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="emails"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="emails",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    key = models.CharField(
        _("key"),
        max_length=40,
        help_text=_("What the e-mail is for: before-14, overdue-2, event-31..."),
    )
    address = models.EmailField(_("address"), blank=True)
    language = models.CharField(_("language"), max_length=12)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "recipient", "key"], name="one_email_per_purpose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.assessment})"
