"""Browse pages of the framework and the compendium, for every logged-in user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .forms import IGNORED_PAGE, CompendiumFilterForm
from .models import Category
from .selectors import category_list, category_page, entry_detail_queryset, entry_search

ENTRIES_PER_PAGE = 50


@login_required
@require_safe
def framework(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/framework.html", {"categories": category_list()})


@login_required
@require_safe
def category(request: HttpRequest, numeral: str) -> HttpResponse:
    page = category_page(category=get_object_or_404(Category, numeral=numeral))
    return render(request, "catalogue/category.html", {"page": page})


def _page(paginator: Paginator, number: str | None) -> tuple[Page, str | None]:
    """The requested page, or the first one with a note when the number is not a page."""
    if number is None:
        return paginator.page(1), None
    try:
        return paginator.page(number), None
    except InvalidPage:
        return paginator.page(1), _(IGNORED_PAGE).format(value=number, count=paginator.num_pages)


@login_required
@require_safe
def compendium(request: HttpRequest) -> HttpResponse:
    form = CompendiumFilterForm(request.GET)
    filters = form.filters()
    paginator = Paginator(entry_search(**filters), ENTRIES_PER_PAGE)
    page, page_note = _page(paginator, request.GET.get("page"))
    context = {
        "form": form,
        "filtered": any(filters.values()),
        "notes": form.ignored() + ([page_note] if page_note else []),
        "page": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
    return render(request, "catalogue/compendium.html", context)


@login_required
@require_safe
def entry(request: HttpRequest, ref: str) -> HttpResponse:
    return render(
        request,
        "catalogue/entry.html",
        {"entry": get_object_or_404(entry_detail_queryset(), ref=ref)},
    )
