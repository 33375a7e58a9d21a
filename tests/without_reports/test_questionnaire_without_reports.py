"""Run by tests/test_architecture.py with ``reports`` out of INSTALLED_APPS: the questionnaire,
its results and its admin work, and nothing of the reports app shows."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from assessments.models import Assessment
from assessments.workflow import assessment_transition
from scoring.models import ScoreSnapshot
from tests.factories import assessment_complete

pytestmark = pytest.mark.django_db


def test_reports_is_not_installed():
    assert not apps.is_installed("reports")
    with pytest.raises(NoReverseMatch):
        reverse("reports:request_country", args=[1])


def test_a_ministry_answers_and_submits_and_sees_its_results(client, cast):
    assessment = cast.assessment_a
    client.force_login(cast.focal_a)
    pages = [
        reverse("home"),
        reverse("assessments:overview", args=[assessment.pk]),
        reverse("assessments:profile", args=[assessment.pk]),
        reverse("assessments:section", args=[assessment.pk, "I"]),
        reverse("assessments:submit", args=[assessment.pk]),
        reverse("scoring:results", args=[assessment.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "PDF gap report" not in response.content.decode(), url
    overview = client.get(pages[1]).content.decode()
    assert reverse("scoring:results", args=[assessment.pk]) in overview

    assessment_complete(assessment)
    event = assessment_transition(
        assessment=assessment, to_status=Assessment.Status.SUBMITTED, actor=cast.focal_a,
        role="focal_point",
    )
    assert ScoreSnapshot.objects.get(assessment=assessment).event == event
    assert client.get(pages[-1]).status_code == 200


def test_staff_review_and_compare_without_report_buttons(client, cast):
    client.force_login(cast.staff)
    heatmap = client.get(reverse("scoring:heatmap"))
    assert heatmap.status_code == 200
    assert "Overview report" not in heatmap.content.decode()
    changelist = client.get(reverse("admin:assessments_assessment_changelist"))
    assert changelist.status_code == 200
    assert "produce_gap_reports" not in changelist.content.decode()
    review = client.get(reverse("assessments:review", args=[cast.assessment_a.pk]))
    assert review.status_code == 200
