"""Recording audit events: one function every app calls, and the client address it stores."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from .context import current_request
from .models import AuditEvent

logger = logging.getLogger("tanneeds.audit")

Kind = AuditEvent.Kind


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address, for the lock-out (django-axes calls this) and the audit log.

    With TRUSTED_PROXY_COUNT = 0 it is the connection's address and X-Forwarded-For is
    ignored, so a client cannot choose it. With N trusted proxies in front, each appending
    the address it saw to X-Forwarded-For, the client is the N-th entry from the right (what
    the outermost trusted proxy saw); entries further left were written by the client and are
    ignored. A header shorter than N, or not an address, falls back to the connection's.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = settings.TRUSTED_PROXY_COUNT
    if not trusted:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < trusted:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-trusted]))
    except ValueError:
        return remote


def audit_record(
    kind: str,
    *,
    user: Any = None,
    username: str = "",
    country: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Store one event and write it to the log on one line.

    ``user`` may be an anonymous user or None (a failed sign-in names only ``username``);
    ``country`` is an ISO3 code; ``obj`` the object concerned (or only its ``object_type``
    and ``object_id`` when it is not loaded). Never pass answers, passwords or tokens in
    ``detail``.
    """
    request = request or current_request.get()
    if user is None and not username and request is not None:
        user = getattr(request, "user", None)  # the actor: who was signed in
    if user is not None and not user.is_authenticated:
        user = None
    event = AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        country=country,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else str(object_id),
        object_label=str(obj)[:200] if obj is not None else "",
        client_address=client_address(request),
        detail=detail[:500],
    )
    logger.info(
        "%s user=%s country=%s object=%s:%s address=%s detail=%s",
        event.kind, event.username, event.country or "-", event.object_type or "-",
        event.object_id or "-", event.client_address or "-", event.detail or "-",
    )
    return event
