"""Guideline alignment: a 0-100 score for each of the ten guidelines, from explicit criteria.

Each criterion is a function below, registered under its code; its wording and weight come
from ``GuidelineCriterion`` rows (``scoring/data/guideline_criteria.yaml``, edited by staff).
A criterion measures a value in [0, 1], or None when it does not apply (no request to judge,
activity without a level). The score of a guideline is::

    100 × Σ weight × value / Σ weight     over its criteria that apply (weight > 0)

and None ("insufficient information") when none applies. Completeness criteria (a field is
stated) and substance criteria (levels, ratifications) are separate, so an item not reported
never reads as an item not done; shares count over all requests, so completing one more item
never lowers a criterion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import gettext, ngettext

from assessments.choices import DeliveryMode, Ratification
from catalogue.models import Entry

from .context import matching_context
from .facts import LEVEL, ActivityFact, AnswerFact, Facts
from .index import aggregate
from .values import CriterionResult, GuidelineScore

# Requests in these categories should state human-rights safeguards (guideline 1).
SAFEGUARD_CATEGORIES = ("III", "VII", "VIII", "IX")
# Investigation, prosecution and international cooperation (guideline 6).
CAPACITY_CATEGORIES = ("VII", "X")
# The new methods of guideline 10 a-d.
NEW_METHODS = (
    DeliveryMode.ONLINE, DeliveryMode.LEGISLATORS, DeliveryMode.PNI, DeliveryMode.MENTORING
)
UNIVERSAL_SECTIONS = ("1", "3")
REPORTED = (
    Ratification.PARTY, Ratification.SIGNED, Ratification.IN_PROGRESS, Ratification.NOT_PARTY
)
PARTY_CREDIT = {Ratification.PARTY: 1.0, Ratification.SIGNED: 0.5, Ratification.IN_PROGRESS: 0.5}
HIGH_SHARE_ALLOWED = 0.5
PROFILE = "profile"  # an item of the profile section, not an activity


@dataclass(frozen=True)
class Measure:
    value: float | None
    detail: str
    items: tuple[str, ...] = ()
    count: int | None = None  # for "{count}" in the to-improve line; default len(items)


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    guideline: int
    label: str
    description: str
    weight: float
    to_improve: str

    @classmethod
    def from_row(cls, row) -> CriterionSpec:
        """The English wording (the source): results are kept in it, and a page in another
        language shows the row's wording in that language (see ``scoring/wording.py``)."""
        return cls(
            row.code, row.guideline.number, row.label_en or "", row.description_en or "",
            row.weight, row.to_improve_en or "",
        )


CRITERIA_FILE = Path(__file__).resolve().parent / "data" / "guideline_criteria.yaml"


def default_specs() -> list[CriterionSpec]:
    """The criteria as the data file gives them (before any staff edit)."""
    rows = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))["criteria"]
    return [
        CriterionSpec(
            r["code"], int(r["guideline"]), r["label"], r.get("description") or "",
            r["weight"], r["to_improve"],
        )
        for r in rows
    ]


Rule = Callable[[Facts], Measure]
CRITERIA: dict[str, Rule] = {}


def criterion(code: str) -> Callable[[Rule], Rule]:
    def register(rule: Rule) -> Rule:
        CRITERIA[code] = rule
        return rule

    return register


def guideline_score(values: Iterable[tuple[float | None, float]]) -> float | None:
    """100 × the weighted mean of the (value, weight) pairs that apply, in [0, 100]."""
    total = weighted = 0.0
    for value, weight in values:
        if value is None or weight <= 0:
            continue
        total += weight
        weighted += weight * min(max(value, 0.0), 1.0)
    return round(100 * weighted / total, 1) if total else None


def guideline_scores(facts: Facts, specs: Sequence[CriterionSpec]) -> tuple[GuidelineScore, ...]:
    """The ten scores, each with its criteria (met, not met with what to improve)."""
    by_guideline: dict[int, list[CriterionResult]] = {n: [] for n, _ in facts.frame.guidelines}
    for spec in specs:
        rule = CRITERIA.get(spec.code)
        if rule is None or spec.weight <= 0:
            continue
        by_guideline.setdefault(spec.guideline, []).append(_result(spec, rule(facts)))
    texts = dict(facts.frame.guidelines)
    return tuple(
        GuidelineScore(
            number=number,
            text=texts.get(number, ""),
            score=guideline_score((c.value, c.weight) for c in results),
            criteria=tuple(results),
        )
        for number, results in sorted(by_guideline.items())
    )


