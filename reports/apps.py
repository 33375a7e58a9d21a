from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from assessments.slots import slot_add

        from . import signals  # noqa: F401  (the worker-start check of the broker)

        # The pages of the apps below show the report buttons without knowing this app.
        slot_add("assessment_actions", "reports/_request_button.html")
        slot_add("results_actions", "reports/_request_button.html")
        slot_add("cycle_actions", "reports/_overview_request_form.html")
