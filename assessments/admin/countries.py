"""The staff application over member states and the 2004 synopsis."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from catalogue.admin_base import ReferenceRowAdmin
from catalogue.admin_forms import LinesField

from ..models import MemberState, SynopsisNeed


class MemberStateAdminForm(forms.ModelForm):
    aliases = LinesField(
        help_text=_("Other spellings, one per line, including those of the source documents.")
    )

    class Meta:
        model = MemberState
        fields = ("name", "aliases", "iso3", "iso2", "m49", "region", "subregion")


@admin.register(MemberState)
class MemberStateAdmin(ReferenceRowAdmin):
    form = MemberStateAdminForm
    list_display = ("iso3", "name", "region", "subregion")
    list_display_links = ("iso3", "name")
    list_filter = ("region", "subregion")
    search_fields = ("name", "aliases", "iso3", "iso2", "m49")
    search_help_text = _("Search a name, another spelling or an ISO or M49 code.")
    ordering = ("name",)
    fieldsets = (
        (None, {"fields": ("name", "aliases")}),
        (_("Codes"), {"fields": ("iso3", "iso2", "m49")}),
        (_("UN M49 region"), {"fields": ("region", "subregion")}),
    )
    key_fields = ("iso3",)


@admin.register(SynopsisNeed)
class SynopsisNeedAdmin(ReferenceRowAdmin):
    list_display = ("country", "position", "short_text", "activity_refs", "mapped_by")
    list_filter = ("country__region", "mapped_by")
    search_fields = ("text", "country__name", "reported_as")
    list_select_related = ("country",)
    ordering = ("country__name", "position")
    autocomplete_fields = ("country", "activities")
    fieldsets = (
        (_("As reported in 2004"), {"fields": ("country", "reported_as", "position", "text")}),
        (_("Activities it concerns"), {"fields": ("activities", "mapped_by", "mapping_reasons")}),
    )
    key_fields = ("country", "position")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("activities")

    def save_model(self, request: HttpRequest, obj: SynopsisNeed, form: forms.ModelForm,
                   change: bool) -> None:
        # A mapping staff chose is never replaced by the matching engine.
        if "activities" in form.changed_data:
            obj.mapped_by = SynopsisNeed.MappedBy.STAFF
        super().save_model(request, obj, form, change)

    @admin.display(description=_("need"))
    def short_text(self, obj: SynopsisNeed) -> str:
        return Truncator(obj.text).chars(90)

    @admin.display(description=_("activities"))
    def activity_refs(self, obj: SynopsisNeed) -> str | None:
        return ", ".join(activity.ref for activity in obj.activities.all()) or None
