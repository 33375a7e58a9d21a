"""How well the engine matches, measured on labelled examples (``tests/data/*_labels.yaml``).

Needs -> activities: hit@3 (a labelled activity among the first three) and top-1 category
accuracy (the first activity's category is one of the labelled activities' categories), plain
and macro-averaged over the category of each need's first label, since most needs are category
X. Gaps -> entries: hit@5, precision@5 and mean reciprocal rank (over the first ten).

Each figure is given for the engine and for a baseline (plain TF-IDF over the wording only), on
the training items and on the held-out ones (every third item), which the engine is not tuned on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from .engine import match_activities_many, match_entries_many
from .index import get_index

HELD_OUT_EVERY = 3
DEPTH = 10  # how far down a ranking the metrics look

Ranker = Callable[[Sequence[str]], list[list[str]]]


@dataclass(frozen=True)
class Labelled:
    """A query (a need's text, or an activity ref for entries) and the refs expected for it."""

    query: str
    expected: tuple[str, ...]
    held_out: bool


def _labelled(pairs: list[tuple[str, list[str]]]) -> list[Labelled]:
    return [
        Labelled(query=q, expected=tuple(refs), held_out=(n % HELD_OUT_EVERY == 0))
        for n, (q, refs) in enumerate(pairs, start=1)
    ]


def load_need_labels(path: Path) -> list[Labelled]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return _labelled([(row["text"], row["activities"]) for row in data["needs"]])


def load_unmatched_needs(path: Path) -> list[str]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [row["text"] for row in data.get("unmatched") or []]


def load_entry_labels(path: Path) -> list[Labelled]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return _labelled([(ref, refs) for ref, refs in data["activities"].items()])


@dataclass(frozen=True)
class ActivityMetrics:
    count: int
    hit_at_3: float
    category_accuracy: float
    category_accuracy_macro: float


@dataclass(frozen=True)
class EntryMetrics:
    count: int
    hit_at_5: float
    precision_at_5: float
    mrr: float


def activity_metrics(
    items: Sequence[Labelled], rankings: Sequence[Sequence[str]], category_of: dict[str, str]
) -> ActivityMetrics:
    hits, correct = [], []
    by_category: dict[str, list[bool]] = defaultdict(list)
    for item, ranked in zip(items, rankings, strict=True):
        hits.append(bool(set(ranked[:3]) & set(item.expected)))
        wanted = {category_of[r] for r in item.expected}
        ok = bool(ranked) and category_of.get(ranked[0]) in wanted
        correct.append(ok)
        by_category[category_of[item.expected[0]]].append(ok)
    return ActivityMetrics(
        count=len(items),
        hit_at_3=_mean(hits),
        category_accuracy=_mean(correct),
        category_accuracy_macro=_mean([_mean(v) for v in by_category.values()]),
    )


def entry_metrics(
    items: Sequence[Labelled], rankings: Sequence[Sequence[str]]
) -> EntryMetrics:
    hits, precision, reciprocal = [], [], []
    for item, ranked in zip(items, rankings, strict=True):
        expected = set(item.expected)
        first5 = set(ranked[:5])
        hits.append(bool(first5 & expected))
        precision.append(len(first5 & expected) / 5)
        rank = next((n for n, ref in enumerate(ranked[:DEPTH], 1) if ref in expected), None)
        reciprocal.append(1 / rank if rank else 0.0)
    return EntryMetrics(
        count=len(items),
        hit_at_5=_mean(hits),
        precision_at_5=_mean(precision),
        mrr=_mean(reciprocal),
    )


def _mean(values: Sequence[float | bool]) -> float:
    return round(float(np.mean(values)), 4) if len(values) else 0.0


# --- rankers --------------------------------------------------------------------------------------


def engine_activities(texts: Sequence[str]) -> list[list[str]]:
    return [[m.ref for m in ms] for ms in match_activities_many(texts, top=DEPTH)]


def engine_entries(activity_refs: Sequence[str]) -> list[list[str]]:
    found = match_entries_many([""] * len(activity_refs), top=DEPTH, activities=activity_refs)
    return [[m.ref for m in ms] for ms in found]


def _plain_tfidf(docs: list[str], refs: list[str], queries: Sequence[str]) -> list[list[str]]:
    vectorizer = TfidfVectorizer(stop_words="english")
    matrix = vectorizer.fit_transform(docs)
    scores = (vectorizer.transform(list(queries)) @ matrix.T).toarray()
    return [[refs[i] for i in np.argsort(-row, kind="stable")[:DEPTH]] for row in scores]


def baseline_activities(texts: Sequence[str]) -> list[list[str]]:
    """Plain TF-IDF over the activities' own wording."""
    index = get_index()
    acts = index.activities
    return _plain_tfidf([a.text for a in acts], [a.ref for a in acts], texts)


def baseline_entries(activity_refs: Sequence[str]) -> list[list[str]]:
    """Plain TF-IDF over the entries' title and description, queried with the activity wording."""
    index = get_index()
    entries = index.entries
    wording = {a.ref: a.text for a in index.activities}
    return _plain_tfidf(
        [f"{e.title} {e.description}" for e in entries],
        [e.ref for e in entries],
        [wording[r] for r in activity_refs],
    )


# --- the whole report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityRow:
    target: str  # "activities" or "entries"
    ranker: str  # "engine" or "baseline"
    split: str  # "train", "held-out" or "all"
    metrics: ActivityMetrics | EntryMetrics


def _splits(items: list[Labelled]) -> dict[str, list[int]]:
    return {
        "train": [n for n, i in enumerate(items) if not i.held_out],
        "held-out": [n for n, i in enumerate(items) if i.held_out],
        "all": list(range(len(items))),
    }


def quality_report(need_labels: Path, entry_labels: Path) -> list[QualityRow]:
    """Every metric, for the engine and the baseline, on each split of both labelled sets."""
    rows: list[QualityRow] = []
    needs = load_need_labels(need_labels)
    category_of = {a.ref: a.category for a in get_index().activities}
    texts = [n.query for n in needs]
    for name, ranker in (("engine", engine_activities), ("baseline", baseline_activities)):
        rankings = ranker(texts)
        for split, picks in _splits(needs).items():
            metrics = activity_metrics(
                [needs[n] for n in picks], [rankings[n] for n in picks], category_of
            )
            rows.append(QualityRow("activities", name, split, metrics))
    gaps = load_entry_labels(entry_labels)
    refs = [g.query for g in gaps]
    for name, ranker in (("engine", engine_entries), ("baseline", baseline_entries)):
        rankings = ranker(refs)
        for split, picks in _splits(gaps).items():
            metrics = entry_metrics([gaps[n] for n in picks], [rankings[n] for n in picks])
            rows.append(QualityRow("entries", name, split, metrics))
    return rows
