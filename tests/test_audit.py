"""The audit log: what is recorded, what never is, and how staff read and export it."""

from __future__ import annotations

import io
import logging

import pytest
from django.urls import reverse

from assessments.models import Membership
from audit.logging import OneLineFormatter
from audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.test_access import done_report
from tests.test_import_export import (  # noqa: F401  (fixtures)
    CSV_FORMAT,
    activity_row,
    alice,
    confirm,
    csv_bytes,
    export,
    rows,
    upload,
)

pytestmark = pytest.mark.django_db
Kind = AuditEvent.Kind
SECRET = "wrong-but-secret-password"


def events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def test_sign_ins_failures_and_lock_outs_are_recorded_without_the_password(client, cast):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ken-focal", "password": SECRET},
                    REMOTE_ADDR="203.0.113.8")
    client.post("/accounts/login/", {"username": "fji-focal", "password": PASSWORD},
                REMOTE_ADDR="192.0.2.44")

    failed = events(Kind.SIGN_IN_FAILED)
    assert [(e.username, e.client_address, e.user) for e in failed] == [
        ("ken-focal", "203.0.113.8", None)
    ] * 5
    (locked,) = events(Kind.LOCKED_OUT)
    assert locked.username == "ken-focal"
    (signed_in,) = events(Kind.SIGN_IN)
    assert (signed_in.user, signed_in.client_address) == (cast.user_b, "192.0.2.44")
    assert signed_in.at.utcoffset().total_seconds() == 0
    for event in AuditEvent.objects.all():
        assert SECRET not in str(vars(event)) and PASSWORD not in str(vars(event))


def test_refused_access_to_another_countrys_assessment_names_that_country(client, cast):
    client.force_login(cast.user_b)
    url = reverse("scoring:results", args=[cast.assessment_a.pk])
    assert client.get(url).status_code == 404
    (refused,) = events(Kind.ACCESS_REFUSED)
    assert (refused.user, refused.country) == (cast.user_b, "KEN")
    assert (refused.object_type, refused.object_id) == (
        "assessments.assessment", str(cast.assessment_a.pk)
    )


def test_report_and_evidence_downloads_and_exports_are_recorded(client, cast):
    job = done_report(cast.assessment_a)
    client.force_login(cast.focal_a)
    client.get(reverse("reports:download", args=[job.pk]))
    client.get(reverse("scoring:action_plan", args=[cast.assessment_a.pk]))
    (download,) = events(Kind.REPORT_DOWNLOAD)
    assert (download.user, download.country, download.object_id) == (
        cast.focal_a, "KEN", str(job.pk)
    )
    (plan,) = events(Kind.EXPORT)
    assert (plan.country, plan.detail.endswith(".xlsx")) == ("KEN", True)

    client.force_login(cast.staff)
    client.get(reverse("scoring:export"), {"format": "csv"})
    assert events(Kind.EXPORT)[-1].user == cast.staff


def test_admin_imports_and_exports_are_recorded_with_who_did_them(alice, rows, staff):  # noqa: F811
    confirm(alice, "activity", upload(
        alice, "activity", csv_bytes([activity_row(rows.first, text="New")]), "a.csv"
    ))
    export(alice, "activity", CSV_FORMAT, [rows.first.ref])
    (imported,) = events(Kind.IMPORT)
    (exported,) = events(Kind.EXPORT)
    assert (imported.user, imported.detail) == (staff, "catalogue.activity")
    assert (exported.user, exported.detail) == (staff, "catalogue.activity")


def test_role_changes_are_recorded(client, cast):
    client.force_login(cast.staff)
    membership = Membership.objects.get(user=cast.reader_a)
    membership.role = Membership.Role.CONTRIBUTOR
    membership.save()
    membership.delete()
    cast.focal_a.is_staff = True
    cast.focal_a.save()

    details = [(e.country, e.detail) for e in events(Kind.ROLE_CHANGE)]
    assert ("KEN", "ken-reader: reader -> contributor") in details
    assert ("KEN", "ken-reader: removed contributor") in details
    assert ("", "is_staff=True") in details


def test_a_sign_in_does_not_count_as_a_role_change(client, cast):
    before = AuditEvent.objects.filter(kind=Kind.ROLE_CHANGE).count()
    client.post("/accounts/login/", {"username": "ken-focal", "password": PASSWORD})
    assert AuditEvent.objects.filter(kind=Kind.ROLE_CHANGE).count() == before


def test_staff_filter_and_export_the_log_in_admin(client, cast):
    client.force_login(cast.user_b)
    client.get(reverse("assessments:overview", args=[cast.assessment_a.pk]))
    client.force_login(cast.staff)
    changelist = reverse("admin:audit_auditevent_changelist")
    page = client.get(changelist, {"kind__exact": Kind.ACCESS_REFUSED, "country": "KEN"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    response = client.post(
        reverse("admin:audit_auditevent_export"), {"resource": "0", "format": CSV_FORMAT}
    )
    assert response.status_code == 200
    assert b"access_refused" in response.content
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403


def test_ministry_users_cannot_read_the_log(client, cast):
    client.force_login(cast.focal_a)
    response = client.get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 302


def test_log_lines_escape_line_breaks(client, cast):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter("%(name)s %(message)s"))
    logger = logging.getLogger("tanneeds.audit")
    logger.addHandler(handler)
    try:
        client.post(
            "/accounts/login/",
            {"username": "eve\r\ntanneeds.audit sign_in user=alice", "password": "x"},
        )
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert "user=eve\\r\\ntanneeds.audit sign_in user=alice" in lines[0]
