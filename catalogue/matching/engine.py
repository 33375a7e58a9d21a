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
from .semantic import SemanticIndex, semantic_for
from .text import (
    Analysed,
    analyse,
    analyse_joined,
    language_pinned,
    lexical_trust,
    same_wording,
    vocabulary,
)
from .text import translate as _
from .tfidf_index import MatchingIndex, get_index, link_strength

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
# With the semantic layer: share of the lexical score for an English text, BASE + SURE x its best
# lexical score (at most MAX: the domain's own words make the lexical engine sure of itself),
# times the lexical trust (less for French and Spanish, nothing for other scripts); the rest goes
# to the meaning, split between the closeness to the activity's own texts and the vote of the
# labelled needs.
LEXICAL_BASE, LEXICAL_SURE, LEXICAL_MAX = 0.3, 0.5, 0.8
MEANING_SHARE = 0.7  # of the semantic part; the rest is the labelled needs' vote
SAID_CLOSE = 0.35  # a semantic part at least this strong is given as a reason
# Entries: share of the meaning in the text relevance (scaled by the lexical trust like above).
ENTRY_MEANING_SHARE = 0.5
# A gap's own words lend the links of the activities they match, at this weight.
OWN_WORDS_LINKS = 0.5
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
    to_activity = _("domain: “%(said)s” points to %(ref)s")
    to_category = _("domain: “%(said)s” points to category %(numeral)s (%(title)s)")
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
                direct[i].append(to_activity % {"said": found.surface, "ref": a.ref})
            else:
                broad[i].append(
                    to_category
                    % {"said": found.surface, "numeral": a.category, "title": a.category_title}
                )
    why = [d or b[:1] for d, b in zip(direct, broad, strict=True)]
    return 1.0 - miss, why


def _exact(index: MatchingIndex, text: str) -> list[int]:
    return index.by_wording.get(same_wording(text), [])


@dataclass
class _Meaning:
    """What the semantic layer found for a batch of texts (rows) and activities (columns)."""

    closeness: np.ndarray
    closest: np.ndarray  # which text of the activity was closest
    votes: np.ndarray
    voters: list[dict[int, int]]
    trust: np.ndarray  # per text: how far the lexical engine reads it (text.lexical_trust)
    shares: np.ndarray | None = None  # per text: (lexical, meaning, votes) shares of the score


def _meaning(
    semantic: SemanticIndex, texts: Sequence[str], *, exclude_same: bool
) -> _Meaning:
    vectors = semantic.encode(list(texts))
    closeness, closest = semantic.activity_similarity(vectors)
    votes, voters = semantic.votes(vectors, list(texts), exclude_same=exclude_same)
    trust = np.array([lexical_trust(t) for t in texts])
    return _Meaning(closeness, closest, votes, voters, trust)


