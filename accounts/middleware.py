"""Per-request rules of signed-in sessions: idle expiry, the second factor, no caching."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .sessions import session_is_idle, session_touch
from .twofactor import second_factor_needed

# What a signed-in user may reach before giving the second factor.
BEFORE_SECOND_FACTOR = {
    "two_factor_verify", "two_factor_setup", "logout", "login", "password_reset",
    "password_reset_done", "password_reset_confirm", "password_reset_complete", "health",
    "set_language",
}


class IdleTimeoutMiddleware:
    """Ends a session idle for longer than SESSION_IDLE_MINUTES; keeps an active one alive."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            if session_is_idle(request.session):
                logout(request)
            else:
                session_touch(request.session)
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Staff, and ministry users who set up a second factor, give it before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not second_factor_needed(user, request.session):
            return None
        if request.resolver_match.url_name in BEFORE_SECOND_FACTOR:
            return None
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"error": _("Give your second factor to continue.")}, status=401)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('two_factor_verify')}?{query}")


class PrivateCacheMiddleware:
    """Nothing shown to a signed-in user is kept by a browser or a proxy cache: pages,
    evidence files, exports and PDF reports alike."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
