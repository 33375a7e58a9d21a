"""Keep what a user posted when their session had expired, and give it back after login.

A plain ``login_required`` would answer an expired session's POST with a redirect and the
typed values would be gone. Here the POST is kept in the (new, anonymous) session, which
``login()`` carries over, and the page shows it again, unsaved, for the user to save.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict

SESSION_KEY = "pending_post"
EXPIRED = "Your session has expired. Log in again: what you typed is kept and shown again."


def login_required_keeping_post(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"error": EXPIRED, "login": True}, status=401)
            request.session[SESSION_KEY] = {
                "path": request.path,
                "data": request.POST.urlencode(),
            }
        return redirect_to_login(request.get_full_path())

    return wrapper


def pop_pending_post(request: HttpRequest) -> QueryDict | None:
    """The data posted to this page before the user had to log in again, if any."""
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    return QueryDict(pending["data"])
