"""Error pages that tell the user what happened to what they sent."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

TOO_MUCH_SENT = gettext_noop(
    "This page sent more than the server accepts in one go, so nothing of it was saved. "
    "What you typed is still in the page you came from: go Back in your browser, then save "
    "a part of it at a time."
)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: for a post refused for its size, say that nothing was saved and how to recover."""
    too_big = isinstance(exception, TooManyFieldsSent | RequestDataTooBig)
    html = render_to_string(
        "400.html", {"message": _(TOO_MUCH_SENT) if too_big else ""}, request=request
    )
    return HttpResponseBadRequest(html)
