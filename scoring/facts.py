"""What scoring reads, loaded in a fixed number of queries into plain values.

The rules in ``index``, ``gaps``, ``guidelines`` and ``matching`` take these values, never
model instances, so they are tested without a database and run the same for one assessment or
for a whole cycle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Exists, OuterRef
from django.utils import translation

from assessments.choices import AnswerState
from assessments.models import Answer, Assessment, Evidence, RatificationStatus
from assessments.opening import FROM_2004
from catalogue.caches import ProcessCache
from catalogue.models import Activity, Category, Guideline

from .context import matching_context

NOT_APPLICABLE = AnswerState.NOT_APPLICABLE.value
LEVEL = AnswerState.LEVEL.value
UNKNOWN = AnswerState.UNKNOWN.value
OWN_WORDS_LIMIT = 1000  # characters
T = TypeVar("T")


def _memo(obj: object, name: str, compute: Callable[[], T]) -> T:
    """A value derived from a frozen dataclass, computed once (not part of its fields)."""
    try:
        return obj.__dict__[name]
    except KeyError:
        value = compute()
        object.__setattr__(obj, name, value)
        return value


@dataclass(frozen=True)
class ActivityFact:
    ref: str
    label: str
    text: str
    category: str  # numeral
    position: int
    target: int = 3
    obligation: str = ""


@dataclass(frozen=True)
class Frame:
    """The framework as scored: current activities in the document's order, categories,
    guidelines."""

    activities: tuple[ActivityFact, ...]
    categories: tuple[tuple[str, str], ...]  # (numeral, title) in order
    guidelines: tuple[tuple[int, str], ...]  # (number, text)

    def activity(self, ref: str) -> ActivityFact:
        return _memo(self, "_by_ref", lambda: {a.ref: a for a in self.activities})[ref]


@dataclass(frozen=True)
class AnswerFact:
    ref: str
    state: str = ""
    level: int | None = None
    assistance_needed: bool | None = None
    assistance_kinds: tuple[str, ...] = ()
    priority: str = ""
    timeline: str = ""
    crime_areas: tuple[str, ...] = ()
    other_providers: str = ""
    regional_obligations: str = ""
    safeguards: str = ""
    legal_context: str = ""
    delivery_modes: tuple[str, ...] = ()
    baseline: str = ""
    target: str = ""
    resources: str = ""
    comment: str = ""
    need_2004: str = ""  # what the country reported in 2004 for this activity
    needs_confirmation: bool = False
    has_evidence: bool = False

    @property
    def is_request(self) -> bool:
        """Assistance is requested (an item marked not applicable requests nothing)."""
        return bool(self.assistance_needed) and self.state != NOT_APPLICABLE

    @property
    def own_words(self) -> str:
        """The country's words on the item, for matching: its comment and its 2004 need
        (shortened: a pasted document would only slow the engine down)."""
        parts = (self.comment.strip()[:OWN_WORDS_LIMIT], self.need_2004.strip()[:OWN_WORDS_LIMIT])
        return " ".join(t for t in parts if t)


@dataclass(frozen=True)
class Ratification:
    ref: str
    section: str  # Part A section number
    kind: str
    status: str  # "" when unanswered


@dataclass(frozen=True)
class Profile:
    iso3: str
    name: str
    region: str = ""
    subregion: str = ""
    legal_tradition: str = ""
    legal_context: str = ""
    languages: tuple[str, ...] = ()  # the ministry's working languages; empty: not stated
    ratifications: tuple[Ratification, ...] = ()
    organisations: frozenset[str] = frozenset()

    def status_of(self, ref: str) -> str:
        return _memo(self, "_statuses", lambda: {r.ref: r.status for r in self.ratifications}).get(
            ref, ""
        )


@dataclass(frozen=True)
class Earlier:
    """The assessment a new one is compared with: an earlier cycle, or the 2004 synopsis."""

    assessment_id: int
    cycle: str
    is_baseline: bool
    answers: Mapping[str, AnswerFact] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    assessment_id: int
    cycle: str
    frame: Frame
    profile: Profile
    answers: Mapping[str, AnswerFact]  # by activity ref; every current activity has one
    earlier: Earlier | None = None

    def answer(self, ref: str) -> AnswerFact:
        return self.answers.get(ref) or AnswerFact(ref)

    @property
    def requests(self) -> list[tuple[ActivityFact, AnswerFact]]:
        """The requests in the document's order."""

        def find() -> list[tuple[ActivityFact, AnswerFact]]:
            pairs = ((a, self.answer(a.ref)) for a in self.frame.activities)
            return [(a, ans) for a, ans in pairs if ans.is_request]

        return _memo(self, "_requests", find)


_frame: ProcessCache[Frame] = ProcessCache("framework")


def frame_load(version: tuple | None = None) -> Frame:
    """The framework; with ``version`` (the catalogue's reference version) kept per process."""
    if version is None:
        return _frame_build()
    return _frame.get(version, _frame_build)


def _frame_build() -> Frame:
    with translation.override("en"):  # kept per process and stored in payloads: the source
        return _frame_read()


