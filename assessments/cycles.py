"""Opening a cycle for every member state, and the 2004 baseline as cycle zero."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from kombu.exceptions import OperationalError

from .models import Answer, Assessment, Cycle, MemberState, SynopsisNeed
from .opening import assessment_open

logger = logging.getLogger(__name__)

BASELINE_NAME = "2004 synopsis (reported to the Counter-Terrorism Committee)"


@transaction.atomic
def cycle_open(cycle: Cycle) -> int:
    """Give every member state its assessment in the cycle; returns how many were created.

    The cycle's row is locked for the whole opening, so two openings at once (a retry, beat)
    run one after the other and the second creates nothing: one assessment per member state.
    """
    Cycle.objects.select_for_update().filter(pk=cycle.pk).exists()
    before = cycle.assessments.count()
    for country in MemberState.objects.exclude(assessments__cycle=cycle):
        assessment_open(cycle=cycle, country=country)
    cycle.opening_pending = False
    Cycle.objects.filter(pk=cycle.pk).update(opening_pending=False)
    return cycle.assessments.count() - before


def cycle_opening_send(*, cycle_id: int) -> bool:
    """Mark the opening pending and hand it to a worker; False when the broker is unreachable
    (the cycle stays pending, and beat's ``cycles_open_pending_task`` opens it once the broker
    is back). Call once the cycle is committed."""
    from .tasks import cycle_open_task

    Cycle.objects.filter(pk=cycle_id, is_baseline=False).update(opening_pending=True)
    try:
        cycle_open_task.apply_async((cycle_id,), retry=False)
    except OperationalError as exc:
        logger.warning("Opening of cycle %s is pending: broker unreachable (%s)", cycle_id, exc)
        return False
    return True


def cycles_open_pending() -> dict[int, int]:
    """Open every cycle whose opening has not completed: {cycle id: assessments created}."""
    pending = Cycle.objects.filter(opening_pending=True, is_baseline=False)
    return {cycle.pk: cycle_open(cycle) for cycle in pending}


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
