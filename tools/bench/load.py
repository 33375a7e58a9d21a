"""The load run of the benchmark: many ministry users at once on the production stack.

Each virtual user is a focal point of their own country. For a fixed time they autosave items
of their questionnaire (each save a new comment), read section pages and a minimal page (the
floor), as fast as the server answers, through gunicorn on loopback against PostgreSQL. Then
every save the server acknowledged (200) is looked up in the database: its answer must hold
the last acknowledged value. Three steps, each in its own process (see the bench command):
``load_prepare`` in the scratch database, ``load_drive`` from the benchmark's process,
``load_check`` in the scratch database.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

from .http import Browser, Timing

ITEMS_PER_USER = 5  # answers each user cycles through
SECTIONS = ("I", "III", "VII")  # section pages each user reads in turn
REQUEST_TIMEOUT = 30.0  # seconds: a request slower than this counts as an error


def load_prepare(users: int) -> dict:
    """In the scratch database: ``users`` focal points, each with their own country and an
    open assessment; returns what the virtual users need (names, URLs, items)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from assessments.models import Cycle, Membership, MemberState
    from assessments.opening import assessment_open

    cycle, _ = Cycle.objects.get_or_create(
        name="Load run cycle",
        defaults={"starts_on": datetime.date(2032, 1, 1), "ends_on": datetime.date(2032, 12, 31)},
    )
    countries = list(MemberState.objects.order_by("iso3")[:users])
    if len(countries) < users:
        raise ValueError(f"only {len(countries)} member states for {users} users")
    plan = []
    User = get_user_model()
    for country in countries:
        user, _ = User.objects.get_or_create(username=f"load-{country.iso3.lower()}")
        Membership.objects.get_or_create(
            user=user, country=country, defaults={"role": Membership.Role.FOCAL_POINT}
        )
        assessment = assessment_open(cycle=cycle, country=country)
        answers = list(
            assessment.answers.order_by("activity__category__position", "activity__position")[
                :ITEMS_PER_USER
            ]
        )
        plan.append(
            {
                "username": user.username,
                "session": _signed_in_session(user),
                "sections": [
                    reverse("assessments:section", args=[assessment.pk, n]) for n in SECTIONS
                ],
                "items": [
                    {
                        "pk": a.pk,
                        "prefix": f"a{a.pk}",
                        "version": a.version,
                        "url": reverse("assessments:autosave", args=[assessment.pk, a.pk]),
                    }
                    for a in answers
                ],
            }
        )
    return {"users": plan}


def _signed_in_session(user) -> str:
    """A session of ``user`` as after signing in; the run measures the users' work, not the
    password hashing of 50 sign-ins at once (tests/test_accounts.py covers signing in)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@dataclass
class LoadResult:
    floor: Timing = field(default_factory=lambda: Timing("floor: minimal page", []))
    page: Timing = field(default_factory=lambda: Timing("section page", []))
    autosave: Timing = field(default_factory=lambda: Timing("autosave", []))
    errors: list[str] = field(default_factory=list)
    acknowledged: dict[int, str] = field(default_factory=dict)  # answer pk -> last saved value
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, timing: Timing, seconds: float) -> None:
        with self.lock:
            timing.samples.append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def _open_browser(port: int, user: dict, result: LoadResult) -> Browser | None:
    """The user's browser with their session; a first look at a section page gives it the
    CSRF cookie, as a real browser gets it."""
    from django.conf import settings

    browser = Browser(port, timeout=REQUEST_TIMEOUT)
    browser.cookies[settings.SESSION_COOKIE_NAME] = user["session"]
    try:
        _, status, _ = browser.request("GET", user["sections"][0])
    except OSError as exc:
        result.error(f"{user['username']}: first page failed: {exc}")
        return None
    if status != 200 or settings.CSRF_COOKIE_NAME not in browser.cookies:
        result.error(f"{user['username']}: first page answered {status}")
        return None
    return browser


def _virtual_user(browser: Browser, user: dict, deadline: float, result: LoadResult) -> None:
    """Autosave, autosave, a section page, the floor; again until the deadline."""
    items = user["items"]
    versions = {item["pk"]: item["version"] for item in items}
    step = 0
    while time.monotonic() < deadline:
        step += 1
        try:
            if step % 4 == 3:
                url = user["sections"][(step // 4) % len(user["sections"])]
                elapsed, status, _ = browser.request("GET", url)
                timing = result.page
            elif step % 4 == 0:
                elapsed, status, _ = browser.request("GET", "/accounts/session/")
                timing = result.floor
            else:
                item = items[step % len(items)]
                value = f"{user['username']} item {item['pk']} save {step}"
                elapsed, status, body = browser.request(
                    "POST",
                    item["url"],
                    {f"{item['prefix']}-version": versions[item["pk"]],
                     f"{item['prefix']}-comment": value},
                )
                timing = result.autosave
                if status == 200:
                    versions[item["pk"]] = json.loads(body)["version"]
                    with result.lock:
                        result.acknowledged[item["pk"]] = value
        except (OSError, ValueError) as exc:
            result.error(f"{user['username']}: {type(exc).__name__}: {exc}")
            continue
        if status != 200:
            result.error(f"{user['username']}: {timing.name} answered {status}")
            continue
        result.add(timing, elapsed)


def _all_at_once(target, arguments: list[tuple], wait: float) -> bool:
    """Run ``target`` once per arguments in threads; True when all ended within ``wait``."""
    threads = [threading.Thread(target=target, args=a, daemon=True) for a in arguments]
    for thread in threads:
        thread.start()
    ends = time.monotonic() + wait
    for thread in threads:
        thread.join(timeout=max(0.0, ends - time.monotonic()))
    return not any(thread.is_alive() for thread in threads)


def load_drive(port: int, plan: dict, seconds: float) -> LoadResult:
    """Open every virtual user's first page, then run them all at once for ``seconds``; a
    request under way at the deadline gets REQUEST_TIMEOUT more at most."""
    result = LoadResult()
    browsers: list[tuple[Browser, dict]] = []

    def open_browser(user: dict) -> None:
        browser = _open_browser(port, user, result)
        if browser is not None:
            with result.lock:
                browsers.append((browser, user))

    if not _all_at_once(open_browser, [(u,) for u in plan["users"]], REQUEST_TIMEOUT * 3):
        result.error("opening the users' first pages took too long")
    deadline = time.monotonic() + seconds
    arguments = [(browser, user, deadline, result) for browser, user in browsers]
    if not _all_at_once(_virtual_user, arguments, seconds + REQUEST_TIMEOUT + 5):
        result.error("a virtual user did not stop in time")
    return result


def load_check(acknowledged: dict[str, str]) -> dict:
    """In the scratch database: which acknowledged saves are not there with their last value."""
    from assessments.models import Answer

    stored = dict(
        Answer.objects.filter(pk__in=[int(pk) for pk in acknowledged]).values_list("pk", "comment")
    )
    lost = [pk for pk, value in acknowledged.items() if stored.get(int(pk)) != value]
    return {"checked": len(acknowledged), "lost": lost}


def postgres_database_ensure(url: str) -> None:
    """Create the scratch PostgreSQL database of ``url`` when it does not exist yet."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ValueError("the load run needs a PostgreSQL database (postgres://...)")
    with psycopg.connect(
        dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
        host=config["HOST"] or None, port=config["PORT"] or None, autocommit=True,
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
