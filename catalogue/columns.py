"""How one column of an import file reads a cell, and what staff are told when it is wrong.

Related rows are named by their codes (category numerals, group refs, section numbers, source
codes, activity refs), never by database ids. Every message says what to write instead.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import widgets

from .models import CompendiumSection

# Marked for translation here, translated where a cell is read (in the importer's language).
REQUIRED = gettext_noop("This cell must not be empty.")
UNKNOWN_CATEGORY = gettext_noop(
    "Unknown category “{value}”: use a category numeral, one of {choices}."
)
UNKNOWN_GROUP = gettext_noop(
    "Unknown group “{value}”: use the ref of an activity group, such as III.A or VII.D, "
    "or leave the cell empty."
)
UNKNOWN_SECTION = gettext_noop(
    "Unknown section “{value}” in part {part}: use the number of a section of that part "
    "({choices}), or leave the cell empty."
)
UNKNOWN_CHOICE = gettext_noop("Unknown {column} “{value}”: use one of {choices}.")
UNKNOWN_SOURCES = gettext_noop(
    "Unknown source(s) {value}: use source document codes among {choices}, separated by commas "
    "(in Excel, type '003 to keep the zeros)."
)
UNKNOWN_CATEGORIES = gettext_noop(
    "Unknown categories {value}: use category numerals among {choices}, separated by commas."
)
UNKNOWN_ACTIVITIES = gettext_noop(
    "Unknown activities {value}: use activity refs such as VII.D.5, separated by commas."
)
NOT_A_LEVEL = gettext_noop("“{value}” is not a level: use a whole number from 0 to 4.")
NOT_A_YEAR = gettext_noop(
    "“{value}” is not a year: use four digits, such as 2004, or leave the cell empty."
)
NOT_YES_NO = gettext_noop(
    "“{value}” is neither yes nor no: write yes for a retired row, no otherwise."
)


def cell_text(value: Any) -> str:
    """A cell as stripped text; Excel's 5.0 for a typed 5 reads as “5”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def quoted(values: list[str]) -> str:
    return ", ".join(f"“{v}”" for v in values)


class CodeWidget(widgets.CharWidget):
    """A short code (a ref, a number as printed): surrounding spaces are not part of it."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return cell_text(value)


class LookupWidget(widgets.ForeignKeyWidget):
    """A related row named by its code; an unknown code says which codes to use."""

    def __init__(self, model: type[models.Model], field: str, message: str, *,
                 required: bool = False) -> None:
        super().__init__(model, field)
        self.message = message
        self.required = required

    def unknown(self, code: str, row: dict[str, Any]) -> str:
        choices = self.get_queryset(code, row).values_list(self.field, flat=True)
        return _(self.message).format(value=code, choices=", ".join(choices))

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> models.Model | None:
        code = cell_text(value)
        if not code:
            if self.required:
                raise ValueError(_(REQUIRED))
            return None
        try:
            return self.get_queryset(code, row).get(**{self.field: code})
        except self.model.DoesNotExist:
            raise ValueError(self.unknown(code, row)) from None


class SectionWidget(LookupWidget):
    """A compendium section named by its number within the row's part."""

    def __init__(self) -> None:
        super().__init__(CompendiumSection, "number", UNKNOWN_SECTION)

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> models.QuerySet:
        return CompendiumSection.objects.filter(part=cell_text(row.get("part")))

    def unknown(self, code: str, row: dict[str, Any]) -> str:
        choices = self.get_queryset(code, row).values_list("number", flat=True)
        return _(self.message).format(value=code, part=cell_text(row.get("part")),
                                      choices=", ".join(c for c in choices if c))


class RefListWidget(widgets.ManyToManyWidget):
    """Related rows named by their codes, separated by commas; every code must exist."""

    def __init__(self, model: type[models.Model], field: str, message: str) -> None:
        super().__init__(model, separator=",", field=field)
        self.message = message

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[models.Model]:
        codes = list(dict.fromkeys(c.strip() for c in cell_text(value).split(",") if c.strip()))
        found = {
            getattr(obj, self.field): obj
            for obj in self.model.objects.filter(**{f"{self.field}__in": codes})
        }
        unknown = [code for code in codes if code not in found]
        if unknown:
            choices = ", ".join(self.model.objects.values_list(self.field, flat=True))
            raise ValueError(_(self.message).format(value=quoted(unknown), choices=choices))
        return [found[code] for code in codes]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return ", ".join(str(getattr(related, self.field)) for related in value.all())


class ChoiceWidget(widgets.Widget):
    """One of a model field's choices, written as its value (its label is accepted too)."""

    def __init__(self, column: str, choices: type[models.TextChoices]) -> None:
        super().__init__()
        self.column = column
        self.choices = choices

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = cell_text(value).casefold()
        for choice, label in self.choices.choices:
            if text in (choice.casefold(), str(label).casefold()):
                return choice
        if not text:
            raise ValueError(_(REQUIRED))
        allowed = ", ".join(v for v in self.choices.values if v)
        raise ValueError(
            _(UNKNOWN_CHOICE).format(column=self.column, value=cell_text(value), choices=allowed)
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value or ""


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number within bounds; blank is allowed only when ``blank`` is."""

    def __init__(self, message: str, low: int, high: int, *, blank: bool) -> None:
        super().__init__()
        self.message, self.low, self.high, self.blank = message, low, high, blank

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        text = cell_text(value)
        if not text and self.blank:
            return None
        if not text.isdigit() or not self.low <= int(text) <= self.high:
            raise ValueError(_(self.message).format(value=text))
        return int(text)


class YesNoWidget(widgets.Widget):
    """A flag written as yes / no."""

    YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0", "")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        text = cell_text(value).casefold()
        if text not in self.YES + self.NO:
            raise ValueError(_(NOT_YES_NO).format(value=cell_text(value)))
        return text in self.YES

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "yes" if value else "no"
