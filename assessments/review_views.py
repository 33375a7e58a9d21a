"""Submitting an assessment, and UNODC's review: validate, or return with comments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_noop

from catalogue.models import Category

from .access import get_assessment, staff_required
from .completeness import missing_by_section, missing_items
from .models import Assessment
from .progress import assessment_page_context
from .workflow import TransitionError, allowed, assessment_transition

SUBMITTED = gettext_noop(
    "Submitted to UNODC. The assessment is now read-only until UNODC reviews it."
)
VALIDATED = gettext_noop("Validated.")
RETURNED = gettext_noop("Returned to the ministry with your comments.")


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, rights = get_assessment(request.user, pk)
    missing = missing_items(assessment)
    categories = {c.numeral: c for c in Category.objects.all()}
    if request.method == "POST":
        if not rights.may_submit:
            raise PermissionDenied(
                gettext("Only the national focal point can submit, while it is open.")
            )
        try:
            assessment_transition(
                assessment=assessment,
                to_status=Assessment.Status.SUBMITTED,
                actor=request.user,
                role=rights.role,
            )
        except TransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, gettext(SUBMITTED))
            return redirect("assessments:overview", pk=assessment.pk)
    return render(
        request,
        "assessments/submit.html",
        {
            **assessment_page_context(assessment, rights, list(categories.values())),
            "missing": missing,
            "missing_sections": [
                (categories.get(numeral), points) for numeral, points in missing_by_section(missing)
            ],
        },
    )


@login_required
@staff_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff only: validate a submitted assessment or return it with comments per section."""
    assessment, rights = get_assessment(request.user, pk)
    categories = list(Category.objects.all())
    comments = {c.pk: request.POST.get(f"comment-{c.pk}", "") for c in categories}
    if request.method == "POST":
        action = request.POST.get("action")
        to_status = {
            "validate": Assessment.Status.VALIDATED,
            "return": Assessment.Status.RETURNED,
        }.get(action)
        if to_status is None:
            messages.error(request, gettext("Choose “Validate” or “Return to the ministry”."))
        else:
            try:
                assessment_transition(
                    assessment=assessment,
                    to_status=to_status,
                    actor=request.user,
                    role="staff",
                    comment=request.POST.get("comment", ""),
                    section_comments=comments,
                )
            except TransitionError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, gettext(VALIDATED if action == "validate" else RETURNED))
                return redirect("assessments:overview", pk=assessment.pk)
    return render(
        request,
        "assessments/review.html",
        {
            **assessment_page_context(assessment, rights, categories),
            "sections": [(c, comments[c.pk]) for c in categories],
            "can_validate": allowed(assessment, Assessment.Status.VALIDATED, "staff"),
            "can_return": allowed(assessment, Assessment.Status.RETURNED, "staff"),
            "general_comment": request.POST.get("comment", ""),
        },
    )
