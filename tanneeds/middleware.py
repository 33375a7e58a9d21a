"""Requests refused before they reach a view."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

NUL_IN_URL = "A URL of this site never contains a NUL character."


class RejectNulInURLMiddleware:
    """Answer 400 to a URL with a NUL character in its path or query string.

    No URL of the site takes one, and PostgreSQL refuses NUL in a text parameter: a view that
    looks such a value up would fail with a 500 instead of saying the page does not exist.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = unquote(request.META.get("QUERY_STRING", ""))
        if "\x00" in request.path_info or "\x00" in query:
            raise BadRequest(NUL_IN_URL)
        return self.get_response(request)
