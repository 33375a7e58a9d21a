"""axe-core over every page a ministry user and a UNODC staff user reach, in English and Arabic.

axe-core is the npm package's ``axe.min.js``, vendored in tests/e2e/axe (tests only, never served
by the site). A page fails on any violation of impact "serious" or "critical"; the others are
listed at the end of the test run (and in artifacts/axe.json).

English and Arabic: a left-to-right page and its mirrored right-to-left layout, which is what
the issue asks for. Each further language would be another full pass of some minutes; the layout
of the others (Chinese included) is looked at in the screenshots (test_screenshots.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import CHROMIUM, SHOTS, log_in

AXE = Path(__file__).parent / "axe" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Chromium is not installed here (apt-get install chromium); CI installs it.",
)


LANGUAGES = ["en", "ar"]


def language_follows_the_request() -> bool:
    """Whether the site picks the page's language from the browser (cookie, Accept-Language).

    Without a locale middleware every page is in ``LANGUAGE_CODE`` whatever the browser asks.
    """
    return any(path.endswith("LocaleMiddleware") for path in settings.MIDDLEWARE)


def expected_html(language: str) -> tuple[str, str] | None:
    """The ``lang`` and ``dir`` every page must have in ``language``, or None when the site
    cannot serve that language yet (no locale middleware)."""
    if language != settings.LANGUAGE_CODE and not language_follows_the_request():
        return None
    bidi = language.split("-")[0] in settings.LANGUAGES_BIDI
    return language, "rtl" if bidi else "ltr"


def ministry_pages(site: dict) -> list[str]:
    a = site["assessment"]
    return [
        "/",
        f"/assessments/{a}/",
        f"/assessments/{a}/profile/",
        f"/assessments/{a}/sections/I/",
        f"/assessments/{a}/sections/V/",
        f"/assessments/{a}/results/",
        f"/assessments/{a}/submit/",
        f"/reports/jobs/{site['job']}/",
        "/catalogue/",
        "/catalogue/categories/III/",
        "/catalogue/compendium/",
        f"/catalogue/compendium/{site['entry']}/",
    ]


def staff_pages(site: dict) -> list[str]:
    a = site["assessment"]
    return [
        "/",
        f"/assessments/{a}/review/",
        f"/assessments/{a}/results/",
        "/results/countries-by-category/",
        "/admin/",
        "/admin/assessments/assessment/",
        f"/admin/assessments/assessment/{a}/change/",
        "/admin/assessments/answer/",
        f"/admin/assessments/answer/{site['answer']}/change/",
        "/admin/assessments/cycle/",
        f"/admin/assessments/cycle/{site['cycle']}/change/",
        "/admin/assessments/membership/",
        "/admin/assessments/membership/invite/",
        "/admin/catalogue/activity/",
        "/admin/catalogue/entry/",
        "/admin/catalogue/entry/import/",
        "/admin/reports/reportjob/",
        "/admin/reports/reportjob/start/",
    ]


FINDINGS: list[dict] = []


def axe_check(page, url: str, language: str, who: str) -> list[dict]:
    """Open ``url``, run axe-core on it, keep its findings; the blocking ones are returned,
    with a page not in ``language`` (wrong ``<html lang dir>``) counted as one."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    path = url.split("//", 1)[1].split("/", 1)[1]
    blocking = []
    expected = expected_html(language)
    shown = tuple(page.evaluate("[document.documentElement.lang, document.documentElement.dir]"))
    if expected is not None and (shown[0].lower(), shown[1]) != expected:
        blocking.append({"page": path, "language": language, "html lang, dir": shown})
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']})",
        TAGS,
    )
    found = [
        {
            "page": path,
            "language": language,
            "user": who,
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [" ".join(map(str, n["target"])) for n in v["nodes"]][:5],
            "count": len(v["nodes"]),
        }
        for v in result["violations"]
    ]
    FINDINGS.extend(found)
    return blocking + [f for f in found if f["impact"] in BLOCKING]


@pytest.fixture(params=LANGUAGES)
def language(request) -> str:
    return request.param


def _context(chromium, site: dict, language: str):
    # The page's CSP allows no inline script: the test lets its own axe-core in, nothing else.
    context = chromium.new_context(
        bypass_csp=True,
        locale=language,
        extra_http_headers={"Accept-Language": language},
        viewport={"width": 1280, "height": 900},
    )
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site["url"]}]
    )
    return context


@pytest.mark.parametrize("who", ["ken-focal", "unodc"])
def test_every_page_has_no_serious_or_critical_violation(demo_site, chromium, language, who):
    base = demo_site["url"]
    context = _context(chromium, demo_site, language)
    page = context.new_page()
    blocking = axe_check(page, f"{base}/accounts/login/", language, "anonymous")
    log_in(page, base, who)
    pages = ministry_pages(demo_site) if who == "ken-focal" else staff_pages(demo_site)
    for path in pages:
        blocking += axe_check(page, base + path, language, who)
    context.close()
    listed = json.dumps(blocking, indent=1, ensure_ascii=False)
    assert not blocking, f"serious or critical violations, or pages not in {language}:\n{listed}"


def findings_lines() -> list[str]:
    """The non-blocking findings, one line per rule and page, for the end of the test run."""
    lines = []
    for f in sorted(FINDINGS, key=lambda f: (f["impact"] != "moderate", f["rule"], f["page"])):
        line = (
            f"{f['impact']:9} {f['rule']:28} {f['language']:5} /{f['page']} "
            f"({f['count']} element{'s' * (f['count'] != 1)}: {', '.join(f['targets'][:2])})"
        )
        if line not in lines:  # the login page is checked once per user
            lines.append(line)
    if FINDINGS:
        SHOTS.parent.mkdir(parents=True, exist_ok=True)
        (SHOTS.parent / "axe.json").write_text(json.dumps(FINDINGS, indent=1))
    return lines
