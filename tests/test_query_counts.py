"""Query counts of the questionnaire and the results stay constant as they grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.answering import answer_save
from assessments.models import MemberState
from assessments.opening import answers_ensure, assessment_open
from catalogue.models import Category
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def count_queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


# A section page: session, user, the assessment (with cycle and country) found through the
# user's membership of its country, the categories, activities still without an answer row,
# the section's answers with their activities, their evidence files, the category's groups,
# the people who saved them last, progress per section, the review comments.
SECTION_PAGE_QUERIES = 11


def someone_saved_an_item_in(cast, *numerals):
    for numeral in numerals:
        answer = cast.assessment_a.answers.filter(activity__category__numeral=numeral).first()
        answer_save(answer=answer, values={"comment": "seen"}, base_version=0, user=cast.focal_a)


def test_a_section_page_runs_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.focal_a)
    someone_saved_an_item_in(cast, "III", "IV")
    small = reverse("assessments:section", args=[cast.assessment_a.pk, "IV"])  # 3 activities
    large = reverse("assessments:section", args=[cast.assessment_a.pk, "III"])  # 57 activities
    client.get(small)  # warm-up: the session is saved once
    assert count_queries(client, "get", small) == SECTION_PAGE_QUERIES
    assert count_queries(client, "get", large) == SECTION_PAGE_QUERIES


def test_the_count_does_not_grow_when_activities_are_added(client, cast):
    client.force_login(cast.focal_a)
    someone_saved_an_item_in(cast, "IV")
    url = reverse("assessments:section", args=[cast.assessment_a.pk, "IV"])
    client.get(url)
    category = Category.objects.get(numeral="IV")
    for n in range(40):
        ActivityFactory(category=category, position=900 + n)
    answers_ensure(cast.assessment_a)
    assert count_queries(client, "get", url) == SECTION_PAGE_QUERIES


# An autosave: session, user, the assessment found through the user's membership, the answer
# (with its activity), the row again under the lock, UPDATE answer, INSERT history; plus
# SAVEPOINT and RELEASE, since the test runs inside a transaction (BEGIN, COMMIT outside tests).
AUTOSAVE_QUERIES = 9


def test_an_autosave_runs_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.focal_a)
    for ref, category_size in [("IV.1", "small"), ("III.B.2", "large")]:
        answer = cast.assessment_a.answers.get(activity__ref=ref)
        url = reverse("assessments:autosave", args=[cast.assessment_a.pk, answer.pk])
        data = {f"a{answer.pk}-version": "0", f"a{answer.pk}-comment": category_size}
        assert count_queries(client, "post", url, data) == AUTOSAVE_QUERIES


def results_queries(client, url: str) -> int:
    client.get(url)  # the first view computes and stores the scores; later views read them
    return count_queries(client, "get", url)


def request_assistance(cast, refs) -> None:
    answers = {a.activity.ref: a for a in cast.assessment_a.answers.select_related("activity")}
    for ref in refs:
        answer = answers[ref]
        answer_save(
            answer=answer,
            values={"state": "level", "level": 1, "assistance_needed": True, "priority": "high"},
            base_version=answer.version,
            user=cast.focal_a,
        )


def test_the_results_page_does_not_grow_with_the_gaps(client, cast):
    client.force_login(cast.focal_a)
    url = reverse("scoring:results", args=[cast.assessment_a.pk])
    request_assistance(cast, ["I.1"])
    few = results_queries(client, url)
    request_assistance(cast, ["II.1", "II.2", "III.B.2", "V.4", "VII.D.5", "X.1", "X.2"])
    assert results_queries(client, url) == few


def test_the_heat_map_does_not_grow_with_the_countries(client, cast, cycle):
    client.force_login(cast.staff)
    url = reverse("scoring:heatmap") + f"?cycle={cycle.pk}"
    two = results_queries(client, url)
    for country in MemberState.objects.exclude(assessments__cycle=cycle)[:6]:
        assessment_open(cycle=cycle, country=country)
    assert results_queries(client, url) == two
