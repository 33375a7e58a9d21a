"""The search and filter form of the compendium page."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from .models import Category, CompendiumSection, Entry, Part

SEARCH_MAX_LENGTH = 200

# A filter value the site does not know (an old bookmark, a hand-edited address) is ignored and
# said so on the page, never an error page.
IGNORED_CHOICE = gettext_noop("Ignored {label} “%(value)s”: no such {label}.")
# Django's max_length error gives %(limit_value)d; tests read the English sentence filled in.
IGNORED_SEARCH_TEMPLATE = gettext_noop(
    "Ignored the search words: more than %(limit_value)d characters."
)
IGNORED_SEARCH = IGNORED_SEARCH_TEMPLATE % {"limit_value": SEARCH_MAX_LENGTH}
IGNORED_PAGE = gettext_noop("Ignored page “{value}”: showing page 1 of {count}.")


def _ignored(label: str) -> dict[str, str]:
    """The message for an unknown value of a field; ``label`` is a lazy translation."""
    return {"invalid_choice": format_lazy(_(IGNORED_CHOICE), label=label)}


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CompendiumSection) -> str:
        number = f" {obj.number}" if obj.number else ""
        return f"{obj.part}{number}. {obj.title}"


class CompendiumFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
        error_messages={"max_length": _(IGNORED_SEARCH_TEMPLATE)},
        help_text=_("Words in the title, short title, issuer or description."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *Entry.Kind.choices],
        error_messages=_ignored(pgettext_lazy("compendium filter", "kind")),
    )
    part = forms.ChoiceField(
        label=_("Part"),
        required=False,
        choices=[("", _("Any part")), *Part.choices],
        error_messages=_ignored(pgettext_lazy("compendium filter", "part")),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.order_by("position"),
        to_field_name="numeral",
        empty_label=_("Any category"),
        error_messages=_ignored(pgettext_lazy("compendium filter", "category")),
    )
    section = SectionChoiceField(
        label=_("Section"),
        required=False,
        queryset=CompendiumSection.objects.order_by("part", "position"),
        empty_label=_("Any section"),
        error_messages=_ignored(pgettext_lazy("compendium filter", "section")),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "part", "category", "section"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict[str, object]:
        """The valid values only, for ``entry_search``: an invalid field counts as not given."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q", ""),
            "kind": data.get("kind", ""),
            "part": data.get("part", ""),
            "category": data.get("category"),
            "section": data.get("section"),
        }

    def ignored(self) -> list[str]:
        """One sentence per ignored value, for the note above the results."""
        return [message for errors in self.errors.values() for message in errors]
