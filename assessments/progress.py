"""Progress of an assessment: answered / total per section, in one query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from catalogue.models import Category

from .models import Answer, Assessment

if TYPE_CHECKING:
    from .access import Rights


@dataclass(frozen=True)
class SectionProgress:
    category: Category
    answered: int
    total: int
    url: str  # of the section's page

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.answered == self.total


def section_progress(
    assessment: Assessment, categories: list[Category]
) -> list[SectionProgress]:
    """Answered and total items of each category, in the document's order."""
    rows = (
        Answer.objects.filter(assessment=assessment, activity__is_retired=False)
        .values("activity__category")
        .annotate(total=Count("pk"), answered=Count("pk", filter=~Q(state="")))
    )
    counts = {r["activity__category"]: (r["answered"], r["total"]) for r in rows}
    # One reverse() for all the sections' links (each took about 0.1 ms, a page shows eleven),
    # the numeral quoted as reverse() quotes it.
    marker = "SECTION-NUMERAL"
    url = reverse("assessments:section", args=[assessment.pk, marker])
    return [
        SectionProgress(c, *counts.get(c.pk, (0, 0)), url.replace(marker, _quoted(c.numeral)))
        for c in categories
    ]


def _quoted(part: str) -> str:
    return quote(part, safe=RFC3986_SUBDELIMS + "/~:@")


def assessment_page_context(
    assessment: Assessment, rights: Rights, categories: list[Category] | None = None
) -> dict[str, object]:
    """What every page of an assessment shows around its own content: the assessment and the
    user's rights (its header) and the progress of each section (its section navigation).

    ``categories``, in the document's order, spares a query when the view has them already.
    """
    if categories is None:
        categories = list(Category.objects.all())
    return {
        "assessment": assessment,
        "rights": rights,
        "progress": section_progress(assessment, categories),
    }