def _result(spec: CriterionSpec, measure: Measure) -> CriterionResult:
    value = None if measure.value is None else round(min(max(measure.value, 0.0), 1.0), 4)
    unmet = value is not None and value < 1
    count = measure.count if measure.count is not None else len(measure.items)
    return CriterionResult(
        code=spec.code,
        label=spec.label,
        description=spec.description,
        weight=spec.weight,
        value=value,
        detail=measure.detail,
        to_improve=spec.to_improve.replace("{count}", str(count)) if unmet else "",
        items=measure.items if unmet else (),
        count=count if unmet else None,
    )


# Building blocks ---------------------------------------------------------------------------

Pair = tuple[ActivityFact, AnswerFact]


def _share(
    pairs: Sequence[Pair],
    ok: Callable[[AnswerFact], bool],
    none: str,
    some: Callable[[int], str],
) -> Measure:
    """The share of ``pairs`` whose answer is ``ok``; None over nothing.

    ``none`` says there is nothing to count; ``some(total)`` is the sentence, with
    ``%(met)s`` and ``%(total)s``, in the plural form of ``total``.
    """
    if not pairs:
        return Measure(None, none)
    missing = tuple(a.ref for a, answer in pairs if not ok(answer))
    met = len(pairs) - len(missing)
    detail = some(len(pairs)) % {"met": met, "total": len(pairs)}
    return Measure(met / len(pairs), detail, missing)


def _activities(facts: Facts, categories: Sequence[str] | None = None) -> list[Pair]:
    return [
        (a, facts.answer(a.ref))
        for a in facts.frame.activities
        if categories is None or a.category in categories
    ]


def _requests(facts: Facts, categories: Sequence[str] | None = None) -> list[Pair]:
    return [(a, r) for a, r in facts.requests if categories is None or a.category in categories]


def _legislative(facts: Facts) -> list[Pair]:
    return [(a, r) for a, r in facts.requests if "legislative" in r.assistance_kinds]


def _level_of(facts: Facts, ref: str) -> Measure:
    """Level / 4 of one activity; does not apply until it has a level."""
    try:
        activity = facts.frame.activity(ref)
    except KeyError:
        return Measure(None, gettext("%(ref)s is not part of the framework") % {"ref": ref})
    answer = facts.answer(ref)
    if answer.state != LEVEL or answer.level is None:
        return Measure(
            None, gettext("%(activity)s has no level yet") % {"activity": activity.label}
        )
    return Measure(
        answer.level / 4,
        gettext("%(activity)s is at level %(level)s of 4")
        % {"activity": activity.label, "level": answer.level},
        (ref,),
        count=1,
    )


def _stated(text: str) -> bool:
    return bool(text.strip())


# Guideline 1: integrated approach, every instrument, human rights ---------------------------


@criterion("G1.answered")
def answered(facts: Facts) -> Measure:
    return _share(
        _activities(facts),
        lambda r: bool(r.state),
        gettext("no activities"),
        lambda n: ngettext(
            "%(met)s of %(total)s activity answered",
            "%(met)s of %(total)s activities answered",
            n,
        ),
    )


@criterion("G1.ratification_reported")
def ratification_reported(facts: Facts) -> Measure:
    rows = facts.profile.ratifications
    if not rows:
        return Measure(None, gettext("no instrument in the profile"))
    missing = [r for r in rows if r.status not in REPORTED]
    met = len(rows) - len(missing)
    return Measure(
        met / len(rows),
        ngettext(
            "%(met)s of %(total)s instrument with a status",
            "%(met)s of %(total)s instruments with a status",
            len(rows),
        ) % {"met": met, "total": len(rows)},
        (PROFILE,) if missing else (),
        count=len(missing),
    )


