"""Match a need to the activities of the framework, and a gap to the compendium.

Two public questions, each with a batch form that fits the index once for many texts:

- :func:`match_activities`: which implementation activities does this text concern? Text
  relevance (TF-IDF over the activity's wording, its group and category titles) plus the
  domain vocabulary of ``synonyms.yaml`` (a "training" need points to X.5 and X.4) plus a small
  category prior.
- :func:`match_entries`: which instruments and tools answer a gap? Curated links first (the entry
  serves the activity, then its category, then its Part B heading), then text relevance of the
  entry's title and description. Given free text, the activities it matches lend their links.

Scores are in [0, 1]; each result says why it was chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..models import Activity, Entry
from .index import MatchingIndex, get_index, link_strength
from .text import Analysed, analyse, same_wording, vocabulary

# Activities: share of the text relevance and of the domain hints in the score.
TEXT_WEIGHT, HINT_WEIGHT = 0.6, 0.4
OWN_TEXT_SHARE = 0.75  # of the text relevance; the rest is the group and category titles
# Entries: share of the curated links and of the text relevance in the score.
LINK_WEIGHT, ENTRY_TEXT_WEIGHT = 0.6, 0.4
VIA_ACTIVITIES = 3  # free text lends the links of its best activities...
GOOD_ACTIVITY_SCORE = 0.5  # ...fully from an activity it matches this well
# What a gap needs first is a tool or a binding instrument to act on; political declarations,
# statements, resolutions and reports come after them when they serve the gap as well.
Kind = Entry.Kind
KIND_PRIOR = {
    Kind.DECLARATION: -0.05, Kind.STATEMENT: -0.05, Kind.RESOLUTION: -0.05, Kind.REPORT: -0.03,
    Kind.PLAN_OF_ACTION: -0.03, Kind.FRAMEWORK_DECISION: 0.0,
    Kind.LEGISLATIVE_GUIDE: 0.05, Kind.MODEL_LAW: 0.05, Kind.TOOLKIT: 0.05, Kind.MANUAL: 0.05,
    Kind.HANDBOOK: 0.05, Kind.GUIDE: 0.05, Kind.TRAINING_MATERIAL: 0.05, Kind.DATABASE: 0.05,
    Kind.DIRECTORY: 0.05, Kind.CHANNEL: 0.05, Kind.ASSESSMENT_TOOL: 0.05,
}
# A need whose best activity scores below this matches nothing well (see docs/matching.md).
NEED_THRESHOLD = 0.25
NEED_RELATIVE = 0.7


@dataclass(frozen=True)
class ActivityMatch:
    ref: str
    category: str  # roman numeral
    number: str
    text: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class EntryMatch:
    """A compendium entry matched to a text, with every reason it was chosen.

    Scoring re-ranks these for a gap with the country's context (adjusting ``score`` and
    adding ``reasons``) and keeps them in its results as the gap's ``matches``.
    """

    ref: str
    title: str
    short_title: str
    kind: str  # an Entry.Kind value
    part: str
    score: float
    reasons: tuple[str, ...]
    languages: tuple[str, ...] = ()  # what the entry is available in; empty: not known

    @property
    def display_title(self) -> str:
        return self.short_title or self.title


def _hints(index: MatchingIndex, query: Analysed) -> tuple[np.ndarray, list[list[str]]]:
    """Per activity: how strongly the concepts of the query point to it (noisy-or), and why.

    A concept naming the activity itself is given as the reason; one naming only its category
    is given when nothing more precise is.
    """
    vocab = vocabulary()
    miss = np.ones(len(index.activities))
    direct: list[list[str]] = [[] for _ in index.activities]
    broad: list[list[str]] = [[] for _ in index.activities]
    named = [vocab.concepts[f.concept] for f in query.found]
    has_subject = any(c.activities and not c.modifier for c in named)
    for found, concept in zip(query.found, named, strict=True):
        if not concept.activities and not concept.categories:
            continue
        if concept.modifier and has_subject:
            continue
        for i, a in enumerate(index.activities):
            strength, kind = concept.hint(a.ref, a.category)
            if not strength:
                continue
            miss[i] *= 1.0 - strength
            if kind == "activity":
                direct[i].append(f"domain: “{found.surface}” points to {a.ref}")
            else:
                broad[i].append(
                    f"domain: “{found.surface}” points to category {a.category} "
                    f"({a.category_title})"
                )
    why = [d or b[:1] for d, b in zip(direct, broad, strict=True)]
    return 1.0 - miss, why


def _exact(index: MatchingIndex, text: str) -> list[int]:
    return index.by_wording.get(same_wording(text), [])


def _activity_scores(
    index: MatchingIndex, queries: list[Analysed], texts: Sequence[str]
) -> tuple[np.ndarray, list[list[list[str]]]]:
    """Scores of every activity for every query, and the domain reasons per query/activity."""
    own = index.activity_text.similarity(queries)
    context = index.activity_context.similarity(queries)
    text = OWN_TEXT_SHARE * own + (1 - OWN_TEXT_SHARE) * context
    prior_by_category = vocabulary().category_prior
    prior = np.array([prior_by_category.get(a.category, 0.0) for a in index.activities])
    scores = TEXT_WEIGHT * text + prior
    why = []
    for row, query in enumerate(queries):
        hint, reasons = _hints(index, query)
        scores[row] += HINT_WEIGHT * hint
        why.append(reasons)
        for i in _exact(index, texts[row]):
            scores[row, i] = 1.0
    return np.clip(scores, 0.0, 1.0), why


def _activity_reasons(
    index: MatchingIndex, query: Analysed, text: str, i: int, domain: list[str]
) -> list[str]:
    a = index.activities[i]
    if i in _exact(index, text):
        return [f"same wording as activity {a.ref}"]
    reasons = []
    shared = index.activity_text.shared_terms(query, i)
    if shared:
        reasons.append("shares terms: " + ", ".join(shared))
    context = index.activity_context.shared_terms(query, i)
    if context:
        reasons.append(f"shares terms with its heading “{a.context}”: " + ", ".join(context))
    reasons += index.activity_text.synonyms(query, i)
    reasons += domain
    prior = vocabulary().category_prior.get(a.category)
    if prior and not reasons:
        reasons.append(f"prior: most needs concern category {a.category} ({a.category_title})")
    if not reasons:
        reasons.append("weak: similar spelling only")
    return reasons


def _top(scores: np.ndarray, top: int) -> list[int]:
    # Stable: ties keep the document's order.
    order = np.argsort(-scores, kind="stable")
    return [int(i) for i in order[:top]]


def match_activities_many(texts: Sequence[str], *, top: int = 5) -> list[list[ActivityMatch]]:
    """:func:`match_activities` for many texts at once, in the order given."""
    index = get_index()
    queries = [analyse(t) for t in texts]
    scores, domain = _activity_scores(index, queries, texts)
    results = []
    for row, (text, query) in enumerate(zip(texts, queries, strict=True)):
        matches = []
        for i in _top(scores[row], top):
            a = index.activities[i]
            matches.append(
                ActivityMatch(
                    ref=a.ref, category=a.category, number=a.number, text=a.text,
                    score=round(float(scores[row, i]), 4),
                    reasons=tuple(_activity_reasons(index, query, text, i, domain[row][i])),
                )
            )
        results.append(matches)
    return results


def match_activities(text: str, *, top: int = 5) -> list[ActivityMatch]:
    """The ``top`` activities a need or gap text concerns, best first."""
    return match_activities_many([text], top=top)[0]


def activities_for_needs(
    texts: Sequence[str],
    *,
    threshold: float = NEED_THRESHOLD,
    relative: float = NEED_RELATIVE,
    top: int = 3,
) -> list[list[ActivityMatch]]:
    """The activities to pre-fill for each need of the 2004 synopsis, best first.

    At most ``top`` per need, each scoring at least ``threshold`` and at least ``relative``
    times the need's best one (so a clear first match does not drag weak ones along). Empty for
    a need that matches nothing well: leave it unmapped for a person to file.
    """
    results = []
    for matches in match_activities_many(texts, top=top):
        floor = max(threshold, relative * matches[0].score) if matches else 1.0
        results.append([m for m in matches if m.score >= floor])
    return results


def activities_for_need(text: str, **options) -> list[ActivityMatch]:
    """:func:`activities_for_needs` for one need."""
    return activities_for_needs([text], **options)[0]


def _entry_match(index: MatchingIndex, j: int, score: float, reasons: list[str]) -> EntryMatch:
    e = index.entries[j]
    return EntryMatch(
        ref=e.ref, title=e.title, short_title=e.short_title, kind=e.kind, part=e.part,
        score=round(float(score), 4), reasons=tuple(reasons), languages=e.languages,
    )


def _resolve(index: MatchingIndex, activity: Activity | str | None) -> int | None:
    if activity is None:
        return None
    ref = activity.ref if isinstance(activity, Activity) else str(activity)
    try:
        return index.by_ref[ref]
    except KeyError as exc:
        raise ValueError(f"unknown or retired activity “{ref}”") from exc


def _anchors(
    index: MatchingIndex, texts: Sequence[str], given: list[int | None]
) -> list[list[tuple[int, float, bool]]]:
    """For each query: the activities whose curated links it borrows, with a weight in [0, 1]
    and whether the activity was inferred from free text (rather than given or quoted)."""
    anchors: list[list[tuple[int, float, bool]]] = []
    free = []
    for k, (text, i) in enumerate(zip(texts, given, strict=True)):
        if i is not None:
            anchors.append([(i, 1.0, False)])
        elif exact := (_exact(index, text) if text else []):
            anchors.append([(x, 1.0, False) for x in exact])
        else:
            anchors.append([])
            free.append(k)
    if free:
        found = match_activities_many([texts[k] for k in free], top=VIA_ACTIVITIES)
        for k, matches in zip(free, found, strict=True):
            anchors[k] = [
                (index.by_ref[m.ref], min(1.0, m.score / GOOD_ACTIVITY_SCORE), True)
                for m in matches
                if m.score >= NEED_THRESHOLD
            ]
    return anchors


def _entry_query(
    index: MatchingIndex, text: str, anchors: list[tuple[int, float, bool]]
) -> Analysed:
    """The words to look for in the entries: the text, and the wording and headings of the
    activity it stands for (only the headings when the text is that wording)."""
    parts = [text] if text else []
    if anchors and not anchors[0][2]:
        a = index.activities[anchors[0][0]]
        if same_wording(text) != same_wording(a.text):
            parts.append(a.text)
        parts.append(a.context)
    return analyse(". ".join(parts))


def _curated(
    index: MatchingIndex, anchors: list[tuple[int, float, bool]]
) -> tuple[np.ndarray, dict[int, str]]:
    """Per entry: the strongest curated link to one of the anchor activities, and why."""
    link = np.zeros(len(index.entries))
    why: dict[int, str] = {}
    for i, weight, inferred in anchors:
        activity = index.activities[i]
        for j, strength in index.links[i].items():
            if strength * weight > link[j]:
                link[j] = strength * weight
                _, reason = link_strength(activity, index.entries[j])
                if inferred:
                    reason += f" (the text matches activity {activity.ref})"
                why[j] = reason
    return link, why


def match_entries_many(
    texts: Sequence[str],
    *,
    top: int = 5,
    activities: Sequence[Activity | str | None] | None = None,
) -> list[list[EntryMatch]]:
    """:func:`match_entries` for many gaps at once: ``texts[k]`` with ``activities[k]``."""
    index = get_index()
    activities = list(activities) if activities is not None else [None] * len(texts)
    if len(activities) != len(texts):
        raise ValueError("give one activity (or None) per text")
    given = [_resolve(index, a) for a in activities]
    anchors = _anchors(index, texts, given)
    queries = [_entry_query(index, t, a) for t, a in zip(texts, anchors, strict=True)]
    text_scores = index.entry_text.similarity(queries)
    kind_prior = np.array([KIND_PRIOR.get(e.kind, 0.0) for e in index.entries])

    results = []
    for k, query in enumerate(queries):
        # Relative relevance: the best text match among the entries counts fully, unless
        # nothing matches well.
        relevance = text_scores[k] / max(float(text_scores[k].max(initial=0.0)), 0.2)
        link, link_why = _curated(index, anchors[k])
        scores = np.clip(
            LINK_WEIGHT * link + ENTRY_TEXT_WEIGHT * relevance + kind_prior, 0.0, 1.0
        )
        matches = []
        for j in _top(scores, top):
            reasons = [link_why[j]] if j in link_why else []
            shared = index.entry_text.shared_terms(query, j)
            if shared:
                reasons.append("shares terms: " + ", ".join(shared))
            reasons += index.entry_text.synonyms(query, j)
            if not reasons:
                reasons.append("weak: similar spelling only")
            matches.append(_entry_match(index, j, scores[j], reasons))
        results.append(matches)
    return results


def match_entries(
    text: str = "", *, top: int = 5, activity: Activity | str | None = None
) -> list[EntryMatch]:
    """The ``top`` compendium entries for a gap, best first.

    ``activity`` (an Activity or its ref) is the activity of the gap: its curated links lead and
    ``text`` (the country's own need, optional) adds relevance. Without it, a ``text`` that is an
    activity's wording gets what a gap on that activity gets; other text borrows the links of
    the activities it matches best.
    """
    return match_entries_many([text], top=top, activities=[activity])[0]
