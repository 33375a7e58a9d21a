"""How scoring joins the questionnaire, which does not know it: a snapshot at each submission,
and its links in the questionnaire's pages (``assessments/slots.py``)."""

from __future__ import annotations

from assessments.models import Assessment, StatusEvent
from assessments.signals import assessment_submitted
from assessments.slots import slot_add, slot_declare

from .results import snapshot_take


def _snapshot_on_submit(
    sender: type[Assessment], *, assessment: Assessment, event: StatusEvent, **kwargs
) -> None:
    """What was reported stays as it was scored, whatever the rules become later."""
    snapshot_take(assessment=assessment, event=event)


def connect() -> None:
    assessment_submitted.connect(_snapshot_on_submit, dispatch_uid="scoring-snapshot-on-submit")
    slot_add("assessment_nav", "scoring/_nav_results.html")
    slot_add("assessment_actions", "scoring/_results_button.html")
    slot_add("home_card", "scoring/_card_results_link.html")
    slot_add("staff_home", "scoring/_heatmap_button.html")
    slot_declare("results_actions", "the buttons of an assessment's results page (assessment)")
    slot_declare("cycle_actions", "the staff tools of a cycle's heat map (cycle, region)")
