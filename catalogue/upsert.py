"""Idempotent upsert of reference rows that staff may also edit in admin.

Each row remembers a digest of the values the loader last wrote. On the next load:
- values in the database equal the file's: nothing to do;
- values in the database still equal the last digest: the file changed, update the row;
- otherwise staff edited the row: keep it, unless ``overwrite`` is asked for.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

CREATED, UPDATED, UNCHANGED, KEPT, RETIRED = "created", "updated", "unchanged", "kept", "retired"


class ReferenceDataError(ValueError):
    """A data file is malformed; the message names the file, the row and what to fix."""


@dataclass
class LoadReport:
    """What one load did, per model: created / updated / unchanged / kept / retired."""

    counts: dict[str, Counter] = field(default_factory=dict)
    # What else the load has to say, e.g. how much of the texts each language covers.
    notes: list[str] = field(default_factory=list)

    def add(self, label: str, outcome: str, count: int = 1) -> None:
        self.counts.setdefault(label, Counter())[outcome] += count

    @property
    def changed(self) -> bool:
        return any(c[CREATED] or c[UPDATED] or c[RETIRED] for c in self.counts.values())

    def lines(self) -> list[str]:
        order = (CREATED, UPDATED, UNCHANGED, KEPT, RETIRED)
        return [
            f"{label}: " + ", ".join(f"{c[o]} {o}" for o in order if c[o])
            for label, c in self.counts.items()
        ]


def _digest(values: dict[str, Any], links: dict[str, Iterable[int]]) -> str:
    payload = {**values, **{name: sorted(ids) for name, ids in links.items()}}
    raw = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _current(obj: models.Model, values: Iterable[str], links: Iterable[str]) -> str:
    now = {name: getattr(obj, name) for name in values}
    now_links = {
        name: [related.pk for related in getattr(obj, name).all()] for name in links
    }
    return _digest(now, now_links)


def mark_written(obj: models.Model, values: Iterable[str], links: Iterable[str] = ()) -> None:
    """Record the row's current values as the loader's own (after the loader changed them)."""
    obj.reference_digest = _current(obj, values, links)


def upsert(
    existing: dict[Any, models.Model],
    model: type[models.Model],
    key: dict[str, Any],
    values: dict[str, Any],
    *,
    links: dict[str, list[int]] | None = None,
    overwrite: bool = False,
) -> tuple[models.Model, str]:
    """Create or update one row.

    ``existing`` maps the key's value (a tuple when the key has several fields) to the rows
    already in the database, and learns the rows this call creates.
    """
    links = links or {}
    wanted = _digest(values, links)
    key_value = tuple(key.values()) if len(key) > 1 else next(iter(key.values()))
    obj = existing.get(key_value)
    if obj is None:
        obj = model(**key, **values, reference_digest=wanted)
        obj.save()
        for name, ids in links.items():
            getattr(obj, name).set(ids)
        existing[key_value] = obj
        return obj, CREATED
    current = _current(obj, values, links)
    if current == wanted:
        if obj.reference_digest != wanted:
            type(obj).objects.filter(pk=obj.pk).update(reference_digest=wanted)
            obj.reference_digest = wanted
        return obj, UNCHANGED
    edited_by_staff = bool(obj.reference_digest) and current != obj.reference_digest
    if edited_by_staff and not overwrite:
        return obj, KEPT
    for name, value in values.items():
        setattr(obj, name, value)
    obj.reference_digest = wanted
    obj.save()
    for name, ids in links.items():
        getattr(obj, name).set(ids)
    return obj, UPDATED
