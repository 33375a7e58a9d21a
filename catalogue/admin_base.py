"""What the admin of every reference row shares, and the file import/export of the catalogue."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm
from import_export.results import Result

from .resources import IMPORT_REFUSED, NOT_UTF8, NOT_XLSX, import_problems


class ReferenceRowAdmin(admin.ModelAdmin):
    """Rows the loader wrote from the data files are edited, never deleted.

    Deleting one would lose what points to it and the loader would bring it back; activities
    and entries are retired instead. Rows staff added themselves (no ``reference_digest``) may
    be deleted one at a time; the bulk delete action, which cannot tell them apart, is removed.
    ``key_fields`` (the stable ids the loader matches rows by) are read-only once a row exists.
    """

    key_fields: tuple[str, ...] = ()

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.reference_digest:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            # Reference rows point to other reference rows: pick them here, never add or delete.
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = False
            widget.widget.attrs["data-width"] = "100%"  # autocomplete boxes: room for the wording
        return formfield

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + self.key_fields if obj is not None else readonly


class FileImportExportMixin(ImportExportMixin):
    """Import and export as CSV or XLSX; an import is previewed (a dry run), then confirmed.

    Needs the model's ``import_<model>`` / ``export_<model>`` permissions (see settings). A
    file that cannot be read, or has any problem, is refused whole with every problem listed.
    """

    formats = [CSV, XLSX]
    # Excel reads a UTF-8 CSV file's accents right only when the file starts with a BOM.
    to_encoding = "utf-8-sig"
    import_template_name = "admin/catalogue/import.html"
    # Every export has all the columns, so that any exported file can be imported back.
    export_form_class = ExportForm

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, UnicodeDecodeError):
            line = e.object[: e.start].count(b"\n") + 1
            form.add_error("import_file", NOT_UTF8.format(line=line))
        elif self.get_import_formats()[int(form.cleaned_data["format"])] is XLSX:
            form.add_error("import_file", NOT_XLSX)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def _resource(self, request: HttpRequest) -> Any:
        return self.get_import_resource_classes(request)[0]()

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse):
            resource = self._resource(request)
            response.context_data["column_help"] = resource.column_help.items()
            result = response.context_data.get("result")
            if result is not None:
                response.context_data["problems"] = import_problems(result, resource)
        return response

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        # The data changed between preview and confirmation: nothing was written.
        messages.error(request, IMPORT_REFUSED)
        for problem in import_problems(result, self._resource(request)):
            messages.error(request, problem)
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_import")
