"""The assessment workflow as one transition table, with an event for every move."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import Assessment, SectionComment, StatusEvent
from .signals import assessment_submitted

Status = Assessment.Status

# (from, to): who may make the move.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): "focal_point",
    (Status.RETURNED, Status.SUBMITTED): "focal_point",
    (Status.SUBMITTED, Status.RETURNED): "staff",
    (Status.SUBMITTED, Status.VALIDATED): "staff",
    (Status.VALIDATED, Status.RETURNED): "staff",
}


class TransitionError(ValueError):
    pass


def allowed(assessment: Assessment, to_status: str, role: str) -> bool:
    return TRANSITIONS.get((assessment.status, to_status)) == role


@transaction.atomic
def assessment_transition(
    *,
    assessment: Assessment,
    to_status: str,
    actor: AbstractBaseUser,
    role: str,
    comment: str = "",
    section_comments: dict[int, str] | None = None,
) -> StatusEvent:
    """Move the assessment along the table, recording who did it and why."""
    if not allowed(assessment, to_status, role):
        raise TransitionError(
            f"An assessment that is {assessment.get_status_display().lower()} cannot be moved "
            f"to “{Status(to_status).label}” by this user."
        )
    event = StatusEvent.objects.create(
        assessment=assessment,
        from_status=assessment.status,
        to_status=to_status,
        actor=actor,
        comment=comment,
    )
    assessment.status = to_status
    if to_status == Status.SUBMITTED:
        assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    SectionComment.objects.bulk_create(
        SectionComment(assessment=assessment, category_id=pk, author=actor, text=text.strip())
        for pk, text in (section_comments or {}).items()
        if text.strip()
    )
    if to_status == Status.SUBMITTED:
        assessment_submitted.send(Assessment, assessment=assessment, event=event)
    return event
