"""The markup of questionnaire items, built in Python.

The largest section repeats seventeen fields for each of its 57 activities: some 2,500 inputs.
Django's widget templates (and crispy-forms over them) took about two seconds for that page,
and the template language itself a few hundred milliseconds; writing the same Bootstrap 5
markup here takes a few milliseconds. Everything that comes from data goes through ``escape``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import escape as _escape
from typing import Any, NamedTuple

from django import forms
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from catalogue.texts import content_html

from .answering import DETAIL_FIELDS
from .forms import AnswerForm, initial_for
from .opening import prefill_note_shown
from .section import Item, evidence_files

# The detail fields, in order, with their Bootstrap column (half a row unless said here).
COLUMNS = {"priority": "col-sm-6", "timeline": "col-sm-6", "delivery_modes": "col-12"}
DETAILS = tuple((name, COLUMNS.get(name, "col-md-6")) for name in DETAIL_FIELDS)
FIELDS = AnswerForm.base_fields


def escape(value: object) -> str:
    """HTML-escape anything (the standard library's, without Django's lazy-string wrapper)."""
    return _escape(str(value), quote=True)


@dataclass(frozen=True)
class FieldText:
    """The escaped parts of a field that never change: label, help, choices."""

    label: str
    help: str  # the help in its ``form-text`` block, or ""
    help_text: str  # the help alone
    choices: tuple[tuple[str, str, str], ...]  # (raw value, escaped value, escaped label)


@dataclass(frozen=True)
class Texts:
    """Every fixed word of the items in one language, translated once: the fields' texts and
    the sentences of the save state. ``gettext`` per item would cost more than the markup."""

    fields: dict[str, FieldText]
    level_legend: str  # %(activity)s
    changed_by: str  # %(who)s
    theirs_kept: str
    conflict_row: str  # %(field)s, %(theirs)s, %(mine)s
    empty: str
    not_saved: str
    saved: str  # %(when)s
    saved_by: str  # %(when)s, %(who)s
    not_answered: str


@lru_cache(maxsize=16)
def _texts_in(language: str | None) -> Texts:
    fields = {
        name: FieldText(
            escape(field.label),
            f'<div class="form-text">{escape(field.help_text)}</div>' if field.help_text else "",
            escape(field.help_text),
            tuple((str(v), escape(v), escape(t)) for v, t in getattr(field, "choices", ())),
        )
        for name, field in FIELDS.items()
    }
    return Texts(
        fields=fields,
        level_legend=gettext("Implementation level of %(activity)s"),
        changed_by=gettext("%(who)s changed this item while you were editing."),
        theirs_kept=gettext(
            "Their values were kept; yours are still in the form. Save again to keep yours."
        ),
        conflict_row=gettext("%(field)s: theirs “%(theirs)s”, yours “%(mine)s”"),
        empty=gettext("(empty)"),
        not_saved=gettext("Not saved: correct the field marked below; the rest is saved."),
        saved=gettext("Saved %(when)s"),
        saved_by=gettext("Saved %(when)s by %(who)s"),
        not_answered=gettext("Not yet answered"),
    )


def texts() -> Texts:
    """The texts in the active language."""
    return _texts_in(get_language())


class FieldView(NamedTuple):
    """What the markup needs of one field: a light stand-in for a BoundField (a named tuple:
    a page makes some 1,000 of them, and a frozen dataclass took twice as long to make)."""

    name: str
    prefix: str
    value: Any
    errors: tuple[str, ...]
    disabled: bool

    @property
    def field(self) -> forms.Field:
        return FIELDS[self.name]

    @property
    def html_name(self) -> str:
        return f"{self.prefix}-{self.name}"

    @property
    def auto_id(self) -> str:
        return f"id_{self.prefix}-{self.name}"


def _views(item: Item) -> dict[str, FieldView]:
    """Each field's value and errors: from the bound form after a POST, else from the answer."""
    disabled = not item.editable
    if item.form is not None and item.form.is_bound:
        form, initial = item.form, initial_for(item.answer)
        return {
            name: FieldView(
                name,
                item.prefix,
                form[name].value() if name in form.fields else initial.get(name),
                tuple(form.errors.get(name, ())),
                disabled,
            )
            for name in FIELDS
        }
    initial = initial_for(item.answer)
    return {name: FieldView(name, item.prefix, initial.get(name), (), disabled) for name in FIELDS}


