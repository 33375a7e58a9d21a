"""The fitted TF-IDF indexes over the activities and the compendium entries, cached per process.

Each index scores a text by two cosine similarities: TF-IDF over stemmed words and word pairs
(what the text says) and TF-IDF over character n-grams (spelling variants the stemmer misses:
"cyber-crime" / "cybercrime", "organised" / "organized"). The fitted index is kept for the life
of the process and rebuilt when :func:`reference_version` changes, i.e. when an activity, an
entry, a category or a link between them is added, edited, retired or removed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.utils import translation
from django.utils.translation import gettext_noop, override
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from ..caches import ProcessCache
from ..models import Activity, Entry, Part
from ..selectors import reference_version
from .text import STOP_WORDS, Analysed, analyse, same_wording, stem, words
from .text import translate as _

WORD_WEIGHT = 0.7  # the rest goes to character n-grams


def _split(text: str) -> list[str]:
    return text.split()


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    return frozenset(s for s in (stem(w) for w in words(text)) if s not in STOP_WORDS)


class _CharGrams:
    """The character n-gram TF-IDF of a fitted ``char_wb`` vectorizer, computed word by word.

    ``char_wb`` n-grams never cross a space, so a document's counts are the sum of its words'
    counts: each distinct word is cut into n-grams once (a batch of gaps repeats the same
    activity wordings thousands of times), and a batch's counts are one sparse product of
    (documents x words) by (words x n-grams). Then the vectorizer's own weighting: sublinear tf,
    idf, L2 norm, in the same order, so the vectors are the same as its ``transform``'s.
    """

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer
        self.analyzer = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.idf = vectorizer.idf_
        self.word_ids: dict[str, int] = {}
        self.rows: list[dict[int, int]] = []
        self.grams = sparse.csr_matrix((0, len(self.idf)))
        self.lock = threading.Lock()

    def _grams_of(self, word: str) -> dict[int, int]:
        counts: dict[int, int] = {}
        for gram in self.analyzer(word):
            column = self.vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        return counts

    def transform(self, documents: Sequence[str]) -> sparse.csr_matrix:
        rows, columns = [], []
        with self.lock:
            ids = self.word_ids
            for row, document in enumerate(documents):
                for word in document.lower().split():
                    k = ids.get(word)
                    if k is None:
                        k = ids[word] = len(ids)
                        self.rows.append(self._grams_of(word))
                    rows.append(row)
                    columns.append(k)
            if self.grams.shape[0] < len(ids):
                self.grams = self._matrix()
            grams = self.grams
        words = sparse.csr_matrix(
            (np.ones(len(columns)), (rows, columns)), shape=(len(documents), grams.shape[0])
        )
        counts = (words @ grams).tocsr()
        counts.sort_indices()
        np.log(counts.data, counts.data)
        counts.data += 1.0
        counts.data *= self.idf[counts.indices]
        return normalize(counts, norm="l2", copy=False)

    def _matrix(self) -> sparse.csr_matrix:
        indptr = np.cumsum([0, *(len(r) for r in self.rows)])
        indices = np.fromiter((c for r in self.rows for c in r), dtype=np.int64)
        data = np.fromiter((n for r in self.rows for n in r.values()), dtype=np.float64)
        return sparse.csr_matrix(
            (data, indices, indptr), shape=(len(self.rows), len(self.idf))
        )


class TextIndex:
    """Word and character TF-IDF over a list of analysed documents."""

    def __init__(self, docs: Sequence[Analysed]):
        self.docs = list(docs)
        self.word = TfidfVectorizer(
            analyzer="word", tokenizer=_split, token_pattern=None, lowercase=False,
            ngram_range=(1, 2), sublinear_tf=True,
        )
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self.word_matrix = self.word.fit_transform([" ".join(d.terms) for d in self.docs])
        self.char_matrix = self.char.fit_transform([d.plain for d in self.docs])
        self.char_grams = _CharGrams(self.char)
        idf = self.word.idf_
        self.idf = {term: idf[i] for term, i in self.word.vocabulary_.items() if " " not in term}
        self.doc_terms = [set(d.terms) for d in self.docs]
        self.doc_concepts = [{f.concept: f.surface for f in d.found} for d in self.docs]

    def similarity(self, queries: Sequence[Analysed]) -> np.ndarray:
        """Cosine similarity of each query (rows) to each document (columns), in [0, 1]."""
        if not self.docs:
            return np.zeros((len(queries), 0))
        words = self.word.transform([" ".join(q.terms) for q in queries])
        chars = self.char_grams.transform([q.plain for q in queries])
        scores = WORD_WEIGHT * (words @ self.word_matrix.T).toarray()
        scores += (1 - WORD_WEIGHT) * (chars @ self.char_matrix.T).toarray()
        return np.clip(scores, 0.0, 1.0)

    def shared_terms(self, query: Analysed, doc: int, limit: int = 4) -> list[str]:
        """The rarest words the query and a document share, as the document writes them."""
        shared = self.docs[doc].own.intersection(query.own)
        ranked = sorted(shared, key=lambda t: (-self.idf.get(t, 0.0), t))[:limit]
        surface = self.docs[doc].surface
        return [surface.get(t) or query.surface.get(t) or t for t in ranked]

    def synonyms(self, query: Analysed, doc: int) -> list[str]:
        """The concepts query and document share under different words: “FIU → financial
        intelligence units”."""
        named = self.doc_concepts[doc]
        own = self.docs[doc].own
        lines = []
        for found in query.found:
            there = named.get(found.concept)
            # Not a synonym when the document uses the query's own words ("training").
            if there and not _stems(found.surface) <= own:
                lines.append(
                    _("synonym: %(said)s → %(meant)s") % {"said": found.surface, "meant": there}
                )
        return lines


@dataclass(frozen=True)
class ActivityDoc:
    ref: str
    category: str  # numeral
    category_title: str
    number: str
    text: str
    group: str  # ref of the group, "" when none
    groups: tuple[str, ...]  # the group and its parents
    context: str  # group and category titles


@dataclass(frozen=True)
class EntryDoc:
    ref: str
    title: str
    short_title: str
    kind: str
    kind_label: str
    part: str
    issuer: str
    description: str
    activities: frozenset[str]
    categories: frozenset[str]
    section_title: str
    section_category: str
    section_group: str
    languages: tuple[str, ...] = ()  # empty: not known


@dataclass
class MatchingIndex:
    """Everything the engine needs, fitted once per version of the reference data."""

    version: tuple
    activities: list[ActivityDoc]
    entries: list[EntryDoc]
    activity_text: TextIndex
    activity_context: TextIndex
    entry_text: TextIndex
    category_titles: dict[str, str]
    by_ref: dict[str, int] = field(default_factory=dict)
    by_wording: dict[str, list[int]] = field(default_factory=dict)
    # link strength of each activity (rows) to each entry (columns), 0 when none
    links: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    # what the semantic layer embeds of each entry: its title and description
    entry_documents: list[str] = field(default_factory=list)
    # model name -> its SemanticIndex for this version, built on first use (see semantic.py)
    semantic: dict = field(default_factory=dict)


def _activity_docs() -> list[ActivityDoc]:
    rows = (
        Activity.objects.current()
        .select_related("category", "group", "group__parent")
        .order_by("position")
    )
    docs = []
    for a in rows:
        groups, titles = [], []
        group = a.group
        while group is not None:
            groups.append(group.ref)
            titles.append(group.title)
            group = group.parent
        docs.append(
            ActivityDoc(
                ref=a.ref,
                category=a.category.numeral,
                category_title=a.category.title,
                number=a.number,
                text=" ".join([a.text, *a.details]),
                group=a.group.ref if a.group_id else "",
                groups=tuple(groups),
                context=". ".join([*titles, a.category.title]),
            )
        )
    return docs


def _entry_docs() -> list[EntryDoc]:
    rows = (
        Entry.objects.current()
        .select_related("section__category", "section__group")
        .prefetch_related("activities", "categories")
        .order_by("part", "position")
    )
    with override("en"):  # the index reads the English text, whoever builds it
        kinds = {value: str(label) for value, label in Entry.Kind.choices}
    docs = []
    for e in rows:
        section = e.section
        docs.append(
            EntryDoc(
                ref=e.ref,
                title=e.title,
                short_title=e.short_title,
                kind=e.kind,
                kind_label=kinds.get(e.kind, e.kind),
                part=e.part,
                issuer=e.issuer,
                description=e.description,
                activities=frozenset(a.ref for a in e.activities.all() if not a.is_retired),
                categories=frozenset(c.numeral for c in e.categories.all()),
                section_title=section.title if section else "",
                section_category=section.category.numeral if section and section.category else "",
                section_group=section.group.ref if section and section.group else "",
                languages=tuple(e.languages.split()),
            )
        )
    return docs


def _entry_text(e: EntryDoc) -> str:
    # The title counts twice: it says what the entry is; the description often says where the
    # documents cite it.
    return ". ".join(
        p for p in (e.title, e.short_title, e.title, e.description, e.kind_label, e.issuer) if p
    )


# Link strengths of an entry to an activity: curated link to the activity, to its category, or
# the entry sits under the Part B heading of the activity's group or category.
LINK_ACTIVITY, LINK_CATEGORY, LINK_SECTION_GROUP, LINK_SECTION_CATEGORY = 1.0, 0.55, 0.5, 0.35
PART_B_HEADING = gettext_noop("listed under Part B heading “%(heading)s”")


def link_value(activity: ActivityDoc, entry: EntryDoc) -> float:
    """How directly the compendium's curation ties an entry to an activity (0: not at all)."""
    if activity.ref in entry.activities:
        return LINK_ACTIVITY
    if entry.section_group and entry.section_group in activity.groups:
        return LINK_SECTION_GROUP
    if activity.category in entry.categories:
        return LINK_CATEGORY
    if entry.section_category == activity.category and entry.part == Part.B:
        return LINK_SECTION_CATEGORY
    return 0.0


