"""Gaps: the rule, their severity, and their ranking.

The rule (:func:`is_gap`) is a pure function with an explicit interval: an activity is a gap
when its level lies in [0, target) or assistance is requested for it; an activity marked not
applicable is never a gap, and one of unknown level without a request is listed apart, not
counted as a gap.

Severity (:func:`severity`), in [0, 100]::

    100 × (Wd × distance + Wp × priority + Wo × obligation) / (Wd + Wp + Wo)

distance = (target − level) / target below the target, 0 at or above it (a request only), and
the "unknown distance" share for a request without a known level; priority and obligation are
the factors of :class:`SeverityWeights` (staff edit them as ``ScoringWeights`` in admin).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

from assessments.choices import Priority

from .facts import LEVEL, NOT_APPLICABLE, ActivityFact, AnswerFact, Facts
from .values import Gap

# The reasons of a gap, translated when the results are computed (see scoring.results).
BELOW_TARGET = gettext_noop("level {level} is below the target {target}")
REQUESTED = gettext_noop("assistance requested")
REQUESTED_PRIORITY = gettext_noop("assistance requested ({priority} priority)")
UNKNOWN_LEVEL = gettext_noop("level not known")
PRIORITY_LABELS = dict(Priority.choices)


@dataclass(frozen=True)
class SeverityWeights:
    """Weights of severity; factors are fractions in [0, 1]."""

    distance: float = 50
    priority: float = 30
    obligation: float = 20
    priorities: dict[str, float] = field(
        default_factory=lambda: {"high": 1.0, "medium": 0.6, "low": 0.3, "": 0.0}
    )
    obligations: dict[str, float] = field(
        default_factory=lambda: {"mandated": 1.0, "recommended": 0.5, "": 0.75}
    )
    unknown_distance: float = 0.5

    @classmethod
    def from_row(cls, row) -> SeverityWeights:
        """From a ``ScoringWeights`` row (percentages)."""
        return cls(
            distance=row.distance_weight,
            priority=row.priority_weight,
            obligation=row.obligation_weight,
            priorities={
                "high": row.priority_high / 100,
                "medium": row.priority_medium / 100,
                "low": row.priority_low / 100,
                "": row.priority_unset / 100,
            },
            obligations={
                "mandated": row.mandated / 100,
                "recommended": row.recommended / 100,
                "": row.obligation_unspecified / 100,
            },
            unknown_distance=row.unknown_distance / 100,
        )


def is_gap(state: str, level: int | None, target: int, assistance_needed: bool | None) -> bool:
    """Whether an activity is a gap: level in [0, target), or assistance requested.

    Never when not applicable. An unknown or missing level is no gap by itself (it is listed
    apart); with a request it is one.
    """
    if state == NOT_APPLICABLE:
        return False
    if state == LEVEL and level is not None and 0 <= level < target:
        return True
    return bool(assistance_needed)


def distance(state: str, level: int | None, target: int, weights: SeverityWeights) -> float:
    """How far below its target the activity is, in [0, 1]."""
    if state != LEVEL or level is None:
        return _clip(weights.unknown_distance)
    if target <= 0 or level >= target:
        return 0.0
    return _clip((target - max(level, 0)) / target)


def severity(
    *, distance: float, priority: str, obligation: str, weights: SeverityWeights
) -> float:
    """Severity of a gap in [0, 100] (see the module's docstring)."""
    total = weights.distance + weights.priority + weights.obligation
    if total <= 0:
        return 0.0
    score = (
        weights.distance * _clip(distance)
        + weights.priority * _clip(weights.priorities.get(priority, 0.0))
        + weights.obligation * _clip(weights.obligations.get(obligation, 0.0))
    )
    return round(100 * score / total, 1)


def _clip(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def _reasons(answer: AnswerFact, activity: ActivityFact) -> tuple[str, ...]:
    reasons = []
    if answer.state == LEVEL and answer.level is not None and answer.level < activity.target:
        reasons.append(gettext(BELOW_TARGET).format(level=answer.level, target=activity.target))
    elif answer.state != LEVEL or answer.level is None:
        reasons.append(gettext(UNKNOWN_LEVEL))
    if answer.is_request:
        label = PRIORITY_LABELS.get(answer.priority)
        reasons.append(
            gettext(REQUESTED_PRIORITY).format(priority=str(label).lower())
            if label
            else gettext(REQUESTED)
        )
    return tuple(reasons)


def gap_of(activity: ActivityFact, answer: AnswerFact, weights: SeverityWeights) -> Gap | None:
    """The gap an answer makes, or None."""
    if not is_gap(answer.state, answer.level, activity.target, answer.assistance_needed):
        return None
    d = distance(answer.state, answer.level, activity.target, weights)
    priority = answer.priority if answer.is_request else ""
    return Gap(
        ref=activity.ref,
        label=activity.label,
        text=activity.text,
        category=activity.category,
        position=activity.position,
        state=answer.state,
        level=answer.level if answer.state == LEVEL else None,
        target=activity.target,
        requested=answer.is_request,
        priority=priority,
        obligation=activity.obligation,
        distance=round(d, 4),
        severity=severity(
            distance=d, priority=priority, obligation=activity.obligation, weights=weights
        ),
        reasons=_reasons(answer, activity),
        own_words=answer.own_words,
    )


def rank_gaps(gaps: Iterable[Gap]) -> list[Gap]:
    """Most severe first; equal severities keep the document's order (then the ref)."""
    return sorted(gaps, key=lambda g: (-g.severity, g.position, g.ref))


def gaps_find(facts: Facts, weights: SeverityWeights) -> list[Gap]:
    """Every gap of an assessment, ranked."""
    found = (gap_of(a, facts.answer(a.ref), weights) for a in facts.frame.activities)
    return rank_gaps(g for g in found if g is not None)


def unknown_apart(facts: Facts) -> tuple[str, ...]:
    """Activities of unknown level without a request: no gap, but to find out."""
    return tuple(
        a.ref
        for a in facts.frame.activities
        if facts.answer(a.ref).state == "unknown" and not facts.answer(a.ref).is_request
    )


def top_gaps(gaps: Sequence[Gap], n: int = 10) -> list[Gap]:
    return list(rank_gaps(gaps))[:n]
