"""The questionnaire as a ministry fills it in: overview, sections, autosave, profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from audit.services import Kind, audit_record
from catalogue.matching import match_activities, semantic_status
from catalogue.models import Category

from .access import get_assessment
from .answering import AssessmentClosed
from .conflicts import conflicts_payload
from .forms import RATIFICATION_CHOICES, ProfileForm
from .item_html import details_html, item_state_html, items_html
from .models import Evidence, SectionComment, SynopsisNeed
from .opening import answers_ensure
from .pending import login_required_keeping_post, pending_post_pop
from .profile import profile_rows, profile_save
from .progress import assessment_page_context
from .refused_post import post_refused_for_size, shows_refused_post
from .section import Item, build_items, item_save, section_answers, section_problems, section_save

SAVED = gettext_noop("Saved.")
SAVED_WITH_PROBLEMS = gettext_noop(
    "Your other answers were saved. {invalid} item(s) need a correction and {conflicts} item(s) "
    "were changed by someone else meanwhile: see the messages beside them."
)
READ_ONLY = gettext_noop(
    "You can read this part of the assessment but not change it (it is {status})."
)
NEED_TOO_LONG = _("Please describe the need in at most %(limit)d characters.")
NEED_LIMIT = 500
NEED_PROPOSALS = 5
NOT_SAVED_TOO_LARGE = _(
    "Nothing was saved: this page sent more than the server accepts in one post. Everything "
    "you typed is shown below, unsaved (files you chose must be chosen again). Save it in parts: "
    "keep a copy of some items' texts, empty them and save, then fill them in again and save; "
    "with JavaScript on, each item is saved on its own as you leave it."
)
RESTORED = gettext_noop(
    "You were logged out before these values were saved: check them and save again."
)


def _read_only(assessment) -> str:
    return gettext(READ_ONLY).format(status=assessment.get_status_display())


@require_safe
@login_required
def assessment_overview(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, rights = get_assessment(request.user, pk)
    return render(
        request,
        "assessments/overview.html",
        {
            **assessment_page_context(assessment, rights),
            "events": assessment.events.select_related("actor"),
        },
    )


@require_safe
@login_required
def need_search(request: HttpRequest, pk: int) -> HttpResponse:
    """“Describe a need in your own words”: the activities it belongs to, with links."""
    assessment, rights = get_assessment(request.user, pk)
    text = request.GET.get("q", "").strip()
    error = NEED_TOO_LONG % {"limit": NEED_LIMIT} if len(text) > NEED_LIMIT else ""
    found = match_activities(text, top=NEED_PROPOSALS) if text and not error else []
    return render(
        request,
        "assessments/need_search.html",
        {
            **assessment_page_context(assessment, rights),
            "text": text,
            "error": error,
            "found": found,
            "limit": NEED_LIMIT,
            "semantic": semantic_status(),
        },
    )


@shows_refused_post
@login_required_keeping_post
def section(request: HttpRequest, pk: int, numeral: str) -> HttpResponse:
    assessment, rights = get_assessment(request.user, pk)
    categories = list(Category.objects.all())
    category = next((c for c in categories if c.numeral == numeral), None)
    if category is None:
        raise Http404(gettext("No such section."))
    editable = rights.may_edit(category)
    if editable:
        answers_ensure(assessment, category)
    answers = section_answers(assessment, category)
    data = request.POST if request.method == "POST" else pending_post_pop(request)
    items = build_items(answers, editable=editable, data=data)
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_read_only(assessment))
        if post_refused_for_size(request):  # shown back as typed, nothing saved
            messages.error(request, NOT_SAVED_TOO_LARGE)
            status = 413
        else:
            try:
                outcome = section_save(items, request.user, request.POST, request.FILES)
            except AssessmentClosed as exc:  # submitted meanwhile: show what was typed, unsaved
                messages.error(request, str(exc))
            else:
                if not outcome.invalid and not outcome.conflicts:
                    messages.success(request, gettext(SAVED))
                    return redirect(_next_url(request, assessment, category))
                messages.warning(request, gettext(SAVED_WITH_PROBLEMS).format(**vars(outcome)))
    elif data is not None:
        messages.warning(request, gettext(RESTORED))
    return render(
        request,
        "assessments/section.html",
        {
            **assessment_page_context(assessment, rights, categories),
            "category": category,
            "items_html": items_html(
                items, assessment_pk=assessment.pk, details_for=request.GET.get("details", "")
            ),
            "problems": section_problems(items),
            "editable": editable,
            "comments": SectionComment.objects.filter(
                assessment=assessment, category=category
            ).select_related("author"),
            "unmatched_2004": _unmatched_2004(assessment, category),
        },
        status=status,
    )


def _unmatched_2004(assessment, category: Category) -> list[SynopsisNeed]:
    """2004 needs nothing matched, shown at the top of the questionnaire's first section."""
    if assessment.previous_id or category.position != 1:
        return []
    return list(SynopsisNeed.objects.filter(country=assessment.country, activities=None))


