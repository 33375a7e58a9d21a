"""The accessibility tests' demo site and browser: gunicorn on a scratch SQLite database.

Kenya's demo assessment is left as ``seed_demo`` makes it (partly answered, editable); a country
report is rendered for it so that the report job page has something to show.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tools.bench import http as benchmark

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "e2e-demo-password"
SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", settings.BASE_DIR / "artifacts" / "screenshots"))

# The ids the pages need: Kenya's current assessment, its cycle, an answer, a compendium entry,
# and a finished country report.
IDS = """
from assessments.models import Assessment
from catalogue.models import Entry
from reports.services import report_request
kenya = Assessment.objects.get(country__iso3="KEN", cycle__is_baseline=False)
job = report_request(assessment=kenya)  # Celery runs eagerly here: no broker configured
entry = Entry.objects.order_by("ref").first()
print(kenya.pk, kenya.cycle_id, kenya.answers.order_by("pk").first().pk, entry.ref, job.pk)
"""


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("a11y")
    env = benchmark.scratch_env(f"sqlite:///{folder / 'a11y.sqlite3'}")
    env["MEDIA_ROOT"] = str(folder / "media")
    env["STATIC_ROOT"] = str(folder / "static")
    del env["STATICFILES_BACKEND"]
    benchmark.manage(env, "collectstatic", "--noinput", "-v0")
    benchmark.manage(env, "migrate", "--noinput", "-v0")
    benchmark.manage(env, "load_reference", "-v0")
    benchmark.manage(env, "seed_demo", "--force", "--password", PASSWORD)
    ids = benchmark.manage(env, "shell", "-c", IDS).strip().splitlines()[-1].split()
    with benchmark.gunicorn(env, workers=2) as port:
        yield {
            "url": f"http://127.0.0.1:{port}",
            "assessment": int(ids[0]),
            "cycle": int(ids[1]),
            "answer": int(ids[2]),
            "entry": ids[3],
            "job": int(ids[4]),
        }


@pytest.fixture(scope="module")
def chromium():
    """One browser per test module: Playwright's sync API allows one running instance at a
    time, and test_browser.py starts its own."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def log_in(page, base: str, username: str) -> None:
    """Log in through the form, by field ids so that it works in every language."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def pytest_terminal_summary(terminalreporter) -> None:
    """List what axe-core found below "serious" (those do not fail the run but are shown)."""
    module = sys.modules.get("tests.e2e.test_axe")
    if module is None:
        return
    lines = module.findings_lines()
    if lines:
        terminalreporter.section("axe-core findings below serious (not failing)")
        for line in lines:
            terminalreporter.write_line(line)
