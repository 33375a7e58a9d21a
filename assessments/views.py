"""The home page: each user's assessments and what to do next."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from catalogue.models import Category

from .access import is_unodc_staff, rights_for, visible_assessments
from .campaigns.deadlines import with_deadline
from .models import Assessment
from .progress import SectionProgress, section_progress


@dataclass
class Card:
    assessment: Assessment
    progress: list[SectionProgress]
    role: str
    next_step: str

    @property
    def answered(self) -> int:
        return sum(p.answered for p in self.progress)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.progress)


NEXT_STEPS = {
    Assessment.Status.DRAFT: _("Continue answering"),
    Assessment.Status.RETURNED: _("Read UNODC's comments and answer them"),
    Assessment.Status.SUBMITTED: _("Waiting for UNODC's review"),
    Assessment.Status.VALIDATED: _("Validated by UNODC"),
}


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context: dict = {}
    if is_unodc_staff(request.user):
        context["cycles"] = (
            visible_assessments(request.user)
            .filter(cycle__is_baseline=False)
            .values("cycle__pk", "cycle__name")
            .annotate(
                total=Count("pk"),
                submitted=Count("pk", filter=Q(status=Assessment.Status.SUBMITTED)),
                validated=Count("pk", filter=Q(status=Assessment.Status.VALIDATED)),
                returned=Count("pk", filter=Q(status=Assessment.Status.RETURNED)),
            )
            .order_by("-cycle__starts_on")
        )
        context["to_review"] = visible_assessments(request.user).filter(
            status=Assessment.Status.SUBMITTED
        )[:50]
    else:
        categories = list(Category.objects.all())
        assessments = with_deadline(
            visible_assessments(request.user).filter(cycle__is_baseline=False)
        )
        context["cards"] = [
            Card(
                a,
                section_progress(a, categories),
                rights_for(request.user, a).role_label,
                NEXT_STEPS[a.status],
            )
            for a in assessments
        ]
    return render(request, "assessments/home.html", context)
