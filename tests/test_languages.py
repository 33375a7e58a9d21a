"""Choosing the language: the user's saved one, else the browser's, else English; the switcher
on every page saves it; the pages say which language and direction they are in."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import UserPreference
from assessments.campaigns.emails import recipient_language

pytestmark = pytest.mark.django_db

DIRECTIONS = {"ar": "rtl", "zh-hans": "ltr", "en": "ltr", "fr": "ltr", "ru": "ltr", "es": "ltr"}


def html_lang_dir(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="(rtl|ltr)">', response.content.decode())
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


def test_without_anything_asked_the_site_is_in_english(client):
    response = client.get(reverse("login"))
    assert html_lang_dir(response) == ("en", "ltr")
    assert response["Content-Language"] == "en"


def test_the_browsers_language_beats_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9, en;q=0.8")
    assert html_lang_dir(response) == ("fr", "ltr")
    assert response["Content-Language"] == "fr"


def test_a_language_the_site_does_not_offer_falls_back_to_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de, ja;q=0.8")
    assert html_lang_dir(response) == ("en", "ltr")


def test_the_saved_preference_beats_the_browsers_language(client, ministry_user):
    UserPreference.objects.create(user=ministry_user, language="ar")
    client.force_login(ministry_user)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert html_lang_dir(response) == ("ar", "rtl")
    assert response["Content-Language"] == "ar"


def test_an_empty_preference_follows_the_browser(client, ministry_user):
    UserPreference.objects.create(user=ministry_user, language="")
    client.force_login(ministry_user)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-Hans-CN, zh;q=0.9")
    assert html_lang_dir(response) == ("zh-hans", "ltr")


def test_switching_language_saves_the_preference_and_goes_back(client, ministry_user):
    client.force_login(ministry_user)
    home = reverse("home")
    response = client.post(reverse("set_language"), {"language": "ru", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    assert UserPreference.objects.get(user=ministry_user).language == "ru"
    assert html_lang_dir(client.get(home, HTTP_ACCEPT_LANGUAGE="fr")) == ("ru", "ltr")
    # Still theirs at the next sign-in, on another browser.
    client.logout()
    client.cookies.clear()
    client.force_login(ministry_user)
    assert html_lang_dir(client.get(home)) == ("ru", "ltr")


def test_switching_before_signing_in_keeps_the_choice_in_a_cookie_only(client):
    login = reverse("login")
    client.post(reverse("set_language"), {"language": "es", "next": login})
    assert html_lang_dir(client.get(login, HTTP_ACCEPT_LANGUAGE="fr")) == ("es", "ltr")
    assert not UserPreference.objects.exists()


def test_a_language_the_site_does_not_offer_is_not_saved(client, ministry_user):
    client.force_login(ministry_user)
    client.post(reverse("set_language"), {"language": "de", "next": reverse("home")})
    assert not UserPreference.objects.exists()


def test_a_session_from_before_the_preference_reads_it_once(client, ministry_user):
    from accounts.language import LANGUAGE

    UserPreference.objects.create(user=ministry_user, language="es")
    client.force_login(ministry_user)
    session = client.session
    del session[LANGUAGE]
    session.save()
    assert html_lang_dir(client.get(reverse("home"))) == ("es", "ltr")
    assert client.session[LANGUAGE] == "es"


def test_e_mails_follow_the_saved_preference_else_the_sites_language(ministry_user, staff):
    UserPreference.objects.create(user=ministry_user, language="zh-hans")
    assert recipient_language(ministry_user) == "zh-hans"
    assert recipient_language(staff) == "en"


@pytest.mark.parametrize("language", list(DIRECTIONS))
def test_every_page_says_its_language_and_direction(client, cast, language):
    """The signed-in pages, the sign-in pages and the error pages, each with the switcher."""
    UserPreference.objects.create(user=cast.focal_a, language=language)
    anonymous = [reverse("login"), reverse("password_reset"), "/no-such-page/"]
    for url in anonymous:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert html_lang_dir(response) == (language, DIRECTIONS[language]), url
        assert 'action="/i18n/setlang/"' in response.content.decode(), url
    client.force_login(cast.focal_a)
    pk = cast.assessment_a.pk
    signed_in = [
        reverse("home"),
        reverse("catalogue:framework"),
        reverse("catalogue:compendium"),
        reverse("assessments:section", args=[pk, "IV"]),
        reverse("assessments:overview", args=[pk]),
        reverse("account_security"),
    ]
    for url in signed_in:
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_lang_dir(response) == (language, DIRECTIONS[language]), url
        html = response.content.decode()
        assert 'action="/i18n/setlang/"' in html, url
        assert f'<option value="{language}" lang="{language}" selected>' in html, url


def test_the_switcher_names_each_language_in_itself_and_marks_it(client):
    html = client.get(reverse("login")).content.decode()
    names = [("ar", "العربية"), ("zh-hans", "中文"), ("ru", "Русский"), ("es", "Español")]
    for code, name in names:
        assert f'lang="{code}"' in html and name in html
    assert '<label class="visually-hidden" for="language-select">' in html
    assert '<button class="btn btn-sm btn-outline-light text-nowrap" type="submit">' in html


def test_arabic_pages_load_bootstraps_right_to_left_build(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "bootstrap.rtl.min.css" in html and "bootstrap.min.css" not in html
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "bootstrap.min.css" in html and "rtl" not in html


def test_charts_mirror_in_arabic():
    from django.utils import translation

    from scoring.charts import guideline_chart_svg

    with translation.override("ar"):
        svg = guideline_chart_svg([(1, 80.0)])
    # The label anchored at the right edge (480 wide), the bar growing leftwards from 360,
    # the value on the left.
    assert '<text x="480" y="21.0" text-anchor="end">' in svg
    assert '<rect x="120.0" y="8" width="240.0"' in svg
    with translation.override("en"):
        assert 'text-anchor="end"' not in guideline_chart_svg([(1, 80.0)])


def test_the_admin_follows_the_language_and_has_the_switcher(client, staff):
    UserPreference.objects.create(user=staff, language="ar")
    client.force_login(staff)
    html = client.get(reverse("admin:index")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'action="/i18n/setlang/"' in html
