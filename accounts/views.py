"""Sign-in protection and the account pages: lock-out answer, second factor, password."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_otp import login as otp_login

from audit.services import Kind, audit_record

from .forms import CodeForm
from .sessions import SECOND_FACTOR
from .twofactor import (
    has_second_factor,
    recovery_codes_issue,
    recovery_codes_left,
    second_factor_remove,
    second_factor_required,
    second_factor_verify,
    totp_confirm,
    totp_enrolment,
)

LOCKED_OUT = gettext_lazy(
    "Too many failed sign-in attempts: sign-in is paused for a while. Try again later, or ask "
    "your UNODC contact to unlock it."
)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: the login page with one neutral message,
    the same whether the name exists or not, whether the account or the address is locked."""
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request),
            "locked_out": LOCKED_OUT,
            "next": _safe_next(request),
        },
        status=429,
    )


def _to(name: str, next_url: str) -> str:
    """The URL of ``name`` with ``?next=`` when there is somewhere to come back to."""
    return f"{reverse(name)}?{urlencode({'next': next_url})}" if next_url else reverse(name)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    user = request.user
    if not has_second_factor(user):
        if second_factor_required(user):
            return redirect(_to("two_factor_setup", _safe_next(request)))
        return redirect(_safe_next(request) or "home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_verify(user=user, token=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request) or "home")
        audit_record(Kind.SECOND_FACTOR_FAILED, user=user)
        form.add_error("code", _("This code is not right, or was already used. Try again."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code, confirm with a first code, keep the recovery codes."""
    user = request.user
    if has_second_factor(user) and not user.is_verified():
        # Replacing an authenticator needs the current one: a password alone is not enough.
        return redirect(_to("two_factor_verify", request.path))
    enrolment = totp_enrolment(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_confirm(user=user, device=enrolment.device, token=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, enrolment.device)
            request.session[SECOND_FACTOR] = True
            audit_record(Kind.SECOND_FACTOR_CHANGED, user=user, detail="authenticator set up")
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request) or reverse("account_security")},
            )
        form.add_error(
            "code", _("This code is not right. Check the clock of your phone and try again.")
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "enrolment": enrolment, "next": _safe_next(request)},
    )


@require_safe
@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "has_second_factor": has_second_factor(user),
            "required": second_factor_required(user),
            "codes_left": recovery_codes_left(user),
        },
    )


@require_POST
@login_required
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect(_to("two_factor_verify", reverse("account_security")))
    codes = recovery_codes_issue(user=request.user)
    audit_record(Kind.SECOND_FACTOR_CHANGED, user=request.user, detail="new recovery codes")
    return render(
        request, "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("account_security")},
    )


@require_POST
@login_required
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    user = request.user
    if second_factor_required(user):
        messages.error(request, _("UNODC staff must keep two-factor sign-in."))
        return redirect("account_security")
    second_factor_remove(user=user)
    request.session[SECOND_FACTOR] = False
    audit_record(Kind.SECOND_FACTOR_CHANGED, user=user, detail="two-factor sign-in turned off")
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("account_security")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account_security")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(Kind.PASSWORD_CHANGED, user=self.request.user)
        messages.success(self.request, _("Your password is changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Answers the same whether the address belongs to an account or not (Django sends the
    mail only to active accounts with that address, and redirects in both cases)."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        audit_record(Kind.PASSWORD_RESET_ASKED, username=form.cleaned_data["email"][:150])
        return super().form_valid(form)
