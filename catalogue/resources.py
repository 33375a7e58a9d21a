"""Import and export of activities and compendium entries as CSV or XLSX files.

Rows are keyed by their stable ``ref``: a known ref updates its row, an unknown one adds a row
(at the end of the document's order). Related rows are named by their codes (category
numerals, group refs, section numbers, source codes), never by database ids, so a file
exported from one installation imports into another.

An import is all or nothing: a file with a missing or unknown column, a ref named twice or a
single bad row writes no row at all, and every problem is reported as “Row N, column: what to
fix”, rows counted as a spreadsheet counts them (the column names are row 1).

Formula neutralisation (OWASP “CSV injection”): on export, a text cell that a spreadsheet could
run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; a line
feed too, see below) gets a single quote in front, in CSV and XLSX alike. Text that already
starts with quotes followed by one of those characters gets one more quote, so the rule can be
undone exactly: on import, one leading quote is removed from any cell that starts with a quote
followed by (more quotes and) one of those characters. Importing an exported file therefore
gives back the original values, and a quote typed before a formula character in Excel (which
Excel itself treats as “this is text”) is read the same way. A ``-`` inside text, a ref such as
``A-1.1``, or text starting with a quote followed by anything else, is left as it is.

Languages: the English columns (``text``, ``title``...) hold the source text. Each other language
has its own columns, named after the English one and the language (``text_fr``,
``title_zh_hans``), and a ``status_<language>`` column (``provisional`` or ``approved``; empty
with texts means provisional). A file holding only ``ref`` and the columns of one or more
languages updates those languages of existing rows and nothing else.

One limit: line breaks come back as line feeds. An XLSX file cannot hold a bare carriage return
and CSV files are read with universal newlines, so a CR or CRLF reads back as LF. Leading line
feeds are quoted like carriage returns so that such a cell comes back without a stray quote.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.results import Result

from .columns import (
    NOT_A_LEVEL,
    NOT_A_YEAR,
    UNKNOWN_ACTIVITIES,
    UNKNOWN_CATEGORIES,
    UNKNOWN_CATEGORY,
    UNKNOWN_GROUP,
    UNKNOWN_SOURCES,
    ChoiceWidget,
    CodeWidget,
    LookupWidget,
    RefListWidget,
    SectionWidget,
    WholeNumberWidget,
    YesNoWidget,
    cell_text,
    quoted,
)
from .models import (
    Activity,
    ActivityGroup,
    Category,
    Entry,
    Part,
    SourceDocument,
    TranslationStatus,
)
from .reference_translations import column as language_column
from .reference_translations import other_languages

# What staff read when a file is refused: each message says what to fix.
MISSING_COLUMNS = _(
    "The file lacks the column(s) {columns}. Its first row must name these columns: {expected}."
)
UNEXPECTED_COLUMNS = _(
    "The file has column(s) this import does not know: {columns}. Remove or rename them; "
    "the columns are: {expected}."
)
DUPLICATE_REF = _("Rows {rows} have the same ref “{ref}”: keep one row per ref.")
GROUP_NOT_IN_CATEGORY = _(
    "Group “{group}” belongs to category {actual}, not {given}: correct the category or the group."
)
NOT_UTF8 = _(
    "The file is not UTF-8 text (line {line} holds a character in another encoding). In Excel, "
    "save it as “CSV UTF-8 (Comma delimited)”, or upload the .xlsx file with the xlsx format."
)
NOT_XLSX = _(
    "The file is not a readable Excel workbook: it may be truncated, damaged or not an .xlsx "
    "file. Save it again from Excel as .xlsx, or upload a .csv file with the csv format."
)
IMPORT_REFUSED = _("Nothing was imported. Correct the file as follows and upload it again.")
ROW_PROBLEM = "Row {row}, {column}: {message}"
ROW_ERROR = "Row {row}: {message}"
IMPORTED_FROM = _("Imported from {file_name}")
NOT_A_STATUS = _("“{value}” is not a status: write provisional, approved, or leave it empty.")
UNKNOWN_REF_IN_TRANSLATIONS = _(
    "No row has this ref: a file of translations only updates existing rows."
)

# The column names are row 1 of the file; the library counts data rows from 1.
HEADER_ROWS = 1
FORMULA_START = re.compile(r"'*[=+\-@\t\r\n]")


class FileProblems(ValueError):
    """Problems of a file as a whole (its columns, refs named twice), one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def neutralise(value: str) -> str:
    """Put a quote before text a spreadsheet could run as a formula (see the module docstring)."""
    return f"'{value}" if FORMULA_START.match(value) else value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise`: drop the quote put before a formula character."""
    return value[1:] if value.startswith("'") and FORMULA_START.match(value, 1) else value


def _and(values: list[str]) -> str:
    return " and ".join([", ".join(values[:-1]), values[-1]]) if len(values) > 1 else values[0]


def _field(attribute: str, widget: widgets.Widget | None = None, column: str = "") -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column or attribute, widget=widget or widgets.CharWidget()
    )


class TranslationWidget(widgets.CharWidget):
    """A text in another language: an empty cell is no translation (the page shows English)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        text = super().clean(value, row, **kwargs)
        return text or None


class TranslationStatusField(fields.Field):
    """``status_<language>``: where the row's texts in a language stand."""

    def __init__(self, language: str) -> None:
        super().__init__(
            attribute="translation_status",
            column_name=language_column("status", language),
            widget=widgets.CharWidget(),
        )
        self.language = language

    def get_value(self, obj: models.Model) -> str:
        return obj.translation_state(self.language)

    def save(self, instance: models.Model, row: dict[str, Any], is_m2m: bool = False,
             **kwargs: Any) -> None:
        value = cell_text(row[self.column_name]).strip().lower()
        if value and value not in TranslationStatus.values:
            raise ValueError(NOT_A_STATUS.format(value=value))
        status = dict(instance.translation_status or {})
        if value:
            status[self.language] = value
        else:
            status.pop(self.language, None)
        instance.translation_status = status


def translation_fields(names: tuple[str, ...]) -> dict[str, fields.Field]:
    """The columns of the other languages: each text's (``text_fr``), then the status."""
    result: dict[str, fields.Field] = {}
    for language in other_languages():
        for name in names:
            name_in = language_column(name, language)
            result[name_in] = _field(name_in, TranslationWidget())
        result[language_column("status", language)] = TranslationStatusField(language)
    return result


class ReferenceResource(resources.ModelResource):
    """What the activity and entry resources share: checks of the whole file, formula-safe
    cells, a history note naming the file, new rows placed after the existing ones."""

    column_help: dict[str, str] = {}
    # The translated fields whose other languages have their columns (``translation.py``).
    translated: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name, field in translation_fields(self.translated).items():
            self.fields[name] = field
        self.translations_only = False

    def language_columns(self) -> list[str]:
        return list(translation_fields(self.translated))

    def validate_instance(self, instance: models.Model, import_validation_errors: Any = None,
                          validate_unique: bool = True) -> None:
        if self.translations_only and instance.pk is None:
            # Only the unknown ref is worth saying: the row was never meant to add one.
            raise ValidationError(import_validation_errors)
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def import_data(self, dataset: Any, dry_run: bool = False, raise_errors: bool = False,
                    **kwargs: Any) -> Result:
        problems = self.column_problems(dataset.headers or [])
        if not problems:
            # All or nothing: one invalid row rolls back the rows already written.
            kwargs["rollback_on_validation_errors"] = True
            return super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs
            )
        # Without the right columns no row can be read: say so and stop there.
        result = self.get_result_class()()
        result.total_rows = len(dataset)
        self.handle_import_error(result, FileProblems(problems), raise_errors)
        return result

    def column_problems(self, headers: list[Any]) -> list[str]:
        optional = self.language_columns()
        expected = [
            field.column_name for field in self.get_import_fields()
            if field.column_name not in optional
        ]
        headers = [h for h in headers if h not in (None, "")]
        others = set(headers) - {"ref"}
        self.translations_only = "ref" in headers and bool(others) and others <= set(optional)
        if self.translations_only:
            return []
        problems = []
        missing = [column for column in expected if column not in headers]
        if missing:
            problems.append(
                MISSING_COLUMNS.format(columns=quoted(missing), expected=", ".join(expected))
            )
        unexpected = [str(h) for h in headers if h not in expected and h not in optional]
        if unexpected:
            problems.append(
                UNEXPECTED_COLUMNS.format(columns=quoted(unexpected), expected=", ".join(expected))
            )
        return problems

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        """Refuse refs named twice; the rows are still read, so their problems are listed too."""
        rows_by_ref: dict[str, list[str]] = defaultdict(list)
        for number, value in enumerate(dataset["ref"], start=HEADER_ROWS + 1):
            ref = unneutralise(cell_text(value))
            if ref:
                rows_by_ref[ref].append(str(number))
        problems = [
            DUPLICATE_REF.format(ref=ref, rows=_and(rows))
            for ref, rows in rows_by_ref.items()
            if len(rows) > 1
        ]
        if problems:
            raise FileProblems(problems)

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = unneutralise(value)

    def import_instance(self, instance: models.Model, row: dict[str, Any], **kwargs: Any) -> None:
        """Collect every problem of the row, links included, before anything is saved."""
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if self.translations_only and instance.pk is None:
            errors.setdefault("ref", []).append(ValidationError(UNKNOWN_REF_IN_TRANSLATIONS))
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors.setdefault(field.attribute, []).append(ValidationError(str(exc)))
        for attribute, message in self.row_problems(instance, errors).items():
            errors.setdefault(attribute, []).append(ValidationError(message))
        if errors:
            raise ValidationError(errors)

    def row_problems(self, instance: models.Model, errors: dict[str, Any]) -> dict[str, str]:
        """Rules that span several columns of one row: attribute -> message."""
        return {}

    def before_save_instance(self, instance: models.Model, row: dict[str, Any],
                             **kwargs: Any) -> None:
        file_name = kwargs.get("file_name") or "a file"
        instance._change_reason = IMPORTED_FROM.format(file_name=file_name)
        self.settle_statuses(instance, row)
        if instance.pk is None:
            last = type(instance).objects.aggregate(last=models.Max("position"))["last"]
            instance.position = (last or 0) + 1

    def settle_statuses(self, instance: models.Model, row: dict[str, Any]) -> None:
        """A language given texts without a status is provisional; one without texts has none."""
        status = dict(instance.translation_status or {})
        for language in other_languages():
            names = [language_column(name, language) for name in self.translated]
            if not any(name in row for name in names):
                continue
            if not any(getattr(instance, name) for name in names):
                status.pop(language, None)
            elif not status.get(language):
                status[language] = TranslationStatus.PROVISIONAL.value
        instance.translation_status = status

    def filter_export(self, queryset: models.QuerySet, **kwargs: Any) -> models.QuerySet:
        # The library pages through prefetching querysets by pk unless an order is explicit.
        if not queryset.query.order_by and not queryset.query.is_sliced:
            queryset = queryset.order_by(*queryset.model._meta.ordering)
        return queryset

    def export_field(self, field: fields.Field, instance: models.Model, **kwargs: Any) -> Any:
        value = super().export_field(field, instance, **kwargs)
        return neutralise(value) if isinstance(value, str) else value


# The columns of each file, in order, with what staff write in them (shown on the import page).
ACTIVITY_COLUMN_HELP = {
    "ref": _("Stable id, such as VII.D.5. A ref not known yet adds an activity."),
    "category": _("Numeral of the category, I to XI."),
    "group": _("Ref of the group, such as III.A.g05 or VII.D; empty when the activity has none."),
    "number": _("Number as printed, such as 5; may be empty."),
    "text": _("The wording, verbatim."),
    "obligation": _("mandated, recommended, or empty when not specified."),
    "target_level": _(
        "Implementation level, 0 to 4, below which the activity is a gap (usually 3)."
    ),
    "retired": _("yes or no."),
}
ENTRY_COLUMN_HELP = {
    "ref": _("Stable id, such as A-1.1 or T-unodc-legislative-guide. A new ref adds an entry."),
    "part": _("A, B, C, or N (an instrument named in the documents outside the compendium)."),
    "section": _("Number of the section within the part, such as 1 or 3.1; may be empty."),
    "title": _("Full title."),
    "short_title": _("Short title; may be empty."),
    "kind": _("convention, protocol, resolution, handbook, toolkit, database, network..."),
    "issuer": _("Who issued it; may be empty."),
    "year": _("Four digits; may be empty."),
    "description": _("What it is, from the source documents; may be empty."),
    "url": _("Link, where a document gives one; may be empty."),
    "sources": _("Codes of the source documents that name it, separated by commas: 003, 004."),
    "categories": _("Numerals of the categories it serves, separated by commas: III, VII."),
    "activities": _("Refs of the activities it serves, separated by commas: III.A.g01, VII.D.5."),
    "retired": _("yes or no."),
}
# Optional: the other languages' columns (see the module docstring), shown after these.
LANGUAGE_COLUMNS_HELP = _(
    "The same texts in another language, e.g. {example}; status_fr: provisional or approved "
    "(empty: provisional). A file with only ref and one language's columns updates that "
    "language and nothing else."
)
ACTIVITY_COLUMNS = tuple(ACTIVITY_COLUMN_HELP)
ENTRY_COLUMNS = tuple(ENTRY_COLUMN_HELP)


class ActivityResource(ReferenceResource):
    """Activities of the framework, one row each, in the document's order."""

    column_help = ACTIVITY_COLUMN_HELP
    translated = ("text",)

    ref = _field("ref", CodeWidget())
    category = _field(
        "category", LookupWidget(Category, "numeral", UNKNOWN_CATEGORY, required=True)
    )
    group = _field("group", LookupWidget(ActivityGroup, "ref", UNKNOWN_GROUP))
    number = _field("number", CodeWidget())
    text = _field("text_en", column="text")
    obligation = _field("obligation", ChoiceWidget("obligation", Activity.Obligation))
    target_level = _field("target_level", WholeNumberWidget(NOT_A_LEVEL, 0, 4, blank=False))
    retired = _field("is_retired", YesNoWidget(), column="retired")

    class Meta:
        model = Activity
        fields = ACTIVITY_COLUMNS
        import_order = export_order = ACTIVITY_COLUMNS
        import_id_fields = ["ref"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def row_problems(self, instance: models.Model, errors: dict[str, Any]) -> dict[str, str]:
        group = instance.group
        if group is None or {"category", "group"} & set(errors):
            return {}
        if group.category_id != instance.category_id:
            return {"group": GROUP_NOT_IN_CATEGORY.format(
                group=group.ref, actual=group.category.numeral, given=instance.category.numeral
            )}
        return {}

    def filter_export(self, queryset: models.QuerySet, **kwargs: Any) -> models.QuerySet:
        return super().filter_export(queryset).select_related("category", "group")


class EntryResource(ReferenceResource):
    """Compendium entries and named tools, one row each, links as comma-separated codes."""

    column_help = ENTRY_COLUMN_HELP
    translated = ("title", "short_title", "description")

    ref = _field("ref", CodeWidget())
    part = _field("part", ChoiceWidget("part", Part))
    section = _field("section", SectionWidget())
    title = _field("title_en", column="title")
    short_title = _field("short_title_en", column="short_title")
    kind = _field("kind", ChoiceWidget("kind", Entry.Kind))
    issuer = _field("issuer")
    year = _field("year", WholeNumberWidget(NOT_A_YEAR, 1000, 2999, blank=True))
    description = _field("description_en", column="description")
    url = _field("url", CodeWidget())
    sources = _field("sources", RefListWidget(SourceDocument, "code", UNKNOWN_SOURCES))
    categories = _field("categories", RefListWidget(Category, "numeral", UNKNOWN_CATEGORIES))
    activities = _field("activities", RefListWidget(Activity, "ref", UNKNOWN_ACTIVITIES))
    retired = _field("is_retired", YesNoWidget(), column="retired")

    class Meta:
        model = Entry
        fields = ENTRY_COLUMNS
        import_order = export_order = ENTRY_COLUMNS
        import_id_fields = ["ref"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def filter_export(self, queryset: models.QuerySet, **kwargs: Any) -> models.QuerySet:
        return super().filter_export(queryset).select_related("section").prefetch_related(
            "sources", "categories", "activities"
        )


def import_problems(result: Result, resource: ReferenceResource) -> list[str]:
    """Every problem of an import, one line each, rows counted as a spreadsheet counts them."""
    columns = {field.attribute: field.column_name for field in resource.get_import_fields()}
    lines = [
        line for error in result.base_errors
        for line in getattr(error.error, "problems", [str(error.error)])
    ]
    for invalid in result.invalid_rows:
        row = invalid.number + HEADER_ROWS
        for attribute, messages in invalid.error_dict.items():
            for message in messages:
                if attribute == NON_FIELD_ERRORS:
                    lines.append(ROW_ERROR.format(row=row, message=message))
                else:
                    column = columns.get(attribute, attribute)
                    lines.append(ROW_PROBLEM.format(row=row, column=column, message=message))
    for error_row in result.error_rows:
        row = error_row.number + HEADER_ROWS
        lines += [ROW_ERROR.format(row=row, message=error.error) for error in error_row.errors]
    return lines
