"""Normalisation of needs, activities and entries, and the domain vocabulary.

Every text goes through the same steps so that a need and an activity meet on the same words:
fold case and accents, split hyphens ("anti-terrorism" -> "anti terrorism"), stem lightly
("trainers", "training" -> "train"), then detect the concepts of ``synonyms.yaml``. A detected
concept adds its canonical wording to the text ("FIU" also reads "financial intelligence
units"), and may point to the activities and categories it usually concerns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import yaml
from django.utils.translation import get_language, gettext

VOCABULARY_FILE = Path(__file__).resolve().parent / "synonyms.yaml"
_WORD = re.compile(r"[A-Za-z0-9]+")

# Words that say nothing about *which* activity a need concerns. Concept phrases are detected
# before these are dropped, so "mutual legal assistance" is still recognised.
_STOP_WORDS = """
    a about above after again all also am an and any are as at be because been being both but by
    can could did do does doing done each eg etc for from further had has have having he her here
    how i ie if in into is it its itself may might more most must no nor not of off on once only
    or other our out over own same she should so some such than that the their them then there
    these they this those through to too under until up upon very via was we were what when where
    which while who whom why will with within would you
    assist assistanc general need requir request relat includ particular especially various
    well new current relevant regard respect case basis
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Irregular forms the suffix rules below would not join.
_LEMMAS = {
    "terrorist": "terror", "terrorists": "terror", "terrorism": "terror",
    "centre": "center", "centres": "center", "centers": "center",
    "judicial": "judge", "judiciary": "judge", "judges": "judge",
    "laws": "law", "legal": "legal",
    "data": "data", "analysis": "analys", "analyses": "analys", "analytical": "analys",
    "bureaux": "bureau", "means": "means", "series": "series",
    "trafficking": "traffic", "trafficked": "traffic", "traffickers": "traffic",
    "extraditable": "extradit", "extradite": "extradit",
}

# (suffix, replacement), tried in order; the first that leaves a stem of 3+ letters applies.
_SUFFIXES = (
    ("isations", "iz"), ("izations", "iz"), ("isation", "iz"), ("ization", "iz"),
    ("ational", "at"), ("ations", "at"), ("ation", "at"), ("itions", "it"), ("ition", "it"),
    ("ctions", "ct"), ("ction", "ct"), ("tions", "t"), ("tion", "t"),
    ("ising", "iz"), ("izing", "iz"), ("ised", "iz"), ("ized", "iz"), ("ises", "iz"),
    ("izes", "iz"), ("ise", "iz"), ("ize", "iz"),
    ("ements", "e"), ("ement", "e"), ("ments", ""), ("ment", ""),
    ("ities", ""), ("ity", ""), ("ives", ""), ("ive", ""),
    ("ies", "y"), ("ied", "y"), ("ings", ""), ("ing", ""), ("ers", ""), ("er", ""),
    ("ors", ""), ("or", ""), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"),
    ("ed", ""), ("ss", "ss"), ("us", "us"), ("is", "is"), ("s", ""),
)


