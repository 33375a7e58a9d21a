"""Saving answers without losing anything and without silent overwrites.

Every form carries the version of the answer it was rendered from. A save compares three
states of each field: as the user saw it (the history row of that version), as the user sends
it, and as it is now. The user's changes are applied; a field somebody else changed in between
to a different value is a conflict, returned with both values and left as the other person saved
it until the user decides.

A save takes the assessment's row lock first, as a submission does: a save that arrives while
the assessment is being submitted waits, then finds it submitted and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Answer, Assessment

ANSWER_FIELDS = (
    "state",
    "level",
    "not_applicable_reason",
    "assistance_needed",
    "assistance_kinds",
    "priority",
    "timeline",
    "crime_areas",
    "other_providers",
    "regional_obligations",
    "safeguards",
    "legal_context",
    "delivery_modes",
    "baseline",
    "target",
    "resources",
    "comment",
    "evidence_links",
)


CLOSED = (
    "Not saved: this assessment is {status} and can no longer be changed. What you typed is "
    "still on this page; copy it if you need it, and ask UNODC to return the assessment."
)


class AssessmentClosed(Exception):
    """The assessment is no longer open for answers (submitted or validated meanwhile)."""

    def __init__(self, status: str) -> None:
        super().__init__(_(CLOSED).format(status=status))


@dataclass(frozen=True)
class Conflict:
    field: str
    mine: Any
    theirs: Any
    by: str
    at: datetime | None


@dataclass
class SaveResult:
    answer: Answer
    saved: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


OPEN = (Assessment.Status.DRAFT, Assessment.Status.RETURNED)


def _values(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in ANSWER_FIELDS}


def _as_seen(answer: Answer, version: int) -> dict[str, Any]:
    """The answer's values at ``version``, from its history (or the blank row for version 0)."""
    seen = answer.history.filter(version=version).order_by("-history_id").first()
    if seen is not None:
        return _values(seen)
    if version == 0:
        return _values(Answer())
    return {}  # unknown past: treat every difference as a conflict


def assessment_lock_open(assessment_id: int) -> Assessment:
    """Lock the assessment's row (inside ``atomic``); raise :class:`AssessmentClosed` unless
    it is still open for answers. Every write to answers or their files goes through here."""
    assessment = Assessment.lock(assessment_id)
    if assessment.status not in OPEN:
        raise AssessmentClosed(assessment.get_status_display().lower())
    return assessment


@transaction.atomic
def answer_save(
    *,
    answer: Answer,
    values: dict[str, Any],
    base_version: int,
    user: AbstractBaseUser,
    confirm: bool = False,
) -> SaveResult:
    """Apply the user's changes to one answer; report fields that conflict.

    Raises :class:`AssessmentClosed` when the assessment is not open for answers any more.
    """
    assessment_lock_open(answer.assessment_id)
    current = Answer.objects.select_for_update().get(pk=answer.pk)
    now = _values(current)
    if base_version == current.version:
        mine = {k: v for k, v in values.items() if v != now[k]}
        conflicts: list[Conflict] = []
    else:
        seen = _as_seen(current, base_version)
        mine = {k: v for k, v in values.items() if k not in seen or v != seen[k]}
        conflicts = [
            Conflict(k, v, now[k], _who(current), current.updated_at)
            for k, v in mine.items()
            if v != now[k] and (k not in seen or now[k] != seen[k])
        ]
        clashing = {c.field for c in conflicts}
        mine = {k: v for k, v in mine.items() if k not in clashing and v != now[k]}
    confirmed = confirm and current.needs_confirmation
    if not mine and not confirmed:
        return SaveResult(current, [], conflicts)
    for name, value in mine.items():
        setattr(current, name, value)
    if mine or confirmed:
        current.needs_confirmation = False
    current.version += 1
    current.updated_by = user
    current._history_user = user  # who, in the history, also outside a request
    current.save()
    return SaveResult(current, sorted(mine), conflicts)


def _who(answer: Answer) -> str:
    user = answer.updated_by
    if user is None:
        return "someone else"
    return user.get_full_name() or user.get_username()
