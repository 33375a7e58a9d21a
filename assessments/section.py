"""Building and saving one section (category) of the questionnaire, for the views."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from catalogue.models import ActivityGroup, Category

from .answering import ANSWER_FIELDS, Change, Conflict, SaveResult, answers_save
from .evidence import evidence_add, evidence_problem
from .forms import AnswerForm, initial_for
from .models import Answer, Assessment, Evidence


@dataclass
class Item:
    """One activity row of a section page: its answer, its form and what happened on save."""

    answer: Answer
    form: AnswerForm | None  # None when the page only shows saved values
    editable: bool
    conflicts: list[Conflict] = field(default_factory=list)
    evidence_error: str = ""

    @cached_property
    def prefix(self) -> str:
        return prefix_for(self.answer)


def section_answers(assessment: Assessment, category: Category) -> list[Answer]:
    """The section's answers in the document's order, with everything the page shows.

    Groups and editors are few: they are fetched once and attached, rather than joined to
    every row (which took longer than rendering the page).
    """
    answers = list(
        assessment.answers.filter(activity__category=category, activity__is_retired=False)
        .select_related("activity")
        .order_by("activity__position")
    )
    files: dict[int, list[Evidence]] = {a.pk: [] for a in answers}
    for evidence in Evidence.objects.filter(answer__in=answers):
        files[evidence.answer_id].append(evidence)
    groups = {g.pk: g for g in ActivityGroup.objects.filter(category=category)}
    editor_ids = {a.updated_by_id for a in answers if a.updated_by_id}
    editors = (
        {u.pk: u for u in get_user_model().objects.filter(pk__in=editor_ids)}
        if editor_ids
        else {}
    )
    for answer in answers:
        activity = answer.activity
        activity.category = category
        activity.group = groups.get(activity.group_id)
        if activity.group is not None:
            activity.group.parent = groups.get(activity.group.parent_id)
        answer.updated_by = editors.get(answer.updated_by_id)
        answer.evidence_files = files[answer.pk]
    return answers


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


def _change(
    item: Item, user: AbstractBaseUser, data: QueryDict, files: MultiValueDict | None
) -> Change | None:
    """Store the item's upload and validate its form: the change to save, if any."""
    upload = (files or {}).get(f"{item.prefix}-evidence_file")
    if upload is not None:
        item.evidence_error = evidence_problem(upload) or ""
        if not item.evidence_error:
            evidence = evidence_add(answer=item.answer, upload=upload, user=user)
            if hasattr(item.answer, "evidence_files"):
                item.answer.evidence_files.append(evidence)
    form = item.form
    form.full_clean()
    confirm = data.get(f"{item.prefix}-confirm") == "on"
    if "version" in form.errors or not (form.has_changed() or confirm):
        return None
    return Change(item.answer, form.valid_values(), form.cleaned_data["version"], confirm)


def _apply(item: Item, result: SaveResult) -> None:
    """Show the saved values on the item; keep conflicts (and the user's values) on it."""
    _refresh(item.answer, result.answer)
    item.conflicts = result.conflicts
    if result.conflicts:
        # A second save of the same form keeps the user's values on purpose.
        mutable = item.form.data.copy()
        mutable[f"{item.prefix}-version"] = str(result.answer.version)
        item.form.data = mutable


def items_save(
    items: list[Item], user: AbstractBaseUser, data: QueryDict, files: MultiValueDict | None
) -> None:
    """Save the valid fields of the items together; keep errors and conflicts on each item."""
    pending = [(item, _change(item, user, data, files)) for item in items]
    pending = [(item, change) for item, change in pending if change is not None]
    results = answers_save([change for _, change in pending], user)
    for (item, _), result in zip(pending, results, strict=True):
        _apply(item, result)


def item_save(
    item: Item, user: AbstractBaseUser, data: QueryDict, files: MultiValueDict | None = None
) -> None:
    """Save the valid fields of one item; keep errors and conflicts on the item."""
    items_save([item], user, data, files)


def _refresh(shown: Answer, saved: Answer) -> None:
    """Copy the saved values onto the answer the page shows (which carries its relations)."""
    for name in (*ANSWER_FIELDS, "version", "updated_at", "needs_confirmation"):
        setattr(shown, name, getattr(saved, name))
    shown.updated_by = saved.updated_by


def evidence_files(answer: Answer) -> list[Evidence]:
    """The answer's files: attached by ``section_answers``, else read from the database."""
    files = getattr(answer, "evidence_files", None)
    return list(answer.evidence.all()) if files is None else files


def section_save(
    items: list[Item], user: AbstractBaseUser, data: QueryDict, files: MultiValueDict
) -> SectionSave:
    # Items not on the page the user posted (or not theirs to change) are left alone.
    posted = [i for i in items if i.editable and f"{i.prefix}-version" in data]
    items_save(posted, user, data, files)
    return SectionSave(
        saved=len(posted),
        invalid=sum(bool(i.form.errors) or bool(i.evidence_error) for i in posted),
        conflicts=sum(bool(i.conflicts) for i in posted),
    )


@dataclass(frozen=True)
class Problem:
    """One reason an item was not saved, for the error summary at the top of the page."""

    anchor: str  # the id of the field to correct
    where: str  # the activity's number and the field's label
    message: str


def section_problems(items: list[Item]) -> list[Problem]:
    """Every field error of the section's items, each pointing at its field."""
    problems = []
    for item in items:
        label, prefix = item.answer.activity.label, item.prefix
        errors = item.form.errors.items() if item.form is not None and item.form.is_bound else ()
        for name, messages in errors:
            field_ = AnswerForm.base_fields.get(name)
            if field_ is None:  # errors of the whole item
                anchor, where = f"item-{item.answer.activity.ref}", label
            else:
                suffix = "_0" if name == "status" else ""
                anchor, where = f"id_{prefix}-{name}{suffix}", f"{label} {field_.label}"
            problems += [Problem(anchor, where, message) for message in messages]
        if item.evidence_error:
            where = f"{label} {AnswerForm.base_fields['evidence_file'].label}"
            problems.append(Problem(f"id_{prefix}-evidence_file", where, item.evidence_error))
    return problems
