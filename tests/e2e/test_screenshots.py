"""Screenshots of every page in English, Arabic and Chinese, at desktop width and at 320 px.

Not a check but pictures to look at (issue: right-to-left and CJK layout): run it with a folder,

    SCREENSHOTS_DIR=artifacts/languages pytest tests/e2e/test_screenshots.py

and it writes ``<user>-<page>/<language>-<width>.png`` there (``ministry-home/ar-320.png``), one
folder per page so that its six pictures sit side by side. Without SCREENSHOTS_DIR the test is
skipped (it takes minutes).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import CHROMIUM, log_in
from .test_axe import ministry_pages, staff_pages

FOLDER = os.environ.get("SCREENSHOTS_DIR")
LANGUAGES = ["en", "ar", "zh-hans"]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "320": {"width": 320, "height": 640}}

pytestmark = [
    pytest.mark.skipif(not FOLDER, reason="SCREENSHOTS_DIR names no folder for the pictures"),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Chromium is not installed here (apt-get install chromium); CI installs it.",
    ),
]


def slug(path: str) -> str:
    """``/assessments/3/sections/I/`` -> ``assessments-N-sections-I``: the same name whatever
    the demo's ids, so that two runs can be compared."""
    return re.sub(r"\d+", "N", path.strip("/").replace("/", "-")) or "home"


def shoot(page, url: str, language: str, name: str) -> list[str]:
    """Both widths of one page; returns the widths at which it scrolls sideways."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    folder = Path(FOLDER) / name
    folder.mkdir(parents=True, exist_ok=True)
    scrolling = []
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(folder / f"{language}-{width}.png"), full_page=True)
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            scrolling.append(width)
    return scrolling


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("who", ["ken-focal", "unodc"])
def test_every_page_is_photographed_in_each_language(demo_site, chromium, language, who):
    base = demo_site["url"]
    context = chromium.new_context(
        locale=language,
        extra_http_headers={"Accept-Language": language},
        viewport=WIDTHS["desktop"],
    )
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    sideways = {}
    if who == "ken-focal":  # the login page once per language
        sideways["login"] = shoot(page, f"{base}/accounts/login/", language, "login")
    log_in(page, base, who)
    pages = ministry_pages(demo_site) if who == "ken-focal" else staff_pages(demo_site)
    user = "ministry" if who == "ken-focal" else "staff"
    for path in pages:
        name = f"{user}-{slug(path)}"
        sideways[name] = shoot(page, base + path, language, name)
    context.close()
    # Reported, not failed on: the reflow test holds the pages that must not scroll sideways
    # (the admin's wide change lists do, as Django's admin does).
    print({name: widths for name, widths in sideways.items() if widths})
