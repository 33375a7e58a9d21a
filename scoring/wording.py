"""The reference texts of a results page in the reader's language.

Results are computed and kept (caches, snapshots) in English, the source language, so that one
payload serves every reader. A page in another language takes the wording of the guidelines,
criteria, activities, categories and compendium entries from their rows in that language: five
queries, whatever the number of gaps. A criterion of an older snapshot without its count keeps
the English text it was given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from modeltranslation.utils import get_language

from catalogue.models import Activity, Category, Entry, Guideline
from catalogue.texts import SOURCE, content_html, is_fallback, mark_english

from .models import GuidelineCriterion
from .values import CriterionResult, Gap, GuidelineScore


@dataclass
class Wording:
    """Rows by key, empty in English: the payload's own texts are then shown as they are."""

    guidelines: dict[int, Guideline] = field(default_factory=dict)
    criteria: dict[str, GuidelineCriterion] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)

    def category_title(self, category: Any) -> SafeString:
        row = self.categories.get(category.numeral)
        return content_html(row, "title") if row else conditional_escape(category.title)

    def entry_title(self, match: Any) -> SafeString:
        row = self.entries.get(match.ref)
        if row is None:
            return conditional_escape(match.display_title)
        return content_html(row, "short_title" if row.short_title else "title")

    def guideline_text(self, guideline: GuidelineScore) -> SafeString:
        row = self.guidelines.get(guideline.number)
        return content_html(row, "text") if row else conditional_escape(guideline.text)

    def criterion_label(self, criterion: CriterionResult) -> SafeString:
        row = self.criteria.get(criterion.code)
        return content_html(row, "label") if row else conditional_escape(criterion.label)

    def criterion_to_improve(self, criterion: CriterionResult) -> SafeString:
        row = self.criteria.get(criterion.code)
        if row is None or criterion.count is None:
            return conditional_escape(criterion.to_improve)
        text = row.to_improve.replace("{count}", str(criterion.count))
        return mark_english(text) if is_fallback(row, "to_improve") else conditional_escape(text)

    def gap_text(self, gap: Gap) -> SafeString:
        row = self.activities.get(gap.ref)
        return content_html(row, "text") if row else conditional_escape(gap.text)


def wording_for(guidelines: list[GuidelineScore], gaps: list[Gap]) -> Wording:
    if get_language() == SOURCE:
        return Wording()
    codes = {c.code for g in guidelines for c in g.criteria}
    refs = {m.ref for g in gaps for m in g.matches}
    return Wording(
        categories={c.numeral: c for c in Category.objects.all()},
        entries={e.ref: e for e in Entry.objects.filter(ref__in=refs)},
        guidelines={g.number: g for g in Guideline.objects.all()},
        criteria={c.code: c for c in GuidelineCriterion.objects.filter(code__in=codes)},
        activities={a.ref: a for a in Activity.objects.filter(ref__in={g.ref for g in gaps})},
    )


def texts_in_language(model: type, key: str, name: str, keys: Iterable) -> dict:
    """``{key: text}`` of the rows of ``model`` in the reader's language, for pages that show
    plain text (reports); empty in English, the language results hold their texts in."""
    if get_language() == SOURCE:
        return {}
    rows = model.objects.filter(**{f"{key}__in": list(keys)})
    return {getattr(row, key): getattr(row, name) for row in rows if getattr(row, name)}
