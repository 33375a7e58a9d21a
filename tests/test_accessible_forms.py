"""The section page for screen readers: radio groups with legends, an error summary that links
to the fields, save states in live regions and in words."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.forms import NEEDS_REASON, NOT_A_LINK
from assessments.models import Answer
from scoring.charts import guideline_chart_svg, guideline_chart_text
from tests.test_questionnaire import section_post, section_url
from tests.test_reports import make_gaps

pytestmark = pytest.mark.django_db


def test_each_level_choice_is_a_radio_group_with_a_legend(client, cast):
    client.force_login(cast.focal_a)
    html = client.get(section_url(cast.assessment_a, "I")).content.decode()
    answer = Answer.objects.get(assessment=cast.assessment_a, activity__ref="I.1")
    group = re.search(r'<fieldset class="level-choice[^"]*">(.*?)</fieldset>', html, re.S)
    assert group is not None
    assert '<legend class="visually-hidden">Implementation level of I.1</legend>' in group[1]
    radios = re.findall(r'<input type="radio"[^>]*name="([^"]+)"', group[1])
    assert len(radios) == 7 and set(radios) == {f"a{answer.pk}-status"}
    assert html.count('<fieldset class="level-choice') == html.count('class="item card')


def test_the_error_summary_links_to_each_field_to_correct(client, cast):
    client.force_login(cast.focal_a)
    response = section_post(
        client, cast.assessment_a, "I",
        {
            "I.1": {"status": "na"},
            "I.2": {"status": "2", "evidence_links": "not a link"},
        },
    )
    html = response.content.decode()
    summary = re.search(r'<section class="alert alert-danger".*?</section>', html, re.S)
    assert summary is not None
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a>: ([^<]+)</li>', summary[0])
    i1, i2 = (
        Answer.objects.get(assessment=cast.assessment_a, activity__ref=ref).pk
        for ref in ("I.1", "I.2")
    )
    assert [(anchor, message) for anchor, _, message in links] == [
        (f"id_a{i1}-not_applicable_reason", NEEDS_REASON),
        (f"id_a{i2}-evidence_links", NOT_A_LINK.format(line=1)),
    ]
    for anchor, where, _ in links:
        assert f'id="{anchor}"' in html  # the link lands on the field
        assert where.startswith(("I.1 ", "I.2 "))


def test_no_error_summary_when_nothing_is_wrong(client, cast):
    client.force_login(cast.focal_a)
    html = client.get(section_url(cast.assessment_a, "I")).content.decode()
    assert 'id="problems"' not in html


def test_save_states_are_live_regions_that_say_in_words_what_happened(client, cast):
    client.force_login(cast.focal_a)
    pattern = r'<div class="save-state[^"]*" aria-live="polite">(.*?)</div>'
    html = client.get(section_url(cast.assessment_a, "I")).content.decode()
    states = re.findall(pattern, html)
    assert len(states) == html.count('class="item card') > 0
    assert states[0] == '<p class="text-body-secondary mb-0">Not yet answered</p>'
    section_post(client, cast.assessment_a, "I", {"I.1": {"status": "3"}})
    html = client.get(section_url(cast.assessment_a, "I")).content.decode()
    assert re.findall(pattern, html)[0].startswith('<p class="text-success mb-0">Saved ')


def test_the_chart_has_a_text_alternative_with_every_value():
    scores = [(1, 80.0), (2, None), (3, 0.0)]
    text = guideline_chart_text(scores)
    assert text == (
        "Guideline alignment scores, 0 to 100. Guideline 1: 80; Guideline 2: no data; "
        "Guideline 3: 0."
    )
    svg = guideline_chart_svg(scores)
    assert f'role="img" aria-label="{text}"' in svg


def test_every_coloured_heat_map_cell_carries_its_number(client, cast):
    make_gaps(cast.assessment_a, ("I.1", ""), ("I.2", ""))
    client.force_login(cast.staff)
    html = client.get(reverse("scoring:heatmap")).content.decode()
    cells = re.findall(r'<td class="heat (heat-[\w]+)">([^<]*)</td>', html)
    coloured = [(band, text) for band, text in cells if band != "heat-none"]
    assert coloured
    for band, text in coloured:
        assert text.isdigit() and int(band[-1]) == min(4, int(text) // 20)
    assert all(text == "" for band, text in cells if band == "heat-none")
