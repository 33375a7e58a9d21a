"""Deadline reminders: the schedule under frozen time, once per offset, opt-out, dry run."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from assessments.campaigns.deadlines import deadline_extend
from assessments.campaigns.reminders import reminder_key, reminders_send, reminders_send_now
from assessments.models import Assessment, Email, EmailPreference, Membership, MemberState
from assessments.opening import assessment_open
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OFFSETS = [3, 14]


@pytest.mark.parametrize(
    ("days", "key"),
    [
        (30, None),
        (15, None),
        (14, "before-14"),
        (4, "before-14"),
        (3, "before-3"),
        (0, "before-3"),
        (-1, "overdue-0"),
        (-7, "overdue-0"),
        (-8, "overdue-1"),
        (-84, "overdue-11"),
        (-85, None),  # twelve weekly reminders, then no more
    ],
)
def test_the_key_says_which_reminder_is_due(days, key):
    assert reminder_key(days, OFFSETS) == key


def sent_on(day: datetime.date) -> list[tuple[str, str]]:
    """Run the schedule twice on ``day`` (beat restarted in between): what went out that day."""
    before = len(mail.outbox)
    moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        reminders_send()
        reminders_send()
    return [(m.to[0], m.subject) for m in mail.outbox[before:]]


def test_the_schedule_sends_each_reminder_once_at_its_offset_then_weekly(cast, settings):
    settings.REMINDER_OFFSETS_DAYS = [3, 14]
    cast.assessment_b.status = Assessment.Status.VALIDATED  # Fiji is done: never reminded
    cast.assessment_b.save()
    days = {}
    day = datetime.date(2026, 12, 1)  # the cycle ends on 31 December 2026
    while day <= datetime.date(2027, 1, 20):
        days[day] = sent_on(day)
        day += datetime.timedelta(days=1)
    sending_days = {d: sent for d, sent in days.items() if sent}
    assert list(sending_days) == [
        datetime.date(2026, 12, 17),  # 14 days before
        datetime.date(2026, 12, 28),  # 3 days before
        datetime.date(2027, 1, 1),  # overdue, then every week
        datetime.date(2027, 1, 8),
        datetime.date(2027, 1, 15),
    ]
    for sent in sending_days.values():
        assert sent == [(cast.focal_a.email, sent[0][1])]  # only the focal point, once
    assert "due on 31 December 2026" in sending_days[datetime.date(2026, 12, 17)][0][1]
    assert "overdue" in sending_days[datetime.date(2027, 1, 8)][0][1]
    keys = list(Email.objects.order_by("created_at").values_list("key", "status"))
    assert keys == [
        ("before-14", "sent"), ("before-3", "sent"), ("overdue-0", "sent"), ("overdue-1", "sent"),
        ("overdue-2", "sent"),
    ]


def test_an_extension_moves_the_reminders_with_the_deadline(cast, settings):
    settings.REMINDER_OFFSETS_DAYS = [3, 14]
    deadline_extend(
        assessment=cast.assessment_a,
        ends_on=datetime.date(2027, 1, 31),
        reason="Elections",
        user=cast.staff,
    )
    assert [to for to, _ in sent_on(datetime.date(2026, 12, 17))] == [cast.user_b.email]
    kenya = [s for to, s in sent_on(datetime.date(2027, 1, 17)) if to == cast.focal_a.email]
    assert kenya == ["TA Needs: Kenya's assessment is due on 31 January 2027"]


def test_a_submitted_assessment_gets_no_reminder_and_a_returned_one_does(cast, settings):
    settings.REMINDER_OFFSETS_DAYS = [14]
    cast.assessment_a.status = Assessment.Status.SUBMITTED
    cast.assessment_a.save()
    cast.assessment_b.status = Assessment.Status.RETURNED
    cast.assessment_b.save()
    assert [to for to, _ in sent_on(datetime.date(2026, 12, 20))] == [cast.user_b.email]
    assert "returned it with comments" in mail.outbox[-1].body


def test_an_opted_out_user_is_logged_and_not_mailed(cast, settings):
    settings.REMINDER_OFFSETS_DAYS = [14]
    EmailPreference.objects.create(user=cast.focal_a, reminders=False)
    assert [to for to, _ in sent_on(datetime.date(2026, 12, 20))] == [cast.user_b.email]
    skipped = Email.objects.get(recipient=cast.focal_a)
    assert skipped.status == Email.Status.SKIPPED and "opted out" in skipped.error


def test_a_failing_mail_server_is_logged_and_retried_later(cast, settings):
    settings.REMINDER_OFFSETS_DAYS = [14]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused
    sent_on(datetime.date(2026, 12, 20))
    failed = Email.objects.filter(status=Email.Status.FAILED)
    assert failed.count() == 2 and all(e.error and e.attempts == 1 for e in failed)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from assessments.campaigns.emails import emails_retry

    assert emails_retry() == 2
    assert set(Email.objects.values_list("status", "attempts")) == {("sent", 2)}
    assert sent_on(datetime.date(2026, 12, 21)) == []  # and not sent a second time


def test_staff_can_send_a_reminder_now_to_a_selection(cast):
    kenya = Assessment.objects.filter(pk=cast.assessment_a.pk)
    moment = datetime.datetime(2026, 6, 1, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        assert [r.outcome for r in reminders_send_now(kenya)] == ["sent"]
        assert [r.outcome for r in reminders_send_now(kenya)] == ["already logged (sent)"]
    assert [m.to for m in mail.outbox] == [[cast.focal_a.email]]  # a double click sends one
    with time_machine.travel(moment + datetime.timedelta(minutes=1), tick=False):
        assert [r.outcome for r in reminders_send_now(kenya)] == ["sent"]
    cast.assessment_a.status = Assessment.Status.SUBMITTED
    cast.assessment_a.save()
    assert reminders_send_now(kenya) == []  # nothing is expected from Kenya any more
    assert len(mail.outbox) == 2


def test_the_dry_run_lists_what_would_be_sent_and_sends_nothing(cast, settings, capsys):
    settings.REMINDER_OFFSETS_DAYS = [14]
    call_command("send_reminders", "--dry-run", "--date", "2026-12-20")
    out = capsys.readouterr().out
    assert "KEN Kenya" in out and "before-14" in out and "ken-focal" in out
    assert "FJI Fiji" in out and "would send" in out
    assert "2 of 2 reminder(s) would be sent" in out
    assert mail.outbox == [] and not Email.objects.exists()


def test_the_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026-12-31"):
        call_command("send_reminders", "--date", "31/12/2026")


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks whole tables across threads; "
    "CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_snapshot")
def test_two_runs_at_once_send_each_reminder_once(settings):
    """Two workers run the schedule at the same moment, each on its own database connection.

    A transactional test (the threads must see committed rows): pytest-django runs it after
    the others, and it finds the reference data the session loaded.
    """
    settings.REMINDER_OFFSETS_DAYS = [14]
    from assessments.models import Cycle

    cycle = Cycle.objects.create(
        name="Concurrent", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)
    )
    countries = list(MemberState.objects.order_by("iso3")[:12])
    for n, country in enumerate(countries):
        assessment_open(cycle=cycle, country=country)
        Membership.objects.create(
            user=UserFactory(username=f"focal-{n}"), country=country, role="focal_point"
        )
    start = threading.Barrier(2)
    outcomes: list[list[str]] = []

    def run() -> None:
        try:
            start.wait()
            outcomes.append([r.outcome for r in reminders_send(datetime.date(2026, 12, 20))])
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2
    expected = sorted(f"focal-{n}@example.org" for n in range(12))
    assert sorted(m.to[0] for m in mail.outbox) == expected
    assert Email.objects.filter(status="sent").count() == 12
    assert sum(o == "sent" for run in outcomes for o in run) == 12
