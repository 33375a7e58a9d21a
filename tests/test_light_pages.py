"""Light section pages: details load on demand, nothing is lost, pages are compressed."""

from __future__ import annotations

import gzip
import re

import pytest
from django.urls import reverse

from assessments.answering import answer_save
from assessments.models import Answer

pytestmark = pytest.mark.django_db


def section_url(assessment, numeral: str) -> str:
    return reverse("assessments:section", args=[assessment.pk, numeral])


def details_url(answer) -> str:
    return reverse("assessments:item_details", args=[answer.assessment_id, answer.pk])


def saved(answer, user, **values) -> Answer:
    return answer_save(answer=answer, values=values, base_version=answer.version, user=user).answer


def item_block(html: str, ref: str) -> str:
    start = html.index(f'id="item-{ref}"')
    end = html.find('class="item card', start)
    return html[start:end if end > 0 else None]


def test_closed_details_are_left_out_with_a_link_and_a_count_of_what_they_hold(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    saved(answer, cast.focal_a, comment="Saved earlier", assistance_kinds=["training"])
    client.force_login(cast.focal_a)
    html = client.get(section_url(cast.assessment_a, "I")).content.decode()
    block = item_block(html, "I.1")
    assert f'name="a{answer.pk}-comment"' not in block
    assert f'hx-get="{details_url(answer)}"' in block
    assert 'href="?details=I.1#item-I.1"' in block  # without JavaScript
    assert "2 filled" in block


def test_the_details_fragment_shows_the_saved_values(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    saved(answer, cast.focal_a, comment="Saved earlier", assistance_kinds=["training"])
    client.force_login(cast.focal_a)
    html = client.get(details_url(answer)).content.decode()
    assert "Saved earlier" in html
    assert re.search(r'value="training" checked', html)
    assert f'name="a{answer.pk}-details"' in html


def test_without_javascript_the_link_shows_that_items_details_open(client, cast):
    client.force_login(cast.focal_a)
    html = client.get(section_url(cast.assessment_a, "I") + "?details=I.2").content.decode()
    asked = cast.assessment_a.answers.get(activity__ref="I.2")
    other = cast.assessment_a.answers.get(activity__ref="I.1")
    block = item_block(html, "I.2")
    assert f'name="a{asked.pk}-comment"' in block
    assert '<details class="item-details" open>' in block
    assert f'name="a{other.pk}-comment"' not in html


def test_an_item_that_needs_assistance_shows_its_details_without_asking(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    saved(answer, cast.focal_a, assistance_needed=True)
    client.force_login(cast.focal_a)
    html = client.get(section_url(cast.assessment_a, "I")).content.decode()
    assert f'name="a{answer.pk}-priority"' in item_block(html, "I.1")


def test_a_save_without_the_details_on_the_page_keeps_their_saved_values(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    answer = saved(
        answer, cast.focal_a, comment="Keep me", assistance_kinds=["training"], priority="high"
    )
    client.force_login(cast.focal_a)
    # The whole section as a browser without the details posts it: version and level only.
    data = {
        f"a{a.pk}-version": str(a.version)
        for a in cast.assessment_a.answers.filter(activity__category__numeral="I")
    }
    data[f"a{answer.pk}-status"] = "3"
    assert client.post(section_url(cast.assessment_a, "I"), data).status_code == 302
    # And an autosave of the same item, as the page's script sends it (the item's inputs).
    url = reverse("assessments:autosave", args=[cast.assessment_a.pk, answer.pk])
    response = client.post(url, {f"a{answer.pk}-version": "2", f"a{answer.pk}-status": "4"})
    assert response.status_code == 200, response.content
    answer.refresh_from_db()
    assert (answer.level, answer.comment, answer.assistance_kinds, answer.priority) == (
        4, "Keep me", ["training"], "high"
    )


def test_with_the_details_on_the_page_unticking_every_box_clears_them(client, cast):
    answer = saved(
        cast.assessment_a.answers.get(activity__ref="I.1"), cast.focal_a,
        assistance_kinds=["training"],
    )
    client.force_login(cast.focal_a)
    url = reverse("assessments:autosave", args=[cast.assessment_a.pk, answer.pk])
    response = client.post(url, {f"a{answer.pk}-version": "1", f"a{answer.pk}-details": "1"})
    assert response.status_code == 200, response.content
    answer.refresh_from_db()
    assert answer.assistance_kinds == []


def test_pages_are_compressed_and_each_carries_a_different_csrf_token(client, cast):
    client.force_login(cast.focal_a)
    url = section_url(cast.assessment_a, "III")
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    second = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip" and "Accept-Encoding" in first["Vary"]
    pages = [gzip.decompress(r.content).decode() for r in (first, second)]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', p).group(1) for p in pages]
    assert tokens[0] != tokens[1]  # masked anew for every response (BREACH)
    assert len(first.content) < len(pages[0]) / 5