def fold(text: str) -> str:
    """Lower case, accents removed, curly quotes and dashes made plain."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.lower()


def words(text: str) -> list[str]:
    """The words of ``text``, folded; punctuation and hyphens split words."""
    return [w.lower() for w in cased_words(text)]


def cased_words(text: str) -> list[str]:
    """The words of ``text`` as written (accents removed), split like :func:`words`."""
    return list(_cased_words(text))


@lru_cache(maxsize=8192)
def _cased_words(text: str) -> tuple[str, ...]:
    # Remembered: a batch of gaps analyses the same activity wordings and headings thousands
    # of times, and the same few hundred texts of the countries.
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"\b[eEiI]\.[gGeE]\.", " ", text)
    return tuple(_WORD.findall(text))


@cache
def stem(word: str) -> str:
    """A light English stemmer: enough to join plurals, verb forms and -ization nouns."""
    if word in _LEMMAS:
        return _LEMMAS[word]
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@dataclass(frozen=True)
class Concept:
    """A notion of the domain with its different wordings (see ``synonyms.yaml``)."""

    canonical: str
    phrases: tuple[str, ...]
    activities: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    weight: float = 1.0
    modifier: bool = False  # points to its activities only when no subject concept is named

    def hint(self, ref: str, category: str) -> tuple[float, str]:
        """How strongly this concept points to an activity, and why (0 when it does not)."""
        if ref in self.activities:
            rank = self.activities.index(ref)
            return self.weight * (1.0 - 0.15 * rank), "activity"
        if category in self.categories:
            return self.weight * 0.45, "category"
        return 0.0, ""


@dataclass
class Vocabulary:
    concepts: list[Concept]
    # stemmed phrase (tuple of stems) -> concept index
    phrases: dict[tuple[str, ...], int]
    longest: int
    category_prior: dict[str, float] = field(default_factory=dict)
    # first stem of a phrase -> the longest phrase starting with it (most words start none)
    starts: dict[str, int] = field(default_factory=dict)


@cache
def vocabulary() -> Vocabulary:
    """The domain vocabulary of ``synonyms.yaml``, read once per process."""
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    concepts: list[Concept] = []
    phrases: dict[tuple[str, ...], int] = {}
    for row in data["concepts"]:
        concept = Concept(
            canonical=row["canonical"],
            phrases=tuple(row.get("phrases") or ()),
            activities=tuple(row.get("activities") or ()),
            categories=tuple(row.get("categories") or ()),
            weight=float(row.get("weight", 1.0)),
            modifier=bool(row.get("modifier", False)),
        )
        for phrase in (concept.canonical, *concept.phrases):
            key = tuple(stem(w) for w in words(phrase))
            if key:
                phrases.setdefault(key, len(concepts))
        concepts.append(concept)
    starts: dict[str, int] = {}
    for key in phrases:
        starts[key[0]] = max(starts.get(key[0], 0), len(key))
    return Vocabulary(
        concepts=concepts,
        phrases=phrases,
        longest=max(len(k) for k in phrases),
        starts=starts,
        category_prior={str(k): float(v) for k, v in (data.get("category_prior") or {}).items()},
    )


@dataclass(frozen=True)
class Found:
    """A concept found in a text, with the words that named it there."""

    concept: int
    surface: str


@dataclass
class Analysed:
    """A text ready for the index."""

    terms: list[str]  # stems without stop words, then the canonical stems of the concepts found
    plain: str  # folded words without stop words, for the character n-grams
    found: list[Found]
    own: frozenset[str]  # the stems the text itself has (``terms`` before expansion)
    surface: dict[str, str]  # stem -> the word as written, for human-readable reasons


def analyse(text: str, *, expand: bool = True) -> Analysed:
    """Stem ``text`` and detect its concepts, longest phrase first."""
    return _analyse_words(_cased_words(text), expand=expand)


def analyse_joined(parts: Sequence[str]) -> Analysed:
    """:func:`analyse` of ``". ".join(parts)``, without splitting the parts again: the words
    of the joined text are the words of its parts in turn (no word spans the ". ")."""
    return _analyse_words([w for part in parts for w in _cased_words(part)])


def _analyse_words(written: Sequence[str], *, expand: bool = True) -> Analysed:
    vocab = vocabulary()
    raw = [w.lower() for w in written]
    stems = [stem(w) for w in raw]
    found: list[Found] = []
    seen: set[int] = set()
    i = 0
    while i < len(stems):
        # No phrase starts with most words: skip them without trying every length.
        for size in range(min(vocab.starts.get(stems[i], 0), len(stems) - i), 0, -1):
            index = vocab.phrases.get(tuple(stems[i : i + size]))
            if index is not None:
                if index not in seen:
                    seen.add(index)
                    found.append(Found(index, " ".join(written[i : i + size])))
                i += size
                break
        else:
            i += 1
    kept = [
        (w, s, c) for w, s, c in zip(raw, stems, written, strict=True)
        if s not in STOP_WORDS and w not in STOP_WORDS
    ]
    terms = [s for _, s, _ in kept]
    own = frozenset(terms)
    surface: dict[str, str] = {}
    for _, s, c in kept:
        surface.setdefault(s, c)
    if expand:
        for item in found:
            for w in words(vocab.concepts[item.concept].canonical):
                s = stem(w)
                if s not in STOP_WORDS:
                    terms.append(s)
                    surface.setdefault(s, w)
    return Analysed(
        terms=terms, plain=" ".join(w for w, _, _ in kept), found=found, own=own,
        surface=surface,
    )


@lru_cache(maxsize=8192)
def same_wording(text: str) -> str:
    """A key under which two wordings of one activity are equal (case, spaces, punctuation)."""
    return " ".join(words(text))


# Frequent words of French and Spanish that English does not use: a text with them is not
# English, and the English stems and synonyms of the lexical engine say little about it.
_ROMANCE = """
    de en le la les des du au aux une et est pour dans sur avec sans nos notre leur qui que ou ne
    pas el los las del una y para por con sin nuestro nuestra sus se su al lo ni muy
"""
_ROMANCE_WORDS = frozenset(_ROMANCE.split())
LATIN_END = 0x250  # Basic Latin to Latin Extended-B


def lexical_trust(text: str) -> float:
    """How far the English lexical engine can be trusted on ``text``, in [0, 1]: 1 for English,
    0.3 for French or Spanish (cognates still match: "terrorisme", "financiación"), 0 for text
    in another script (Arabic, Cyrillic, Chinese), which the lexical engine cannot read."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    latin = sum(1 for c in letters if ord(c) < LATIN_END) / len(letters)
    if latin < 0.5:
        return 0.0
    folded = words(text)
    romance = sum(1 for w in folded if w in _ROMANCE_WORDS)
    accented = any(ord(c) > 0x7F for c in letters)
    if romance >= 2 or (romance and accented):
        return 0.3 * latin
    return latin


@lru_cache(maxsize=512)
def _translated(message: str, language: str | None) -> str:
    return gettext(message)


# The active language, read once for a whole batch (see language_pinned).
_pinned: ContextVar[tuple[str | None] | None] = ContextVar("matching_language", default=None)


@contextmanager
def language_pinned() -> Iterator[None]:
    """Within the block, :func:`translate` uses the language active as it started, without
    asking Django again at each of the tens of thousands of reasons of a batch (asking costs
    more than the translation itself). Nested blocks keep the outer one's."""
    token = _pinned.set(_pinned.get() or (get_language(),))
    try:
        yield
    finally:
        _pinned.reset(token)


def translate(message: str) -> str:
    """``gettext`` for the reasons of a match, remembered per language: a batch of thousands of
    gaps asks for the same few sentences tens of thousands of times."""
    pinned = _pinned.get()
    return _translated(message, pinned[0] if pinned else get_language())
