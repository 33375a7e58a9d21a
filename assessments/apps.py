from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Countries and assessments"

    def ready(self) -> None:
        from . import membership_events  # noqa: F401  (audit and sessions of memberships)
