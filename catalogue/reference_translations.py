"""Load the reference texts in the other UN languages from ``data/translations/<lang>/``.

Each file is keyed by the stable ids of its English source and says its ``language`` and its
``status`` (see ``docs/reference-data.md``). The rule on reload: a language whose texts staff
approved on a row (``translation_status``) keeps them; otherwise the row takes the file's texts
and status. A text the file lacks is left empty, and the pages show the English one, marked.
``--overwrite`` replaces approved texts too, like it replaces staff edits of the English ones.

The translated columns are not part of the English digest (``reference_digest``), so loading a
translation never makes the loader take an English row for a staff edit, or the reverse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from modeltranslation.utils import build_localized_fieldname

from .models import (
    Activity,
    ActivityGroup,
    Category,
    CompendiumSection,
    Entry,
    Guideline,
    GuidelineItem,
    TranslatedRow,
    TranslationStatus,
)
from .upsert import KEPT, UNCHANGED, UPDATED, LoadReport, ReferenceDataError

DATA_DIR = Path(__file__).resolve().parent / "data" / "translations"
SOURCE = "en"


def other_languages() -> list[str]:
    """The languages of ``settings.LANGUAGES`` other than English, the source."""
    return [code for code, _ in settings.LANGUAGES if code != SOURCE]


def column(name: str, language: str) -> str:
    """The column of ``name`` in ``language``: ``title_fr``, ``title_zh_hans``."""
    return build_localized_fieldname(name, language)


@dataclass
class Coverage:
    """Per language and kind of row: texts translated against the English texts to translate."""

    translated: dict[str, Counter] = field(default_factory=dict)
    total: dict[str, Counter] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)

    def add(self, language: str, label: str, where: str, english: Any, text: Any) -> None:
        if not english:
            return
        self.total.setdefault(language, Counter())[label] += 1
        if text:
            self.translated.setdefault(language, Counter())[label] += 1
        else:
            self.missing.setdefault(language, []).append(where)

    def lines(self) -> list[str]:
        lines = []
        for language, totals in self.total.items():
            done = self.translated.get(language, Counter())
            share = sum(done.values()), sum(totals.values())
            parts = ", ".join(f"{label} {done[label]}/{n}" for label, n in totals.items())
            lines.append(f"{language}: {share[0]}/{share[1]} texts translated ({parts})")
            missing = self.missing.get(language, [])
            if missing:
                shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
                lines.append(f"{language}: {len(missing)} missing, shown in English: {shown}")
        return lines


def apply(
    obj: TranslatedRow,
    language: str,
    texts: dict[str, Any],
    names: Iterable[str],
    status: str,
    *,
    overwrite: bool,
) -> str:
    """Write one row's texts in ``language``; a missing text leaves the column empty."""
    if obj.translation_state(language) == TranslationStatus.APPROVED and not overwrite:
        return KEPT
    wanted = {column(name, language): texts.get(name) or None for name in names}
    if (
        all(getattr(obj, name) == value for name, value in wanted.items())
        and obj.translation_state(language) == status
    ):
        return UNCHANGED
    for name, value in wanted.items():
        setattr(obj, name, value)
    obj.translation_status = {**(obj.translation_status or {}), language: status}
    obj.save(update_fields=[*wanted, "translation_status"])
    return UPDATED


class TranslationLoader:
    """One language's files applied to the rows; what they cover counted in ``coverage``."""

    def __init__(
        self, language: str, report: LoadReport, coverage: Coverage, *, overwrite: bool
    ) -> None:
        self.language = language
        self.report = report
        self.coverage = coverage
        self.overwrite = overwrite

    def read(self, path: Path) -> tuple[dict[str, Any], str]:
        from .reference import read_yaml

        if not path.exists():
            return {}, TranslationStatus.PROVISIONAL
        data = read_yaml(path) or {}
        where = f"translations/{self.language}/{path.name}"
        if str(data.get("language")) != self.language:
            raise ReferenceDataError(
                f"{where}: language “{data.get('language')}” is not its folder's"
            )
        status = data.get("status") or TranslationStatus.PROVISIONAL
        if status not in TranslationStatus.values:
            raise ReferenceDataError(
                f"{where}: unknown status “{status}” (use provisional or approved)"
            )
        return data, status

    def rows(
        self,
        label: str,
        objects: dict[Any, TranslatedRow],
        texts: dict[Any, Any],
        names: tuple[str, ...],
        status: str,
    ) -> None:
        """Apply ``texts`` (key -> {field: text}) to ``objects`` (key -> row)."""
        texts = {str(key): value for key, value in (texts or {}).items()}
        for key, obj in objects.items():
            row = texts.get(str(key)) or {}
            for name in names:
                english = getattr(obj, column(name, SOURCE))
                self.coverage.add(self.language, label, f"{label} {key} {name}", english,
                                  row.get(name))
            self.report.add(
                f"translations {self.language}",
                apply(obj, self.language, row, names, status, overwrite=self.overwrite),
            )


def load_catalogue_translations(
    report: LoadReport, *, overwrite: bool, data_dir: Path = DATA_DIR
) -> Coverage:
    """Every language's framework, guideline and compendium texts; returns their coverage."""
    coverage = Coverage()
    for language in other_languages():
        loader = TranslationLoader(language, report, coverage, overwrite=overwrite)
        folder = data_dir / language
        data, status = loader.read(folder / "framework.yaml")
        loader.rows("categories", _by(Category, "numeral"), data.get("categories"),
                    ("title", "intro"), status)
        loader.rows("activity groups", _by(ActivityGroup, "ref"), data.get("groups"),
                    ("title",), status)
        loader.rows("activities", _by(Activity.objects.current(), "ref"),
                    data.get("activities"), ("text", "details"), status)

        data, status = loader.read(folder / "guidelines.yaml")
        guidelines = {str(k): v for k, v in (data.get("guidelines") or {}).items()}
        loader.rows("guidelines", _by(Guideline, "number"), guidelines, ("text",), status)
        items = {
            f"{number}{label}": {"text": text}
            for number, row in guidelines.items()
            for label, text in ((row or {}).get("items") or {}).items()
        }
        item_rows = {
            f"{i.guideline.number}{i.label}": i
            for i in GuidelineItem.objects.select_related("guideline")
        }
        loader.rows("guideline items", item_rows, items, ("text",), status)

        data, status = loader.read(folder / "compendium.yaml")
        sections = {f"{s.part}-{s.number}": s for s in CompendiumSection.objects.all()}
        loader.rows("compendium sections", sections, data.get("sections"), ("title",), status)
        loader.rows("compendium entries", _by(Entry.objects.current(), "ref"),
                    data.get("entries"), ("title", "short_title", "description"), status)
    return coverage


def _by(source: type[models.Model] | models.QuerySet, key: str) -> dict[Any, TranslatedRow]:
    queryset = source.objects.all() if isinstance(source, type) else source
    return {getattr(obj, key): obj for obj in queryset}
