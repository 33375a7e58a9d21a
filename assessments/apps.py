from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Countries and assessments")

    def ready(self) -> None:
        from . import membership_events  # noqa: F401  (audit and sessions of memberships)
