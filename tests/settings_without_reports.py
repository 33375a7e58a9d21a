"""The settings of the site with the reports app taken out (tests/test_architecture.py)."""

from tanneeds.settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "reports"]  # noqa: F405
CELERY_BEAT_SCHEDULE = {}  # its one task is the reports'
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    # Its own test database, beside the one of the process that starts it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_{DATABASES['default']['NAME']}_without_reports"  # noqa: F405
    }
