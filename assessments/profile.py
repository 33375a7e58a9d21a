"""The profile section: legal tradition and the ratification status of each Part A instrument."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import gettext, gettext_noop

from .choices import Ratification
from .forms import ProfileForm
from .models import Assessment, RatificationStatus
from .opening import ratifications_ensure

BAD_STATUS = gettext_noop("Choose one of the listed statuses.")
PROFILE_CONFLICT = gettext_noop(
    "{field} was changed by someone else meanwhile (now: “{theirs}”; yours: “{mine}”). "
    "Your value is still in the form: save again to keep it."
)
PROFILE_PROBLEMS = gettext_noop("The rest was saved; see the messages in the form.")


@dataclass
class ProfileRow:
    status: RatificationStatus
    error: str = ""
    conflict: str = ""

    @property
    def name(self) -> str:
        return f"r{self.status.instrument_id}"

    @property
    def version_name(self) -> str:
        return f"rv{self.status.instrument_id}"


@dataclass
class ProfileSave:
    ok: bool = True
    message: str = ""
    problems: list[str] = field(default_factory=list)


def profile_rows(assessment: Assessment) -> list[ProfileRow]:
    ratifications_ensure(assessment)
    statuses = assessment.ratifications.select_related("instrument__section").order_by(
        "instrument__position"
    )
    return [ProfileRow(s) for s in statuses]


@transaction.atomic
def profile_save(
    *,
    assessment: Assessment,
    form: ProfileForm,
    rows: list[ProfileRow],
    data: QueryDict,
    user: AbstractBaseUser,
) -> ProfileSave:
    result = ProfileSave()
    if form.is_valid():
        _save_legal(assessment, form, result)
    else:
        result.ok = False
    valid = {"", *Ratification.values}
    for row in rows:
        if row.name not in data:
            continue
        value = data[row.name]
        if value not in valid:
            row.error, result.ok = gettext(BAD_STATUS), False
            continue
        if value == row.status.status:
            continue
        version = data.get(row.version_name, "")
        updated = RatificationStatus.objects.filter(
            pk=row.status.pk, version=int(version) if version.isdigit() else -1
        ).update(status=value, version=F("version") + 1, updated_by=user)
        if updated:
            row.status.refresh_from_db()
            row.status.save()  # records the change in the history
        else:
            row.status.refresh_from_db()
            not_answered = gettext("not answered")
            row.conflict = gettext(PROFILE_CONFLICT).format(
                field=row.status.instrument.short_title or row.status.instrument.title,
                theirs=row.status.get_status_display() or not_answered,
                mine=dict(Ratification.choices).get(value, not_answered),
            )
            result.ok = False
    if not result.ok:
        result.message = gettext(PROFILE_PROBLEMS)
    return result


def _save_legal(assessment: Assessment, form: ProfileForm, result: ProfileSave) -> None:
    values = {
        "legal_tradition": form.cleaned_data["legal_tradition"],
        "legal_context": form.cleaned_data["legal_context"],
        "languages": " ".join(form.cleaned_data["languages"]),
    }
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if all(getattr(current, k) == v for k, v in values.items()):
        return
    if form.cleaned_data["version"] != current.profile_version:
        for name, mine in values.items():
            theirs = getattr(current, name)
            if theirs != mine:
                form.add_error(
                    name,
                    gettext(PROFILE_CONFLICT).format(
                        field=form.fields[name].label, theirs=theirs, mine=mine
                    ),
                )
        if form.errors:
            data = form.data.copy()
            data["version"] = str(current.profile_version)
            form.data = data
            result.ok = False
            return
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.profile_version = current.profile_version + 1
    assessment.save(update_fields=[*values, "profile_version", "updated_at"])
