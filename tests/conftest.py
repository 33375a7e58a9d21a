"""Shared fixtures: reference data loaded once per session, a fixed cast of users."""

from __future__ import annotations

import socket

import pytest
from django.conf import settings
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from tests.factories import UserFactory

# Property tests check values, not speed (the bench command measures it): no deadline per example,
# which a busy machine would otherwise miss.
hypothesis_settings.register_profile("tanneeds", deadline=None)
hypothesis_settings.load_profile("tanneeds")

# tests/without_reports runs in its own process without the reports app (test_architecture.py).
collect_ignore = ["without_reports"] if "reports" in settings.INSTALLED_APPS else []


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file rather than in memory: threads of the concurrency
    tests then queue for the write lock as web processes do, instead of failing at once with
    "database table is locked" (an in-memory database shared between connections)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("db") / "test.sqlite3"
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real reference data from the files, loaded once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(scope="session")
def reference_snapshot(django_db_setup, django_db_blocker):
    """The reference data, serialised once, for tests that need committed rows (threads).

    Such tests are marked ``django_db(transaction=True, serialized_rollback=True)``: the
    database is emptied after each of them, and this puts the reference data back before.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(scope="session", autouse=True)
def _celery_eager():
    """Unit tests run tasks in-process; tests/integration starts a real worker on Redis."""
    from tanneeds.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _staff_sign_in_with_second_factor(monkeypatch):
    """Staff must give a second factor before any page (accounts.middleware). A test that
    signs staff in with ``force_login`` gets them a confirmed authenticator, verified in that
    session, as after a real two-step sign-in (tests/test_accounts.py walks the real one)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        if user.is_staff or user.is_superuser:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="test authenticator", defaults={"confirmed": True}
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture
def staff(db):
    """Alice works for UNODC: staff, with every permission."""
    return UserFactory(username="alice", is_staff=True, is_superuser=True)


@pytest.fixture
def ministry_user(db):
    """Bob answers for a ministry: no staff rights."""
    return UserFactory(username="bob")


@pytest.fixture
def cycle(db):
    import datetime

    from assessments.models import Cycle

    return Cycle.objects.create(
        name="2026 assessment", starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )


@pytest.fixture
def cast(db, cycle):
    """Kenya (country A) and Fiji (country B), each with an open assessment, and their people.

    focal_a, contrib_a (categories V and VI), reader_a answer for Kenya; user_b is Fiji's
    focal point; staff is UNODC.
    """
    from types import SimpleNamespace

    from assessments.models import Membership, MemberState
    from assessments.opening import assessment_open
    from catalogue.models import Category

    kenya, fiji = MemberState.objects.get(iso3="KEN"), MemberState.objects.get(iso3="FJI")
    people = SimpleNamespace(
        staff=UserFactory(username="alice", is_staff=True, is_superuser=True),
        focal_a=UserFactory(username="ken-focal"),
        contrib_a=UserFactory(username="ken-contrib"),
        reader_a=UserFactory(username="ken-reader"),
        user_b=UserFactory(username="fji-focal"),
    )
    Role = Membership.Role
    Membership.objects.create(user=people.focal_a, country=kenya, role=Role.FOCAL_POINT)
    contributor = Membership.objects.create(
        user=people.contrib_a, country=kenya, role=Role.CONTRIBUTOR
    )
    contributor.categories.set(Category.objects.filter(numeral__in=["V", "VI"]))
    Membership.objects.create(user=people.reader_a, country=kenya, role=Role.READER)
    Membership.objects.create(user=people.user_b, country=fiji, role=Role.FOCAL_POINT)
    people.assessment_a = assessment_open(cycle=cycle, country=kenya)
    people.assessment_b = assessment_open(cycle=cycle, country=fiji)
    return people


@pytest.fixture
def broker_down():
    """A real broker connection that is refused: Redis on a port where nothing listens.

    Yields a function that brings the (eager, in-process) broker back."""
    from tanneeds.celery import app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free again once closed: nothing listens there
    saved = app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool
    app.conf.broker_url, app.conf.task_always_eager = f"redis://127.0.0.1:{port}/0", False
    app._pool = app.amqp._producer_pool = None  # new connections, to the refusing port

    def restore() -> None:
        (
            app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool
        ) = saved

    yield restore
    restore()
