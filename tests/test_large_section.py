"""The largest section, with every field a user can fill filled in, saves in one post.

The POST is built from the page itself (every input, select and textarea of the section form),
as a browser without JavaScript would send it.
"""

from __future__ import annotations

import html
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db.models import Count
from django.test import RequestFactory
from django.urls import reverse

from assessments import refused_post
from assessments.questionnaire_views import NOT_SAVED_TOO_LARGE
from catalogue.models import Category
from tanneeds.errors import TOO_MUCH_SENT, bad_request

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The fields of the section form: (tag, type, name, value) for each control."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str, str, str]] = []
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("input", "textarea", "select") and a.get("name"):
            self.fields.append((tag, a.get("type", ""), a["name"], a.get("value") or ""))
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self._select:
            self.options.setdefault(self._select, []).append(a.get("value") or "")


def largest_section() -> Category:
    return (
        Category.objects.annotate(n=Count("activities")).order_by("-n", "position").first()
    )


def everything_filled(page: str) -> list[tuple[str, str]]:
    """What the browser posts with every checkbox ticked, a choice in every radio group and
    select, and text in every text box (of the section's form: not the language switcher's)."""
    start = page.rindex("<form", 0, page.index('id="section-form"'))
    parser = FormFields()
    parser.feed(page[start : page.index("</form>", start)])
    data: list[tuple[str, str]] = []
    for tag, kind, name, value in parser.fields:
        if kind == "file":
            continue
        if tag == "select":
            data.append((name, next(o for o in parser.options.get(name, []) if o)))
        elif tag == "textarea":
            text = "https://example.org/law" if name.endswith("evidence_links") else f"«{name}»"
            data.append((name, text))
        elif kind == "radio":
            if value == "2":  # the implementation level: 2, partially in place
                data.append((name, value))
        elif kind == "checkbox":
            data.append((name, value or "on"))
        elif kind in ("hidden", "text", ""):
            data.append((name, value))
    return data


def test_the_largest_section_fully_answered_saves_in_one_post(client, cast):
    client.force_login(cast.focal_a)
    category = largest_section()
    url = reverse("assessments:section", args=[cast.assessment_a.pk, category.numeral])
    # Every detail field on the page, as "show all details" (or JavaScript) puts them there.
    data = everything_filled(client.get(url, {"details": "all"}).content.decode())
    fields_per_name = Counter(name.split("-", 1)[-1] for name, _ in data)
    answers = list(cast.assessment_a.answers.filter(activity__category=category))
    assert fields_per_name["comment"] == len(answers) > 50
    print(f"{category.numeral}: {len(answers)} items, {len(data)} fields in one post")
    assert len(data) > 1000  # more than Django's default limit of 1,000 fields
    assert len(data) * 2 <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS  # room to grow

    response = client.post(
        url, urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302, html.unescape(response.content.decode())[:2000]
    for answer in answers:
        answer.refresh_from_db()
        prefix = f"a{answer.pk}"
        assert (answer.state, answer.level, answer.assistance_needed) == ("level", 2, True)
        assert answer.comment == f"«{prefix}-comment»"
        assert answer.resources == f"«{prefix}-resources»"
        assert answer.evidence_links == "https://example.org/law"
        assert len(answer.assistance_kinds) == 7 and len(answer.crime_areas) == 9
        assert answer.priority and answer.timeline and answer.delivery_modes


@pytest.mark.parametrize("error", [TooManyFieldsSent("many"), RequestDataTooBig("big")])
def test_a_post_refused_for_its_size_gets_a_page_that_says_what_to_do(error):
    request = RequestFactory().post("/assessments/1/sections/III/")
    response = bad_request(request, error)
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert TOO_MUCH_SENT in text and "Back" in text


class FormValues(HTMLParser):
    """What a browser would send from the page's section form: (name, value) pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") != "file":
            if a.get("type") not in ("checkbox", "radio"):
                self.values.append((name, a.get("value") or ""))
            elif "checked" in a:  # a box without a value sends "on"
                self.values.append((name, a.get("value") or "on"))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, text = self.values.pop()
            self.values.append((name, text + data if text else data.removeprefix("\n")))


def _refused_section_post(client, cast, settings, urlencoded: bool):
    client.force_login(cast.focal_a)
    category = largest_section()
    url = reverse("assessments:section", args=[cast.assessment_a.pk, category.numeral])
    data = everything_filled(client.get(url, {"details": "all"}).content.decode())
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    if urlencoded:
        body, kind = urlencode(data), "application/x-www-form-urlencoded"
        return data, client.post(url, body, content_type=kind)
    grouped: dict[str, list[str]] = {}
    for name, value in data:
        grouped.setdefault(name, []).append(value)
    return data, client.post(url, grouped)  # multipart, as the page's form posts


SWITCHER_AND_TOKEN = {"csrfmiddlewaretoken", "language", "next"}


@pytest.mark.parametrize("urlencoded", [False, True], ids=["multipart", "urlencoded"])
def test_a_section_post_refused_for_its_size_comes_back_with_every_typed_value(
    client, cast, settings, urlencoded
):
    saved = {a.pk: a.version for a in cast.assessment_a.answers.all()}
    data, response = _refused_section_post(client, cast, settings, urlencoded)

    assert response.status_code == 413
    page = response.content.decode()
    assert html.escape(str(NOT_SAVED_TOO_LARGE)) in page
    parser = FormValues()
    parser.feed(page)
    shown = Counter(parser.values)
    # The page's own fields; the language switcher's form (language, next) is not the section's.
    typed = Counter(pair for pair in data if pair[0] not in SWITCHER_AND_TOKEN)
    assert len(typed) > 1000
    assert typed - shown == Counter()  # every typed value is in the page
    assert {a.pk: a.version for a in cast.assessment_a.answers.all()} == saved  # none saved


@pytest.mark.parametrize("bound", ["RECOVERY_MAX_BYTES", "RECOVERY_MAX_FIELDS"])
def test_a_refused_post_past_the_recovery_bound_gets_the_message_page(
    client, cast, settings, monkeypatch, bound
):
    monkeypatch.setattr(refused_post, bound, 500)
    saved = {a.pk: a.version for a in cast.assessment_a.answers.all()}
    _, response = _refused_section_post(client, cast, settings, urlencoded=False)

    assert response.status_code == 400
    assert TOO_MUCH_SENT in html.unescape(response.content.decode())
    assert {a.pk: a.version for a in cast.assessment_a.answers.all()} == saved
