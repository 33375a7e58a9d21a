"""The shared layout: local assets only, navigation, login, messages and the error pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied, server_error

from tests.factories import PASSWORD, EntryFactory, UserFactory

pytestmark = pytest.mark.django_db

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def links(html: str) -> list[str]:
    return re.findall(r'\b(?:src|href)="([^"]*)"', html)


def external(html: str) -> list[str]:
    """Every src/href that would make the browser reach another host."""
    return [url for url in links(html) if re.match(r"(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)]


@pytest.fixture
def pages(client, staff):
    """The HTML of the layout's pages, anonymous and as staff (who sees every link)."""
    html = {"login": client.get(reverse("login")).content.decode()}
    client.force_login(staff)
    for name in ("home", "catalogue:framework", "catalogue:compendium"):
        html[name] = client.get(reverse(name)).content.decode()
    return html


def test_pages_reference_no_other_host(pages):
    for name, html in pages.items():
        assert external(html) == [], name


def test_every_static_file_the_layout_names_exists(pages):
    static = {url for html in pages.values() for url in links(html) if url.startswith("/static/")}
    assert {
        "/static/vendor/bootstrap/css/bootstrap.min.css",
        "/static/vendor/bootstrap/js/bootstrap.bundle.min.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/css/site.css",
    } <= static
    for url in static:
        assert finders.find(url.removeprefix("/static/")), url


def test_vendored_files_keep_their_licence_and_source_maps():
    vendor = STATIC_DIR / "vendor"
    assert (vendor / "bootstrap" / "LICENSE").is_file()
    assert (vendor / "htmx" / "LICENSE").is_file()
    for path in [*vendor.rglob("*.css"), *vendor.rglob("*.js")]:
        text = path.read_text(encoding="utf-8")
        for map_name in re.findall(r"sourceMappingURL=(\S+?)\s*(?:\*/)?$", text, re.M):
            assert (path.parent / map_name).is_file(), f"{path.name} names a missing {map_name}"


def test_the_stylesheets_load_no_web_font_or_remote_file():
    for path in STATIC_DIR.rglob("*.css"):
        text = path.read_text(encoding="utf-8")
        assert "@font-face" not in text, path.name
        assert "@import" not in text, path.name
        for url in re.findall(r"url\(([^)]*)\)", text):
            assert url.strip("'\"").startswith("data:"), f"{path.name}: {url}"


def test_only_the_entry_link_leaves_the_site(client, ministry_user):
    entry = EntryFactory(url="https://www.unodc.org/some-tool")
    client.force_login(ministry_user)
    html = client.get(entry.get_absolute_url()).content.decode()
    assert external(html) == ["https://www.unodc.org/some-tool"]


def test_the_layout_is_accessible_and_responsive(pages):
    html = pages["home"]
    assert '<html lang="en" dir="ltr">' in html
    assert 'name="viewport"' in html
    assert '<a class="visually-hidden-focusable skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert 'aria-label="Show or hide the menu"' in html
    assert 'aria-controls="main-nav"' in html
    for name, page in pages.items():
        assert page.count("<h1") == 1, name


def test_staff_see_the_admin_link_and_ministry_users_do_not(client, staff, ministry_user):
    client.force_login(staff)
    assert 'href="/admin/">Admin</a>' in client.get(reverse("home")).content.decode()
    client.force_login(ministry_user)
    assert 'href="/admin/"' not in client.get(reverse("home")).content.decode()


def test_the_navbar_names_the_user_and_logs_out_with_a_post_form(client):
    user = UserFactory(username="carol", first_name="Carol", last_name="Mensah")
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "Signed in as Carol Mensah" in html
    assert re.search(r'method="post" action="/accounts/logout/"', html)
    assert re.search(r'aria-current="page" href="/"\s*>Home</a>', html)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_home_greets_the_user_and_links_to_the_browse_pages(client, ministry_user):
    client.force_login(ministry_user)
    html = client.get(reverse("home")).content.decode()
    assert "Welcome, bob" in html
    assert f'href="{reverse("catalogue:framework")}" class="stretched-link"' in html
    assert f'href="{reverse("catalogue:compendium")}" class="stretched-link"' in html


def test_home_only_reads(client, ministry_user):
    client.force_login(ministry_user)
    assert client.post(reverse("home")).status_code == 405


def test_home_needs_a_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_the_login_page_shows_a_labelled_form(pages):
    html = pages["login"]
    assert re.search(r'<label\s+for="id_username"', html)
    assert re.search(r'<label\s+for="id_password"', html)
    assert 'method="post"' in html
    assert "Log out" not in html


def test_logging_in_leads_home_or_to_the_page_asked_for(client, ministry_user):
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    client.logout()
    response = client.post(
        f"{reverse('login')}?next=/catalogue/",
        {"username": "bob", "password": PASSWORD, "next": "/catalogue/"},
    )
    assert response.url == "/catalogue/"


def test_a_wrong_password_is_explained(client, ministry_user):
    response = client.post(reverse("login"), {"username": "bob", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_messages_are_shown_with_their_level():
    html = render_to_string(
        "base.html",
        {"messages": [Message(constants.ERROR, "Not saved"), Message(constants.SUCCESS, "Saved")]},
    )
    assert re.search(r'<div class="alert alert-danger" role="alert">\s*Not saved</div>', html)
    assert re.search(r'<div class="alert alert-success" role="status">\s*Saved</div>', html)


def test_an_unknown_address_shows_the_404_page(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Signed in as bob" in html


def test_the_403_page_uses_the_layout(ministry_user):
    request = RequestFactory().get("/somewhere/")
    request.user = ministry_user
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()
    assert "Signed in as bob" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "Log out" not in html
    assert external(html) == []


TEMPLATE_LINE_LIMIT = 120


def test_no_template_line_is_longer_than_120_characters():
    """Templates read like the code (issue 10): a tag or a sentence per line, wrapped."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    long_lines = [
        f"{path.relative_to(templates)}:{number} ({len(line)})"
        for path in sorted(templates.rglob("*"))
        # The reports' templates are being rewritten for the six languages; they join once done.
        if path.suffix in {".html", ".txt"} and path.relative_to(templates).parts[0] != "reports"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > TEMPLATE_LINE_LIMIT
    ]
    assert long_lines == []
