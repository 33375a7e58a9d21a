"""Load the criteria of the guideline scores from ``scoring/data``, and every data file at once.

See ``docs/reference-data.md`` for the file formats.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import translation

from assessments.reference import load_country_data
from catalogue.models import Guideline
from catalogue.reference import load_catalogue, read_yaml
from catalogue.reference_translations import (
    Coverage,
    TranslationLoader,
    load_catalogue_translations,
    other_languages,
)
from catalogue.upsert import CREATED, RETIRED, UNCHANGED, LoadReport, ReferenceDataError, upsert

from .guidelines import CRITERIA
from .models import GuidelineCriterion, ScoringWeights

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_guideline_criteria(report: LoadReport, *, overwrite: bool) -> None:
    """The criteria of the guideline scores; staff edits of weights and wording are kept."""
    data = read_yaml(DATA_DIR / "guideline_criteria.yaml")
    guidelines = {g.number: g for g in Guideline.objects.all()}
    existing = {c.code: c for c in GuidelineCriterion.objects.all()}
    seen: set[str] = set()
    for position, row in enumerate(data["criteria"], start=1):
        code = row.get("code") or ""
        where = f"guideline_criteria.yaml criterion {code or position}"
        if code not in CRITERIA:
            raise ReferenceDataError(f"{where}: no rule measures this code")
        if code in seen:
            raise ReferenceDataError(f"{where}: the code appears twice")
        seen.add(code)
        guideline = guidelines.get(row.get("guideline"))
        if guideline is None:
            raise ReferenceDataError(f"{where}: unknown guideline “{row.get('guideline')}”")
        values = {
            "guideline_id": guideline.pk,
            "label": row["label"],
            "description": row.get("description") or "",
            "weight": int(row["weight"]),
            "to_improve": row["to_improve"],
            "position": position,
        }
        _, outcome = upsert(
            existing, GuidelineCriterion, {"code": code}, values, overwrite=overwrite
        )
        report.add("guideline criteria", outcome)
    # Criteria the file no longer names are configuration, not history: the snapshots keep
    # what they said. Rows staff created themselves (no digest) stay.
    stale = GuidelineCriterion.objects.exclude(code__in=seen).exclude(reference_digest="")
    removed = len(stale)
    stale.delete()
    if removed:
        report.add("guideline criteria", RETIRED, removed)
    created = not ScoringWeights.objects.exists()
    ScoringWeights.current()  # the severity weights, with their defaults the first time
    report.add("scoring weights", CREATED if created else UNCHANGED)


def load_criteria_translations(
    report: LoadReport, coverage: Coverage, *, overwrite: bool, data_dir: Path = DATA_DIR
) -> None:
    """The criteria's wording in the other languages (see ``catalogue/reference_translations``)."""
    criteria = {c.code: c for c in GuidelineCriterion.objects.all()}
    for language in other_languages():
        loader = TranslationLoader(language, report, coverage, overwrite=overwrite)
        path = data_dir / "translations" / language / "guideline_criteria.yaml"
        data, status = loader.read(path)
        loader.rows(
            "guideline criteria", criteria, data.get("criteria"),
            ("label", "description", "to_improve"), status,
        )


@transaction.atomic
def load_reference(*, overwrite: bool = False) -> LoadReport:
    """Load every reference data file; a second run changes nothing.

    English is active throughout: the original fields read and write the English columns
    (``title_en``...), which are the source the digests are taken over.
    """
    report = LoadReport()
    with translation.override("en"):
        load_catalogue(report, overwrite=overwrite)
        load_guideline_criteria(report, overwrite=overwrite)
        load_country_data(report, overwrite=overwrite)
        coverage = load_catalogue_translations(report, overwrite=overwrite)
        load_criteria_translations(report, coverage, overwrite=overwrite)
    report.notes.extend(coverage.lines())
    return report
