"""Query counts of the questionnaire and the results stay constant as they grow."""

from __future__ import annotations

import pytest
from django.conf import settings
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
    language = client.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if language and "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE:
        assert response["Content-Language"] == language.value
    return len(queries)


# The pinned counts hold in every language: a left-to-right, a right-to-left and a CJK one.
LANGUAGES = ["en", "ar", "zh-hans"]


def speaking(client, language: str):
    """The client asks for ``language`` as a browser would: the switcher's cookie and its header."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


# A section page: session, user, the assessment (with cycle and country) found through the
# user's membership of its country, the categories, activities still without an answer row,
# the section's answers with their activities, their evidence files, the category's groups,
# the people who saved them last, progress per section, the review comments.
SECTION_PAGE_QUERIES = 11


def someone_saved_an_item_in(cast, *numerals):
    for numeral in numerals:
        answer = cast.assessment_a.answers.filter(activity__category__numeral=numeral).first()
        answer_save(answer=answer, values={"comment": "seen"}, base_version=0, user=cast.focal_a)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_section_page_runs_a_fixed_number_of_queries(client, cast, language):
    client = speaking(client, language)
    client.force_login(cast.focal_a)
    someone_saved_an_item_in(cast, "III", "IV")
    small = reverse("assessments:section", args=[cast.assessment_a.pk, "IV"])  # 3 activities
    large = reverse("assessments:section", args=[cast.assessment_a.pk, "III"])  # 57 activities
    client.get(small)  # warm-up: the session is saved once
    assert count_queries(client, "get", small) == SECTION_PAGE_QUERIES
    assert count_queries(client, "get", large) == SECTION_PAGE_QUERIES


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_count_does_not_grow_when_activities_are_added(client, cast, language):
    client = speaking(client, language)
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
# (with its activity), the assessment locked (its status decides whether it may still change),
# the row again under the lock, UPDATE answer, INSERT history; plus SAVEPOINT and RELEASE,
# since the test runs inside a transaction (BEGIN, COMMIT outside tests).
AUTOSAVE_QUERIES = 10


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_autosave_runs_a_fixed_number_of_queries(client, cast, language):
    client = speaking(client, language)
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


# A full section submit: the section page's reads (session, user, assessment, categories, missing
# answer rows, answers, evidence, groups, editors), then the assessment's row locked (no save
# lands once it is submitted), the changed rows under one lock, one
# UPDATE for all of them and one INSERT of their history rows, inside SAVEPOINT and RELEASE
# (BEGIN and COMMIT outside tests). Before: 154 queries for 29 changed items.
SECTION_SUBMIT_QUERIES = 15


def section_submit_queries(client, assessment, changed: int) -> int:
    """A full post of section III (57 items) in which ``changed`` items have a new comment."""
    answers = list(assessment.answers.filter(activity__category__numeral="III"))
    data = {f"a{a.pk}-version": str(a.version) for a in answers}
    for n, answer in enumerate(answers[:changed]):
        data[f"a{answer.pk}-comment"] = f"changed {n} {answer.version}"
    url = reverse("assessments:section", args=[assessment.pk, "III"])
    return count_queries(client, "post", url, data)


def test_a_section_submit_writes_its_changed_items_in_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.focal_a)
    section_submit_queries(client, cast.assessment_a, changed=1)  # warm-up: the session
    few = section_submit_queries(client, cast.assessment_a, changed=3)
    many = section_submit_queries(client, cast.assessment_a, changed=29)
    assert few == many == SECTION_SUBMIT_QUERIES


def test_the_heat_map_reads_the_summaries_not_the_payloads(client, cast, cycle):
    client.force_login(cast.staff)
    for country in MemberState.objects.exclude(assessments__cycle=cycle)[:6]:
        assessment_open(cycle=cycle, country=country)
    url = reverse("scoring:heatmap") + f"?cycle={cycle.pk}"
    client.get(url)  # scores and stores every result once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert not [q["sql"] for q in queries if "payload" in q["sql"]]
    region = cast.assessment_a.country.region
    client.get(url + f"&region={region}")
    with CaptureQueriesContext(connection) as regional:
        html = client.get(url + f"&region={region}").content.decode()
    assert cast.assessment_a.country.name in html
    assert cast.assessment_b.country.name not in html or cast.assessment_b.country.region == region
    assert len(regional) == len(queries) + 1  # the region checked against the list of regions
