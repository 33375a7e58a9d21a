"""The ministry user's home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/home.html")
