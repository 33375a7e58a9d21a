"""E-mails of the workflow: who is told, in which language, with what; never blocking a move."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import UserPreference
from assessments.models import Assessment, Email, RegionReviewer
from assessments.workflow import assessment_transition
from catalogue.models import Category
from tests.factories import UserFactory, assessment_complete

pytestmark = pytest.mark.django_db
Status = Assessment.Status


def submit(cast, django_capture_on_commit_callbacks):
    assessment_complete(cast.assessment_a)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_transition(
            assessment=cast.assessment_a, to_status=Status.SUBMITTED, actor=cast.focal_a,
            role="focal_point",
        )


def test_on_submit_the_reviewers_of_the_region_are_told(cast, django_capture_on_commit_callbacks):
    africa = UserFactory(username="carol", is_staff=True)
    RegionReviewer.objects.create(user=africa, region="Africa")
    RegionReviewer.objects.create(user=UserFactory(username="dave", is_staff=True), region="Asia")
    submit(cast, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[africa.email]]
    message = mail.outbox[0]
    assert message.subject == "TA Needs: Kenya submitted its assessment"
    assert "Kenya (Africa) submitted its assessment for 2026 assessment" in message.body
    link = "http://127.0.0.1:8000" + reverse("assessments:review", args=[cast.assessment_a.pk])
    assert link in message.body
    assert Email.objects.get().status == Email.Status.SENT


def test_without_reviewers_for_the_region_every_staff_member_is_told(
    cast, django_capture_on_commit_callbacks
):
    submit(cast, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[cast.staff.email]]


def test_on_return_the_focal_point_and_the_contributors_of_the_sections_get_the_comments(
    cast, django_capture_on_commit_callbacks
):
    submit(cast, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    v, x = Category.objects.get(numeral="V"), Category.objects.get(numeral="X")
    with django_capture_on_commit_callbacks(execute=True):
        assessment_transition(
            assessment=cast.assessment_a, to_status=Status.RETURNED, actor=cast.staff,
            role="staff", comment="Nearly there.",
            section_comments={v.pk: "State the baseline of V.4.", x.pk: "Who else helps?"},
        )
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {cast.focal_a.email, cast.contrib_a.email}  # not the reader
    body = by_person[cast.contrib_a.email].body
    assert "Nearly there." in body
    assert f"V. {v.title}:\nState the baseline of V.4." in body
    assert "Who else helps?" in body
    assert reverse("assessments:overview", args=[cast.assessment_a.pk]) in body


def test_a_contributor_of_other_sections_is_not_told_of_a_return(
    cast, django_capture_on_commit_callbacks
):
    submit(cast, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_transition(
            assessment=cast.assessment_a, to_status=Status.RETURNED, actor=cast.staff,
            role="staff", section_comments={Category.objects.get(numeral="I").pk: "Level?"},
        )
    assert [m.to for m in mail.outbox] == [[cast.focal_a.email]]


def test_on_validation_the_focal_point_is_told_in_their_language(
    cast, django_capture_on_commit_callbacks
):
    UserPreference.objects.create(user=cast.focal_a, language="fr")
    submit(cast, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_transition(
            assessment=cast.assessment_a, to_status=Status.VALIDATED, actor=cast.staff,
            role="staff",
        )
    [message] = mail.outbox
    assert message.to == [cast.focal_a.email]
    assert message.extra_headers["Content-Language"] == "fr"
    assert Email.objects.get(recipient=cast.focal_a).language == "fr"
    assert reverse("assessments:overview", args=[cast.assessment_a.pk]) in message.body


def test_a_reminder_is_written_in_the_recipients_language(cast, settings):
    """Dates and plurals follow the recipient's language; a language the site does not offer
    falls back to the site's own."""
    import datetime

    from assessments.campaigns.reminders import reminders_send

    settings.REMINDER_OFFSETS_DAYS = [14]
    UserPreference.objects.create(user=cast.focal_a, language="fr")
    UserPreference.objects.create(user=cast.user_b, language="xx")
    reminders_send(datetime.date(2026, 12, 20))
    by_person = {m.to[0]: m for m in mail.outbox}
    french, fallback = by_person[cast.focal_a.email], by_person[cast.user_b.email]
    assert "31 décembre 2026" in french.body and "31 décembre 2026" in french.subject
    assert french.extra_headers["Content-Language"] == "fr"
    assert "31 December 2026" in fallback.body and "11 days left" in fallback.body
    assert fallback.extra_headers["Content-Language"] == "en"


def test_a_failing_mail_server_never_blocks_the_move(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    submit(cast, django_capture_on_commit_callbacks)
    cast.assessment_a.refresh_from_db()
    assert cast.assessment_a.status == Status.SUBMITTED
    failed = Email.objects.get()
    assert failed.status == Email.Status.FAILED and failed.attempts == 1 and failed.error


def test_while_the_broker_is_down_the_move_is_made_and_the_e_mail_waits_for_beat(
    cast, django_capture_on_commit_callbacks, broker_down
):
    import datetime

    from django.utils import timezone

    from assessments.campaigns.emails import emails_retry

    submit(cast, django_capture_on_commit_callbacks)
    cast.assessment_a.refresh_from_db()
    assert cast.assessment_a.status == Status.SUBMITTED
    waiting = Email.objects.get()
    assert waiting.status == Email.Status.PENDING and mail.outbox == []
    broker_down()  # back; beat's retry finds the row that no worker was given
    assert emails_retry(timezone.now() + datetime.timedelta(minutes=6)) == 1
    assert [m.to for m in mail.outbox] == [[cast.staff.email]]
