"""A save's conflicts as the section page's script shows them: per form field, both versions.

``answer_save`` reports conflicts per answer field; the page works with form fields (one
"status" field holds state and level). Each conflict becomes the form field's name, the other
person's values as the form posts them (so "take theirs" can put them back), and both versions
as a person reads them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .forms import initial_for
from .section import Item

FORM_FIELD = {"state": "status", "level": "status", "assistance_needed": "assistance"}


def conflicts_payload(item: Item) -> list[dict[str, Any]]:
    """The item's conflicts, one per form field, for the autosave JSON."""
    theirs_initial = initial_for(item.answer)
    payload: dict[str, dict[str, Any]] = {}
    for conflict in item.conflicts:
        name = FORM_FIELD.get(conflict.field, conflict.field)
        if name in payload:
            continue
        field = item.form.fields[name]
        theirs = _as_posted(theirs_initial[name])
        mine = item.form.data.getlist(f"{item.prefix}-{name}")
        payload[name] = {
            "field": name,
            "label": str(field.label),
            "theirs": theirs,
            "theirs_text": _readable(field, theirs),
            "mine_text": _readable(field, mine),
            "by": conflict.by,
        }
    return list(payload.values())


def _as_posted(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [] if value in (None, "") else [str(value)]


def _readable(field, values: list[str]) -> str:
    labels = dict(getattr(field, "choices", ()) or ())
    shown = [str(labels.get(v, v)) for v in values if v != ""]
    return ", ".join(shown) or _("(empty)")
