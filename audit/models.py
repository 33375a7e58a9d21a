"""The audit log: who did what to which country's data, and when (UTC).

A row never holds an answer, a password or a token: only who, what kind of event, which
country and which object (by type, id and a short label), the client address and a short
detail such as a file name or an export's filters.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        LOCKED_OUT = "locked_out", _("Locked out")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Second factor refused")
        SECOND_FACTOR_CHANGED = "second_factor_changed", _("Second factor set up or removed")
        SIGN_OUT = "sign_out", _("Signed out")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET_ASKED = "password_reset_asked", _("Password reset asked")
        ACCESS_REFUSED = "access_refused", _("Access refused")
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")
        REPORT_DOWNLOAD = "report_download", _("Report download")
        EVIDENCE_DOWNLOAD = "evidence_download", _("Evidence download")
        ROLE_CHANGE = "role_change", _("Role change")

    at = models.DateTimeField(_("time (UTC)"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # The name as typed or as it was then: kept when the account is renamed or deleted, and
    # for failed sign-ins of names that match no account.
    username = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    country = models.CharField(_("country (ISO3)"), max_length=3, blank=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["country", "-at"], name="audit_country_at")]
        permissions = [("export_auditevent", "Can export audit events")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"
