"""The language of the site: a signed-in user's saved choice, else the browser's, else English.

Django's LocaleMiddleware picks the browser's language (the switcher's cookie, else
Accept-Language, else LANGUAGE_CODE). A signed-in user's saved language is read once, at sign-in,
and kept in the session, so that no page pays a query for it; switching language saves it there
and in the user's preference.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views import i18n
from django.views.decorators.http import require_POST

from .models import UserPreference

LANGUAGE = "accounts_language"  # session key: the user's saved language, "" to follow the browser


def language_offered(code: str | None) -> bool:
    return code in dict(settings.LANGUAGES)


def preference_language(user: AbstractBaseUser) -> str:
    """The user's saved language if the site offers it, else "" (follow the browser)."""
    saved = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    return saved if language_offered(saved) else ""


def preference_language_save(*, user: AbstractBaseUser, language: str) -> None:
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})


@receiver(user_logged_in)
def _preference_remembered(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LANGUAGE] = preference_language(user)


class PreferredLanguageMiddleware:
    """Activates a signed-in user's saved language over the browser's (after authentication).

    A session from before the preference was cached reads it once and keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get(LANGUAGE)
        if language is None and request.user.is_authenticated:
            language = request.session[LANGUAGE] = preference_language(request.user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (the cookie, the way back); a signed-in user's choice is also
    saved as their preference, for the site and for their e-mails."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language_offered(language):
        preference_language_save(user=request.user, language=language)
        request.session[LANGUAGE] = language
    return response
