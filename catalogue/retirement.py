"""Retiring and reinstating activities and compendium entries.

A retired row leaves the questionnaire and the compendium's lists but keeps every answer and
link that points to it; rows are never deleted, so history is never rewritten.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet


@transaction.atomic
def rows_set_retired(*, rows: QuerySet, retired: bool, reason: str) -> int:
    """Retire (or reinstate) ``rows``; each change is saved one by one so history keeps it.

    Returns how many rows changed; rows already in the wanted state are left alone.
    """
    changed = 0
    for row in rows.filter(is_retired=not retired):
        row.is_retired = retired
        row._change_reason = reason
        row.save(update_fields=["is_retired"])
        changed += 1
    return changed
