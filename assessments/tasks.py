"""Background work: tasks take ids, load the rows and call the services."""

from __future__ import annotations

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from .campaigns.emails import email_send, emails_retry
from .campaigns.reminders import SENT, reminders_send
from .cycles import cycle_open, cycles_open_pending
from .models import Cycle


@shared_task(acks_late=True, max_retries=3, default_retry_delay=30)
def cycle_open_task(cycle_id: int) -> int:
    """Give every member state its assessment in the cycle (idempotent)."""
    cycle = Cycle.objects.filter(pk=cycle_id, is_baseline=False).first()
    if cycle is None:
        return 0
    return cycle_open(cycle)


@shared_task(acks_late=True)
def email_send_task(email_id: int) -> bool:
    """Send one logged e-mail; a failure is recorded on the row and retried by beat."""
    return email_send(email_id)


@shared_task
def emails_retry_task() -> int:
    return emails_retry()


@shared_task
def reminders_send_task() -> int:
    """Beat, hourly: the reminders due today that no earlier run sent."""
    return sum(r.outcome == SENT for r in reminders_send())


@shared_task
def cycles_open_pending_task() -> dict[int, int]:
    """Beat's safety net: open the cycles whose opening could not be sent or did not finish."""
    return cycles_open_pending()


@shared_task
def sessions_clear_expired_task() -> int:
    """Delete expired sessions (what ``clearsessions`` does), so anonymous ones do not pile up.

    Sessions that keep a post for after login (assessments/pending.py) expire within a day.
    """
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
