"""Staff run the campaign from admin: extensions with reasons, reminders now, the e-mail log."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from assessments.campaigns.deadlines import assessment_deadline
from assessments.models import DeadlineExtension, Email

pytestmark = pytest.mark.django_db


def test_staff_extend_a_deadline_with_a_reason_kept_in_the_history(client, cast):
    client.force_login(cast.staff)
    url = reverse("admin:assessments_deadlineextension_add")
    data = {"assessment": cast.assessment_a.pk, "ends_on": "2027-01-31", "reason": ""}
    refused = client.post(url, data)
    assert refused.status_code == 200 and DeadlineExtension.objects.count() == 0
    assert "This field is required." in refused.content.decode()
    client.post(url, {**data, "reason": "Elections"})
    client.post(url, {**data, "ends_on": "2027-02-15", "reason": "Floods"})
    assert list(cast.assessment_a.deadline_extensions.values_list("reason", "granted_by")) == [
        ("Floods", cast.staff.pk), ("Elections", cast.staff.pk),
    ]
    assert assessment_deadline(cast.assessment_a) == datetime.date(2027, 2, 15)
    page = client.get(reverse("admin:assessments_assessment_change", args=[cast.assessment_a.pk]))
    assert "Elections" in page.content.decode() and "Floods" in page.content.decode()


def test_a_deadline_before_the_cycle_starts_is_refused_with_the_reason(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("admin:assessments_deadlineextension_add"),
        {"assessment": cast.assessment_a.pk, "ends_on": "2025-06-01", "reason": "Typo"},
    )
    assert "must fall after the start of the cycle" in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_staff_send_a_reminder_now_and_see_it_in_the_log(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("admin:assessments_assessment_changelist"),
        {"action": "send_reminder_now", "_selected_action": [cast.assessment_a.pk]},
        follow=True,
    )
    assert "1 reminder sent (1 asked for)" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[cast.focal_a.email]]
    log = client.get(reverse("admin:assessments_email_changelist")).content.decode()
    assert cast.focal_a.email in log and "Sent" in log
    email = Email.objects.get()
    detail = client.get(reverse("admin:assessments_email_change", args=[email.pk]))
    assert detail.status_code == 200 and "Continue the assessment here" in detail.content.decode()
