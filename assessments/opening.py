"""Opening an assessment: one answer row per activity, pre-filled from what came before.

A new assessment starts from the country's latest earlier assessment; failing that, from the
needs the country reported in 2004 (the synopsis, mapped to activities). Pre-filled items are
marked for the ministry to confirm, never silently taken as current.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from catalogue.models import Activity, Category, Entry, Part

from .answering import ANSWER_FIELDS
from .models import Answer, Assessment, Cycle, MemberState, RatificationStatus, SynopsisNeed

# Notes stored with the answer in English, the data's language, and shown in the reader's
# (prefill_note_shown).
FROM_PREVIOUS = gettext_noop("From the previous cycle ({cycle}): please confirm or correct.")
FROM_2004 = gettext_noop("Reported in 2004: {needs}")


def _stored_pattern(template: str) -> re.Pattern[str]:
    pieces = re.split(r"\{(\w+)\}", template)  # literal, name, literal, name, ...
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*)" for i, p in enumerate(pieces)),
        re.DOTALL,
    )


_STORED_NOTES = [(t, _stored_pattern(t)) for t in (FROM_PREVIOUS, FROM_2004)]


def prefill_note_shown(note: str) -> str:
    """A stored pre-fill note in the reader's language (other notes as they were written)."""
    for template, pattern in _STORED_NOTES:
        match = pattern.fullmatch(note)
        if match:
            return gettext(template).format(**match.groupdict())
    return note


@transaction.atomic
def assessment_open(*, cycle: Cycle, country: MemberState) -> Assessment:
    """Create the country's assessment for the cycle (or return the existing one)."""
    if cycle.is_baseline:
        raise ValueError("The 2004 baseline is read-only: open a new cycle instead.")
    assessment, created = Assessment.objects.get_or_create(cycle=cycle, country=country)
    if not created:
        return assessment
    previous = (
        Assessment.objects.filter(
            country=country, cycle__starts_on__lt=cycle.starts_on, cycle__is_baseline=False
        )
        .order_by("-cycle__starts_on")
        .first()
    )
    answers_ensure(assessment)
    ratifications_ensure(assessment)
    if previous is not None:
        _prefill_from_previous(assessment, previous)
    else:
        _prefill_from_2004(assessment)
    return assessment


def answers_ensure(assessment: Assessment, category: Category | None = None) -> None:
    """Give every current activity (of the category) an answer row, added ones included."""
    activities = Activity.objects.current().exclude(answers__assessment=assessment)
    if category is not None:
        activities = activities.filter(category=category)
    missing = list(activities.values_list("pk", flat=True))
    if missing:
        Answer.objects.bulk_create(
            [Answer(assessment=assessment, activity_id=pk) for pk in missing],
            ignore_conflicts=True,
        )


def ratifications_ensure(assessment: Assessment) -> None:
    have = set(assessment.ratifications.values_list("instrument_id", flat=True))
    missing = Entry.objects.current().filter(part=Part.A).exclude(pk__in=have)
    RatificationStatus.objects.bulk_create(
        [RatificationStatus(assessment=assessment, instrument=e) for e in missing],
        ignore_conflicts=True,
    )


def _prefill_from_previous(assessment: Assessment, previous: Assessment) -> None:
    note = FROM_PREVIOUS.format(cycle=previous.cycle.name)
    earlier = {a.activity_id: a for a in previous.answers.all()}
    changed = []
    for answer in assessment.answers.all():
        source = earlier.get(answer.activity_id)
        if source is None or not (source.state or source.assistance_needed):
            continue
        for name in ANSWER_FIELDS:
            setattr(answer, name, getattr(source, name))
        answer.prefill_note = note
        answer.needs_confirmation = True
        changed.append(answer)
    Answer.objects.bulk_update(changed, [*ANSWER_FIELDS, "prefill_note", "needs_confirmation"])
    statuses = dict(previous.ratifications.values_list("instrument_id", "status"))
    ratifications = list(assessment.ratifications.all())
    for row in ratifications:
        row.status = statuses.get(row.instrument_id, "")
    RatificationStatus.objects.bulk_update(ratifications, ["status"])
    assessment.legal_tradition = previous.legal_tradition
    assessment.legal_context = previous.legal_context
    assessment.previous = previous
    assessment.save(update_fields=["legal_tradition", "legal_context", "previous"])


def _prefill_from_2004(assessment: Assessment) -> None:
    needs_by_activity: dict[int, list[str]] = defaultdict(list)
    needs = SynopsisNeed.objects.filter(country=assessment.country).prefetch_related("activities")
    for need in needs:
        for activity in need.activities.all():
            needs_by_activity[activity.pk].append(need.text)
    changed = []
    for answer in assessment.answers.filter(activity_id__in=needs_by_activity):
        texts = needs_by_activity[answer.activity_id]
        answer.assistance_needed = True
        answer.prefill_note = FROM_2004.format(needs="; ".join(f"“{t}”" for t in texts))
        answer.needs_confirmation = True
        changed.append(answer)
    Answer.objects.bulk_update(
        changed, ["assistance_needed", "prefill_note", "needs_confirmation"]
    )
