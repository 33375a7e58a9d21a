"""A demo cycle that looks like a real one: a few dozen member states at every stage.

Deterministic: each country's answers come from a random generator seeded with its ISO code, so
two runs (and two machines) show the same cycle. Written in bulk, with the answers' history
dated over the weeks of the cycle, so the response tracking's chart has a past to show.
Kenya and Fiji, the ministry demo accounts' countries, are left as ``demo.py`` makes them.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import UserPreference
from assessments.choices import (
    AnswerState,
    AssistanceKind,
    CrimeArea,
    DeliveryMode,
    Priority,
    Timeline,
)
from assessments.models import (
    Answer,
    Assessment,
    Cycle,
    DeadlineExtension,
    Membership,
    MemberState,
    SectionComment,
    StatusEvent,
)
from assessments.opening import assessment_open
from catalogue.models import Category
from scoring.results import snapshot_take

Status = Assessment.Status
VALIDATED, SUBMITTED, RETURNED = "validated", "submitted", "returned"
IN_PROGRESS, OVERDUE, NOT_STARTED = "in_progress", "overdue", "not_started"
# Every region, every stage: the stage of the i-th country is STAGES[i % len(STAGES)].
COUNTRIES = [
    "NGA", "ZAF", "EGY", "MAR", "SEN", "GHA", "ETH", "TZA", "UGA", "TUN",
    "BRA", "MEX", "COL", "ARG", "CAN", "PER", "JAM", "GTM",
    "IND", "IDN", "PHL", "JPN", "PAK", "JOR", "KAZ", "THA",
    "FRA", "DEU", "ITA", "ESP", "POL", "ROU", "SRB", "SWE",
    "AUS", "NZL", "PNG", "WSM",
]  # fmt: skip
STAGES = [VALIDATED, SUBMITTED, RETURNED, IN_PROGRESS, OVERDUE, VALIDATED, NOT_STARTED, SUBMITTED,
          IN_PROGRESS]  # fmt: skip
# The focal points of these countries read the site and their e-mails in French or Spanish.
LANGUAGES = {"SEN": "fr", "MAR": "fr", "TUN": "fr", "FRA": "fr", "MEX": "es", "COL": "es",
             "ARG": "es", "PER": "es", "GTM": "es", "ESP": "es"}  # fmt: skip
CYCLE_WEEKS = 26
DEADLINE_PASSED_DAYS = 9
PROVIDERS = [
    "None so far.",
    "UNDP: training of prosecutors (2025).",
    "European Union: border management project, ongoing.",
    "Bilateral support from a neighbouring state's financial intelligence unit.",
    "World Bank: case management system, planned.",
    "INTERPOL: access to databases at the main airport.",
]
SAFEGUARDS = [
    "Fair-trial guarantees of the constitution; judicial review of special investigative means.",
    "Data protection law of 2019 applies to every exchange of personal data.",
    "",
]
RETURN_COMMENTS = [
    "Please state the baseline and the target for each request for assistance.",
    "Several activities are marked 'unknown': could the ministry of justice confirm them?",
    "Say which other providers already support this work, or write 'none'.",
]
EXTENSION_REASONS = [
    "Elections delayed the inter-ministerial consultation.",
    "The new focal point took office last month.",
    "National consultation with the ministries under way.",
]


@dataclass(frozen=True)
class DemoCountry:
    iso3: str
    stage: str


def demo_countries() -> list[DemoCountry]:
    return [DemoCountry(iso3, STAGES[i % len(STAGES)]) for i, iso3 in enumerate(COUNTRIES)]


def demo_cycle_dates(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Half a year ago to a little over a week ago: some are late, some got more time."""
    return (
        today - datetime.timedelta(weeks=CYCLE_WEEKS),
        today - datetime.timedelta(days=DEADLINE_PASSED_DAYS),
    )


def cycle_populate(cycle: Cycle, *, staff: AbstractBaseUser) -> int:
    """Give each demo country its assessment at its stage, once; returns how many were made."""
    countries = {c.iso3: c for c in MemberState.objects.filter(iso3__in=COUNTRIES)}
    done = set(cycle.assessments.values_list("country__iso3", flat=True))
    categories = list(Category.objects.all())
    made = 0
    for position, demo in enumerate(demo_countries()):
        if demo.iso3 in done or demo.iso3 not in countries:
            continue
        _country_populate(cycle, countries[demo.iso3], demo.stage, position, staff, categories)
        made += 1
    return made


def _country_populate(cycle, country, stage, position, staff, categories) -> None:
    rng = random.Random(f"ta-needs-demo-{country.iso3}")
    focal = _focal_point(country)
    assessment = assessment_open(cycle=cycle, country=country)
    answers = list(assessment.answers.select_related("activity").order_by("activity__position"))
    share = {VALIDATED: 1.0, SUBMITTED: 1.0, RETURNED: 1.0, NOT_STARTED: 0.0}.get(
        stage, rng.uniform(0.25, 0.8)
    )
    answered = answers[: round(share * len(answers))]
    start = cycle.starts_on + datetime.timedelta(days=7 + position % 5 * 4)
    finish = cycle.ends_on - datetime.timedelta(days=rng.randint(3, 30))
    _answers_fill(answered, rng, focal, start, finish)
    if stage in (VALIDATED, SUBMITTED, RETURNED):
        _moves(assessment, stage, rng, focal, staff, finish, categories)
    if stage == IN_PROGRESS:
        DeadlineExtension.objects.create(
            assessment=assessment,
            ends_on=timezone.localdate() + datetime.timedelta(days=rng.choice([10, 24, 40])),
            reason=rng.choice(EXTENSION_REASONS),
            granted_by=staff,
        )


