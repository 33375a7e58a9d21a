from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginSession(models.Model):
    """One signed-in session of a user, so that all of them can be ended at once (the user
    is deactivated or loses a membership) whatever session store the site uses."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.started_at:%Y-%m-%d %H:%M}"


class UserPreference(models.Model):
    """A user's own settings: for now the language of the site and of their e-mails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("language"),
        max_length=12,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Empty: the language the browser asks for, else English."),
    )

    class Meta:
        verbose_name = _("user preference")

    def __str__(self) -> str:
        return str(self.user)
