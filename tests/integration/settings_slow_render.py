"""The site's settings, with report renders slowed down (tests/integration/slow_render)."""

from tanneeds.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.integration.slow_render"]  # noqa: F405
