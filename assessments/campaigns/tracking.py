"""Response tracking: where every country of a cycle stands, in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, DateTimeField, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from ..models import Answer, Assessment, Cycle, Membership, StatusEvent
from .deadlines import days_left, with_deadline


class Stage:
    """Where a country stands; "overdue" is apart, as it crosses the draft and returned stages."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = Assessment.Status.SUBMITTED.value
    RETURNED = Assessment.Status.RETURNED.value
    VALIDATED = Assessment.Status.VALIDATED.value
    OVERDUE = "overdue"
    LABELS = {
        NOT_STARTED: _("Not started"),
        IN_PROGRESS: _("In progress"),
        SUBMITTED: _("Submitted"),
        RETURNED: _("Returned"),
        VALIDATED: _("Validated"),
        OVERDUE: _("Overdue"),
    }


@dataclass
class TrackingRow:
    assessment: Assessment
    answered: int
    total: int
    deadline: datetime.date
    days_left: int
    last_activity: datetime.datetime | None
    focal_points: list[AbstractBaseUser] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def stage(self) -> str:
        status = self.assessment.status
        if status != Assessment.Status.DRAFT:
            return status
        return Stage.IN_PROGRESS if self.answered else Stage.NOT_STARTED

    @property
    def stage_label(self) -> str:
        return str(Stage.LABELS[self.stage])

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0 and self.assessment.status in {
            Assessment.Status.DRAFT,
            Assessment.Status.RETURNED,
        }

    def matches(self, stage: str) -> bool:
        return not stage or (self.is_overdue if stage == Stage.OVERDUE else self.stage == stage)


def tracking_rows(cycle: Cycle, today: datetime.date) -> list[TrackingRow]:
    """Every assessment of the cycle with its progress, deadline, last move and focal points.

    Two queries whatever the number of countries: the assessments with their counts, and the
    focal points of their countries.
    """
    current = Q(answers__activity__is_retired=False)
    last_move = StatusEvent.objects.filter(assessment=OuterRef("pk")).order_by("-created_at")
    assessments = with_deadline(Assessment.objects.filter(cycle=cycle)).select_related(
        "cycle", "country"
    ).annotate(
        answered=Count("answers", filter=current & ~Q(answers__state="")),
        total=Count("answers", filter=current),
        last_answer=Max("answers__updated_at", filter=Q(answers__version__gt=0)),
        last_move=Subquery(last_move.values("created_at")[:1], output_field=DateTimeField()),
    ).order_by("country__name")
    rows = [
        TrackingRow(
            assessment=a,
            answered=a.answered,
            total=a.total,
            deadline=a.deadline,
            days_left=days_left(a.deadline, today),
            last_activity=max((d for d in (a.last_answer, a.last_move) if d), default=None),
        )
        for a in assessments
    ]
    people = defaultdict(list)
    for membership in Membership.objects.filter(
        role=Membership.Role.FOCAL_POINT, country__assessments__cycle=cycle
    ).select_related("user"):
        people[membership.country_id].append(membership.user)
    for row in rows:
        row.focal_points = people.get(row.assessment.country_id, [])
    return rows


@dataclass(frozen=True)
class StageCounts:
    """How many countries of one region (or all) stand at each stage, in ``Stage.LABELS`` order."""

    region: str
    cells: list[tuple[str, int]]
    total: int


def stage_counts(rows: list[TrackingRow]) -> tuple[list[StageCounts], StageCounts]:
    """Counts per region, and for all regions together."""
    overall: Counter = Counter()
    by_region: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        for counter in (overall, by_region[row.assessment.country.region]):
            counter[row.stage] += 1
            if row.is_overdue:
                counter[Stage.OVERDUE] += 1

    def counts(region: str, counter: Counter, total: int) -> StageCounts:
        return StageCounts(region, [(key, counter[key]) for key in Stage.LABELS], total)

    regions = Counter(row.assessment.country.region for row in rows)
    return (
        [counts(region, by_region[region], regions[region]) for region in sorted(regions)],
        counts("", overall, len(rows)),
    )


@dataclass(frozen=True)
class WeeklyProgress:
    """Answers saved and assessments submitted in each week of the cycle."""

    weeks: list[datetime.date]
    answers: list[int]
    submissions: list[int]


def weekly_progress(cycle: Cycle, today: datetime.date) -> WeeklyProgress:
    """Two grouped queries: saves from the answers' history, submissions from the workflow."""
    saves = (
        Answer.history.filter(assessment__cycle=cycle, history_type="~")
        .exclude(state="")
        .annotate(week=TruncWeek("history_date"))
        .values("week")
        .annotate(n=Count("history_id"))
    )
    submissions = (
        StatusEvent.objects.filter(assessment__cycle=cycle, to_status=Assessment.Status.SUBMITTED)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"))
    )
    by_week_saves = {_as_date(r["week"]): r["n"] for r in saves}
    by_week_submissions = {_as_date(r["week"]): r["n"] for r in submissions}
    start = _monday(cycle.starts_on)
    seen = [*by_week_saves, *by_week_submissions]
    # Up to today, or a quarter past the deadline for a cycle long closed.
    end = max([_monday(min(today, cycle.ends_on + AFTER_DEADLINE)), *seen])
    if seen:
        start = min(start, *seen)
    weeks = []
    week = start
    while week <= end:
        weeks.append(week)
        week += datetime.timedelta(days=7)
    return WeeklyProgress(
        weeks,
        [by_week_saves.get(w, 0) for w in weeks],
        [by_week_submissions.get(w, 0) for w in weeks],
    )


AFTER_DEADLINE = datetime.timedelta(weeks=13)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