def _focal_point(country: MemberState) -> AbstractBaseUser:
    """A focal point who cannot log in (no password): they give the tracking page its names."""
    user, created = get_user_model().objects.get_or_create(
        username=f"{country.iso3.lower()}-focal",
        defaults={
            "first_name": "Focal point",
            "last_name": country.name,
            "email": f"focal.{country.iso3.lower()}@example.org",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        if country.iso3 in LANGUAGES:
            UserPreference.objects.create(user=user, language=LANGUAGES[country.iso3])
    Membership.objects.get_or_create(
        user=user, country=country, defaults={"role": Membership.Role.FOCAL_POINT}
    )
    return user


def _answers_fill(answers, rng, focal, start, finish) -> None:
    """Plausible answers, saved in four sittings spread between ``start`` and ``finish``.

    The rows were just opened and nothing refers to them yet, so they are written again in
    one INSERT (Django's bulk UPDATE of twenty columns is a hundred times slower), and their
    history is written as the four sittings' saves.
    """
    if not answers:
        return
    capacity = rng.uniform(1.2, 3.3)
    span = max(1, (finish - start).days)
    sittings = [answers[n::4] for n in range(4)]
    moments = [
        timezone.make_aware(
            datetime.datetime.combine(
                start + datetime.timedelta(days=span * (n + 1) // len(sittings)),
                datetime.time(10, 30),
            )
        )
        for n in range(len(sittings))
    ]
    for batch, moment in zip(sittings, moments, strict=True):
        for answer in batch:
            _answer_values(answer, rng, capacity)
            answer.version, answer.updated_by, answer.updated_at = 1, focal, moment
            answer.needs_confirmation, answer.prefill_note = False, ""
    Answer.objects.filter(pk__in=[a.pk for a in answers]).delete()
    Answer.objects.bulk_create(answers)
    for batch, moment in zip(sittings, moments, strict=True):
        if batch:  # auto_now set updated_at to now on INSERT: date it back
            Answer.objects.filter(pk__in=[a.pk for a in batch]).update(updated_at=moment)
            Answer.history.bulk_history_create(
                batch, update=True, default_user=focal, default_date=moment
            )


def _answer_values(answer: Answer, rng: random.Random, capacity: float) -> None:
    roll = rng.random()
    if roll < 0.04:
        answer.state = AnswerState.NOT_APPLICABLE
        answer.not_applicable_reason = "Not relevant to the national legal system."
        answer.assistance_needed = False
        return
    if roll < 0.09:
        answer.state, answer.level = AnswerState.UNKNOWN, None
        return
    level = max(0, min(4, round(rng.gauss(capacity, 1.0))))
    answer.state, answer.level = AnswerState.LEVEL, level
    answer.assistance_needed = level <= 2 and rng.random() < 0.6
    if not answer.assistance_needed:
        return
    answer.assistance_kinds = rng.sample(list(AssistanceKind.values), rng.randint(1, 2))
    answer.priority = Priority.HIGH if level == 0 else rng.choice(list(Priority.values))
    answer.timeline = rng.choice(list(Timeline.values))
    answer.crime_areas = rng.sample(list(CrimeArea.values), rng.randint(1, 3))
    answer.delivery_modes = rng.sample(list(DeliveryMode.values), rng.randint(1, 2))
    answer.other_providers = rng.choice(PROVIDERS)
    answer.safeguards = rng.choice(SAFEGUARDS)
    if rng.random() < 0.7:
        answer.baseline = f"Level {level} today."
        answer.target = f"Level {min(4, level + 2)} within {rng.choice(['two', 'three'])} years."
        answer.resources = f"About {rng.randint(2, 18)} expert-months."


def _moves(assessment, stage, rng, focal, staff, finish, categories) -> None:
    """The workflow events, dated: submitted at the end of the work, then reviewed."""
    submitted_at = timezone.make_aware(datetime.datetime.combine(finish, datetime.time(16)))
    events = [_event(assessment, Status.DRAFT, Status.SUBMITTED, focal, submitted_at)]
    assessment.status, assessment.submitted_at = Status.SUBMITTED, submitted_at
    assessment.save(update_fields=["status", "submitted_at"])
    snapshot_take(assessment=assessment, event=events[0])
    if stage == SUBMITTED:
        return
    reviewed_at = submitted_at + datetime.timedelta(days=rng.randint(2, 8))
    to_status = Status.VALIDATED if stage == VALIDATED else Status.RETURNED
    comment = "" if stage == VALIDATED else "Thank you: a few points to complete, see below."
    _event(assessment, Status.SUBMITTED, to_status, staff, reviewed_at, comment)
    assessment.status = to_status
    assessment.save(update_fields=["status"])
    if stage == RETURNED:
        for category, text in zip(rng.sample(categories, 2), RETURN_COMMENTS, strict=False):
            note = SectionComment.objects.create(
                assessment=assessment, category=category, author=staff, text=text
            )
            SectionComment.objects.filter(pk=note.pk).update(created_at=reviewed_at)


def _event(assessment, from_status, to_status, actor, at, comment="") -> StatusEvent:
    event = StatusEvent.objects.create(
        assessment=assessment, from_status=from_status, to_status=to_status, actor=actor,
        comment=comment,
    )
    StatusEvent.objects.filter(pk=event.pk).update(created_at=at)  # auto_now_add, backdated
    event.created_at = at
    return event


def extensions_for(assessments: QuerySet[Assessment], *, staff, days: int, reason: str) -> None:
    """More time for the given assessments, unless they already have some."""
    for assessment in assessments.filter(deadline_extensions__isnull=True):
        DeadlineExtension.objects.create(
            assessment=assessment,
            ends_on=timezone.localdate() + datetime.timedelta(days=days),
            reason=reason,
            granted_by=staff,
        )
