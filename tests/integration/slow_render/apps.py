import os
import time

from django.apps import AppConfig


class SlowRenderConfig(AppConfig):
    name = "tests.integration.slow_render"
    label = "slow_render"

    def ready(self) -> None:
        from reports import rendering

        render = rendering.render_job_pdf
        seconds = float(os.environ["SLOW_RENDER_SECONDS"])

        def slow_render_job_pdf(job):
            pdf = render(job)
            time.sleep(seconds)
            return pdf

        rendering.render_job_pdf = slow_render_job_pdf
