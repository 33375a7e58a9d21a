"""What the admin of every reference row shares, and the file import/export of the catalogue."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm
from import_export.results import Result
from modeltranslation.admin import TranslationAdmin

from .models import TranslationStatus
from .reference_translations import column, other_languages
from .resources import (
    IMPORT_REFUSED,
    LANGUAGE_COLUMNS_HELP,
    NOT_UTF8,
    NOT_XLSX,
    import_problems,
)


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
            languages = resource.language_columns()
            response.context_data["column_help"] = [
                *resource.column_help.items(),
                (f"{languages[0]} … {languages[-1]}",
                 LANGUAGE_COLUMNS_HELP.format(example=", ".join(languages[:2]))),
            ]
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


def _language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


class TranslationStatusFilter(admin.SimpleListFilter):
    """Rows whose texts in a language are provisional, approved by staff, or missing."""

    title = "translation"
    parameter_name = "translation"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        choices = []
        for code in other_languages():
            name = _language_name(code)
            choices += [
                (f"{code}:{TranslationStatus.PROVISIONAL}", f"{name}: provisional"),
                (f"{code}:{TranslationStatus.APPROVED}", f"{name}: approved"),
                (f"{code}:missing", f"{name}: missing"),
            ]
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        code, _, state = (self.value() or "").partition(":")
        if code not in other_languages():
            return queryset
        if state == "missing":
            return queryset.exclude(translation_status__has_key=code)
        return queryset.filter(**{f"translation_status__{code}": state})


class TranslatedRowAdmin(ReferenceRowAdmin, TranslationAdmin):
    """A reference row with its texts in every language (``title_en``, ``title_fr``...).

    Staff see where each language stands (a “translations” column, a filter and a read-only
    line on the form: provisional texts are flagged “to review”), approve a language's texts
    with an action, and a language whose texts they change on the form counts as approved:
    staff wrote or read it. Approved texts are kept when the data files are loaded again.
    """

    def get_list_display(self, request: HttpRequest) -> Any:
        return (*super().get_list_display(request), "translations")

    def get_list_filter(self, request: HttpRequest) -> Any:
        return (*super().get_list_filter(request), TranslationStatusFilter)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*super().get_readonly_fields(request, obj), "translations")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and not any("translations" in f["fields"] for _, f in fieldsets):
            fieldsets.append((_("Translations"), {"fields": ("translations",)}))
        return fieldsets

    @admin.display(description=_("translations"))
    def translations(self, obj: Any) -> str:
        parts = []
        for code in other_languages():
            state = obj.translation_state(code)
            if state == TranslationStatus.APPROVED:
                parts.append(format_html('<span title="{}">{} ✓</span>', _("approved"), code))
            elif state == TranslationStatus.PROVISIONAL:
                parts.append(format_html(
                    '<strong class="translation-provisional" title="{}">{} {}</strong>',
                    _("provisional: to review"), code, _("provisional"),
                ))
            else:
                parts.append(format_html(
                    '<span title="{}">{} –</span>', _("missing: shown in English"), code
                ))
        return format_html_join(" · ", "{}", ((p,) for p in parts))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            for code in other_languages():
                name = f"approve_{code}"
                description = _("Approve the %(language)s translation") % {
                    "language": _language_name(code)
                }
                actions[name] = (_approve_action(code), name, description)
        return actions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        changed = set(form.changed_data)
        edited = [
            code for code in other_languages()
            if any(column(name, code) in changed for name in self.trans_opts.fields)
        ]
        if edited:
            obj.translation_status = {
                **(obj.translation_status or {}),
                **dict.fromkeys(edited, TranslationStatus.APPROVED.value),
            }
        super().save_model(request, obj, form, change)


def _approve_action(code: str) -> Any:
    def approve(modeladmin: TranslatedRowAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for obj in queryset:
            if obj.translation_state(code) == TranslationStatus.PROVISIONAL:
                obj.translation_status = {
                    **obj.translation_status, code: TranslationStatus.APPROVED.value
                }
                obj.save(update_fields=["translation_status"])
                count += 1
        modeladmin.message_user(
            request, f"Approved the {_language_name(code)} texts of {count} row(s)."
        )

    approve.allowed_permissions = ("change",)
    return approve