def _chosen(value: object) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value}
    return {str(value)}


def _feedback(view: FieldView, t: Texts) -> str:
    help_html = t.fields[view.name].help
    if not view.errors:
        return help_html
    text = " ".join(escape(e) for e in view.errors)
    return f'<div class="invalid-feedback d-block" role="alert">{text}</div>{help_html}'



def field_html(view: FieldView, t: Texts | None = None) -> str:
    """One field with its label, errors and help, as crispy-bootstrap5 lays it out.

    ``t``: the texts of the page's language, when the caller has them already.
    """
    t = t or texts()
    widget, field_texts = view.field.widget, t.fields[view.name]
    invalid = " is-invalid" if view.errors else ""
    disabled = " disabled" if view.disabled else ""
    label = field_texts.label
    attrs = f'name="{view.html_name}" id="{view.auto_id}"{disabled}'
    if isinstance(widget, forms.CheckboxSelectMultiple):
        chosen = _chosen(view.value)
        boxes = "".join(
            f'<label class="form-check"><input type="checkbox" class="form-check-input{invalid}" '
            f'name="{view.html_name}" value="{value}"{" checked" if raw in chosen else ""}'
            f"{disabled}> {text}</label>"
            for raw, value, text in field_texts.choices
        )
        return (
            f'<fieldset class="mb-2"><legend class="form-label fs-6">{label}</legend>'
            f"{boxes}{_feedback(view, t)}</fieldset>"
        )
    head = f'<div class="mb-2"><label for="{view.auto_id}" class="form-label">{label}</label>'
    if isinstance(widget, forms.Select):
        chosen = _chosen(view.value)
        options = "".join(
            f'<option value="{value}"{" selected" if raw in chosen else ""}>{text}</option>'
            for raw, value, text in field_texts.choices
        )
        control = f'<select {attrs} class="form-select{invalid}">{options}</select>'
    elif isinstance(widget, forms.Textarea):
        rows = widget.attrs.get("rows", 2)
        control = (
            f'<textarea {attrs} rows="{rows}" class="form-control{invalid}">\n'
            f"{escape(view.value or '')}</textarea>"
        )
    elif isinstance(widget, forms.FileInput):
        control = f'<input type="file" {attrs} class="form-control{invalid}">'
    else:
        raise TypeError(f"No markup for {type(widget).__name__} ({view.name})")
    return f"{head}{control}{_feedback(view, t)}</div>"


def _levels(view: FieldView, label: str, page_texts: Texts) -> str:
    field_texts = page_texts.fields[view.name]
    chosen = _chosen(view.value)
    disabled = " disabled" if view.disabled else ""
    buttons = "".join(
        f'<input type="radio" class="btn-check" name="{view.html_name}" value="{value}" '
        f'id="{view.auto_id}_{i}"{" checked" if raw in chosen else ""}{disabled}>'
        f'<label class="btn btn-outline-primary btn-sm" for="{view.auto_id}_{i}">{text}</label>'
        for i, (raw, value, text) in enumerate(field_texts.choices)
    )
    errors = "".join(
        f'<div class="text-danger small" role="alert">{escape(e)}</div>' for e in view.errors
    )
    return (
        f'<fieldset class="level-choice mb-1"><legend class="visually-hidden">'
        f"{escape(page_texts.level_legend % {'activity': label})}</legend>"
        f"{buttons}</fieldset>{errors}"
        f'<p class="guideline-help small text-body-secondary mb-2">'
        f"{field_texts.help_text}</p>"
    )


def item_state_html(item: Item, t: Texts | None = None) -> SafeString:
    """The saved / not saved line under an item; it never claims a save that did not happen."""
    t = t or texts()
    if item.conflicts:
        rows = "".join(
            "<li>"
            + escape(t.conflict_row) % {
                "field": _field_label(t, c.field),
                "theirs": escape(c.theirs or t.empty),
                "mine": escape(c.mine or t.empty),
            }
            + "</li>"
            for c in item.conflicts
        )
        html = (
            f'<div class="alert alert-danger py-2 mb-0" role="alert"><strong>'
            f"{escape(t.changed_by % {'who': item.conflicts[0].by})}</strong> "
            f'{escape(t.theirs_kept)}<ul class="mb-0">{rows}</ul></div>'
        )
    elif (item.form is not None and item.form.errors) or item.evidence_error:
        html = f'<p class="text-danger mb-0" role="alert">{escape(t.not_saved)}</p>'
    elif item.answer.version:
        user = item.answer.updated_by
        when = format_date(item.answer.updated_at, "j M Y, H:i")
        said = (
            t.saved_by % {"when": when, "who": user.get_full_name() or user.get_username()}
            if user
            else t.saved % {"when": when}
        )
        html = f'<p class="text-success mb-0">{escape(said)}</p>'
    else:
        html = f'<p class="text-body-secondary mb-0">{escape(t.not_answered)}</p>'
    return mark_safe(html)  # noqa: S308 - every value above is escaped


