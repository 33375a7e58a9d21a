from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.filter
def heat(percent: int | None) -> str:
    """The heat-map class of a 0-100 value: five bands, or “none” for no data."""
    if percent is None or percent == "":
        return "heat-none"
    return f"heat-{min(4, int(percent) // 20)}"


@register.filter
def percent(value: float | None) -> str:
    """A share in [0, 1] as “54 %”; “no data” when there is none (never 0)."""
    return gettext("no data") if value is None else f"{round(100 * value)} %"


@register.filter
def kind_label(kind: str) -> str:
    from catalogue.models import Entry

    return Entry.Kind(kind).label if kind in Entry.Kind.values else kind


@register.filter
def guideline_text(wording: Any, guideline: Any) -> SafeString:
    """``{{ wording|guideline_text:guideline }}``: its text in the reader's language."""
    return wording.guideline_text(guideline)


@register.filter
def criterion_label(wording: Any, criterion: Any) -> SafeString:
    return wording.criterion_label(criterion)


@register.filter
def criterion_to_improve(wording: Any, criterion: Any) -> SafeString:
    return wording.criterion_to_improve(criterion)


@register.filter
def gap_text(wording: Any, gap: Any) -> SafeString:
    return wording.gap_text(gap)


@register.filter
def category_title(wording: Any, category: Any) -> SafeString:
    return wording.category_title(category)


@register.filter
def entry_title(wording: Any, match: Any) -> SafeString:
    return wording.entry_title(match)
