"""The values scoring returns: plain frozen dataclasses, stored as JSON in the cache and snapshots.

Every number carries what produced it (counts, the criterion's detail, the gap's reasons), so a
page or a report can explain a score down to the answers without recomputing anything.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_noop

from catalogue.matching import EntryMatch

NO_DATA = gettext_noop("insufficient information")  # translated where it is shown


@dataclass(frozen=True)
class Index:
    """Implementation index of a set of activities: mean of level / 4 over those with a level.

    ``value`` is None when no activity of the set has a level: "insufficient information",
    never 0. Not applicable items are left out; unknown and unanswered ones are counted apart.
    """

    value: float | None
    with_level: int
    not_applicable: int
    unknown: int
    unanswered: int

    @property
    def total(self) -> int:
        return self.with_level + self.not_applicable + self.unknown + self.unanswered

    @property
    def applicable(self) -> int:
        return self.total - self.not_applicable

    @property
    def coverage(self) -> float | None:
        """Share of the applicable activities that have a level."""
        return self.with_level / self.applicable if self.applicable else None

    @property
    def percent(self) -> int | None:
        return None if self.value is None else round(100 * self.value)

    @property
    def display(self) -> str:
        """“62 %”, or “insufficient information” when no activity has a level."""
        return gettext(NO_DATA) if self.value is None else f"{self.percent} %"


@dataclass(frozen=True)
class ActivityIndex:
    ref: str
    label: str  # as the document numbers it, e.g. VII.D.5
    category: str  # numeral
    state: str
    level: int | None
    value: float | None  # level / 4, None unless a level is given

    @property
    def display(self) -> str:
        if self.state == "na":
            return gettext("not applicable")
        return gettext(NO_DATA) if self.value is None else f"{round(100 * self.value)} %"


@dataclass(frozen=True)
class CategoryIndex:
    numeral: str
    title: str
    index: Index


@dataclass(frozen=True)
class ImplementationIndex:
    country: Index
    categories: tuple[CategoryIndex, ...]
    activities: tuple[ActivityIndex, ...]

    def category(self, numeral: str) -> CategoryIndex:
        return next(c for c in self.categories if c.numeral == numeral)


@dataclass(frozen=True)
class Gap:
    """An activity below its target level, or with assistance requested."""

    ref: str
    label: str  # as the document numbers it, e.g. VII.D.5
    text: str
    category: str  # numeral
    position: int
    state: str
    level: int | None
    target: int
    requested: bool
    priority: str
    obligation: str
    distance: float  # in [0, 1]
    severity: float  # in [0, 100]
    reasons: tuple[str, ...]
    own_words: str = ""  # the country's comment and 2004 need, used for matching
    matches: tuple[EntryMatch, ...] = ()


@dataclass(frozen=True)
class CriterionResult:
    """One criterion of a guideline: its value in [0, 1], or None when it does not apply."""

    code: str
    label: str
    description: str
    weight: float
    value: float | None
    detail: str
    to_improve: str  # empty when met or not applicable
    items: tuple[str, ...] = ()  # activity refs to complete; "profile" for the profile
    count: int | None = None  # the number in ``to_improve`` (None in older snapshots)

    @property
    def status(self) -> str:
        if self.value is None:
            return "not_applicable"
        if self.value >= 1:
            return "met"
        return "partly" if self.value > 0 else "not_met"

    @property
    def is_met(self) -> bool:
        return self.status == "met"


@dataclass(frozen=True)
class GuidelineScore:
    number: int
    text: str
    score: float | None  # 0-100, None when no criterion applies
    criteria: tuple[CriterionResult, ...]

    @property
    def met(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.is_met]

    @property
    def not_met(self) -> list[CriterionResult]:
        """Criteria not (fully) met, each with its "to improve" line: partly met ones first."""
        return [c for c in self.criteria if c.status in ("partly", "not_met")]

    @property
    def not_applicable(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.status == "not_applicable"]

    @property
    def display(self) -> str:
        return gettext(NO_DATA) if self.score is None else f"{round(self.score)}"


@dataclass(frozen=True)
class LevelChange:
    ref: str
    label: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class CategoryChange:
    numeral: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class Comparison:
    """Progress since the country's earlier assessment (or its 2004 requests)."""

    assessment_id: int
    cycle: str
    is_baseline: bool
    index_before: float | None
    index_after: float | None
    categories: tuple[CategoryChange, ...]
    improved: tuple[LevelChange, ...]
    worsened: tuple[LevelChange, ...]
    new_gaps: tuple[str, ...]
    closed_gaps: tuple[str, ...]
    open_gaps: tuple[str, ...]


