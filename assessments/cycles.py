"""Opening a cycle for every member state, and the 2004 baseline as cycle zero."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction

from .models import Answer, Assessment, Cycle, MemberState, SynopsisNeed
from .opening import assessment_open

BASELINE_NAME = "2004 synopsis (reported to the Counter-Terrorism Committee)"


@transaction.atomic
def cycle_open(cycle: Cycle) -> int:
    """Give every member state its assessment in the cycle; returns how many were created."""
    before = cycle.assessments.count()
    for country in MemberState.objects.exclude(assessments__cycle=cycle):
        assessment_open(cycle=cycle, country=country)
    return cycle.assessments.count() - before


@transaction.atomic
def baseline_build() -> Cycle:
    """Cycle zero: each 2004 country's needs as requests for the activities they map to.

    Rebuilt from the synopsis and its mapping each time (it is read-only for everyone else).
    """
    cycle, _ = Cycle.objects.update_or_create(
        is_baseline=True,
        defaults={
            "name": BASELINE_NAME,
            "starts_on": datetime.date(2004, 2, 24),
            "ends_on": datetime.date(2004, 2, 27),
        },
    )
    needs = SynopsisNeed.objects.prefetch_related("activities").order_by("country", "position")
    by_country: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for need in needs:
        activities_of = by_country[need.country_id]
        for activity in need.activities.all():
            activities_of[activity.pk].append(need.text)
    for country_id, activities in by_country.items():
        assessment, _ = Assessment.objects.get_or_create(
            cycle=cycle, country_id=country_id, defaults={"status": Assessment.Status.VALIDATED}
        )
        Answer.objects.filter(assessment=assessment).exclude(activity_id__in=activities).delete()
        existing = {a.activity_id: a for a in assessment.answers.all()}
        for activity_id, texts in activities.items():
            comment = "\n".join(texts)
            answer = existing.get(activity_id)
            if answer is None:
                Answer.objects.create(
                    assessment=assessment,
                    activity_id=activity_id,
                    assistance_needed=True,
                    comment=comment,
                )
            elif answer.comment != comment or not answer.assistance_needed:
                answer.comment, answer.assistance_needed = comment, True
                answer.save(update_fields=["comment", "assistance_needed"])
    return cycle
