"""Staff run cycles, invitations and reviews from the admin; answers' history is visible."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.db.models import Count
from django.urls import reverse

from assessments.admin.questionnaire import OPENING_PENDING
from assessments.answering import answer_save
from assessments.models import Cycle, Membership, MemberState
from assessments.workflow import assessment_transition
from catalogue.models import Category
from tests.factories import assessment_complete

pytestmark = pytest.mark.django_db


def test_saving_a_new_cycle_opens_an_assessment_for_every_member_state(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:assessments_cycle_add"),
            {"name": "2027 assessment", "starts_on": "2027-01-01", "ends_on": "2027-12-31"},
        )
    assert response.status_code == 302
    cycle = Cycle.objects.get(name="2027 assessment")
    assert cycle.assessments.count() == 193
    kenya = cycle.assessments.get(country__iso3="KEN")
    assert kenya.answers.count() == 123
    assert kenya.answers.filter(prefill_note__startswith="Reported in 2004").exists()


def test_the_2004_baseline_cycle_is_read_only(client, staff):
    client.force_login(staff)
    baseline = Cycle.objects.get(is_baseline=True)
    url = reverse("admin:assessments_cycle_change", args=[baseline.pk])
    client.post(url, {"name": "renamed", "starts_on": "2004-01-01", "ends_on": "2004-02-01"})
    baseline.refresh_from_db()
    assert baseline.name != "renamed"


def test_an_invitation_mails_a_link_to_set_a_password(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:assessments_membership_invite"),
            {
                "email": "justice@example.go.ke",
                "username": "ken-justice",
                "country": MemberState.objects.get(iso3="KEN").pk,
                "role": "contributor",
                "categories": [Category.objects.get(numeral="VII").pk],
            },
        )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="ken-justice")
    assert list(membership.categories.values_list("numeral", flat=True)) == ["VII"]
    (message,) = mail.outbox
    assert message.to == ["justice@example.go.ke"]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)
    client.logout()
    form_page = client.get(link, follow=True)
    assert "Choose your password" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "A-long-pass-phrase-42", "new_password2": "A-long-pass-phrase-42"},
    )
    assert (
        get_user_model().objects.get(username="ken-justice").check_password("A-long-pass-phrase-42")
    )


def test_an_invited_contributor_needs_categories(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:assessments_membership_invite"),
        {
            "email": "x@example.org",
            "username": "ken-x",
            "country": MemberState.objects.get(iso3="KEN").pk,
            "role": "contributor",
        },
    )
    assert response.status_code == 200
    assert "Choose the categories this contributor may edit." in response.content.decode()
    assert "x@example.org" in response.content.decode()  # what was typed is kept


def test_staff_see_who_changed_an_answer_from_what_to_what(client, staff, cast):
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    answer_save(answer=answer, values={"comment": "first words"}, base_version=0, user=cast.focal_a)
    answer_save(
        answer=answer, values={"comment": "second words"}, base_version=1, user=cast.contrib_a
    )
    client.force_login(staff)
    html = client.get(reverse("admin:assessments_answer_history", args=[answer.pk])).content
    html = html.decode()
    assert "ken-focal" in html and "ken-contrib" in html
    assert "first words" in html and "second words" in html


def test_staff_see_the_status_trail_of_an_assessment(client, staff, cast):
    assessment_complete(cast.assessment_a)
    assessment_transition(
        assessment=cast.assessment_a, to_status="submitted", actor=cast.focal_a, role="focal_point"
    )
    assessment_transition(
        assessment=cast.assessment_a,
        to_status="returned",
        actor=staff,
        role="staff",
        comment="Complete section VII please",
    )
    client.force_login(staff)
    url = reverse("admin:assessments_assessment_change", args=[cast.assessment_a.pk])
    html = client.get(url).content.decode()
    assert "Complete section VII please" in html
    assert "ken-focal" in html
    changelist = client.get(
        reverse("admin:assessments_assessment_changelist"), {"status": "returned"}
    )
    assert "Kenya" in changelist.content.decode()
    assert client.get(reverse("admin:assessments_answer_changelist")).status_code == 200


def test_a_cycle_added_while_the_broker_is_down_is_saved_and_opened_once_it_is_back(
    client, staff, django_capture_on_commit_callbacks, broker_down
):
    from assessments.models import MemberState
    from assessments.tasks import cycles_open_pending_task

    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:assessments_cycle_add"),
            {"name": "2027 assessment", "starts_on": "2027-01-01", "ends_on": "2027-12-31"},
        )
    assert response.status_code == 302  # not a 500: the cycle is saved ...
    cycle = Cycle.objects.get(name="2027 assessment")
    assert (cycle.opening_pending, cycle.assessments.count()) == (True, 0)
    # (the commit callback ran after the response here; in a request it runs before)
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert told[-1] == OPENING_PENDING.format(cycle=cycle)
    listing = html.unescape(client.get(reverse("admin:assessments_cycle_changelist")).content
                            .decode())
    assert "opening pending" in listing  # ... and staff see that its opening waits

    broker_down()  # the broker is back: beat's next round opens the cycle
    assert cycles_open_pending_task.delay().get() == {cycle.pk: 193}
    assert cycles_open_pending_task.delay().get() == {}  # nothing pending any more
    cycle.refresh_from_db()
    assert not cycle.opening_pending
    per_country = cycle.assessments.values("country").annotate(n=Count("pk"))
    assert len(per_country) == MemberState.objects.count() == 193
    assert {row["n"] for row in per_country} == {1}


def test_opening_pending_cycles_is_on_beats_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "assessments.tasks.cycles_open_pending_task" in tasks
