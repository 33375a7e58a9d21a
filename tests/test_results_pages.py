"""Results pages: the ministry's own results, staff's heat map, exports and the action plan."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.answering import answer_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(cast):
    """Kenya: VII.D.5 partly in place with assistance asked; X.1 fully in place."""
    answers = {a.activity.ref: a for a in cast.assessment_a.answers.select_related("activity")}
    answer_save(
        answer=answers["VII.D.5"],
        values={
            "state": "level",
            "level": 1,
            "assistance_needed": True,
            "priority": "high",
            "timeline": "12m",
            "other_providers": "=SUM(A1)",
            "resources": "Two analysts",
        },
        base_version=answers["VII.D.5"].version,
        user=cast.focal_a,
    )
    answer_save(
        answer=answers["X.1"],
        values={"state": "level", "level": 4},
        base_version=answers["X.1"].version,
        user=cast.focal_a,
    )
    return cast


def test_the_ministry_sees_its_index_guidelines_gaps_and_tools(client, answered):
    client.force_login(answered.focal_a)
    html = client.get(reverse("scoring:results", args=[answered.assessment_a.pk])).content
    html = html.decode()
    assert "Implementation index" in html
    assert "<svg" in html and "Guideline 10" in html
    assert "Cooperate in the collection, exchange and analysis of information" in html
    assert reverse("catalogue:entry", args=["A-3.4"]) in html or "catalogue/compendium/" in html
    assert "insufficient information" in html  # categories without any level


def test_the_action_plan_lists_each_gap_with_its_tools_and_what_the_ministry_said(client, answered):
    client.force_login(answered.focal_a)
    response = client.get(reverse("scoring:action_plan", args=[answered.assessment_a.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("rank", "activity", "wording")
    vii = next(r for r in rows[1:] if r[1] == "VII.D.5")
    assert vii[6] == "High" and vii[7] == "Within a year"
    assert vii[8] == "'=SUM(A1)"  # a formula typed by a user is neutralised
    assert vii[9] == "Two analysts"
    assert vii[10]  # matched tools


def test_staff_see_countries_by_category_filtered_by_region(client, answered):
    client.force_login(answered.staff)
    url = reverse("scoring:heatmap")
    html = client.get(url).content.decode()
    assert "Kenya" in html and "Fiji" in html
    africa = client.get(url, {"region": "Africa"}).content.decode()
    assert "Kenya" in africa and "Fiji" not in africa
    bad = client.get(url, {"region": "Atlantis"}).content.decode()
    assert "“Atlantis” is not a region here" in bad
    for cycle in ("x", "99999"):
        page = client.get(url, {"cycle": cycle}).content.decode()
        assert f"“{cycle}” is not a cycle here" in page and "Kenya" in page


def test_staff_export_gaps_and_scores(client, answered):
    client.force_login(answered.staff)
    url = reverse("scoring:export")
    gaps = client.get(url, {"what": "gaps"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(gaps)))
    assert rows[0][:3] == ["country", "iso3", "cycle"]
    assert any(r[1] == "KEN" and r[4] == "VII.D.5" for r in rows[1:])
    scores = list(
        csv.reader(io.StringIO(client.get(url, {"what": "scores"}).content.decode("utf-8-sig")))
    )
    assert {r[1] for r in scores[1:]} == {"KEN", "FJI"}
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert book.sheetnames == ["Gaps", "Scores"]


def test_ministry_users_cannot_reach_the_staff_pages(client, answered):
    client.force_login(answered.focal_a)
    assert client.get(reverse("scoring:heatmap")).status_code == 404
    assert client.get(reverse("scoring:export")).status_code == 404


def test_the_bench_times_the_heat_map_of_the_cycle_and_of_a_region(cast, cycle):
    from tools.bench.scoring import heatmap_timings

    figures = heatmap_timings(cycle, requests=2)
    assert figures["countries"] == 2
    assert figures["region_countries"] >= 1
    assert min(figures["first"], figures["warm"], figures["region_warm"], figures["floor"]) > 0
