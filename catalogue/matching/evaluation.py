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
from django.test.utils import override_settings
from sklearn.feature_extraction.text import TfidfVectorizer

from .engine import match_activities_many, match_entries_many
from .text import lexical_trust
from .tfidf_index import get_index

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
    """The engine as configured; a labelled need never votes for its own wording."""
    found = match_activities_many(texts, top=DEPTH, exclude_same_examples=True)
    return [[m.ref for m in ms] for ms in found]


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


# --- the held-out sets in six languages -----------------------------------------------------------


@dataclass(frozen=True)
class RankMetrics:
    count: int
    hit_at_1: float
    hit_at_3: float
    mrr: float


@dataclass(frozen=True)
class HeldOutRow:
    """One set (needs or gaps) in one language, measured with one ranker."""

    dataset: str  # "synopsis", "needs" or "gaps"
    language: str
    ranker: str  # "engine", "lexical" or "tfidf"
    metrics: RankMetrics


def rank_metrics(
    expected: Sequence[Sequence[str]], rankings: Sequence[Sequence[str]]
) -> RankMetrics:
    hit1, hit3, reciprocal = [], [], []
    for wanted, ranked in zip(expected, rankings, strict=True):
        wanted = set(wanted)
        hit1.append(bool(ranked[:1]) and ranked[0] in wanted)
        hit3.append(bool(set(ranked[:3]) & wanted))
        rank = next((n for n, ref in enumerate(ranked[:DEPTH], 1) if ref in wanted), None)
        reciprocal.append(1 / rank if rank else 0.0)
    return RankMetrics(len(expected), _mean(hit1), _mean(hit3), _mean(reciprocal))


def load_language_needs(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(language, text, activities) of a held-out needs file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [(r["language"], r["text"], tuple(r["activities"])) for r in data["needs"]]


def load_gap_texts(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(activity, the ministry's words, entries) of a held-out gaps file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [(r["activity"], r["text"], tuple(r["entries"])) for r in data["gaps"]]


def language_of(text: str) -> str:
    return "en" if lexical_trust(text) == 1.0 else "other"


def tfidf_gaps(items: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Plain TF-IDF over the entries' title and description, queried with the activity wording
    and the ministry's words."""
    index = get_index()
    wording = {a.ref: a.text for a in index.activities}
    return _plain_tfidf(
        [f"{e.title} {e.description}" for e in index.entries],
        [e.ref for e in index.entries],
        [f"{wording[ref]} {words}" for ref, words in items],
    )


def engine_gaps(items: Sequence[tuple[str, str]]) -> list[list[str]]:
    found = match_entries_many(
        [words for _, words in items], top=DEPTH, activities=[ref for ref, _ in items]
    )
    return [[m.ref for m in ms] for ms in found]


def _by_language(
    dataset: str, languages: list[str], expected: list[tuple[str, ...]],
    rankings: dict[str, list[list[str]]],
) -> list[HeldOutRow]:
    rows = []
    for language in dict.fromkeys(languages):
        picks = [n for n, lang in enumerate(languages) if lang == language]
        for ranker, ranked in rankings.items():
            metrics = rank_metrics([expected[n] for n in picks], [ranked[n] for n in picks])
            rows.append(HeldOutRow(dataset, language, ranker, metrics))
    return rows


def held_out_report(synopsis: Path, needs: Path, gaps: Path) -> list[HeldOutRow]:
    """hit@1, hit@3 and MRR per set and language: the engine as configured, the engine on words
    alone (no semantic layer) and plain TF-IDF. On the synopsis, only its held-out needs."""
    rows: list[HeldOutRow] = []
    held = [n for n in load_need_labels(synopsis) if n.held_out]
    texts = [n.query for n in held]
    rows += _by_language(
        "synopsis", ["en"] * len(held), [n.expected for n in held],
        _three_rankers(texts, engine_activities, baseline_activities),
    )
    labelled = load_language_needs(needs)
    rows += _by_language(
        "needs", [lang for lang, _, _ in labelled], [refs for _, _, refs in labelled],
        _three_rankers([t for _, t, _ in labelled], engine_activities, baseline_activities),
    )
    gap_rows = load_gap_texts(gaps)
    rows += _by_language(
        "gaps", [language_of(words) for _, words, _ in gap_rows],
        [refs for _, _, refs in gap_rows],
        _three_rankers([(ref, words) for ref, words, _ in gap_rows], engine_gaps, tfidf_gaps),
    )
    return rows


def _three_rankers(queries, engine: Callable, tfidf: Callable) -> dict[str, list[list[str]]]:
    rankings = {"engine": engine(queries)}
    with override_settings(MATCHING_MODEL=""):
        rankings["lexical"] = engine(queries)
    rankings["tfidf"] = tfidf(queries)
    return rankings
