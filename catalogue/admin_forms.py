"""Admin forms for reference rows: lists edited one per line, rules across fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Activity, ActivityGroup, Entry
from .resources import GROUP_NOT_IN_CATEGORY

SECTION_NOT_IN_PART = _(
    "Section “{section}” is in part {actual}: choose a section of part {given}."
)
POSITION_HELP = _("Order in the lists (the document's order); rows added later go at the end.")


class LinesField(forms.CharField):
    """A JSON list of short texts (sub-points, other spellings), edited one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class GroupChoiceField(forms.ModelChoiceField):
    """Groups by ref and a short title: some titles run to three lines."""

    def label_from_instance(self, obj: ActivityGroup) -> str:
        return f"{obj.ref}  {Truncator(obj.title).chars(70)}"


class ActivityAdminForm(forms.ModelForm):
    group = GroupChoiceField(
        queryset=ActivityGroup.objects.all(),
        required=False,
        help_text=_("The sub-group of the category, if any; it must belong to the category."),
    )

    class Meta:
        model = Activity
        fields = (
            "ref", "category", "group", "number", "position", "text", "details", "obligation",
            "target_level", "is_retired",
        )
        help_texts = {"position": POSITION_HELP}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The sub-points in each language (details_en, details_fr...), one per line.
        for name, formfield in list(self.fields.items()):
            if name == "details" or name.startswith("details_"):
                self.fields[name] = LinesField(
                    label=formfield.label,
                    help_text=_("Sub-points of the item, verbatim, one per line."),
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        category, group = data.get("category"), data.get("group")
        if category and group and group.category_id != category.pk:
            self.add_error("group", GROUP_NOT_IN_CATEGORY.format(
                group=group.ref, actual=group.category.numeral, given=category.numeral
            ))
        return data


class EntryAdminForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"), required=False, max_length=500, assume_scheme="https",
        widget=AdminURLFieldWidget,
    )

    class Meta:
        model = Entry
        fields = (
            "ref", "part", "section", "number", "position", "title", "short_title", "kind",
            "issuer", "year", "description", "url", "languages", "categories", "activities",
            "sources", "is_retired",
        )
        widgets = {"title": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})}
        help_texts = {
            "position": POSITION_HELP,
            "activities": _("Type a ref (such as VII.D.5) or words of the wording to find one."),
            "is_retired": _(
                "Retired entries leave the compendium's lists and the tools suggested for gaps; "
                "their links are kept."
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        part, section = data.get("part"), data.get("section")
        if part and section and section.part != part:
            self.add_error("section", SECTION_NOT_IN_PART.format(
                section=section, actual=section.part, given=part
            ))
        return data
