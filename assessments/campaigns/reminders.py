"""Reminders to the focal points of assessments not yet submitted, by the deadline schedule.

A reminder is due at each configured offset before the deadline (default 14 and 3 days) and
once a week after it. Each has a key ("before-14", "overdue-0", ...) and the e-mail log's
unique (assessment, recipient, key) lets only one run send it, however many run at once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Assessment, Email, Membership
from .deadlines import days_left, with_deadline
from .emails import OPTED_OUT, email_queue, email_send, site_link, wants_reminders

SENT = "sent"
WOULD_SEND = "would send"
# Overdue reminders stop after this many weekly ones: a cycle left behind is not nagged forever.
OVERDUE_WEEKS = 12


def reminder_key(days: int, offsets: Sequence[int]) -> str | None:
    """Which reminder is due with ``days`` left (negative: overdue), or None.

    Only the nearest offset counts: a schedule that was not running at 14 days does not send
    the 14-day reminder at 2 days, beside the 3-day one.
    """
    if days < 0:
        week = (-days - 1) // 7
        return f"overdue-{week}" if week < OVERDUE_WEEKS else None
    passed = [offset for offset in offsets if days <= offset]
    return f"before-{min(passed)}" if passed else None


@dataclass(frozen=True)
class Reminder:
    """One reminder e-mail the schedule calls for, and what became of it."""

    assessment: Assessment
    recipient: AbstractBaseUser
    key: str
    deadline: datetime.date
    days_left: int
    outcome: str = ""


def pending_assessments(today: datetime.date) -> QuerySet[Assessment]:
    """Assessments still expected whose deadline falls inside the reminder window."""
    offsets = settings.REMINDER_OFFSETS_DAYS or [0]
    return (
        with_deadline(
            Assessment.objects.filter(
                cycle__is_baseline=False,
                cycle__starts_on__lte=today,
                status__in=[Assessment.Status.DRAFT, Assessment.Status.RETURNED],
            )
        )
        .filter(
            deadline__lte=today + datetime.timedelta(days=max(offsets)),
            deadline__gte=today - datetime.timedelta(weeks=OVERDUE_WEEKS),
        )
        .select_related("cycle", "country")
    )


def focal_points(assessments: Iterable[Assessment]) -> dict[int, list[AbstractBaseUser]]:
    """The active focal points of each country, by country id (one query)."""
    people: dict[int, list[AbstractBaseUser]] = defaultdict(list)
    memberships = Membership.objects.filter(
        role=Membership.Role.FOCAL_POINT,
        country_id__in={a.country_id for a in assessments},
        user__is_active=True,
    ).select_related("user", "user__email_preference", "user__preference")
    for membership in memberships:
        people[membership.country_id].append(membership.user)
    return people


def reminders_due(
    today: datetime.date, assessments: QuerySet[Assessment] | None = None
) -> list[Reminder]:
    """Every reminder e-mail the schedule calls for today, sent or not."""
    rows = list(pending_assessments(today) if assessments is None else assessments)
    people = focal_points(rows)
    due = []
    for assessment in rows:
        left = days_left(assessment.deadline, today)
        key = reminder_key(left, settings.REMINDER_OFFSETS_DAYS)
        if key is None:
            continue
        for user in people.get(assessment.country_id, []):
            due.append(Reminder(assessment, user, key, assessment.deadline, left))
    return due


def reminder_subject(reminder: Reminder) -> str:
    if reminder.days_left < 0:
        return _("TA Needs: %(country)s's assessment is overdue") % {
            "country": reminder.assessment.country.name
        }
    return _("TA Needs: %(country)s's assessment is due on %(date)s") % {
        "country": reminder.assessment.country.name,
        "date": date_format(reminder.deadline, "j F Y"),
    }


def reminder_queue(reminder: Reminder) -> tuple[Email, bool]:
    return email_queue(
        assessment=reminder.assessment,
        recipient=reminder.recipient,
        kind=Email.Kind.REMINDER,
        key=reminder.key,
        subject=lambda: reminder_subject(reminder),
        template="assessments/email/reminder.txt",
        context={
            "assessment": reminder.assessment,
            "deadline": reminder.deadline,
            "days_left": reminder.days_left,
            "overdue_days": -reminder.days_left,
            "link": site_link("assessments:overview", reminder.assessment.pk),
        },
        skip_reason="" if wants_reminders(reminder.recipient) else OPTED_OUT,
    )


def reminders_send(
    today: datetime.date | None = None, *, dry_run: bool = False
) -> list[Reminder]:
    """Send the reminders due today that no run has sent; returns each with its outcome."""
    today = today or timezone.localdate()
    return [_reminder_handle(r, dry_run=dry_run) for r in reminders_due(today)]


def _reminder_handle(reminder: Reminder, *, dry_run: bool) -> Reminder:
    logged = Email.objects.filter(
        assessment=reminder.assessment, recipient=reminder.recipient, key=reminder.key
    ).first()
    if logged is not None:
        outcome = f"already logged ({logged.get_status_display().lower()})"
    elif dry_run:
        outcome = WOULD_SEND if wants_reminders(reminder.recipient) else "opted out"
    else:
        email, created = reminder_queue(reminder)
        if not created:
            outcome = "sent by another run"
        elif email.status == Email.Status.SKIPPED:
            outcome = f"not sent: {email.error}"
        else:
            outcome = SENT if email_send(email.pk) else "failed, will be retried"
    return replace(reminder, outcome=outcome)


def reminders_send_now(assessments: QuerySet[Assessment]) -> list[Reminder]:
    """Staff's "send a reminder now": to the focal points of the selected open assessments."""
    now = timezone.now()
    today = timezone.localdate()
    rows = with_deadline(
        assessments.filter(
            cycle__is_baseline=False,
            status__in=[Assessment.Status.DRAFT, Assessment.Status.RETURNED],
        )
    ).select_related("cycle", "country")
    key = f"manual-{now:%Y%m%d%H%M}"  # a second click within the minute sends nothing new
    people = focal_points(rows)
    reminders = [
        Reminder(a, user, key, a.deadline, days_left(a.deadline, today))
        for a in rows
        for user in people.get(a.country_id, [])
    ]
    return [_reminder_handle(r, dry_run=False) for r in reminders]