def _field_label(t: Texts, name: str) -> str:
    """The escaped label of a field of the answer, as the form shows it."""
    field = t.fields.get(name)
    return field.label if field else escape(name.replace("_", " ").capitalize())


def _evidence(item: Item, assessment_pk: int) -> str:
    links = "".join(
        f'<li><a href="{reverse("assessments:evidence", args=[assessment_pk, e.pk])}">'
        f"{escape(e.original_name)}</a> ({escape(filesizeformat(e.size))})</li>"
        for e in evidence_files(item.answer)
    )
    error = (
        f'<div class="text-danger small" role="alert">{escape(item.evidence_error)}</div>'
        if item.evidence_error
        else ""
    )
    return f'{error}<ul class="small evidence-list">{links}</ul>' if links else error


def _legend(item: Item, show_group: bool, label: str) -> str:
    activity = item.answer.activity
    group = ""
    if show_group and activity.group_id:
        heading = [g for g in (activity.group.parent, activity.group) if g is not None]
        names = " · ".join(
            f"{escape(g.label)}. {content_html(g, 'title')}" if g.label
            else content_html(g, "title")
            for g in heading
        )
        group = f'<span class="d-block small text-body-secondary">{names}</span>'

    details = "".join(f"<li>{escape(d)}</li>" for d in activity.details)
    return (
        f'<legend class="h6 mb-2">{group}<span class="item-number">{escape(label)}'
        f"</span> {content_html(activity, 'text')}</legend>"
        + (f'<ul class="small">{details}</ul>' if details else "")
    )


def _prefill(item: Item, views: dict[str, FieldView]) -> str:
    answer = item.answer
    if not answer.prefill_note:
        return ""
    confirm = ""
    if answer.needs_confirmation and item.editable:
        view = views["confirm"]
        checked = " checked" if view.value else ""
        confirm = (
            f'<div class="form-check mt-1"><input type="checkbox" class="form-check-input" '
            f'name="{view.html_name}" id="{view.auto_id}"{checked}>'
            f'<label class="form-check-label" for="{view.auto_id}">'
            f"{escape(view.field.label)}</label></div>"
        )
    pending = " needs-confirmation" if answer.needs_confirmation else ""
    note = escape(prefill_note_shown(answer.prefill_note))
    return (
        f'<div class="prefill small mb-2{pending}"><span>{note}</span>'
        f"{confirm}</div>"
    )


@dataclass(frozen=True)
class PageParts:
    """What every item of a page shares: its links and texts, made once per page.

    ``reverse`` and ``gettext`` cost more than the rest of an item's markup; with 57 items
    they were the largest part of the section page's time. Even finding the page's language
    (``get_language``) for each of the some 340 fields was a few per cent of it.
    """

    autosave: str  # with {} for the answer
    details: str
    summary: str
    show_details: str
    texts: Texts

    @classmethod
    def make(cls, assessment_pk: int) -> PageParts:
        return cls(
            texts=texts(),
            autosave=_url_pattern("assessments:autosave", assessment_pk),
            details=_url_pattern("assessments:item_details", assessment_pk),
            summary=escape(gettext("Details of the assistance needed")),
            show_details=escape(gettext("Show the detail fields")),
        )


def _url_pattern(name: str, assessment_pk: int) -> str:
    """The URL of ``name`` for one assessment, with ``{}`` where the answer goes."""
    marker = 987654321987
    return reverse(name, args=[assessment_pk, marker]).replace(str(marker), "{}")


def _details_filled(views: dict[str, FieldView]) -> int:
    return sum(bool(views[name].value) for name, _ in DETAILS)


