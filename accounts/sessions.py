"""Sessions: each sign-in is recorded, idle sessions end, and a user's sessions can all end.

The idle limit is the session's own expiry (SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES):
IdleTimeoutMiddleware pushes it back at most once a minute while the user is active, so an
active user is not written to the session store at every request.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_otp import user_has_device

from .models import LoginSession

LAST_SEEN = "accounts_last_seen"  # session key: when the user last made a request (epoch s)
SECOND_FACTOR = "accounts_second_factor"  # session key: this user has a second factor set up
REFRESH_SECONDS = 60


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def sessions_end(*, user) -> int:
    """End every session of ``user`` now; returns how many there were."""
    store = _store()
    rows = LoginSession.objects.filter(user=user)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)


def session_touch(session, now: float | None = None) -> bool:
    """Note the user's activity; True when the session must be saved (a fresh expiry)."""
    now = int(now if now is not None else time.time())
    if now - session.get(LAST_SEEN, 0) < REFRESH_SECONDS:
        return False
    session[LAST_SEEN] = now
    return True


def session_is_idle(session, now: float | None = None) -> bool:
    """Whether the session outlived the idle limit (for stores that do not expire it)."""
    seen = session.get(LAST_SEEN)
    now = now if now is not None else time.time()
    return seen is not None and now - seen > settings.SESSION_COOKIE_AGE


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs) -> None:
    session = request.session
    session[LAST_SEEN] = int(time.time())
    session[SECOND_FACTOR] = user_has_device(user)
    if session.session_key is None:
        session.save()
    store = _store()
    gone = [
        key for key in LoginSession.objects.filter(user=user).values_list("session_key", flat=True)
        if not store().exists(key)
    ]
    if gone:
        LoginSession.objects.filter(session_key__in=gone).delete()
    LoginSession.objects.get_or_create(session_key=session.session_key, defaults={"user": user})


@receiver(user_logged_out)
def _session_ended(sender, request, user, **kwargs) -> None:
    key = request.session.session_key
    if key:
        LoginSession.objects.filter(session_key=key).delete()


@receiver(post_save, sender=get_user_model())
def _deactivated(sender, instance, **kwargs) -> None:
    if not instance.is_active:
        sessions_end(user=instance)
