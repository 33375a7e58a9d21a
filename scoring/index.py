"""Implementation index per activity, category and country.

An activity with a level scores level / 4. Aggregates are the mean over the activities that
have a level (each activity counts once, so the country index is the mean over all its
activities with a level, not the mean of category means). Not applicable items are left out;
unknown and unanswered ones are counted apart. An aggregate over no level is None, shown as
"insufficient information", never as 0.
"""

from __future__ import annotations

from collections.abc import Iterable

from .facts import LEVEL, NOT_APPLICABLE, UNKNOWN, Facts
from .values import ActivityIndex, CategoryIndex, ImplementationIndex, Index

MAX_LEVEL = 4


def activity_value(state: str, level: int | None) -> float | None:
    """level / 4 for an answer with a level; None otherwise (not applicable, unknown, blank)."""
    if state != LEVEL or level is None:
        return None
    return min(max(level, 0), MAX_LEVEL) / MAX_LEVEL


def aggregate(answers: Iterable[tuple[str, int | None]]) -> Index:
    """The index of a set of (state, level) answers."""
    values: list[float] = []
    not_applicable = unknown = unanswered = 0
    for state, level in answers:
        value = activity_value(state, level)
        if value is not None:
            values.append(value)
        elif state == NOT_APPLICABLE:
            not_applicable += 1
        elif state == UNKNOWN:
            unknown += 1
        else:
            unanswered += 1  # blank, or a "level" state without a level
    mean = round(sum(values) / len(values), 4) if values else None
    return Index(mean, len(values), not_applicable, unknown, unanswered)


def implementation_index(facts: Facts) -> ImplementationIndex:
    frame = facts.frame
    activities = []
    by_category: dict[str, list[tuple[str, int | None]]] = {n: [] for n, _ in frame.categories}
    for activity in frame.activities:
        answer = facts.answer(activity.ref)
        activities.append(
            ActivityIndex(
                ref=activity.ref,
                label=activity.label,
                category=activity.category,
                state=answer.state,
                level=answer.level if answer.state == LEVEL else None,
                value=activity_value(answer.state, answer.level),
            )
        )
        by_category.setdefault(activity.category, []).append((answer.state, answer.level))
    titles = dict(frame.categories)
    return ImplementationIndex(
        country=aggregate((a.state, a.level) for a in activities),
        categories=tuple(
            CategoryIndex(numeral, titles.get(numeral, ""), aggregate(pairs))
            for numeral, pairs in by_category.items()
        ),
        activities=tuple(activities),
    )
