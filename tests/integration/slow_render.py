"""Test-only: settings for a worker whose renders wait before they are written.

The integration test starts a worker with ``DJANGO_SETTINGS_MODULE=tests.integration.
slow_render`` and ``SLOW_RENDER_SECONDS``: the project's settings, plus this module as an app
whose ``ready`` makes every report render wait that long, so the test can kill the worker in
the middle of a render. Nothing of it is in the production code.
"""

from __future__ import annotations

import os
import time

from django.apps import AppConfig

from tanneeds.settings import *  # noqa: F403 - the project's settings, unchanged
from tanneeds.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.integration.slow_render.SlowRender"]


class SlowRender(AppConfig):
    name = "tests.integration"
    label = "slow_render"

    def ready(self) -> None:
        from reports import rendering

        render, delay = rendering.render_job_pdf, float(os.environ["SLOW_RENDER_SECONDS"])

        def slow_render_job_pdf(job):
            pdf = render(job)
            time.sleep(delay)
            return pdf

        rendering.render_job_pdf = slow_render_job_pdf
