"""The cycle and region filter of the heat map and its exports."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Cycle, MemberState

# A value the site does not know (an old bookmark, a hand-edited address) is ignored and said so
# on the page, never an error page, as on the compendium page (catalogue/forms.py).
BAD_CYCLE = _("“%(value)s” is not a cycle here; showing the latest.")
BAD_REGION = _("“%(value)s” is not a region here; showing all regions.")


def _region_choices() -> list[tuple[str, str]]:
    return [("", _("All regions")), *((region, region) for region in MemberState.regions())]


class HeatMapFilterForm(forms.Form):
    cycle = forms.ModelChoiceField(
        queryset=Cycle.objects.filter(is_baseline=False),
        required=False,
        error_messages={"invalid_choice": BAD_CYCLE},
    )
    # A callable: the regions are only read when a region is asked for.
    region = forms.ChoiceField(
        choices=_region_choices,
        required=False,
        error_messages={"invalid_choice": BAD_REGION},
    )

    def filters(self) -> tuple[Cycle | None, str]:
        """The cycle (by default the latest open one) and region; an invalid value counts as
        not given."""
        self.is_valid()
        cycle = self.cleaned_data.get("cycle") or Cycle.objects.filter(is_baseline=False).first()
        return cycle, self.cleaned_data.get("region", "")

    def ignored(self) -> list[str]:
        """One sentence per ignored value, for the notes above the map."""
        return [message for errors in self.errors.values() for message in errors]