def _frame_read() -> Frame:
    activities = (
        Activity.objects.current()
        .select_related("category", "group__parent")
        .order_by("position")
    )
    return Frame(
        activities=tuple(
            ActivityFact(
                ref=a.ref,
                label=a.label,
                text=a.text,
                category=a.category.numeral,
                position=a.position,
                target=a.target_level,
                obligation=a.obligation,
            )
            for a in activities
        ),
        categories=tuple(Category.objects.order_by("position").values_list("numeral", "title")),
        guidelines=tuple(Guideline.objects.order_by("number").values_list("number", "text")),
    )


ANSWER_VALUES = (
    "state", "level", "assistance_needed", "assistance_kinds", "priority", "timeline",
    "crime_areas", "other_providers", "regional_obligations", "safeguards", "legal_context",
    "delivery_modes", "baseline", "target", "resources", "comment", "prefill_note",
    "needs_confirmation", "evidence_links",
)
TUPLES = ("assistance_kinds", "crime_areas", "delivery_modes")
_2004_PREFIX = FROM_2004.split("{")[0]


def _answer_fact(row: dict) -> AnswerFact:
    values = {k: row[k] for k in ANSWER_VALUES if k not in ("prefill_note", "evidence_links")}
    for name in TUPLES:
        values[name] = tuple(values[name] or ())
    note = row["prefill_note"] or ""
    return AnswerFact(
        ref=row["activity__ref"],
        need_2004=note[len(_2004_PREFIX):] if note.startswith(_2004_PREFIX) else "",
        has_evidence=bool(row["evidence_links"].strip()) or row["has_files"],
        **values,
    )


def answers_load(assessment_ids: Sequence[int]) -> dict[int, dict[str, AnswerFact]]:
    """The answers on current activities of each assessment, by activity ref (one query)."""
    files = Evidence.objects.filter(answer=OuterRef("pk"))
    rows = (
        Answer.objects.filter(assessment_id__in=assessment_ids, activity__is_retired=False)
        .annotate(has_files=Exists(files))
        .values("assessment_id", "activity__ref", "has_files", *ANSWER_VALUES)
    )
    by_assessment: dict[int, dict[str, AnswerFact]] = defaultdict(dict)
    for row in rows:
        by_assessment[row["assessment_id"]][row["activity__ref"]] = _answer_fact(row)
    return by_assessment


def _ratifications_load(assessment_ids: Sequence[int]) -> dict[int, list[Ratification]]:
    rows = (
        RatificationStatus.objects.filter(
            assessment_id__in=assessment_ids, instrument__is_retired=False
        )
        .order_by("instrument__position")
        .values_list(
            "assessment_id", "instrument__ref", "instrument__section__number",
            "instrument__kind", "status",
        )
    )
    by_assessment: dict[int, list[Ratification]] = defaultdict(list)
    for assessment_id, ref, section, kind, status in rows:
        by_assessment[assessment_id].append(Ratification(ref, section or "", kind, status))
    return by_assessment


def _earlier_load(assessments: Sequence[Assessment]) -> dict[int, Earlier]:
    """For each assessment, the one it is compared with (two queries for any number).

    The assessment it was pre-filled from when known, else the country's latest assessment of
    an earlier cycle, else its 2004 synopsis requests.
    """
    countries = {a.country_id for a in assessments}
    rows = (
        Assessment.objects.filter(country_id__in=countries)
        .order_by("-cycle__starts_on")
        .values_list("pk", "country_id", "cycle__starts_on", "cycle__is_baseline", "cycle__name")
    )
    by_country = defaultdict(list)
    for row in rows:
        by_country[row[1]].append(row)
    chosen: dict[int, tuple] = {}
    for a in assessments:
        candidates = [r for r in by_country[a.country_id] if r[0] != a.pk]
        if a.previous_id:
            match = [r for r in candidates if r[0] == a.previous_id]
        else:
            starts = a.cycle.starts_on
            match = [r for r in candidates if r[2] < starts and not r[3]]
            match = match or [r for r in candidates if r[3] and r[2] < starts]
        if match:
            chosen[a.pk] = match[0]
    answers = answers_load([row[0] for row in chosen.values()]) if chosen else {}
    return {
        pk: Earlier(
            assessment_id=row[0], cycle=row[4], is_baseline=row[3],
            answers=answers.get(row[0], {}),
        )
        for pk, row in chosen.items()
    }


def facts_load(assessments: Sequence[Assessment], frame: Frame) -> dict[int, Facts]:
    """The facts of many assessments (with ``cycle`` and ``country`` loaded) in five queries."""
    ids = [a.pk for a in assessments]
    answers = answers_load(ids)
    ratifications = _ratifications_load(ids)
    earlier = _earlier_load(assessments)
    context = matching_context()
    facts = {}
    for a in assessments:
        country = a.country
        facts[a.pk] = Facts(
            assessment_id=a.pk,
            cycle=a.cycle.name,
            frame=frame,
            profile=Profile(
                iso3=country.iso3,
                name=country.name,
                region=country.region,
                subregion=country.subregion,
                legal_tradition=a.legal_tradition,
                legal_context=a.legal_context,
                languages=tuple(a.languages.split()),
                ratifications=tuple(ratifications.get(a.pk, ())),
                organisations=context.organisations_of(
                    country.iso3, country.region, country.subregion
                ),
            ),
            answers=answers.get(a.pk, {}),
            earlier=earlier.get(a.pk),
        )
    return facts
