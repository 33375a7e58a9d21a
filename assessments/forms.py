"""Questionnaire forms: they only clean values; saving is ``answering.answer_save``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from catalogue.models import Language

from .answering import ANSWER_FIELDS, DETAIL_FIELDS
from .choices import (
    AnswerState,
    AssistanceKind,
    CrimeArea,
    DeliveryMode,
    LegalTradition,
    Level,
    Priority,
    Ratification,
    Timeline,
)
from .models import Answer

# Messages the tests import: each says what to fix.
NEEDS_REASON = gettext_noop("Say why this activity does not apply to your country.")
NOT_A_LINK = gettext_noop(
    "Line {line} is not a web address: start it with https:// (or http://)."
)
TEXT_LIMIT = 10_000

# Why each field is asked: the guideline it serves (DESIGN.md, "The questionnaire").
GUIDELINE_HELP = {
    "status": (5, 7, _("Assistance answers assessed needs and is evaluated against a baseline.")),
    "assistance": (5, 6, _("Assistance is given at the request of the State.")),
    "priority": (5, 9, _("Priorities of the requesting State; timely delivery.")),
    "crime_areas": (1, 2, _("An integrated approach across terrorism and related crime.")),
    "other_providers": (3, None, _("Avoid duplication with other providers.")),
    "regional_obligations": (4, None, _("Regional and bilateral obligations are considered.")),
    "safeguards": (1, None, _("Human rights and the rule of law are respected.")),
    "legal_context": (8, None, _("Diverse legal systems and traditions are recognised.")),
    "delivery_modes": (10, None, _("Online delivery, legislators, Programme Network, mentoring.")),
    "baseline": (7, None, _("Needs assessment and evaluation of impact.")),
    "resources": (9, None, _("Timely and cost-effective assistance.")),
}

STATUS_CHOICES = [
    *[(str(value), label) for value, label in Level.choices],
    ("na", _("Not applicable")),
    ("unknown", _("Unknown")),
]
YES_NO = [("", _("Not answered")), ("yes", _("Yes")), ("no", _("No"))]

# A section page sends the detail fields only for items whose details are open (the rest load
# on demand), so a save takes a detail field only when the page carried it: the ``details``
# marker says it did (an unticked checkbox group sends nothing), or the field's own name is in
# the data.


def _text(label: str, help_text: str = "", rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AnswerForm(forms.Form):
    """One activity item. Field names match ``Answer``; ``status`` folds state and level."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(
        label=_("Implementation level"),
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    not_applicable_reason = _text(_("If not applicable: why?"))
    assistance = forms.ChoiceField(
        label=_("Is technical assistance needed?"), choices=YES_NO, required=False
    )
    assistance_kinds = forms.MultipleChoiceField(
        label=_("Kind of assistance"),
        choices=AssistanceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", "—"), *Priority.choices], required=False
    )
    timeline = forms.ChoiceField(
        label=_("Wanted timeline"), choices=[("", "—"), *Timeline.choices], required=False
    )
    crime_areas = forms.MultipleChoiceField(
        label=_("Crime areas concerned"),
        choices=CrimeArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_providers = _text(
        _("Assistance received or planned from other providers"),
        _("Who, and what; write “none” if there is none."),
    )
    regional_obligations = _text(_("Regional or bilateral obligations that bear on it"))
    safeguards = _text(_("Human-rights safeguards to respect"))
    legal_context = _text(_("Legal-system context"))
    delivery_modes = forms.MultipleChoiceField(
        label=_("Preferred delivery"),
        choices=DeliveryMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    baseline = _text(
        _("Baseline indicator"), _("Where things stand today, in a measurable way.")
    )
    target = _text(pgettext_lazy("indicator", "Target"), _("How success would be seen."))
    resources = _text(_("Estimated resources"), _("People, time, money, equipment."))
    comment = _text(_("Comment"))
    evidence_links = _text(_("Evidence links"), _("One web address per line."))
    evidence_file = forms.FileField(
        label=_("Attach evidence"),
        required=False,
        help_text=_("PDF, Word, Excel, OpenDocument, text or image; at most 10 MB."),
    )
    confirm = forms.BooleanField(
        label=_("Confirm this pre-filled item as it is"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and self.add_prefix("details") not in self.data:
            for name in DETAIL_FIELDS:
                if self.add_prefix(name) not in self.data:
                    del self.fields[name]  # not on the page: its saved value stays

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        reason = data.get("not_applicable_reason", "").strip()
        if data.get("status") == "na" and not reason and not self.has_error(
            "not_applicable_reason"
        ):
            self.add_error("not_applicable_reason", gettext(NEEDS_REASON))
        return data

    def clean_evidence_links(self) -> str:
        value = self.cleaned_data["evidence_links"]
        check = URLValidator(schemes=["http", "https"])
        for number, line in enumerate(value.splitlines(), start=1):
            if line.strip():
                try:
                    check(line.strip())
                except ValidationError as exc:
                    raise ValidationError(gettext(NOT_A_LINK).format(line=number)) from exc
        return "\n".join(line.strip() for line in value.splitlines() if line.strip())

    def valid_values(self) -> dict[str, Any]:
        """The answer's values from every field that passed validation (after full_clean)."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        if "status" not in self.errors and "status" in data:
            values.update(status_to_state(data["status"]))
        if "assistance" not in self.errors and "assistance" in data:
            values["assistance_needed"] = {"yes": True, "no": False}.get(data["assistance"])
        for name in ANSWER_FIELDS:
            if name in self.fields and name not in self.errors and name in data:
                values[name] = data[name]
        if values.get("state") == AnswerState.NOT_APPLICABLE and self.has_error(
            "not_applicable_reason"
        ):
            values.pop("state"), values.pop("level")
        return values


def _add_guideline_help(fields: dict[str, forms.Field]) -> None:
    """Say beside each field which guideline it serves, and why."""
    for name, (first, second, why) in GUIDELINE_HELP.items():
        if second:
            said = format_lazy(
                _("Guidelines {first}, {second}: {why}"), first=first, second=second, why=why
            )
        else:
            said = format_lazy(_("Guideline {first}: {why}"), first=first, why=why)
        field = fields[name]
        field.help_text = format_lazy("{} {}", field.help_text, said) if field.help_text else said


_add_guideline_help(AnswerForm.base_fields)


def status_to_state(status: str) -> dict[str, Any]:
    if status in {"na", "unknown"}:
        state = AnswerState.NOT_APPLICABLE if status == "na" else AnswerState.UNKNOWN
        return {"state": state, "level": None}
    if status == "":
        return {"state": AnswerState.UNANSWERED, "level": None}
    return {"state": AnswerState.LEVEL, "level": int(status)}


def initial_for(answer: Answer) -> dict[str, Any]:
    """The form's initial values for one answer."""
    if answer.state == AnswerState.LEVEL:
        status = str(answer.level)
    else:
        status = {AnswerState.NOT_APPLICABLE: "na", AnswerState.UNKNOWN: "unknown"}.get(
            answer.state, ""
        )
    assistance = {True: "yes", False: "no"}.get(answer.assistance_needed, "")
    initial = {name: getattr(answer, name) for name in ANSWER_FIELDS}
    return {**initial, "status": status, "assistance": assistance, "version": answer.version}


class ProfileForm(forms.Form):
    """The country profile: legal tradition and context (ratifications are their own rows)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    legal_tradition = forms.ChoiceField(
        label=_("Legal tradition"), choices=[("", "—"), *LegalTradition.choices], required=False
    )
    legal_context = _text(
        _("Legal context"), _("How international law takes effect, etc."), rows=3
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The languages in which your officials can use tools and training: tools known to "
            "exist in none of them are suggested last."
        ),
    )


RATIFICATION_CHOICES = [("", _("Not answered")), *Ratification.choices]
