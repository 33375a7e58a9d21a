"""axe-core over every page a ministry user and a UNODC staff user reach, in each site language.

axe-core is the npm package's ``axe.min.js``, vendored in tests/e2e/axe (tests only, never served
by the site). A page fails on any violation of impact "serious" or "critical"; the others are
listed at the end of the test run (and in artifacts/axe.json).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import global_settings, settings

from .conftest import CHROMIUM, SHOTS, log_in

AXE = Path(__file__).parent / "axe" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Chromium is not installed here (apt-get install chromium); CI installs it.",
)


def site_languages() -> list[str]:
    """The languages the site offers; only the default one while the project names none."""
    if settings.LANGUAGES is global_settings.LANGUAGES:
        return [settings.LANGUAGE_CODE]
    return [code for code, _ in settings.LANGUAGES]


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
    """Open ``url``, run axe-core on it, keep its findings; the blocking ones are returned."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']})",
        TAGS,
    )
    found = [
        {
            "page": url.split("//", 1)[1].split("/", 1)[1],
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
    return [f for f in found if f["impact"] in BLOCKING]


@pytest.fixture(params=site_languages())
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
    assert page.locator("html").get_attribute("lang").split("-")[0] == language.split("-")[0]
    log_in(page, base, who)
    pages = ministry_pages(demo_site) if who == "ken-focal" else staff_pages(demo_site)
    for path in pages:
        blocking += axe_check(page, base + path, language, who)
    context.close()
    assert not blocking, "serious or critical axe-core violations:\n" + json.dumps(
        blocking, indent=1
    )


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
