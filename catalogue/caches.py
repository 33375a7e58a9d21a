"""The process caches: one helper, one rule.

A cache keeps values for the life of the process under the key they were built from, and
builds a new value when asked with a key it does not hold; it holds at most ``size`` keys and
drops the least recently used. The key is all the value depends on, so a process never serves a
value built from data that has changed since, and no signal or expiry is needed:

- from the reference data in the database: :func:`catalogue.selectors.reference_version` (one
  cheap query that changes when any activity, entry, category or link changes), one key kept
  (the fitted matching index, the scoring framework);
- from a data file shipped with the code: the file's modification time (the matching context);
- the scores of an assessment: the assessment and the fingerprint of everything they are
  computed from, the last 64 kept (``scoring.results``).

Tests that change the reference data inside a transaction they roll back can see a key come
back; they call :func:`process_caches_clear`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

_all: list[ProcessCache] = []


class ProcessCache(Generic[V]):
    """Values kept per process by the key they were built from, at most ``size`` (thread-safe)."""

    def __init__(self, name: str, *, size: int = 1) -> None:
        self.name = name
        self.size = size
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        _all.append(self)

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``build()``'s, kept. One thread builds at a time;
        the others wait and take its value."""
        found = self.find(key)
        if found is not None:
            return found
        with self._building:
            found = self.find(key)
            return found if found is not None else self.keep(key, build())

    def find(self, key: Hashable) -> V | None:
        """The value kept for ``key``, or None."""
        with self._lock:
            value = self._kept.get(key)
            if value is not None:
                self._kept.move_to_end(key)
            return value

    def keep(self, key: Hashable, value: V) -> V:
        """Keep ``value`` for ``key`` (dropping the least recently used past ``size``)."""
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def process_caches_clear() -> None:
    """Forget every kept value (tests that edit the reference data in a transaction)."""
    for cache in _all:
        cache.clear()
