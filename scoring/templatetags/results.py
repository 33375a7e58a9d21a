from django import template
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
