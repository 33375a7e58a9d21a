"""Response tracking: stages, overdue, filters, exports, the weekly chart, constant queries."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.answering import answer_save
from assessments.campaigns.deadlines import deadline_extend
from assessments.campaigns.views import EXPORT_COLUMNS
from assessments.cycles import cycle_open
from assessments.models import Assessment
from assessments.workflow import assessment_transition
from tests.factories import assessment_complete

pytestmark = pytest.mark.django_db
AFTER_DEADLINE = datetime.datetime(2027, 1, 10, 12, tzinfo=datetime.UTC)


def answer(cast, ref: str) -> None:
    row = cast.assessment_a.answers.get(activity__ref=ref)
    answer_save(
        answer=row, values={"state": "level", "level": 2}, base_version=row.version,
        user=cast.focal_a,
    )


def page(client, cast, query: str = ""):
    client.force_login(cast.staff)
    url = reverse("assessments:tracking", args=[cast.assessment_a.cycle_id])
    return client.get(url + query)


def test_it_shows_each_country_at_its_stage_with_progress_and_focal_point(client, cast):
    answer(cast, "I.1")
    response = page(client, cast)
    rows = {r.assessment.country.iso3: r for r in response.context["rows"]}
    assert rows["KEN"].stage == "in_progress" and rows["KEN"].answered == 1
    assert rows["KEN"].percent == 1 and rows["KEN"].last_activity is not None
    assert rows["KEN"].focal_points == [cast.focal_a]
    assert rows["FJI"].stage == "not_started" and rows["FJI"].last_activity is None
    overall = dict(response.context["all_regions"].cells)
    assert overall == {
        "not_started": 1, "in_progress": 1, "submitted": 0, "returned": 0, "validated": 0,
        "overdue": 0,
    }
    by_region = {c.region: dict(c.cells) for c in response.context["counts"]}
    assert by_region["Africa"]["in_progress"] == 1 and by_region["Oceania"]["not_started"] == 1
    html = response.content.decode()
    assert "ken-focal" in html and "<svg" in html and "Submissions per week" in html


def test_after_the_deadline_open_assessments_are_overdue_unless_extended(client, cast):
    deadline_extend(
        assessment=cast.assessment_b, ends_on=datetime.date(2027, 2, 1), reason="Cyclone",
        user=cast.staff,
    )
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        response = page(client, cast, "?stage=overdue")
    assert [r.assessment.country.iso3 for r in response.context["rows"]] == ["KEN"]
    assert dict(response.context["all_regions"].cells)["overdue"] == 1
    assert "(extended)" not in response.content.decode()
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        everyone = page(client, cast).context["rows"]
    fiji = next(r for r in everyone if r.assessment.country.iso3 == "FJI")
    assert fiji.deadline == datetime.date(2027, 2, 1) and fiji.days_left == 22


def test_a_submitted_assessment_is_not_overdue_and_counts_in_the_weekly_chart(client, cast):
    assessment_complete(cast.assessment_a)
    assessment_transition(
        assessment=cast.assessment_a, to_status=Assessment.Status.SUBMITTED, actor=cast.focal_a,
        role="focal_point",
    )
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        response = page(client, cast, "?stage=submitted&region=Africa")
    [row] = response.context["rows"]
    assert row.stage == "submitted" and not row.is_overdue


def test_filters_it_does_not_know_are_said_and_ignored(client, cast):
    response = page(client, cast, "?stage=lost&region=Atlantis")
    assert len(response.context["rows"]) == 2
    notes = " ".join(response.context["notes"])
    assert "“lost” is not a stage" in notes and "“Atlantis” is not a region" in notes


def test_the_list_exports_as_csv_and_xlsx_with_the_page_filters(client, cast):
    answer(cast, "I.1")
    client.force_login(cast.staff)
    url = reverse("assessments:tracking_export", args=[cast.assessment_a.cycle_id])
    response = client.get(url + "?stage=in_progress")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == EXPORT_COLUMNS
    assert [r[:4] for r in rows[1:]] == [["Kenya", "KEN", "Africa", "In progress"]]
    assert rows[1][-1] == "ken-focal <ken-focal@example.org>"
    response = client.get(url + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Responses"]
    assert [c.value for c in sheet[1]] == EXPORT_COLUMNS
    assert sorted(sheet.cell(row=r, column=2).value for r in (2, 3)) == ["FJI", "KEN"]


def test_the_baseline_has_no_tracking_page(client, cast):
    from assessments.models import Cycle

    client.force_login(cast.staff)
    baseline = Cycle.objects.get(is_baseline=True)
    assert client.get(reverse("assessments:tracking", args=[baseline.pk])).status_code == 404


def count_queries(client, url: str) -> int:
    client.get(url)  # warm-up: the session is saved once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The tracking page: session, user, the staff member's verified second factor, the cycle, the
# assessments with their progress, deadline and last move (one query with subqueries), the focal
# points, the regions of the filter, the answers saved per week, the submissions per week.
TRACKING_QUERIES = 9


def test_the_page_runs_the_same_queries_for_2_and_193_countries(client, cast):
    client.force_login(cast.staff)
    answer(cast, "I.1")
    url = reverse("assessments:tracking", args=[cast.assessment_a.cycle_id])
    assert count_queries(client, url) == TRACKING_QUERIES
    cycle_open(cast.assessment_a.cycle)
    assert cast.assessment_a.cycle.assessments.count() == 193
    assert count_queries(client, url) == TRACKING_QUERIES