def _next_url(request: HttpRequest, assessment, category: Category) -> str:
    if "continue" in request.POST:
        following = Category.objects.filter(position__gt=category.position).first()
        if following:
            return reverse("assessments:section", args=[assessment.pk, following.numeral])
        return reverse("assessments:submit", args=[assessment.pk])
    return request.path


@require_safe
@login_required
def item_details(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    """The detail fields of one item, which the section page loads when the user opens them."""
    assessment, rights = get_assessment(request.user, pk)
    answer = (
        assessment.answers.select_related("activity__category", "updated_by")
        .prefetch_related("evidence")
        .filter(pk=answer_pk)
        .first()
    )
    if answer is None:
        raise Http404(gettext("No such item in this assessment."))
    item = Item(answer, None, rights.may_edit(answer.activity.category))
    return HttpResponse(details_html(item, assessment_pk=assessment.pk))


@require_POST
@login_required_keeping_post
def autosave(request: HttpRequest, pk: int, answer_pk: int) -> JsonResponse:
    """Save one item as the user leaves a field; answers JSON for the page's script."""
    assessment, rights = get_assessment(request.user, pk)
    answer = (
        assessment.answers.select_related("activity__category")
        .filter(pk=answer_pk)
        .first()
    )
    if answer is None:
        raise Http404(gettext("No such item in this assessment."))
    if not rights.may_edit(answer.activity.category):
        return JsonResponse(
            {"error": _read_only(assessment)}, status=403
        )
    (item,) = build_items([answer], editable=True, data=request.POST)
    try:
        item_save(item, request.user, request.POST, request.FILES)
    except AssessmentClosed as exc:
        return JsonResponse({"error": str(exc)}, status=409)
    invalid = item.form.errors or item.evidence_error
    status = 409 if item.conflicts else 422 if invalid else 200
    return JsonResponse(
        {
            "version": item.answer.version,
            "errors": {
                **{name: list(errs) for name, errs in item.form.errors.items()},
                **({"evidence_file": [item.evidence_error]} if item.evidence_error else {}),
            },
            "conflicts": conflicts_payload(item),
            "state": item_state_html(item),
        },
        status=status,
    )


@login_required_keeping_post
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, rights = get_assessment(request.user, pk)
    rows = profile_rows(assessment)
    data = request.POST if request.method == "POST" else pending_post_pop(request)
    form = ProfileForm(
        data=data,
        initial={
            "legal_tradition": assessment.legal_tradition,
            "legal_context": assessment.legal_context,
            "languages": assessment.languages.split(),
            "version": assessment.profile_version,
        },
    )
    if request.method == "POST":
        if not rights.may_edit_profile:
            raise PermissionDenied(_read_only(assessment))
        result = profile_save(
            assessment=assessment, form=form, rows=rows, data=request.POST, user=request.user
        )
        if result.ok:
            messages.success(request, gettext(SAVED))
            return redirect(request.path)
        messages.warning(request, result.message)
    return render(
        request,
        "assessments/profile.html",
        {
            **assessment_page_context(assessment, rights),
            "form": form,
            "rows": rows,
            "choices": RATIFICATION_CHOICES,
            "data": data,
        },
    )


@require_safe
@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    assessment, _ = get_assessment(request.user, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, answer__assessment=assessment)
    audit_record(
        Kind.EVIDENCE_DOWNLOAD, user=request.user, country=assessment.country.iso3,
        obj=evidence, detail=evidence.original_name,
    )
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
