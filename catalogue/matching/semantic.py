"""The semantic layer: multilingual sentence embeddings beside the lexical engine.

A sentence-embedding model (``settings.MATCHING_MODEL``, see docs/matching.md) places a need,
an activity and a compendium entry in one space whatever their language, so "Criminals erase
the serial numbers on guns" or "犯罪分子磨掉枪支上的序列号" land near "Criminalize the tampering
with markings on firearms". Three things are embedded once per reference-data version and kept
in files (:mod:`catalogue.matching.vectors`):

- each activity, by its wording, its wording under its headings, and the everyday descriptions
  of ``descriptions.yaml``; its similarity to a text is the best of these;
- each compendium entry, by its title and description;
- the labelled needs of ``catalogue/data/labelled_needs.yaml``: the nearest ones to a text vote
  for the activities an expert gave them.

Where the model is not installed (or the setting is empty), :func:`semantic_for` returns None
and the engine matches on words alone; :func:`semantic_status` says so to the pages.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml
from django.conf import settings

from .text import same_wording
from .vectors import Encoder, embed_cached, load_encoder

logger = logging.getLogger(__name__)

DESCRIPTIONS_FILE = Path(__file__).resolve().parent / "descriptions.yaml"
LABELLED_NEEDS_FILE = Path(__file__).resolve().parents[1] / "data" / "labelled_needs.yaml"

NEIGHBOURS = 5  # labelled needs that vote
VOTE_DECAY = 0.15  # a labelled need's second and third activities vote a little less


@dataclass(frozen=True)
class Example:
    """A labelled need: its text, the activities an expert gave it (best first), its country."""

    text: str
    activities: tuple[str, ...]
    country: str


@dataclass(frozen=True)
class SemanticStatus:
    available: bool
    model: str
    reason: str  # why not, when not available


@cache
def load_examples(path: Path = LABELLED_NEEDS_FILE) -> tuple[Example, ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    names = data.get("countries") or {}
    return tuple(
        Example(
            text=row["text"],
            activities=tuple(row["activities"]),
            country=names.get(row["country"], row["country"]),
        )
        for row in data["needs"]
    )


@cache
def load_descriptions() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(DESCRIPTIONS_FILE.read_text(encoding="utf-8"))
    return {ref: tuple(lines) for ref, lines in data["activities"].items()}


class SemanticIndex:
    """The embedded reference data of one version, and the questions asked of it."""

    def __init__(self, encoder: Encoder, activities, entries, entry_texts: list[str]):
        descriptions = load_descriptions()
        texts, owners, kinds = [], [], []
        for i, a in enumerate(activities):
            for kind, text in (
                ("wording", a.text),
                ("wording", f"{a.context}: {a.text}"),
                *(("description", d) for d in descriptions.get(a.ref, ())),
            ):
                texts.append(text)
                owners.append(i)
                kinds.append(kind)
        by_ref = {a.ref: i for i, a in enumerate(activities)}
        examples = [e for e in load_examples() if any(r in by_ref for r in e.activities)]
        self.encoder = encoder
        self.activity_texts, self.activity_kinds = texts, kinds
        # the texts of activity i are the block_sizes[i] texts from block_starts[i] on
        self.block_sizes = np.bincount(owners, minlength=len(activities))
        self.block_starts = np.concatenate([[0], np.cumsum(self.block_sizes)[:-1]])
        self.activity_count = len(activities)
        self.examples = examples
        self.example_keys = [same_wording(e.text) for e in examples]
        self.example_votes = [
            [(by_ref[r], 1.0 - VOTE_DECAY * rank)
             for rank, r in enumerate(e.activities) if r in by_ref]
            for e in examples
        ]
        self.activity_vectors = embed_cached(encoder, texts)
        self.entry_vectors = embed_cached(encoder, entry_texts)
        self.example_vectors = embed_cached(encoder, [e.text for e in examples])

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.encoder.encode_queries(texts)

    def activity_similarity(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per query and activity: the calibrated similarity to its closest text, and which."""
        sims = queries @ self.activity_vectors.T
        best = np.maximum.reduceat(sims, self.block_starts, axis=1)
        # the first text of each activity that reaches its best similarity
        reached = sims >= np.repeat(best, self.block_sizes, axis=1)
        columns = np.where(reached, np.arange(sims.shape[1]), sims.shape[1])
        which = np.minimum.reduceat(columns, self.block_starts, axis=1)
        return self.encoder.calibrate(best), which

    def entry_similarity(self, queries: np.ndarray) -> np.ndarray:
        return self.encoder.calibrate(queries @ self.entry_vectors.T)

    def votes(
        self, queries: np.ndarray, texts: list[str], *, exclude_same: bool = False
    ) -> tuple[np.ndarray, list[dict[int, int]]]:
        """Per query and activity: the vote of the nearest labelled needs, and the example that
        gave each activity its vote. ``exclude_same`` keeps a labelled need from voting for a
        text with its own wording (to measure on the labelled needs themselves)."""
        votes = np.zeros((len(queries), self.activity_count))
        voters: list[dict[int, int]] = [{} for _ in texts]
        if not self.examples:
            return votes, voters
        sims = self.encoder.calibrate(queries @ self.example_vectors.T)
        for row, text in enumerate(texts):
            if exclude_same:
                key = same_wording(text)
                sims[row, [k for k, e in enumerate(self.example_keys) if e == key]] = 0.0
            for k in np.argsort(-sims[row], kind="stable")[:NEIGHBOURS]:
                strength = float(sims[row, k])
                if strength <= 0:
                    break
                for i, weight in self.example_votes[k]:
                    if strength * weight > votes[row, i]:
                        votes[row, i] = strength * weight
                        voters[row][i] = int(k)
        return votes, voters


_lock = threading.Lock()
_failed: dict[str, str] = {}


def _encoder() -> Encoder | None:
    name = settings.MATCHING_MODEL
    if not name or name in _failed:
        return None
    try:
        return load_encoder(name)
    except (ImportError, OSError, ValueError) as exc:
        _failed[name] = str(exc)
        logger.warning("Semantic matching is off: model %s could not be loaded (%s)", name, exc)
        return None


def semantic_status() -> SemanticStatus:
    """Whether the semantic layer is on, with which model, and if not, why."""
    name = settings.MATCHING_MODEL
    if not name:
        return SemanticStatus(False, "", "no model is configured (MATCHING_MODEL is empty)")
    if _encoder() is None:
        return SemanticStatus(False, name, _failed.get(name, "the model is not installed"))
    return SemanticStatus(True, name, "")


def semantic_for(index) -> SemanticIndex | None:
    """The semantic index of a fitted :class:`MatchingIndex` (built once per index and model),
    or None where no model is available."""
    encoder = _encoder()
    if encoder is None:
        return None
    built = index.semantic.get(encoder.name)
    if built is None:
        with _lock:
            built = index.semantic.get(encoder.name)
            if built is None:
                built = SemanticIndex(
                    encoder, index.activities, index.entries, index.entry_documents
                )
                index.semantic[encoder.name] = built
    return built
