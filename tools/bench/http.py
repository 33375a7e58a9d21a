"""The benchmark: latency through gunicorn on loopback, and queries per request.

Everything runs against a scratch database made for the run (SQLite in a temporary folder
unless ``--database-url`` names another), so a benchmark never touches real data.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings

BENCH_CATEGORY = "III"  # the largest section: 57 activities
# The section page is timed in English and in Arabic (right-to-left, every text translated).
BENCH_LANGUAGES = ("en", "ar")
BENCH_USER = "bench-focal"
BENCH_PASSWORD = "bench-password"  # noqa: S105 - scratch database only


@dataclass
class Timing:
    name: str
    samples: list[float]
    queries: int | None = None

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return self.percentile(95)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scratch_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "benchmark-only-secret-key-" + "x" * 30,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "ENV_FILE": "/nonexistent",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


class Browser:
    """A tiny HTTP client that keeps cookies, as a ministry user's browser would."""

    def __init__(self, port: int, timeout: float = 60) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict | None = None, *, gzip: bool = False
    ) -> tuple[float, int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if gzip:
            headers["Accept-Encoding"] = "gzip"
        payload = None
        if body is not None:
            payload = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        started = time.perf_counter()
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return elapsed, response.status, data


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 1, threads: int = 1) -> Iterator[int]:
    """Serve the site with gunicorn on a free loopback port; yields the port."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tanneeds.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    try:
        wait_until_up(Browser(port), server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # workers stuck in a request: do not hang the caller
            server.kill()
            server.wait(timeout=30)


def wait_until_up(browser: Browser, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped before it answered")
        try:
            browser.request("GET", "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


VERSION_FIELD = re.compile(rb'name="(a\d+-version)" value="(\d+)"')


def page_name(language: str) -> str:
    """The figure's name of the largest section page in ``language`` (English is the plain one,
    which the budgets and the page size refer to)."""
    return "largest section page" + ("" if language == "en" else f", {language}")


def browser_signed_in(port: int, language: str) -> Browser:
    """A focal point's browser, its language chosen as the switcher does (the cookie)."""
    browser = Browser(port)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    browser.request("GET", "/accounts/login/")
    browser.request(
        "POST", "/accounts/login/", {"username": BENCH_USER, "password": BENCH_PASSWORD}
    )
    return browser


def run_http(port: int, plan: dict, requests: int) -> list[Timing]:
    """Time the floor, the largest section page (in each of BENCH_LANGUAGES), an autosave and a
    full-section submit.

    The floor is the smallest page a logged-in user can ask for: it goes through the same
    middleware and loads the session and the user, as every questionnaire request does.
    """
    browser = browser_signed_in(port, "en")
    others = {language: browser_signed_in(port, language) for language in BENCH_LANGUAGES[1:]}
    for language, other in others.items():
        _, status, html = other.request("GET", plan["section_url"])
        assert status == 200 and f'lang="{language}"'.encode() in html, f"no page in {language}"
    floor = Timing("floor: minimal page", [])
    page = Timing(page_name("en"), [])
    pages = {language: Timing(page_name(language), []) for language in others}
    autosave, submit = Timing("autosave", []), Timing("full-section submit", [])
    autosave_version = 0
    for n in range(requests):
        floor.samples.append(browser.request("GET", "/accounts/session/")[0])

        elapsed, status, html = browser.request("GET", plan["section_url"])
        assert status == 200, f"section page answered {status}"
        page.samples.append(elapsed)
        for language, other in others.items():
            elapsed, status, _ = other.request("GET", plan["section_url"])
            assert status == 200, f"section page in {language} answered {status}"
            pages[language].samples.append(elapsed)

        prefix = plan["autosave_prefix"]
        elapsed, status, body = browser.request(
            "POST",
            plan["autosave_url"],
            {f"{prefix}-version": autosave_version, f"{prefix}-comment": f"bench {n}"},
        )
        assert status == 200, f"autosave answered {status}: {body[:200]!r}"
        autosave_version = json.loads(body)["version"]
        autosave.samples.append(elapsed)

        # The whole section as a browser posts it: every item's version, one item changed.
        fields = {name.decode(): value.decode() for name, value in VERSION_FIELD.findall(html)}
        fields[f"{plan['submit_prefix']}-comment"] = f"bench {n}"
        elapsed, status, _ = browser.request("POST", plan["section_url"], fields)
        assert status == 302, f"section submit answered {status}"
        submit.samples.append(elapsed)
    plan["sizes"] = {}
    for language, client in {"en": browser, **others}.items():
        _, _, html = client.request("GET", plan["section_url"])
        _, _, wire = client.request("GET", plan["section_url"], gzip=True)
        plan["sizes"][page_name(language)] = (len(html), len(wire))
    return [floor, page, *pages.values(), autosave, submit]