@criterion("G1.universal_party")
def universal_party(facts: Facts) -> Measure:
    rows = [
        r
        for r in facts.profile.ratifications
        if r.section in UNIVERSAL_SECTIONS and r.kind in Entry.RATIFIABLE and r.status in REPORTED
    ]
    if not rows:
        return Measure(None, gettext("no universal convention or protocol with a status"))
    party = sum(1 for r in rows if r.status == Ratification.PARTY)
    half = sum(1 for r in rows if PARTY_CREDIT.get(r.status) == 0.5)
    value = sum(PARTY_CREDIT.get(r.status, 0.0) for r in rows) / len(rows)
    detail = ngettext(
        "party to %(party)s of %(total)s universal convention or protocol reported",
        "party to %(party)s of %(total)s universal conventions and protocols reported",
        len(rows),
    ) % {"party": party, "total": len(rows)}
    if half:
        detail += " " + gettext("(%(half)s signed or in progress)") % {"half": half}
    return Measure(value, detail, (PROFILE,) if value < 1 else (), count=len(rows) - party)


@criterion("G1.safeguards")
def safeguards(facts: Facts) -> Measure:
    return _share(
        _requests(facts, SAFEGUARD_CATEGORIES),
        lambda r: _stated(r.safeguards),
        gettext("no requests in III, VII, VIII and IX"),
        lambda n: ngettext(
            "%(met)s of %(total)s request in III, VII, VIII and IX states safeguards",
            "%(met)s of %(total)s requests in III, VII, VIII and IX state safeguards",
            n,
        ),
    )


# Guideline 2: comprehensive, the links between terrorism and related crime ------------------


@criterion("G2.crime_areas")
def crime_areas(facts: Facts) -> Measure:
    return _share(
        _requests(facts),
        lambda r: bool(r.crime_areas),
        gettext("no requests"),
        lambda n: ngettext(
            "%(met)s of %(total)s request names its crime areas",
            "%(met)s of %(total)s requests name their crime areas",
            n,
        ),
    )


@criterion("G2.linked")
def linked(facts: Facts) -> Measure:
    named = [(a, r) for a, r in facts.requests if r.crime_areas]
    if not named:
        return Measure(None, gettext("no request names a crime area"))
    links = [a.ref for a, r in named if "terrorism" in r.crime_areas and len(r.crime_areas) > 1]
    if links:
        detail = ngettext(
            "%(count)s request links terrorism to related crime",
            "%(count)s requests link terrorism to related crime",
            len(links),
        ) % {"count": len(links)}
        return Measure(1.0, detail)
    single = tuple(a.ref for a, r in named if len(r.crime_areas) == 1)
    return Measure(
        0.0, gettext("no request names terrorism with a related crime area"), single
    )


# Guideline 3: coordination ------------------------------------------------------------------


@criterion("G3.other_providers")
def other_providers(facts: Facts) -> Measure:
    return _share(
        _requests(facts),
        lambda r: _stated(r.other_providers),
        gettext("no requests"),
        lambda n: ngettext(
            "%(met)s of %(total)s request declares providers",
            "%(met)s of %(total)s requests declare providers",
            n,
        ),
    )


@criterion("G3.reporting")
def reporting(facts: Facts) -> Measure:
    return _level_of(facts, "I.4")


# Guideline 4: regional and bilateral obligations --------------------------------------------


@criterion("G4.regional_obligations")
def regional_obligations(facts: Facts) -> Measure:
    return _share(
        _requests(facts),
        lambda r: _stated(r.regional_obligations),
        gettext("no requests"),
        lambda n: ngettext(
            "%(met)s of %(total)s request states regional obligations",
            "%(met)s of %(total)s requests state regional obligations",
            n,
        ),
    )


@criterion("G4.regional_instruments")
def regional_instruments(facts: Facts) -> Measure:
    context = matching_context()
    mine = facts.profile.organisations
    rows = [
        r
        for r in facts.profile.ratifications
        if r.ref.startswith("A-") and mine.intersection(context.regional.get(r.ref, ()))
    ]
    if not rows:
        return Measure(
            None, gettext("no regional convention of the country's organisations listed")
        )
    missing = [r for r in rows if r.status not in REPORTED]
    met = len(rows) - len(missing)
    return Measure(
        met / len(rows),
        ngettext(
            "%(met)s of %(total)s regional convention with a status",
            "%(met)s of %(total)s regional conventions with a status",
            len(rows),
        ) % {"met": met, "total": len(rows)},
        (PROFILE,) if missing else (),
        count=len(missing),
    )


# Guideline 5: responsive to requests, needs and priorities ----------------------------------


@criterion("G5.prioritised")
def prioritised(facts: Facts) -> Measure:
    return _share(
        _requests(facts),
        lambda r: bool(r.priority),
        gettext("no requests"),
        lambda n: ngettext(
            "%(met)s of %(total)s request prioritised",
            "%(met)s of %(total)s requests prioritised",
            n,
        ),
    )


