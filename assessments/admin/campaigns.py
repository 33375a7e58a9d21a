"""The staff application over a running cycle: deadlines, e-mail log, preferences, reviewers."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..campaigns.deadlines import deadline_extend, extension_problem
from ..campaigns.emails import email_send
from ..campaigns.reminders import SENT, reminders_send_now
from ..models import DeadlineExtension, Email, EmailPreference, MemberState, RegionReviewer
from .history import ReadOnlyAdmin, ReadOnlyInline


class DeadlineExtensionForm(forms.ModelForm):
    class Meta:
        model = DeadlineExtension
        fields = ("assessment", "ends_on", "reason")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("assessment") and data.get("ends_on"):
            problem = extension_problem(
                assessment=data["assessment"],
                ends_on=data["ends_on"],
                reason=data.get("reason", ""),
            )
            if problem:
                raise forms.ValidationError(problem)
        return data


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdmin):
    form = DeadlineExtensionForm
    list_display = ("assessment", "ends_on", "reason", "granted_by", "created_at")
    list_filter = ("assessment__cycle", "assessment__country__region")
    search_fields = ("assessment__country__name", "reason")
    list_select_related = ("assessment__country", "assessment__cycle", "granted_by")
    autocomplete_fields = ("assessment",)

    def save_model(self, request: HttpRequest, obj: DeadlineExtension, form, change: bool):
        saved = deadline_extend(
            assessment=obj.assessment, ends_on=obj.ends_on, reason=obj.reason, user=request.user
        )
        obj.pk, obj.granted_by, obj.created_at = saved.pk, saved.granted_by, saved.created_at


class DeadlineExtensionInline(ReadOnlyInline):
    """The extensions of one assessment, latest first: its deadline history."""

    model = DeadlineExtension
    fields = ("created_at", "ends_on", "reason", "granted_by")


@admin.register(Email)
class EmailAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at", "kind", "recipient", "address", "assessment", "key", "language", "status",
        "attempts", "sent_at",
    )
    list_filter = ("status", "kind", "language", "assessment__cycle")
    search_fields = ("address", "recipient__username", "assessment__country__name", "subject")
    list_select_related = ("recipient", "assessment__country", "assessment__cycle")
    date_hierarchy = "created_at"
    actions = ("send_again",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Try the selected failed or waiting e-mails again now"))
    def send_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        sent = sum(email_send(pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(
            request, ngettext("%d e-mail sent.", "%d e-mails sent.", sent) % sent, messages.INFO
        )


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "reminders")
    list_filter = ("reminders",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)


class RegionReviewerForm(forms.ModelForm):
    region = forms.ChoiceField(label=_("region"), choices=())

    class Meta:
        model = RegionReviewer
        fields = ("user", "region")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r, r) for r in MemberState.regions()]


@admin.register(RegionReviewer)
class RegionReviewerAdmin(admin.ModelAdmin):
    form = RegionReviewerForm
    list_display = ("region", "user")
    list_filter = ("region",)
    list_select_related = ("user",)
    autocomplete_fields = ("user",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = db_field.related_model.objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.action(description=_("Send a deadline reminder now to the focal points"))
def send_reminder_now(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
    """Staff's reminder on demand; assessments already submitted or validated are left out."""
    done = reminders_send_now(queryset)
    sent = sum(r.outcome == SENT for r in done)
    modeladmin.message_user(
        request,
        ngettext(
            "%(sent)d reminder sent (%(all)d asked for): see E-mails for each outcome.",
            "%(sent)d reminders sent (%(all)d asked for): see E-mails for each outcome.",
            sent,
        )
        % {"sent": sent, "all": len(done)},
        messages.SUCCESS if sent == len(done) else messages.WARNING,
    )
