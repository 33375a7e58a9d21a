"""A focal point fills in a section in a real browser: Playwright driving Debian's Chromium.

The site runs under gunicorn against a scratch SQLite database made for this test, with the
reference and demo data; screenshots of every page go to ``artifacts/screenshots`` (or the
folder named by E2E_SCREENSHOTS).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tools.bench import http as benchmark

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "e2e-demo-password"
SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", settings.BASE_DIR / "artifacts" / "screenshots"))

# Everything of Kenya's demo assessment answered but section IV, so that submitting works
# once the browser has filled that section in.
COMPLETE_ALL_BUT_IV = """
from assessments.models import Assessment
from assessments.opening import answers_ensure
kenya = Assessment.objects.get(country__iso3="KEN", cycle__is_baseline=False)
answers_ensure(kenya)
kenya.answers.exclude(activity__category__numeral="IV").update(
    state="unknown", needs_confirmation=False, assistance_needed=False)
kenya.ratifications.update(status="unknown")
kenya.legal_tradition = "common"
kenya.save()
print(kenya.pk)
"""

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Chromium is not installed here (apt-get install chromium); CI installs it.",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    env = benchmark.scratch_env(f"sqlite:///{folder / 'e2e.sqlite3'}")
    env["MEDIA_ROOT"] = str(folder / "media")
    # Static files as in production: collected, hashed, served by WhiteNoise.
    env["STATIC_ROOT"] = str(folder / "static")
    del env["STATICFILES_BACKEND"]
    benchmark.manage(env, "collectstatic", "--noinput", "-v0")
    benchmark.manage(env, "migrate", "--noinput", "-v0")
    benchmark.manage(env, "load_reference", "-v0")
    benchmark.manage(env, "seed_demo", "--force", "--password", PASSWORD)
    pk = int(benchmark.manage(env, "shell", "-c", COMPLETE_ALL_BUT_IV).strip().splitlines()[-1])
    with benchmark.gunicorn(env, workers=2) as port:
        yield {"url": f"http://127.0.0.1:{port}", "assessment": pk}


@pytest.fixture(scope="module")
def page(site):
    from playwright.sync_api import sync_playwright

    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def item(page, ref: str):
    return page.locator(f'fieldset[id="item-{ref}"]')


def wait_saved(page, ref: str) -> None:
    item(page, ref).locator(".save-state .text-success").wait_for(timeout=10_000)


def test_a_focal_point_fills_in_a_section_and_submits(site, page):
    base = site["url"]
    section = f"{base}/assessments/{site['assessment']}/sections/IV/"

    page.goto(f"{base}/accounts/login/")
    shot(page, "01-login")
    page.get_by_label("Username").fill("ken-focal")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")
    assert "Kenya" in page.content()
    shot(page, "02-home")

    page.goto(section)
    shot(page, "03-section")
    first = item(page, "IV.1")
    first.locator("label.btn", has_text="2 – Partially in place").click()
    wait_saved(page, "IV.1")
    first.get_by_label("Is technical assistance needed?").select_option("yes")
    first.get_by_label("Training").check()
    first.get_by_label("Priority").select_option("high")
    first.get_by_label("Comment").fill("A cybercrime unit exists in the police since 2019.")
    first.get_by_label("Comment").blur()
    page.wait_for_timeout(400)
    wait_saved(page, "IV.1")
    shot(page, "04-section-filled")

    page.reload()
    first = item(page, "IV.1")
    assert first.locator('input[type="radio"][value="2"]').is_checked()
    assert first.get_by_label("Training").is_checked()
    assert first.get_by_label("Priority").input_value() == "high"
    assert first.get_by_label("Comment").input_value() == (
        "A cybercrime unit exists in the police since 2019."
    )

    second = item(page, "IV.2")
    second.locator("summary").click()  # the details start closed: no assistance asked yet
    second.get_by_label("Comment").fill("No computer-fraud offence in the penal code.")
    second.locator("label.btn", has_text="Not applicable").click()
    second.get_by_text("Say why this activity does not apply").wait_for(timeout=10_000)
    shot(page, "05-validation-error")
    page.reload()
    second = item(page, "IV.2")
    second.locator("summary").click()
    assert second.get_by_label("Comment").input_value() == (
        "No computer-fraud offence in the penal code."
    )
    second.locator("label.btn", has_text="0 – Not in place").click()
    wait_saved(page, "IV.2")

    third = item(page, "IV.3")
    third.locator("label.btn", has_text="Unknown").click()
    wait_saved(page, "IV.3")
    shot(page, "06-section-done")

    page.goto(f"{base}/assessments/{site['assessment']}/submit/")
    shot(page, "07-submit")
    page.get_by_role("button", name="Submit to UNODC").click()
    page.get_by_text("Submitted to UNODC").wait_for(timeout=10_000)
    assert "Submitted" in page.content()
    shot(page, "08-submitted")
