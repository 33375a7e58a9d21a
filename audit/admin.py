"""Staff read the audit log in admin: filter, search, export (with the audit.export_auditevent
permission, as every export of the site); nobody adds, edits or deletes a row."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm

from .models import AuditEvent


class AuditEventResource(resources.ModelResource):
    class Meta:
        model = AuditEvent
        fields = (
            "at", "kind", "username", "country", "object_type", "object_id", "object_label",
            "client_address", "detail",
        )
        export_order = fields


@admin.register(AuditEvent)
class AuditEventAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [AuditEventResource]
    formats = [CSV, XLSX]
    export_form_class = ExportForm  # every column, always
    list_display = (
        "time_utc", "kind", "username", "country", "object_type", "object_label", "client_address",
        "detail",
    )
    list_filter = ("kind", "country", "at", "object_type")
    search_fields = ("username", "object_label", "object_id", "client_address", "detail")
    date_hierarchy = "at"
    list_per_page = 100

    @admin.display(description=_("time (UTC)"), ordering="at")
    def time_utc(self, event: AuditEvent) -> str:
        return f"{event.at:%Y-%m-%d %H:%M:%S}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