@criterion("G5.differentiated")
def differentiated(facts: Facts) -> Measure:
    ranked = [(a, r) for a, r in facts.requests if r.priority]
    if len(ranked) < 2:
        return Measure(None, gettext("fewer than two prioritised requests"))
    high = tuple(a.ref for a, r in ranked if r.priority == "high")
    share = len(high) / len(ranked)
    value = 1.0 if share <= HIGH_SHARE_ALLOWED else (1 - share) / (1 - HIGH_SHARE_ALLOWED)
    detail = ngettext(
        "%(high)s of %(total)s prioritised request is high",
        "%(high)s of %(total)s prioritised requests are high",
        len(ranked),
    ) % {"high": len(high), "total": len(ranked)}
    return Measure(value, detail, high if value < 1 else ())


def _consistent(activity: ActivityFact, answer: AnswerFact) -> bool:
    at_target = answer.state == LEVEL and answer.level is not None
    at_target = at_target and answer.level >= activity.target
    return not at_target or _stated(answer.comment)


@criterion("G5.consistent")
def consistent(facts: Facts) -> Measure:
    pairs = _requests(facts)
    if not pairs:
        return Measure(None, gettext("no requests"))
    odd = tuple(a.ref for a, r in pairs if not _consistent(a, r))
    met = len(pairs) - len(odd)
    detail = ngettext(
        "%(met)s of %(total)s request consistent",
        "%(met)s of %(total)s requests consistent",
        len(pairs),
    ) % {"met": met, "total": len(pairs)}
    return Measure(met / len(pairs), detail, odd)


@criterion("G5.needs_assessment")
def needs_assessment(facts: Facts) -> Measure:
    return _level_of(facts, "I.2")


# Guideline 6: capacity of investigation, prosecution and cooperation ------------------------


@criterion("G6.capacity_answered")
def capacity_answered(facts: Facts) -> Measure:
    return _share(
        _activities(facts, CAPACITY_CATEGORIES),
        lambda r: bool(r.state),
        gettext("no activities in VII and X"),
        lambda n: ngettext(
            "%(met)s of %(total)s activity in VII and X answered",
            "%(met)s of %(total)s activities in VII and X answered",
            n,
        ),
    )


def _below_target(pairs: Sequence[Pair]) -> list[Pair]:
    return [
        (a, r)
        for a, r in pairs
        if r.state == LEVEL and r.level is not None and r.level < a.target
    ]


@criterion("G6.capacity_level")
def capacity_level(facts: Facts) -> Measure:
    pairs = _activities(facts, CAPACITY_CATEGORIES)
    index = aggregate((r.state, r.level) for _, r in pairs)
    if index.value is None:
        return Measure(None, gettext("no activity of VII and X has a level"))
    below = tuple(a.ref for a, _ in _below_target(pairs))
    return Measure(
        index.value,
        ngettext(
            "index %(percent)s %% over %(count)s activity of VII and X",
            "index %(percent)s %% over %(count)s activities of VII and X",
            index.with_level,
        ) % {"percent": index.percent, "count": index.with_level},
        below,
    )


@criterion("G6.capacity_requested")
def capacity_requested(facts: Facts) -> Measure:
    return _share(
        _below_target(_activities(facts, CAPACITY_CATEGORIES)),
        lambda r: r.is_request,
        gettext("no gaps in VII and X"),
        lambda n: ngettext(
            "%(met)s of %(total)s gap in VII and X with a request",
            "%(met)s of %(total)s gaps in VII and X with a request",
            n,
        ),
    )


# Guideline 7: assessing needs and evaluating effect -----------------------------------------


@criterion("G7.baseline_target")
def baseline_target(facts: Facts) -> Measure:
    pairs = _requests(facts)
    if not pairs:
        return Measure(None, gettext("no requests"))
    halves = [(_stated(r.baseline) + _stated(r.target)) / 2 for _, r in pairs]
    full = sum(1 for h in halves if h == 1)
    missing = tuple(a.ref for (a, _), h in zip(pairs, halves, strict=True) if h < 1)
    return Measure(
        sum(halves) / len(pairs),
        ngettext(
            "%(met)s of %(total)s request with a baseline and a target",
            "%(met)s of %(total)s requests with a baseline and a target",
            len(pairs),
        ) % {"met": full, "total": len(pairs)},
        missing,
    )


