"""A post refused for its size, read again (within a bound) for the page that shows it back.

Nothing a user types should be lost: a "Save section" post over Django's limits is not saved,
but its section page comes back with every typed value in its fields.
"""

from __future__ import annotations

from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from io import BytesIO
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict

# A refused post is read again, for the views that show it back, up to these bounds only: the
# server never parses more than this however much is sent (docs/questionnaire.md).
RECOVERY_MAX_BYTES = 5 * 1024 * 1024  # twice Django's DATA_UPLOAD_MAX_MEMORY_SIZE
RECOVERY_MAX_FIELDS = 20_000  # four times DATA_UPLOAD_MAX_NUMBER_FIELDS
REFUSED_ATTRIBUTE = "post_refused_for_size"


def shows_refused_post(view: Callable) -> Callable:
    """Mark a view that shows a post refused for its size back, unsaved, to its user.

    Such a view finds ``post_refused_for_size(request)`` true and ``request.POST`` holding the
    recovered fields (no files); it must render them without saving anything.
    """
    view.shows_refused_post = True  # type: ignore[attr-defined]
    return view


def post_refused_for_size(request: HttpRequest) -> bool:
    """Whether ``request.POST`` holds the fields of a post refused for its size."""
    return getattr(request, REFUSED_ATTRIBUTE, False)


class RefusedPostMiddleware:
    """Give a view marked with ``shows_refused_post`` the fields of a post refused for its size.

    Django refuses a post with more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields or more than
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` of field data the first time anything reads
    ``request.POST`` (the CSRF check), and the body it was reading is gone. For the marked views,
    a body of at most ``RECOVERY_MAX_BYTES`` is kept in memory before that first read; when the
    post is refused, its text fields are parsed again, up to ``RECOVERY_MAX_FIELDS``, and given
    to the view (and to the CSRF check, which still applies) flagged as refused. A larger body,
    or one with more fields, gets the error page (``tanneeds.errors``) as for any other view.
    Placed before ``CsrfViewMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable, args, kwargs) -> None:
        if request.method != "POST" or not getattr(view, "shows_refused_post", False):
            return
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return
        if length > RECOVERY_MAX_BYTES:
            return
        # What HttpRequest.body does, with this bound instead of DATA_UPLOAD_MAX_MEMORY_SIZE:
        # request.POST then parses the kept copy.
        body = request.read(length)
        request._body = body
        request._stream = BytesIO(body)
        try:
            if (
                request.content_type == "application/x-www-form-urlencoded"
                and settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None
                and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            ):  # Django checks this in request.body, which the kept copy bypasses
                raise RequestDataTooBig("Request body exceeded DATA_UPLOAD_MAX_MEMORY_SIZE.")
            request.POST  # noqa: B018 (parses the post, as the CSRF check would)
        except (TooManyFieldsSent, RequestDataTooBig):
            fields = _text_fields(request, body)
            if fields is None:
                raise
            request._post = fields
            request._files = MultiValueDict()
            setattr(request, REFUSED_ATTRIBUTE, True)


def _text_fields(request: HttpRequest, body: bytes) -> QueryDict | None:
    """The text fields of a form post (files left out); None past ``RECOVERY_MAX_FIELDS``."""
    encoding = request.encoding or settings.DEFAULT_CHARSET
    fields = QueryDict(mutable=True, encoding=encoding)
    if request.content_type == "multipart/form-data":
        header = f"Content-Type: {request.META.get('CONTENT_TYPE', '')}\r\n\r\n"
        message = BytesParser(policy=HTTP).parsebytes(header.encode("latin-1") + body)
        parts = message.get_payload() if message.is_multipart() else []
        if len(parts) > RECOVERY_MAX_FIELDS:
            return None
        for part in parts:
            name = part.get_param("name", header="content-disposition")
            if name is None or part.get_filename() is not None:
                continue
            value = part.get_payload(decode=True) or b""
            fields.appendlist(str(name), value.decode(encoding, "replace"))
    elif request.content_type == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(
                body.decode("utf-8", "replace"),
                keep_blank_values=True,
                max_num_fields=RECOVERY_MAX_FIELDS,
            )
        except ValueError:
            return None
        for name, value in pairs:
            fields.appendlist(name, value)
    else:
        return None
    return fields
