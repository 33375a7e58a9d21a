"""The search and filter form of the compendium page."""

from __future__ import annotations

from django import forms

from .models import Category, CompendiumSection, Entry, Part

SEARCH_MAX_LENGTH = 200

# A filter value the site does not know (an old bookmark, a hand-edited address) is ignored and
# said so on the page, never an error page.
IGNORED_CHOICE = "Ignored {label} “%(value)s”: no such {label}."
IGNORED_SEARCH = f"Ignored the search words: more than {SEARCH_MAX_LENGTH} characters."
IGNORED_PAGE = "Ignored page “{value}”: showing page 1 of {count}."


def _ignored(label: str) -> dict[str, str]:
    return {"invalid_choice": IGNORED_CHOICE.format(label=label)}


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CompendiumSection) -> str:
        number = f" {obj.number}" if obj.number else ""
        return f"{obj.part}{number}. {obj.title}"


class CompendiumFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
        error_messages={"max_length": IGNORED_SEARCH},
        help_text="Words in the title, short title, issuer or description.",
    )
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *Entry.Kind.choices],
        error_messages=_ignored("kind"),
    )
    part = forms.ChoiceField(
        label="Part",
        required=False,
        choices=[("", "Any part"), *Part.choices],
        error_messages=_ignored("part"),
    )
    category = forms.ModelChoiceField(
        label="Category",
        required=False,
        queryset=Category.objects.order_by("position"),
        to_field_name="numeral",
        empty_label="Any category",
        error_messages=_ignored("category"),
    )
    section = SectionChoiceField(
        label="Section",
        required=False,
        queryset=CompendiumSection.objects.order_by("part", "position"),
        empty_label="Any section",
        error_messages=_ignored("section"),
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
