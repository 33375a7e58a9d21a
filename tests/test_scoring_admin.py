"""Staff tune the scoring in admin: criterion weights and severity weights, in the list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.workflow import assessment_transition
from scoring import admin as scoring_admin
from scoring.models import GuidelineCriterion, ScoreSnapshot, ScoringWeights
from scoring.results import assessment_results

pytestmark = pytest.mark.django_db


def list_edit(client, url: str, row, **values):
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000", "form-0-id": str(row.pk), "_save": "Save",
    }
    data.update({f"form-0-{k}": str(v) for k, v in values.items()})
    return client.post(url, data)


def test_staff_change_a_criterion_weight_in_the_list(client, staff):
    client.force_login(staff)
    criterion = GuidelineCriterion.objects.get(code="G5.prioritised")
    url = reverse("admin:scoring_guidelinecriterion_changelist") + "?q=G5.prioritised"
    assert client.get(url).status_code == 200
    response = list_edit(client, url, criterion, weight=5)
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == 5
    change = reverse("admin:scoring_guidelinecriterion_change", args=[criterion.pk])
    assert client.get(change).status_code == 200
    add = reverse("admin:scoring_guidelinecriterion_add")
    assert client.get(add).status_code == 403  # a criterion needs its rule in code


def test_staff_change_the_severity_weights_in_the_list(client, staff):
    client.force_login(staff)
    weights = ScoringWeights.current()
    url = reverse("admin:scoring_scoringweights_changelist")
    assert client.get(url).status_code == 200
    fields = {
        name: getattr(weights, name)
        for name in scoring_admin.ScoringWeightsAdmin.list_editable
    }
    response = list_edit(client, url, weights, **{**fields, "priority_high": 80})
    assert response.status_code == 302
    weights.refresh_from_db()
    assert weights.priority_high == 80
    assert client.get(reverse("admin:scoring_scoringweights_add")).status_code == 403


def test_a_percentage_above_a_hundred_is_refused(client, staff):
    client.force_login(staff)
    weights = ScoringWeights.current()
    change = reverse("admin:scoring_scoringweights_change", args=[weights.pk])
    fields = {
        name: getattr(weights, name)
        for name in scoring_admin.ScoringWeightsAdmin.list_editable
    }
    response = client.post(change, {**fields, "mandated": 150})
    assert response.status_code == 200  # the form again, with the error
    weights.refresh_from_db()
    assert weights.mandated == 100


def test_snapshots_are_shown_read_only(client, cast):
    kenya = cast.assessment_a
    assessment_transition(assessment=kenya, to_status="submitted", actor=cast.focal_a,
                          role="focal_point")
    snapshot = ScoreSnapshot.objects.get(assessment=kenya)
    client.force_login(cast.staff)
    response = client.get(reverse("admin:scoring_scoresnapshot_change", args=[snapshot.pk]))
    assert response.status_code == 200
    score = assessment_results(kenya).guidelines[0].score
    assert f"1: {'–' if score is None else round(score)}" in response.content.decode()
    listing = client.get(reverse("admin:scoring_scoresnapshot_changelist"))
    assert listing.status_code == 200
