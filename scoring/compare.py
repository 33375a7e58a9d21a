"""Progress since the country's earlier assessment: levels, index, gaps opened and closed.

Both sides are judged by today's rules (targets, gap rule), so the comparison shows what the
country changed, not what staff changed. Activities are matched by their stable refs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .facts import LEVEL, Facts
from .gaps import SeverityWeights, gaps_find
from .index import implementation_index
from .values import CategoryChange, Comparison, Gap, ImplementationIndex, LevelChange


def compare(
    facts: Facts, index: ImplementationIndex, gaps: Sequence[Gap], weights: SeverityWeights
) -> Comparison | None:
    earlier = facts.earlier
    if earlier is None:
        return None
    before = dataclasses.replace(facts, answers=earlier.answers, earlier=None)
    before_index = implementation_index(before)
    before_gaps = {g.ref for g in gaps_find(before, weights)}
    now_gaps = [g.ref for g in gaps]
    now_set = set(now_gaps)
    improved, worsened = [], []
    for activity in facts.frame.activities:
        old, new = before.answer(activity.ref), facts.answer(activity.ref)
        if old.state != LEVEL or new.state != LEVEL or old.level is None or new.level is None:
            continue
        if new.level != old.level:
            change = LevelChange(activity.ref, activity.label, old.level, new.level)
            (improved if new.level > old.level else worsened).append(change)
    return Comparison(
        assessment_id=earlier.assessment_id,
        cycle=earlier.cycle,
        is_baseline=earlier.is_baseline,
        index_before=before_index.country.value,
        index_after=index.country.value,
        categories=tuple(
            CategoryChange(now.numeral, then.index.value, now.index.value)
            for then, now in zip(before_index.categories, index.categories, strict=True)
        ),
        improved=tuple(improved),
        worsened=tuple(worsened),
        new_gaps=tuple(r for r in now_gaps if r not in before_gaps),
        closed_gaps=tuple(
            a.ref for a in facts.frame.activities if a.ref in before_gaps and a.ref not in now_set
        ),
        open_gaps=tuple(r for r in now_gaps if r in before_gaps),
    )
