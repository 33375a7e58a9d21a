"""Building and saving one section (category) of the questionnaire, for the views."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from catalogue.models import Category

from .answering import Conflict, answer_save
from .evidence import evidence_add, evidence_problem
from .forms import AnswerForm, initial_for
from .models import Answer, Assessment


@dataclass
class Item:
    """One activity row of a section page: its answer, its form and what happened on save."""

    answer: Answer
    form: AnswerForm | None  # None when the page only shows saved values
    editable: bool
    conflicts: list[Conflict] = field(default_factory=list)
    evidence_error: str = ""

    @property
    def prefix(self) -> str:
        return prefix_for(self.answer)


def section_answers(assessment: Assessment, category: Category) -> list[Answer]:
    return list(
        assessment.answers.filter(activity__category=category, activity__is_retired=False)
        .select_related("activity__category", "activity__group__parent", "updated_by")
        .prefetch_related("evidence")
        .order_by("activity__position")
    )


def prefix_for(answer: Answer) -> str:
    return f"a{answer.pk}"


def build_items(
    answers: list[Answer], *, editable: bool, data: QueryDict | None = None
) -> list[Item]:
    """Items for the page; with posted ``data``, each gets a bound form to validate."""
    if data is None:
        return [Item(answer, None, editable) for answer in answers]
    return [
        Item(
            answer,
            AnswerForm(data=data, prefix=prefix_for(answer), initial=initial_for(answer)),
            editable,
        )
        for answer in answers
    ]


@dataclass
class SectionSave:
    saved: int = 0
    invalid: int = 0
    conflicts: int = 0


def save_item(
    item: Item, user: AbstractBaseUser, data: QueryDict, files: MultiValueDict | None = None
) -> None:
    """Save the valid fields of one item; keep errors and conflicts on the item."""
    upload = (files or {}).get(f"{item.prefix}-evidence_file")
    if upload is not None:
        item.evidence_error = evidence_problem(upload) or ""
        if not item.evidence_error:
            evidence_add(answer=item.answer, upload=upload, user=user)
    form = item.form
    form.full_clean()
    confirm = data.get(f"{item.prefix}-confirm") == "on"
    if "version" in form.errors or not (form.has_changed() or confirm):
        return
    result = answer_save(
        answer=item.answer,
        values=form.valid_values(),
        base_version=form.cleaned_data["version"],
        user=user,
        confirm=confirm,
    )
    item.answer = result.answer
    item.conflicts = result.conflicts
    if result.conflicts:
        # A second save of the same form keeps the user's values on purpose.
        mutable = form.data.copy()
        mutable[f"{item.prefix}-version"] = str(result.answer.version)
        form.data = mutable


def save_section(
    items: list[Item], user: AbstractBaseUser, data: QueryDict, files: MultiValueDict
) -> SectionSave:
    outcome = SectionSave()
    for item in items:
        if not item.editable:
            continue
        save_item(item, user, data, files)
        outcome.saved += 1
        outcome.invalid += bool(item.form.errors) or bool(item.evidence_error)
        outcome.conflicts += bool(item.conflicts)
    return outcome
