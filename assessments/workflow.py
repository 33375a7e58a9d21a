"""The assessment workflow as one transition table, with an event for every move.

Every rule of a move is checked here, on the assessment row locked for the move, so two moves
at once (two staff members, a focal point submitting twice) cannot both pass, and a view or an
admin action cannot skip a rule by calling the service directly.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .campaigns.notifications import transition_notify
from .completeness import missing_items
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

NOT_COMPLETE = gettext_noop("Not submitted: {count} item(s) still need an answer (listed below).")
RETURN_NEEDS_COMMENT = gettext_noop(
    "Say what to change: write a comment on at least one section."
)


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
    """Move the assessment along the table, recording who did it and why.

    Raises :class:`TransitionError` (with a message for the user) when the move is not in the
    table for this role from the status the row has now, when a submission is incomplete, or
    when a return says nothing about what to change.
    """
    locked = Assessment.lock(assessment.pk)
    if not allowed(locked, to_status, role):
        raise TransitionError(
            _("An assessment that is %(status)s cannot be moved to “%(to)s” by this user.")
            % {"status": locked.get_status_display().lower(), "to": Status(to_status).label}
        )
    section_comments = {
        pk: text.strip() for pk, text in (section_comments or {}).items() if text.strip()
    }
    if to_status == Status.RETURNED and not (comment.strip() or section_comments):
        raise TransitionError(_(RETURN_NEEDS_COMMENT))
    if to_status == Status.SUBMITTED:
        missing = missing_items(locked)
        if missing:
            raise TransitionError(_(NOT_COMPLETE).format(count=len(missing)))
    event = StatusEvent.objects.create(
        assessment=locked,
        from_status=locked.status,
        to_status=to_status,
        actor=actor,
        comment=comment,
    )
    locked.status = to_status
    if to_status == Status.SUBMITTED:
        locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    assessment.status, assessment.submitted_at = locked.status, locked.submitted_at
    assessment.updated_at = locked.updated_at
    SectionComment.objects.bulk_create(
        SectionComment(assessment=locked, category_id=pk, author=actor, text=text)
        for pk, text in section_comments.items()
    )
    if to_status == Status.SUBMITTED:
        # Receivers (scoring's snapshot) run inside this transaction: answer saves wait on
        # the lock held here, so what they freeze is exactly the stored answers.
        assessment_submitted.send(Assessment, assessment=locked, event=event)
    transition_notify(event)  # e-mails written now, sent by a worker once this commits
    return event