def link_strength(activity: ActivityDoc, entry: EntryDoc) -> tuple[float, str]:
    """:func:`link_value`, and why in words."""
    value = link_value(activity, entry)
    if value == LINK_ACTIVITY:
        return value, _("curated: entry serves activity %(ref)s") % {"ref": activity.ref}
    if value == LINK_CATEGORY:
        return value, _("serves category %(numeral)s") % {"numeral": activity.category}
    if value:
        return value, _(PART_B_HEADING) % {"heading": entry.section_title}
    return 0.0, ""


def build_index(version: tuple) -> MatchingIndex:
    # The index is kept per reference version, whoever asks first: it holds the English texts
    # (the source; the embedding model reads the six languages), never the asker's language.
    with translation.override("en"):
        activities = _activity_docs()
        entries = _entry_docs()
    index = MatchingIndex(
        version=version,
        activities=activities,
        entries=entries,
        activity_text=TextIndex([analyse(a.text) for a in activities]),
        activity_context=TextIndex([analyse(a.context) for a in activities]),
        entry_text=TextIndex([analyse(_entry_text(e)) for e in entries]),
        category_titles={a.category: a.category_title for a in activities},
        entry_documents=[". ".join(p for p in (e.title, e.description) if p) for e in entries],
    )
    index.links = np.zeros((len(activities), len(entries)))
    for i, a in enumerate(activities):
        index.by_ref[a.ref] = i
        index.by_wording.setdefault(same_wording(a.text), []).append(i)
        for j, e in enumerate(entries):
            index.links[i, j] = link_value(a, e)
    return index


_index: ProcessCache[MatchingIndex] = ProcessCache("matching index")


def get_index() -> MatchingIndex:
    """The fitted index for the reference data as it is now (rebuilt only when it changed)."""
    version = reference_version()
    return _index.get(version, lambda: build_index(version))


def clear_index() -> None:
    """Forget the fitted index (the benchmark times a build from scratch)."""
    _index.clear()
