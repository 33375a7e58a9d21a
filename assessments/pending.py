"""Keep what a user posted when their session had expired, and give it back after login.

A plain ``login_required`` would answer an expired session's POST with a redirect and the
typed values would be gone. Here the POST is kept in the (new, anonymous) session, which
``login()`` carries over, and the page shows it again, unsaved, for the user to save.

Anyone can post anonymously, so what is kept is bounded: one post per session, at most
``PENDING_POST_MAX_BYTES`` of it, in a session that expires after a day (cleared by the
``sessions_clear_expired_task`` on beat's schedule) rather than the usual two weeks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

SESSION_KEY = "pending_post"
# A fully answered section with generous texts fits; far below Django's 2.5 MB request limit.
PENDING_POST_MAX_BYTES = 256 * 1024
PENDING_POST_MAX_AGE = 24 * 60 * 60  # seconds
EXPIRED = gettext_noop(
    "Your session has expired. Log in again: what you typed is kept and shown again."
)
TOO_LARGE_TO_KEEP = gettext_noop(
    "Your session had expired and what you sent was too large to keep while you log in. "
    "Log in, then use your browser's Back button to find your text and save it again."
)


def login_required_keeping_post(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"error": _(EXPIRED), "login": True}, status=401)
            _keep(request)
        return redirect_to_login(request.get_full_path())

    return wrapper


def _keep(request: HttpRequest) -> None:
    data = request.POST.urlencode()
    if len(data.encode()) > PENDING_POST_MAX_BYTES:
        messages.warning(request, _(TOO_LARGE_TO_KEEP))
        return
    request.session[SESSION_KEY] = {"path": request.path, "data": data}
    request.session.set_expiry(PENDING_POST_MAX_AGE)


def pending_post_pop(request: HttpRequest) -> QueryDict | None:
    """The data posted to this page before the user had to log in again, if any."""
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    request.session.set_expiry(None)  # a logged-in session lasts as long as any other
    return QueryDict(pending["data"])
