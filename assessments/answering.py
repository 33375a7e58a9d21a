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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_update_with_history

from .models import Answer, Assessment

# The fields under "Details of the assistance needed", in the order the page shows them.
DETAIL_FIELDS = (
    "assistance_kinds",
    "crime_areas",
    "priority",
    "timeline",
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
# Every value of an answer a user sets.
ANSWER_FIELDS = ("state", "level", "not_applicable_reason", "assistance_needed", *DETAIL_FIELDS)


CLOSED = gettext_noop(
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


@dataclass(frozen=True)
class Change:
    """What one item's form asks: its values, the version it was rendered from, a confirmation."""

    answer: Answer
    values: dict[str, Any]
    base_version: int
    confirm: bool = False


def _merge(
    current: Answer, change: Change, seen: dict[str, Any] | None
) -> tuple[dict[str, Any], list[Conflict]]:
    """The user's changes that apply, and the fields somebody else changed meanwhile.

    ``seen`` is the answer as the user saw it (None when the user saw the current version; an
    empty dict when that past is unknown, so every difference is a conflict).
    """
    now = _values(current)
    values = change.values
    if seen is None:
        return {k: v for k, v in values.items() if v != now[k]}, []
    mine = {k: v for k, v in values.items() if k not in seen or v != seen[k]}
    conflicts = [
        Conflict(k, v, now[k], _who(current), current.updated_at)
        for k, v in mine.items()
        if v != now[k] and (k not in seen or now[k] != seen[k])
    ]
    clashing = {c.field for c in conflicts}
    return {k: v for k, v in mine.items() if k not in clashing and v != now[k]}, conflicts


def _seen_versions(wanted: dict[int, int]) -> dict[int, dict[str, Any]]:
    """The values of each answer at the version its form was rendered from, in one query."""
    rows: dict[tuple[int, int], Any] = {}
    if wanted:
        history = Answer.history.filter(
            id__in=wanted.keys(), version__in=set(wanted.values())
        ).order_by("history_id")
        for row in history:
            rows[(row.id, row.version)] = row  # the latest row of each version wins
    seen = {}
    for pk, version in wanted.items():
        row = rows.get((pk, version))
        seen[pk] = _values(row) if row is not None else _values(Answer()) if version == 0 else {}
    return seen


def assessment_lock_open(assessment_id: int) -> Assessment:
    """Lock the assessment's row (inside ``atomic``); raise :class:`AssessmentClosed` unless
    it is still open for answers. Every write to answers or their files goes through here."""
    assessment = Assessment.lock(assessment_id)
    if assessment.status not in OPEN:
        raise AssessmentClosed(assessment.get_status_display().lower())
    return assessment


@transaction.atomic
def answers_save(changes: list[Change], user: AbstractBaseUser) -> list[SaveResult]:
    """Apply the changes of many items at once; report, per item, the fields that conflict.

    The rows are locked and read together, the versions users saw come from one history query,
    and the changed rows and their history rows are written in bulk: a section of any size
    saves in a fixed number of queries. Each item follows the same rule as alone. The
    assessment's row is locked first, so no save lands once it is submitted
    (:class:`AssessmentClosed`).
    """
    if not changes:
        return []
    for assessment_id in sorted({c.answer.assessment_id for c in changes}):
        assessment_lock_open(assessment_id)
    current = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .in_bulk([c.answer.pk for c in changes])
    )
    seen = _seen_versions(
        {
            c.answer.pk: c.base_version
            for c in changes
            if c.base_version != current[c.answer.pk].version
        }
    )
    results, changed, fields = [], [], {"version", "updated_by", "updated_at"}
    stamp = timezone.now()
    for change in changes:
        row = current[change.answer.pk]
        mine, conflicts = _merge(row, change, seen.get(row.pk))
        confirmed = change.confirm and row.needs_confirmation
        if not mine and not confirmed:
            results.append(SaveResult(row, [], conflicts))
            continue
        for name, value in mine.items():
            setattr(row, name, value)
        fields.update(mine)
        if row.needs_confirmation:
            row.needs_confirmation = False
            fields.add("needs_confirmation")
        row.version += 1
        row.updated_by = user
        row.updated_at = stamp
        changed.append(row)
        results.append(SaveResult(row, sorted(mine), conflicts))
    if len(changed) == 1:  # an autosave: a plain UPDATE is cheaper to build than a bulk one
        (row,) = changed
        row._history_user = user  # who, in the history, also outside a request
        row.save(update_fields=sorted(fields))
    elif changed:
        bulk_update_with_history(
            changed, Answer, sorted(fields), default_user=user, default_date=stamp
        )
    return results


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
    (result,) = answers_save([Change(answer, values, base_version, confirm)], user)
    return result


def _who(answer: Answer) -> str:
    user = answer.updated_by
    if user is None:
        return _("someone else")
    return user.get_full_name() or user.get_username()