@dataclass(frozen=True)
class Results:
    """Everything scored for one assessment."""

    assessment_id: int
    country: str  # ISO alpha-3
    country_name: str
    cycle: str
    computed_at: str  # ISO 8601
    fingerprint: str
    index: ImplementationIndex
    gaps: tuple[Gap, ...]  # ranked: severity, then the document's order
    unknown: tuple[str, ...]  # refs of activities of unknown level without a request
    guidelines: tuple[GuidelineScore, ...]
    comparison: Comparison | None = None

    def top_gaps(self, n: int = 10) -> list[Gap]:
        return list(self.gaps[:n])

    def gaps_by_category(self, n: int | None = None) -> dict[str, list[Gap]]:
        """The ranked gaps of each category (the first ``n``), categories in document order."""
        grouped: dict[str, list[Gap]] = {c.numeral: [] for c in self.index.categories}
        for gap in self.gaps:
            grouped.setdefault(gap.category, []).append(gap)
        return {k: v[:n] if n is not None else v for k, v in grouped.items()}

    def gap(self, ref: str) -> Gap | None:
        return next((g for g in self.gaps if g.ref == ref), None)

    def activity(self, ref: str) -> ActivityIndex | None:
        return next((a for a in self.index.activities if a.ref == ref), None)


def to_payload(value: Any) -> Any:
    """A JSON-ready copy of a result (dataclasses become dicts, tuples lists)."""
    return _dumper(type(value))(value)


def from_payload(cls: type, data: Any) -> Any:
    """Rebuild a dataclass from :func:`to_payload` output; unknown keys are ignored and
    missing ones take their default, so an older snapshot still loads."""
    return _loader(cls)(data)


# Converters are compiled once per type from the type hints, and touch only the fields that
# hold dataclasses (and turn JSON lists back into tuples): a payload of a few hundred gaps and
# matches loads in a few milliseconds.
_LOADERS: dict[Any, Any] = {}
_DUMPERS: dict[Any, Any] = {}


def _same(value: Any) -> Any:
    return value


def _is_plain(hint: Any) -> bool:
    """Whether values of ``hint`` hold no dataclass (JSON takes them as they are)."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return False
    return all(_is_plain(arg) for arg in typing.get_args(hint) if arg is not Ellipsis)


def _loader(hint: Any) -> Any:
    if hint in _LOADERS:
        return _LOADERS[hint]
    origin = typing.get_origin(hint)
    if _is_plain(hint):
        load = (lambda v: None if v is None else tuple(v)) if origin is tuple else _same
    elif origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = _loader(options[0]) if len(options) == 1 else _same
        load = (lambda v: None if v is None else inner(v)) if inner is not _same else _same
    elif origin in (tuple, list, Sequence):
        item = _loader(typing.get_args(hint)[0])
        kind = tuple if origin is tuple else list
        load = lambda v: kind([item(x) for x in v])  # noqa: E731
    else:  # a dataclass
        _LOADERS[hint] = lambda v: load(v)  # recursive types
        hints = typing.get_type_hints(hint)
        names = {f.name for f in dataclasses.fields(hint)}
        convert = [
            (name, _loader(hints[name])) for name in names if _loader(hints[name]) is not _same
        ]

        def load(data: dict, cls: type = hint, names: set = names, convert: list = convert):
            if data.keys() == names:
                # Every field and nothing else (any payload of this version): fill the frozen
                # instance directly, skipping __init__'s checks; a fifth of the time. The
                # dataclasses of this module have no __post_init__ to skip.
                value = object.__new__(cls)
                state = value.__dict__
                state.update(data)
                for name, converter in convert:
                    state[name] = converter(data[name])
                return value
            values = {k: v for k, v in data.items() if k in names}
            for name, converter in convert:
                if name in values:
                    values[name] = converter(values[name])
            return cls(**values)

    _LOADERS[hint] = load
    return load


def _dumper(hint: Any) -> Any:
    if hint in _DUMPERS:
        return _DUMPERS[hint]
    origin = typing.get_origin(hint)
    if _is_plain(hint):
        dump = _same  # tuples of plain values: JSON writes them as lists
    elif origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = _dumper(options[0]) if len(options) == 1 else _same
        dump = (lambda v: None if v is None else inner(v)) if inner is not _same else _same
    elif origin in (tuple, list, Sequence):
        item = _dumper(typing.get_args(hint)[0])
        dump = lambda v: [item(x) for x in v]  # noqa: E731
    else:  # a dataclass
        _DUMPERS[hint] = lambda v: dump(v)
        hints = typing.get_type_hints(hint)
        names = [f.name for f in dataclasses.fields(hint)]
        convert = [(n, _dumper(hints[n])) for n in names if _dumper(hints[n]) is not _same]

        def dump(value: Any, names: list = names, convert: list = convert) -> dict:
            data = {name: getattr(value, name) for name in names}
            for name, converter in convert:
                data[name] = converter(data[name])
            return data

    _DUMPERS[hint] = dump
    return dump
