"""Shared fixtures: reference data loaded once per session, a fixed cast of users."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real reference data from the files, loaded once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


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
