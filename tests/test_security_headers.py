"""Headers on every page: CSP without inline code, no caching of signed-in pages, and a
clean `check --deploy` with the production variables set."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.test_access import EXPECTED, ROLES, world  # noqa: F401  (the fixture)
from tests.test_settings import ROOT

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-key-with-many-characters-0123456789",
    "ALLOWED_HOSTS": "ta-needs.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://ta-needs.example.org",
    "SECURE_COOKIES": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_PROXY_SSL_HEADER": "1",
    "TRUSTED_PROXY_COUNT": "1",
}

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.I)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tanneeds.settings",
             "ENV_FILE": str(ROOT / "no-such.env"), **env},
        capture_output=True, text=True, check=False,
    )


def test_check_deploy_is_clean_with_the_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}},
            "ENV_FILE": str(ROOT / "no-such.env"), **PRODUCTION,
        },
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_https_and_proxy_settings_come_from_the_environment():
    code = (
        "import django; from django.conf import settings as s; django.setup(); "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, "
        "s.TRUSTED_PROXY_COUNT, s.SESSION_COOKIE_AGE)"
    )
    production = run_python(code, SESSION_IDLE_MINUTES="45", **PRODUCTION)
    assert production.returncode == 0, production.stderr
    assert production.stdout.split("\n")[0] == (
        "True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') 1 2700"
    )
    embedded = run_python(code, DEBUG="1")
    assert embedded.stdout.split("\n")[0] == "False 0 None 0 1800"


def pages(world):  # noqa: F811
    """Every page of the site a signed-in role reads with a 200 (GET)."""
    for name, spec in sorted(EXPECTED.items()):
        for role in ROLES[1:]:
            if spec.get.get(role) == 200:
                yield name, role, reverse(name, kwargs=spec.kwargs(world))


def test_signed_in_answers_are_never_cached_and_carry_the_csp(client, world):  # noqa: F811
    seen = 0
    for name, role, url in pages(world):
        client.force_login(getattr(world, role))
        response = client.get(url)
        assert response.status_code == 200, (name, role)
        cache = response["Cache-Control"]
        assert "private" in cache and "no-store" in cache, (name, role, cache)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe" not in csp, name
        seen += 1
    assert seen > 40


def test_downloads_are_private_too(client, world):  # noqa: F811
    client.force_login(world.focal_a)
    for name in ("assessments:evidence", "reports:download", "scoring:action_plan"):
        response = client.get(reverse(name, kwargs=EXPECTED[name].kwargs(world)))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_no_page_has_inline_code_or_style(client, world):  # noqa: F811
    for name, role, url in pages(world):
        client.force_login(getattr(world, role))
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, EVENT_HANDLER):
            found = pattern.search(html)
            assert found is None, f"{name} as {role}: {html[found.start():found.start() + 120]}"


def test_htmx_may_not_evaluate_code(client, world):  # noqa: F811
    client.force_login(world.focal_a)
    html = client.get(reverse("home")).content.decode()
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html


def test_the_login_page_has_the_csp_and_refuses_frames(client):
    response = client.get("/accounts/login/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