def prepare() -> dict:
    """In the scratch database: a focal point with an open assessment, and query counts."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assessments.models import Cycle, Membership, MemberState
    from assessments.opening import assessment_open

    user, _ = get_user_model().objects.get_or_create(username=BENCH_USER)
    user.set_password(BENCH_PASSWORD)
    user.save()
    country = MemberState.objects.get(iso3="KEN")
    Membership.objects.get_or_create(
        user=user, country=country, defaults={"role": Membership.Role.FOCAL_POINT}
    )
    cycle, _ = Cycle.objects.get_or_create(
        name="Benchmark cycle",
        defaults={"starts_on": datetime.date(2030, 1, 1), "ends_on": datetime.date(2030, 12, 31)},
    )
    assessment = assessment_open(cycle=cycle, country=country)
    autosave_answer = assessment.answers.get(activity__ref="I.1")
    submit_answer = assessment.answers.filter(activity__category__numeral=BENCH_CATEGORY).last()
    plan = {
        "section_url": reverse("assessments:section", args=[assessment.pk, BENCH_CATEGORY]),
        "autosave_url": reverse("assessments:autosave", args=[assessment.pk, autosave_answer.pk]),
        "autosave_prefix": f"a{autosave_answer.pk}",
        "submit_prefix": f"a{submit_answer.pk}",
        "items": assessment.answers.filter(activity__category__numeral=BENCH_CATEGORY).count(),
    }
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    for language in BENCH_LANGUAGES:  # caches warm, as in the timed run
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.get(plan["section_url"])

    def queries(method: str, url: str, data: dict | None = None, language: str = "en") -> int:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        with CaptureQueriesContext(connection) as captured:
            getattr(client, method)(url, data or {})
        return len(captured)

    prefix = plan["autosave_prefix"]
    submit_answer.refresh_from_db()
    section_fields = {
        f"a{a.pk}-version": a.version
        for a in assessment.answers.filter(activity__category__numeral=BENCH_CATEGORY)
    }
    section_fields[f"{plan['submit_prefix']}-comment"] = "queries"
    plan["queries"] = {
        "floor: minimal page": queries("get", "/accounts/session/"),
        **{
            page_name(language): queries("get", plan["section_url"], language=language)
            for language in BENCH_LANGUAGES
        },
        "autosave": queries(
            "post", plan["autosave_url"], {f"{prefix}-version": 0, f"{prefix}-comment": "q"}
        ),
        "full-section submit": queries("post", plan["section_url"], section_fields),
    }
    # Leave the scratch database as the HTTP run expects it: versions back in step.
    assessment.answers.update(version=0, comment="")
    return plan


def batch_figures(*, reports: bool = True) -> dict:
    """In the scratch database: every member state with full synthetic answers; seconds to
    score them all and match all their gaps, and to render reports."""
    import datetime
    from dataclasses import asdict

    from assessments.cycles import cycle_open
    from assessments.models import Cycle
    from catalogue.matching import prepare as matching_prepare

    from .scoring import answers_synthesise, heatmap_timings, scoring_timings

    cycle, _ = Cycle.objects.get_or_create(
        name="Benchmark: all member states",
        defaults={"starts_on": datetime.date(2031, 1, 1), "ends_on": datetime.date(2031, 12, 31)},
    )
    cycle_open(cycle)
    answers = answers_synthesise(cycle)
    # The matching engine is made ready once per process (see catalogue.matching.speed): timed
    # apart, so that the scoring figures compare lexical and semantic matching themselves.
    prepared = matching_prepare()
    figures = {
        "answers": answers, "matching_prepare": prepared,
        "scoring": asdict(scoring_timings(cycle)),
    }
    figures["heatmap"] = heatmap_timings(cycle)
    if reports and apps.is_installed("reports"):
        from .reports import report_timings

        figures["reports"] = report_timings(cycle)
    return figures