def _activity_scores(
    index: MatchingIndex, queries: list[Analysed], texts: Sequence[str],
    meaning: _Meaning | None = None,
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
    scores = np.clip(scores, 0.0, 1.0)
    if meaning is not None:
        # The lexical engine counts more where it is sure of itself (the domain's own words).
        sure = np.clip(LEXICAL_BASE + LEXICAL_SURE * scores.max(axis=1), 0.0, LEXICAL_MAX)
        lexical = (meaning.trust * sure)[:, None]
        close, vote = (1 - lexical) * MEANING_SHARE, (1 - lexical) * (1 - MEANING_SHARE)
        meaning.shares = np.hstack([lexical, close, vote])
        scores = lexical * scores + close * meaning.closeness + vote * meaning.votes
    for row, text in enumerate(texts):
        for i in _exact(index, text):
            scores[row, i] = 1.0
    return np.clip(scores, 0.0, 1.0), why


def _meaning_reasons(
    semantic: SemanticIndex, meaning: _Meaning, row: int, i: int
) -> list[str]:
    """“close in meaning to the activity”, “like the 2004 need of Kenya: …”, when they weigh."""
    reasons = []
    close = meaning.shares[row, 1]
    if close and meaning.closeness[row, i] >= SAID_CLOSE:
        j = int(meaning.closest[row, i])
        if semantic.activity_kinds[j] == "description":
            reasons.append(
                _("close in meaning to the activity (“%(description)s”)")
                % {"description": semantic.activity_texts[j]}
            )
        else:
            reasons.append(_("close in meaning to the activity"))
    voter = meaning.voters[row].get(i)
    if voter is not None and meaning.votes[row, i] >= SAID_CLOSE:
        example = semantic.examples[voter]
        reasons.append(
            _("like the 2004 need of %(country)s: “%(need)s”")
            % {"country": example.country, "need": example.text}
        )
    return reasons


def _activity_reasons(
    index: MatchingIndex, query: Analysed, text: str, i: int, domain: list[str],
    meaning: list[str] = (), *, by_meaning: bool = False,
) -> list[str]:
    a = index.activities[i]
    if i in _exact(index, text):
        return [_("same wording as activity %(ref)s") % {"ref": a.ref}]
    reasons = list(meaning)
    shared = index.activity_text.shared_terms(query, i)
    if shared:
        reasons.append(_("shares terms: %(terms)s") % {"terms": ", ".join(shared)})
    context = index.activity_context.shared_terms(query, i)
    if context:
        reasons.append(
            _("shares terms with its heading “%(heading)s”: %(terms)s")
            % {"heading": a.context, "terms": ", ".join(context)}
        )
    reasons += index.activity_text.synonyms(query, i)
    reasons += domain
    prior = vocabulary().category_prior.get(a.category)
    if prior and not reasons:
        reasons.append(
            _("prior: most needs concern category %(numeral)s (%(title)s)")
            % {"numeral": a.category, "title": a.category_title}
        )
    if not reasons:
        reasons.append(_("weak: only loosely related") if by_meaning else _(
            "weak: similar spelling only"
        ))
    return reasons


def _top(scores: np.ndarray, top: int) -> list[int]:
    # Stable: ties keep the document's order.
    order = np.argsort(-scores, kind="stable")
    return [int(i) for i in order[:top]]


def match_activities_many(
    texts: Sequence[str], *, top: int = 5, exclude_same_examples: bool = False
) -> list[list[ActivityMatch]]:
    """:func:`match_activities` for many texts at once, in the order given.

    ``exclude_same_examples``: a labelled need does not vote for a text with its own wording
    (to measure the engine on the labelled needs themselves).
    """
    with language_pinned():
        return _match_activities(get_index(), texts, top=top, exclude=exclude_same_examples)


def _match_activities(
    index: MatchingIndex, texts: Sequence[str], *, top: int, exclude: bool = False
) -> list[list[ActivityMatch]]:
    unique = list(dict.fromkeys(texts))
    if len(unique) < len(texts):  # many gaps share their words: match each text once
        found = dict(zip(unique, _match_activities(index, unique, top=top, exclude=exclude),
                         strict=True))
        return [found[t] for t in texts]
    queries = [analyse(t) for t in texts]
    semantic = semantic_for(index) if texts else None
    meaning = (
        _meaning(semantic, texts, exclude_same=exclude) if semantic else None
    )
    scores, domain = _activity_scores(index, queries, texts, meaning)
    results = []
    for row, (text, query) in enumerate(zip(texts, queries, strict=True)):
        matches = []
        for i in _top(scores[row], top):
            a = index.activities[i]
            said = _meaning_reasons(semantic, meaning, row, i) if meaning else []
            matches.append(
                ActivityMatch(
                    ref=a.ref, category=a.category, number=a.number, text=a.text,
                    score=round(float(scores[row, i]), 4),
                    reasons=tuple(
                        _activity_reasons(
                            index, query, text, i, domain[row][i], said,
                            by_meaning=meaning is not None,
                        )
                    ),
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
    and whether the activity was inferred from free text (rather than given or quoted).

    Free text borrows the links of the activities it matches; a gap's own words, beside the
    gap's activity, lend those links too, at ``OWN_WORDS_LINKS`` (a training gap that speaks of
    migrant smuggling gets the smuggling manuals)."""
    anchors: list[list[tuple[int, float, bool]]] = []
    free, lend = [], {}
    for k, (text, i) in enumerate(zip(texts, given, strict=True)):
        if i is not None:
            anchors.append([(i, 1.0, False)])
            if text and same_wording(text) != same_wording(index.activities[i].text):
                free.append(k)
                lend[k] = OWN_WORDS_LINKS
        elif exact := (_exact(index, text) if text else []):
            anchors.append([(x, 1.0, False) for x in exact])
        else:
            anchors.append([])
            free.append(k)
    if free:
        found = _match_activities(index, [texts[k] for k in free], top=VIA_ACTIVITIES)
        for k, matches in zip(free, found, strict=True):
            share = lend.get(k, 1.0)
            anchors[k] += [
                (index.by_ref[m.ref], share * min(1.0, m.score / GOOD_ACTIVITY_SCORE), True)
                for m in matches
                if m.score >= NEED_THRESHOLD and index.by_ref[m.ref] != given[k]
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
    return analyse_joined(parts)


def _curated(
    index: MatchingIndex, anchors: list[tuple[int, float, bool]]
) -> tuple[np.ndarray, np.ndarray | None]:
    """Per entry: the strongest curated link to one of the anchor activities, and which anchor
    gave it (its position in ``anchors``; see :func:`_link_source`)."""
    if not anchors:
        return np.zeros(len(index.entries)), None
    if len(anchors) == 1:
        i, weight, _ = anchors[0]
        return weight * index.links[i], None
    weighted = np.stack([weight * index.links[i] for i, weight, _ in anchors])
    best = weighted.argmax(axis=0)  # the first anchor among equals, as before
    return weighted.max(axis=0), best


def _link_source(
    anchors: list[tuple[int, float, bool]], link: np.ndarray, best: np.ndarray | None, j: int
) -> tuple[int, bool] | None:
    """The anchor that gave entry ``j`` its link (activity index, whether inferred from the
    text), or None when it has none."""
    if not link[j]:
        return None
    i, _, inferred = anchors[int(best[j]) if best is not None else 0]
    return i, inferred


def _link_reason(index: MatchingIndex, j: int, source: tuple[int, bool]) -> str:
    i, inferred = source
    activity = index.activities[i]
    reason = link_strength(activity, index.entries[j])[1]
    if inferred:
        reason += " " + _("(the text matches activity %(ref)s)") % {"ref": activity.ref}
    return reason


def match_entries_many(
    texts: Sequence[str],
    *,
    top: int = 5,
    activities: Sequence[Activity | str | None] | None = None,
) -> list[list[EntryMatch]]:
    """:func:`match_entries` for many gaps at once: ``texts[k]`` with ``activities[k]``."""
    with language_pinned():
        return _match_entries(texts, top=top, activities=activities)


def _match_entries(
    texts: Sequence[str], *, top: int, activities: Sequence[Activity | str | None] | None
) -> list[list[EntryMatch]]:
    index = get_index()
    activities = list(activities) if activities is not None else [None] * len(texts)
    if len(activities) != len(texts):
        raise ValueError("give one activity (or None) per text")
    given = [_resolve(index, a) for a in activities]
    anchors = _anchors(index, texts, given)
    queries = [_entry_query(index, t, a) for t, a in zip(texts, anchors, strict=True)]
    text_scores = index.entry_text.similarity(queries)
    # An activity's wording is no words of the ministry's own: it gets what its gap gets.
    own = [t if t and not _exact(index, t) else "" for t in texts]
    meaning, shares = _entry_meaning(index, own)
    kind_prior = np.array([KIND_PRIOR.get(e.kind, 0.0) for e in index.entries])
    link_reasons: dict[tuple[int, tuple[int, bool]], str] = {}  # the same few, many times

    results = []
    for k, query in enumerate(queries):
        # Relative relevance: the best text match among the entries counts fully, unless
        # nothing matches well.
        relevance = text_scores[k] / max(float(text_scores[k].max(initial=0.0)), 0.2)
        if meaning is not None and own[k]:
            close = meaning[k] / max(float(meaning[k].max(initial=0.0)), 0.2)
            relevance = (1 - shares[k]) * relevance + shares[k] * close
        link, best = _curated(index, anchors[k])
        scores = np.clip(
            LINK_WEIGHT * link + ENTRY_TEXT_WEIGHT * relevance + kind_prior, 0.0, 1.0
        )
        matches = []
        for j in _top(scores, top):
            source = _link_source(anchors[k], link, best, j)
            reasons = []
            if source is not None:
                reason = link_reasons.get((j, source))
                if reason is None:
                    reason = link_reasons[(j, source)] = _link_reason(index, j, source)
                reasons.append(reason)
            if meaning is not None and own[k] and meaning[k, j] >= SAID_CLOSE:
                reasons.append(_("close in meaning to the words of the need"))
            shared = index.entry_text.shared_terms(query, j)
            if shared:
                reasons.append(_("shares terms: %(terms)s") % {"terms": ", ".join(shared)})
            reasons += index.entry_text.synonyms(query, j)
            if not reasons:
                reasons.append(_("weak: similar spelling only"))
            matches.append(_entry_match(index, j, scores[j], reasons))
        results.append(matches)
    return results


def _entry_meaning(
    index: MatchingIndex, texts: Sequence[str]
) -> tuple[np.ndarray | None, list[float]]:
    """How close in meaning each entry is to the words of each gap, and the share of this
    closeness in the text relevance (more where the words are not English). A gap without
    words is matched on its activity's wording, which the lexical engine reads well."""
    semantic = semantic_for(index) if any(texts) else None
    if semantic is None:
        return None, []
    meaning = semantic.entry_similarity(semantic.encode(list(texts)))
    shares = [1 - (1 - ENTRY_MEANING_SHARE) * lexical_trust(t) if t else 0.0 for t in texts]
    return meaning, shares


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
