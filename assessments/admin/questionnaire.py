"""The staff application over cycles, assessments, answers and who answers for which country."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import Category

from ..cycles import cycle_opening_send
from ..invitations import user_invite
from ..models import (
    Answer,
    Assessment,
    Cycle,
    Membership,
    MemberState,
    SectionComment,
    StatusEvent,
)
from .campaigns import DeadlineExtensionInline, send_reminder_now
from .history import ReadOnlyInline

OPENING = gettext_noop(
    "Opening “{cycle}” for every member state: the assessments appear in a moment."
)
OPENING_PENDING = gettext_noop(
    "“{cycle}” is saved, but the background service is unavailable: its opening for every "
    "member state is pending and completes automatically within minutes of the service being "
    "back."
)
INVITED = gettext_noop(
    "Invitation sent to {email}: {username} can now set a password and answer for {country}."
)


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = (
        "name", "starts_on", "ends_on", "is_baseline", "assessment_count", "opening",
        "responses_link",
    )
    list_filter = ("is_baseline",)
    search_fields = ("name",)
    actions = ("open_for_every_member_state",)
    fields = ("name", "starts_on", "ends_on")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(assessment_total=Count("assessments"))

    @admin.display(description=gettext_lazy("assessments"), ordering="assessment_total")
    def assessment_count(self, obj: Cycle) -> int:
        return obj.assessment_total

    @admin.display(description=gettext_lazy("responses"))
    def responses_link(self, obj: Cycle) -> str:
        if obj.is_baseline:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("assessments:tracking", args=[obj.pk]), _("Track")
        )

    @admin.display(description=gettext_lazy("opening"))
    def opening(self, obj: Cycle) -> str:
        return _("opening pending") if obj.opening_pending else "—"

    def has_change_permission(self, request: HttpRequest, obj: Cycle | None = None) -> bool:
        # Cycle zero is the 2004 synopsis: read-only for everyone.
        return not (obj and obj.is_baseline) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Cycle | None = None) -> bool:
        return obj is None or not obj.assessments.exists()

    def save_model(self, request: HttpRequest, obj: Cycle, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            self._send_opening(request, obj)

    @admin.action(
        description=gettext_lazy("Open for every member state (adds missing assessments)")
    )
    def open_for_every_member_state(self, request: HttpRequest, queryset: QuerySet) -> None:
        for cycle in queryset.filter(is_baseline=False):
            self._send_opening(request, cycle)

    def _send_opening(self, request: HttpRequest, cycle: Cycle) -> None:
        """Send the opening once the cycle is committed; say so when it has to wait."""

        def send() -> None:
            if cycle_opening_send(cycle_id=cycle.pk):
                messages.info(request, _(OPENING).format(cycle=cycle))
            else:
                messages.warning(request, _(OPENING_PENDING).format(cycle=cycle))

        transaction.on_commit(send)


class StatusEventInline(ReadOnlyInline):
    model = StatusEvent
    fields = ("created_at", "from_status", "to_status", "actor", "comment")


class SectionCommentInline(ReadOnlyInline):
    model = SectionComment
    fields = ("category", "text", "author", "created_at")


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("country", "cycle", "status", "submitted_at", "updated_at", "review_link")
    list_filter = ("cycle", "status", "country__region")
    search_fields = ("country__name", "country__iso3")
    list_select_related = ("country", "cycle")
    readonly_fields = (
        "cycle", "country", "status", "legal_tradition", "legal_context", "previous",
        "submitted_at", "created_at", "updated_at",
    )
    fields = readonly_fields
    inlines = (StatusEventInline, SectionCommentInline, DeadlineExtensionInline)
    history_list_display = ("status",)
    actions = (send_reminder_now,)

    @admin.display(description=gettext_lazy("review"))
    def review_link(self, obj: Assessment) -> str:
        url = reverse("assessments:review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, pgettext_lazy("open a page", "Open"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cycles open assessments

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # history is never rewritten


@admin.register(Answer)
class AnswerAdmin(SimpleHistoryAdmin):
    """Read-only for staff: answers belong to the ministries; every change is in the history."""

    list_display = (
        "assessment", "activity_ref", "state", "level", "assistance_needed", "priority",
        "updated_by", "updated_at",
    )
    list_filter = (
        "assessment__cycle", "state", "assistance_needed", "priority",
        "activity__category", "needs_confirmation",
    )
    search_fields = ("assessment__country__name", "activity__ref", "activity__text", "comment")
    list_select_related = ("assessment__country", "assessment__cycle", "activity", "updated_by")
    history_list_display = ("state", "level", "assistance_needed")

    @admin.display(description=gettext_lazy("activity"), ordering="activity__position")
    def activity_ref(self, obj: Answer) -> str:
        return obj.activity.ref

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"))
    username = forms.SlugField(
        label=gettext_lazy("Username"),
        max_length=150,
        help_text=gettext_lazy("Letters, digits, hyphens; e.g. ken-justice."),
    )
    first_name = forms.CharField(label=gettext_lazy("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), required=False, max_length=150)
    country = forms.ModelChoiceField(MemberState.objects.all(), label=gettext_lazy("Country"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Membership.Role.choices)
    ministry = forms.CharField(label=gettext_lazy("Ministry"), required=False, max_length=200)
    categories = forms.ModelMultipleChoiceField(
        Category.objects.all(),
        label=gettext_lazy("Categories"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("For contributors: the categories they may edit."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == Membership.Role.CONTRIBUTOR and not data.get("categories"):
            self.add_error("categories", _("Choose the categories this contributor may edit."))
        username, email = data.get("username"), data.get("email")
        existing = get_user_model().objects.filter(username=username).first()
        if existing and email and existing.email and existing.email != email:
            self.add_error(
                "username",
                _("“%(username)s” already belongs to %(email)s: choose another.")
                % {"username": username, "email": existing.email},
            )
        return data


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "country", "role", "ministry", "category_list")
    list_filter = ("role", "country__region")
    search_fields = ("user__username", "user__email", "country__name", "ministry")
    list_select_related = ("user", "country")
    autocomplete_fields = ("user", "country")
    filter_horizontal = ("categories",)
    change_list_template = "admin/assessments/membership/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("categories")

    @admin.display(description=gettext_lazy("categories"))
    def category_list(self, obj: Membership) -> str:
        return ", ".join(c.numeral for c in obj.categories.all()) or _("all")

    def get_urls(self):
        invite = self.admin_site.admin_view(self.invite_view)
        return [
            path("invite/", invite, name="assessments_membership_invite"),
            *super().get_urls(),
        ]

    def invite_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            membership = user_invite(
                email=data["email"],
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                country=data["country"],
                role=data["role"],
                ministry=data["ministry"],
                categories=data["categories"],
                base_url=request.build_absolute_uri("/"),
            )
            messages.success(
                request,
                _(INVITED).format(
                    email=data["email"], username=data["username"], country=membership.country
                ),
            )
            return redirect("admin:assessments_membership_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invite a ministry user"),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/assessments/membership/invite.html", context)
