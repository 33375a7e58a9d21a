"""Saving answers without losing anything and without silent overwrites.

Every form carries the version of the answer it was rendered from. A save compares three
states of each field: as the user saw it (the history row of that version), as the user sends
it, and as it is now. The user's changes are applied; a field somebody else changed in between
to a different value is a conflict, returned with both values and left as the other person saved
it until the user decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .models import Answer

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


@transaction.atomic
def answers_save(changes: list[Change], user: AbstractBaseUser) -> list[SaveResult]:
    """Apply the changes of many items at once; report, per item, the fields that conflict.

    The rows are locked and read together, the versions users saw come from one history query,
    and the changed rows and their history rows are written in bulk: a section of any size
    saves in a fixed number of queries. Each item follows the same rule as alone.
    """
    if not changes:
        return []
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
    """Apply the user's changes to one answer; report fields that conflict."""
    (result,) = answers_save([Change(answer, values, base_version, confirm)], user)
    return result


def _who(answer: Answer) -> str:
    user = answer.updated_by
    if user is None:
        return "someone else"
    return user.get_full_name() or user.get_username()
