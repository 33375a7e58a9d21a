"""What an anonymous POST may leave in the session store, and how long sessions stay there."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from assessments.pending import PENDING_POST_MAX_BYTES, TOO_LARGE_TO_KEEP

pytestmark = pytest.mark.django_db


def section_url(cast, numeral="I"):
    return reverse("assessments:section", args=[cast.assessment_a.pk, numeral])


def stored_bytes() -> int:
    return sum(len(s.session_data) for s in Session.objects.all())


def test_an_anonymous_post_over_the_bound_is_not_stored(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    data = {f"a{answer.pk}-version": "0", f"a{answer.pk}-comment": "x" * 1_000_000}
    response = client.post(section_url(cast), data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert stored_bytes() < 10_000
    login_page = html.unescape(client.get(response["Location"]).content.decode())
    assert TOO_LARGE_TO_KEEP in login_page  # the user is told, not silently dropped


def test_ten_anonymous_posts_store_at_most_ten_bounded_posts(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    for n in range(10):
        client.cookies.clear()  # each post a new visitor, hence a new session
        data = {f"a{answer.pk}-version": "0", f"a{answer.pk}-comment": f"{n}" * 2_000_000}
        client.post(section_url(cast), data)
    assert stored_bytes() < 10 * 2 * PENDING_POST_MAX_BYTES  # was +23 MB
    assert PENDING_POST_MAX_BYTES <= 256 * 1024


def test_a_kept_post_lives_a_day_not_two_weeks(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    client.post(section_url(cast), {f"a{answer.pk}-version": "0", f"a{answer.pk}-comment": "hi"})
    (session,) = Session.objects.all()
    assert session.expire_date <= timezone.now() + timedelta(days=1, minutes=1)


def test_expired_sessions_are_cleared_on_a_schedule(client, cast):
    from assessments.tasks import sessions_clear_expired_task

    task = next(
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].endswith("sessions_clear_expired_task")
    )
    assert task == "assessments.tasks.sessions_clear_expired_task"
    client.force_login(cast.focal_a)
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(seconds=1)
    )
    sessions_clear_expired_task.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]