def details_html(
    item: Item, *, assessment_pk: int, views: dict[str, FieldView] | None = None
) -> str:
    """The detail fields of one item, with the marker that tells a save the page carried them."""
    views, t = views or _views(item), texts()
    fields = "".join(
        f'<div class="{column}">{field_html(views[name], t)}</div>' for name, column in DETAILS
    )
    return (
        f'<input type="hidden" name="{item.prefix}-details" value="1">'
        f'<div class="row g-2 mt-1">{fields}'
        f'<div class="col-md-6">{field_html(views["evidence_file"], t)}'
        f"{_evidence(item, assessment_pk)}</div></div>"
    )


def _details(
    item: Item, views: dict[str, FieldView], parts: PageParts, *, assessment_pk: int, shown: bool
) -> str:
    """The item's details: inline when open or asked for, else loaded when the user opens them.

    Most items need no assistance and nobody opens their details; leaving their fourteen fields
    out takes two thirds off the page. Without JavaScript the link reloads the page with the
    item's details in it; a save never touches detail fields the page did not carry.
    """
    answer = item.answer
    ref = escape(answer.activity.ref)
    open_details = (
        views["assistance"].value == "yes"
        or any(views[name].errors for name, _ in DETAILS)
        or bool(item.conflicts)
        or bool(item.evidence_error)
    )
    form = item.form
    posted = form is not None and any(
        form.add_prefix(name) in form.data for name in ("details", *(n for n, _ in DETAILS))
    )
    shown = shown or posted  # after a save that comes back: what the user had open stays
    filled = _details_filled(views)
    filled_text = ngettext("%(n)d filled", "%(n)d filled", filled) % {"n": filled}
    count = (
        f' <span class="badge text-bg-secondary">{escape(filled_text)}</span>' if filled else ""
    )
    summary = f"<summary>{parts.summary}{count}</summary>"
    if open_details or shown:
        body = details_html(item, assessment_pk=assessment_pk, views=views)
        return (
            f'<details class="item-details"{" open" if open_details or shown else ""}>'
            f'{summary}<div class="details-body">{body}</div></details>'
        )
    return (
        f'<details class="item-details" hx-get="{parts.details.format(answer.pk)}" '
        f'hx-trigger="toggle once" hx-target="find .details-body">{summary}'
        f'<div class="details-body"><a href="?details={ref}#item-{ref}">{parts.show_details}</a>'
        "</div></details>"
    )


def item_html(
    item: Item,
    *,
    assessment_pk: int,
    show_group: bool,
    details_shown: bool = False,
    parts: PageParts | None = None,
) -> str:
    views = _views(item)
    answer = item.answer
    parts = parts or PageParts.make(assessment_pk)
    url = parts.autosave.format(answer.pk)
    version = views["version"]
    t, label = parts.texts, answer.activity.label
    return (
        f'<fieldset class="item card mb-3" id="item-{escape(answer.activity.ref)}" '
        f'data-autosave-url="{url}" data-prefix="{item.prefix}"'
        f'{"" if item.editable else " disabled"}><div class="card-body">'
        f"{_legend(item, show_group, label)}{_prefill(item, views)}"
        f'<input type="hidden" name="{version.html_name}" value="{escape(version.value)}">'
        f"{_levels(views['status'], label, t)}"
        '<div class="row g-2 align-items-end">'
        f'<div class="col-sm-6">{field_html(views["assistance"], t)}</div>'
        f'<div class="col-sm-6 na-reason">{field_html(views["not_applicable_reason"], t)}</div>'
        f"</div>{_details(item, views, parts, assessment_pk=assessment_pk, shown=details_shown)}"
        f'<div class="save-state small mt-2" aria-live="polite">{item_state_html(item, t)}</div>'
        "</div></fieldset>"
    )


def items_html(
    items: Iterable[Item], *, assessment_pk: int, details_for: str = ""
) -> SafeString:
    """Every item of a section, with the sub-group heading where a new group starts.

    ``details_for`` names the item (by reference, or ``all``) whose details the page shows
    without being asked: the link of a closed item's details, for browsers without JavaScript.
    """
    page, html, previous_group = PageParts.make(assessment_pk), [], None
    for item in items:
        group = item.answer.activity.group_id
        html.append(
            item_html(
                item,
                assessment_pk=assessment_pk,
                show_group=group != previous_group,
                details_shown=details_for in (item.answer.activity.ref, "all"),
                parts=page,
            )
        )
        previous_group = group
    return mark_safe("".join(html))  # noqa: S308 - built from escaped values only
