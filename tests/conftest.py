"""Shared fixtures: reference data loaded once per session, a fixed cast of users."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from tests.factories import UserFactory

# tests/without_reports runs in its own process without the reports app (test_architecture.py).
collect_ignore = ["without_reports"] if "reports" in settings.INSTALLED_APPS else []

# Property tests check values, not speed: a busy CI machine must not fail them on a deadline.
hypothesis_settings.register_profile("tanneeds", deadline=None)
hypothesis_settings.load_profile("tanneeds")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real reference data from the files, loaded once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


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