@criterion("G7.earlier_cycle")
def earlier_cycle(facts: Facts) -> Measure:
    earlier = facts.earlier
    if earlier is None:
        return Measure(0.0, gettext("no earlier assessment"), count=0)
    if earlier.is_baseline:
        return Measure(0.5, gettext("compared with the 2004 synopsis only"), count=0)
    return Measure(1.0, gettext("compared with %(cycle)s") % {"cycle": earlier.cycle})


@criterion("G7.evidence")
def evidence(facts: Facts) -> Measure:
    pairs = [
        (a, r)
        for a, r in _activities(facts)
        if r.state == LEVEL and r.level is not None and r.level >= 3
    ]
    return _share(
        pairs,
        lambda r: r.has_evidence,
        gettext("no activities at level 3 or 4"),
        lambda n: ngettext(
            "%(met)s of %(total)s activity at level 3 or 4 with evidence",
            "%(met)s of %(total)s activities at level 3 or 4 with evidence",
            n,
        ),
    )


# Guideline 8: legal systems and traditions --------------------------------------------------


@criterion("G8.legal_tradition")
def legal_tradition(facts: Facts) -> Measure:
    if facts.profile.legal_tradition:
        return Measure(1.0, gettext("legal tradition stated"))
    return Measure(0.0, gettext("legal tradition not stated"), (PROFILE,))


@criterion("G8.legal_context")
def legal_context(facts: Facts) -> Measure:
    if _stated(facts.profile.legal_context):
        return Measure(1.0, gettext("legal system described"))
    return Measure(0.0, gettext("legal system not described"), (PROFILE,))


@criterion("G8.legislative_context")
def legislative_context(facts: Facts) -> Measure:
    return _share(
        _legislative(facts),
        lambda r: _stated(r.legal_context),
        gettext("no requests for legislative drafting"),
        lambda n: ngettext(
            "%(met)s of %(total)s request for legislative drafting states its legal context",
            "%(met)s of %(total)s requests for legislative drafting state their legal context",
            n,
        ),
    )


# Guideline 9: timely and cost-effective -----------------------------------------------------


@criterion("G9.timeline")
def timeline(facts: Facts) -> Measure:
    return _share(
        _requests(facts),
        lambda r: bool(r.timeline),
        gettext("no requests"),
        lambda n: ngettext(
            "%(met)s of %(total)s request with a timeline",
            "%(met)s of %(total)s requests with a timeline",
            n,
        ),
    )


@criterion("G9.resources")
def resources(facts: Facts) -> Measure:
    return _share(
        _requests(facts),
        lambda r: _stated(r.resources),
        gettext("no requests"),
        lambda n: ngettext(
            "%(met)s of %(total)s request with resources estimated",
            "%(met)s of %(total)s requests with resources estimated",
            n,
        ),
    )


@criterion("G9.resource_assessment")
def resource_assessment(facts: Facts) -> Measure:
    return _level_of(facts, "I.3")


# Guideline 10: new methods of delivery ------------------------------------------------------


@criterion("G10.delivery")
def delivery(facts: Facts) -> Measure:
    return _share(
        _requests(facts),
        lambda r: bool(r.delivery_modes),
        gettext("no requests"),
        lambda n: ngettext(
            "%(met)s of %(total)s request with a delivery mode",
            "%(met)s of %(total)s requests with a delivery mode",
            n,
        ),
    )


@criterion("G10.new_methods")
def new_methods(facts: Facts) -> Measure:
    return _share(
        _requests(facts),
        lambda r: any(m in NEW_METHODS for m in r.delivery_modes),
        gettext("no requests"),
        lambda n: ngettext(
            "%(met)s of %(total)s request open to a new method",
            "%(met)s of %(total)s requests open to a new method",
            n,
        ),
    )


@criterion("G10.legislators")
def legislators(facts: Facts) -> Measure:
    return _share(
        _legislative(facts),
        lambda r: DeliveryMode.LEGISLATORS in r.delivery_modes,
        gettext("no requests for legislative drafting"),
        lambda n: ngettext(
            "%(met)s of %(total)s request for legislative drafting with legislators",
            "%(met)s of %(total)s requests for legislative drafting with legislators",
            n,
        ),
    )
