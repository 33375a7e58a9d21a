"""Mapping each 2004 synopsis need to the activities it concerns, with the matching engine.

Needs staff mapped by hand are never touched. A need the engine matches nothing well for is
left without activities: it is listed at the top of the questionnaire and in admin for staff.
"""

from __future__ import annotations

from django.db import transaction

from catalogue.matching import activities_for_needs
from catalogue.models import Activity

from .models import SynopsisNeed


@transaction.atomic
def synopsis_map() -> dict[str, int]:
    """(Re)map every need not mapped by staff; returns how many were mapped and unmatched."""
    needs = list(
        SynopsisNeed.objects.exclude(mapped_by=SynopsisNeed.MappedBy.STAFF).prefetch_related(
            "activities"
        )
    )
    results = activities_for_needs([need.text for need in needs])
    ids = dict(Activity.objects.values_list("ref", "pk"))
    counts = {"mapped": 0, "unmatched": 0, "changed": 0}
    for need, matches in zip(needs, results, strict=True):
        wanted = sorted(ids[m.ref] for m in matches)
        reasons = "\n".join(f"{m.ref} ({m.score:.2f}): {'; '.join(m.reasons)}" for m in matches)
        counts["mapped" if matches else "unmatched"] += 1
        current = sorted(a.pk for a in need.activities.all())
        mapped_by = SynopsisNeed.MappedBy.ENGINE if matches else SynopsisNeed.MappedBy.NOBODY
        if current == wanted and need.mapping_reasons == reasons and need.mapped_by == mapped_by:
            continue
        need.activities.set(wanted)
        need.mapping_reasons, need.mapped_by = reasons, mapped_by
        need.save(update_fields=["mapping_reasons", "mapped_by"])
        counts["changed"] += 1
    return counts
