"""The staff application over the framework and the compendium.

Wording changes of categories, activities and entries are kept by simple-history; the loader
keeps staff edits (see ``catalogue/upsert.py``). Activities and entries are retired, not deleted.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .admin_base import FileImportExportMixin, ReferenceRowAdmin, TranslatedRowAdmin
from .admin_forms import ActivityAdminForm, EntryAdminForm
from .models import (
    Activity,
    ActivityGroup,
    Category,
    CompendiumSection,
    Entry,
    Guideline,
    GuidelineItem,
    SourceDocument,
)
from .resources import ActivityResource, EntryResource
from .retirement import rows_set_retired

RETIRED_IN_ADMIN = "Retired in admin"
REINSTATED_IN_ADMIN = "Reinstated in admin"


def _short(text: str, length: int = 90) -> str:
    return Truncator(text).chars(length)


class RetireActionsMixin:
    """“Retire” and “reinstate” actions in place of delete, for activities and entries."""

    actions = ["retire", "reinstate"]

    @admin.display(description=_("status"), ordering="is_retired")
    def retired(self, obj: Activity | Entry) -> str | None:
        return _("retired") if obj.is_retired else None

    @admin.action(
        description=_("Retire the selected %(verbose_name_plural)s"), permissions=["change"]
    )
    def retire(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = rows_set_retired(rows=queryset, retired=True, reason=RETIRED_IN_ADMIN)
        self.message_user(
            request,
            ngettext(
                "Retired %(count)d; their answers and links are kept.",
                "Retired %(count)d; their answers and links are kept.",
                count,
            ) % {"count": count},
        )

    @admin.action(
        description=_("Reinstate the selected %(verbose_name_plural)s"), permissions=["change"]
    )
    def reinstate(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = rows_set_retired(rows=queryset, retired=False, reason=REINSTATED_IN_ADMIN)
        message = ngettext("Reinstated %(count)d.", "Reinstated %(count)d.", count)
        self.message_user(request, message % {"count": count})


class RetiredFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "retired"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("no", _("Current")), ("yes", _("Retired"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("no", "yes"):
            return queryset.filter(is_retired=self.value() == "yes")
        return queryset


@admin.register(SourceDocument)
class SourceDocumentAdmin(ReferenceRowAdmin):
    list_display = ("code", "symbol", "title", "year", "entry_count")
    search_fields = ("code", "symbol", "title")
    key_fields = ("code",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description=_("entries named"), ordering="entry_count")
    def entry_count(self, obj: SourceDocument) -> int:
        return obj.entry_count


class ActivityGroupInline(admin.TabularInline):
    """The category's groups at a glance; each is edited on its own page (its “Change” link)."""

    model = ActivityGroup
    fk_name = "category"
    fields = readonly_fields = ("ref", "label", "title", "parent")
    ordering = ("position",)
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Category | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("parent__category")


@admin.register(Category)
class CategoryAdmin(TranslatedRowAdmin, SimpleHistoryAdmin):
    list_display = ("numeral", "title", "activity_count", "retired_count")
    list_display_links = ("numeral", "title")
    search_fields = ("numeral", "title", "intro")
    ordering = ("position",)
    readonly_fields = ("activities_link",)
    fieldsets = (
        (None, {"fields": ("numeral", "title", "position", "activities_link")}),
        (
            _("Introduction"),
            {"fields": ("intro",), "description": _("As printed in the document.")},
        ),
    )
    inlines = [ActivityGroupInline]
    key_fields = ("numeral",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(
            activity_count=Count("activities", filter=Q(activities__is_retired=False)),
            retired_count=Count("activities", filter=Q(activities__is_retired=True)),
        )

    @admin.display(description=_("activities"), ordering="activity_count")
    def activity_count(self, obj: Category) -> int:
        return obj.activity_count

    @admin.display(description=_("retired activities"), ordering="retired_count")
    def retired_count(self, obj: Category) -> int:
        return obj.retired_count

    @admin.display(description=_("activities"))
    def activities_link(self, obj: Category) -> str:
        url = reverse("admin:catalogue_activity_changelist")
        label = _("%(current)s current, %(retired)s retired: see the list") % {
            "current": obj.activity_count, "retired": obj.retired_count,
        }
        return format_html('<a href="{}?category__id__exact={}">{}</a>', url, obj.pk, label)


@admin.register(ActivityGroup)
class ActivityGroupAdmin(TranslatedRowAdmin):
    list_display = ("ref", "label", "title", "category", "parent")
    list_filter = ("category",)
    search_fields = ("ref", "title")
    list_select_related = ("category", "parent__category")
    ordering = ("position",)
    fields = ("ref", "category", "parent", "label", "title", "position")
    key_fields = ("ref",)


@admin.register(Activity)
class ActivityAdmin(
    RetireActionsMixin, TranslatedRowAdmin, FileImportExportMixin, SimpleHistoryAdmin
):
    form = ActivityAdminForm
    resource_classes = [ActivityResource]
    list_display = (
        "ref", "label", "short_text", "category_numeral", "group_title", "obligation",
        "target_level", "retired",
    )
    list_filter = ("category", "group", "obligation", RetiredFilter)
    search_fields = ("ref", "text")
    search_help_text = _("Search the ref (e.g. VII.D.5) or the wording.")
    list_select_related = ("category", "group__category", "group__parent")
    ordering = ("position",)
    fieldsets = (
        (
            _("Place in the framework"),
            {"fields": ("ref", "category", "group", "number", "position")},
        ),
        (_("Wording"), {"fields": ("text", "details")}),
        (_("Assessment"), {"fields": ("obligation", "target_level")}),
        (_("Status"), {"fields": ("is_retired",)}),
    )
    key_fields = ("ref",)

    @admin.display(description=_("text"))
    def short_text(self, obj: Activity) -> str:
        return _short(obj.text)

    @admin.display(description=_("category"), ordering="category__position")
    def category_numeral(self, obj: Activity) -> str:
        return obj.category.numeral

    @admin.display(description=_("group"), ordering="group__position")
    def group_title(self, obj: Activity) -> str | None:
        return _short(str(obj.group), 40) if obj.group_id else None


@admin.register(Guideline)
class GuidelineAdmin(TranslatedRowAdmin):
    class ItemInline(TranslationTabularInline):
        """The lettered sub-items, verbatim: their wording can be corrected, not their letters."""

        model = GuidelineItem
        fields = ("label", "text")
        readonly_fields = ("label",)
        formfield_overrides = {
            models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}
        }
        extra = 0
        can_delete = False

        def has_add_permission(self, request: HttpRequest, obj: Guideline | None = None) -> bool:
            return False

    fields = ("number", "text")
    list_display = ("number", "short_text")
    ordering = ("number",)
    search_fields = ("text",)
    inlines = [ItemInline]
    key_fields = ("number",)

    @admin.display(description=_("text"))
    def short_text(self, obj: Guideline) -> str:
        return _short(obj.text, 120)


@admin.register(CompendiumSection)
class CompendiumSectionAdmin(TranslatedRowAdmin):
    list_display = ("part", "number", "title", "category", "group")
    list_display_links = ("number", "title")
    list_filter = ("part", "category")
    search_fields = ("number", "title")
    list_select_related = ("category", "group__category")
    ordering = ("part", "position")
    fields = ("part", "number", "title", "category", "group", "position")
    key_fields = ("part", "number")


@admin.register(Entry)
class EntryAdmin(
    RetireActionsMixin, TranslatedRowAdmin, FileImportExportMixin, SimpleHistoryAdmin
):
    form = EntryAdminForm
    resource_classes = [EntryResource]
    list_display = (
        "short_title_or_title", "short_title", "kind", "part_code", "section_number", "year",
        "issuer", "retired",
    )
    list_filter = ("part", "kind", "categories", "sources", RetiredFilter)
    search_fields = ("ref", "title", "short_title", "issuer", "description")
    search_help_text = _("Search the ref, title, short title, issuer or description.")
    list_select_related = ("section",)
    ordering = ("part", "position")
    filter_horizontal = ("sources", "categories")
    autocomplete_fields = ("activities",)
    fieldsets = (
        (
            _("Place in the compendium"),
            {"fields": ("ref", "part", "section", "number", "position")},
        ),
        (_("What it is"), {
            "fields": (
                "title", "short_title", "kind", "issuer", "year", "description", "url",
                "languages",
            ),
        }),
        (_("What it serves"), {"fields": ("categories", "activities")}),
        (_("Named in"), {"fields": ("sources",)}),
        (_("Status"), {"fields": ("is_retired",)}),
    )
    key_fields = ("ref",)

    @admin.display(description=_("title"), ordering="title")
    def short_title_or_title(self, obj: Entry) -> str:
        return _short(obj.title, 90)

    @admin.display(description=_("part"), ordering="part")
    def part_code(self, obj: Entry) -> str:
        return obj.part

    @admin.display(description=_("section"), ordering="section__position")
    def section_number(self, obj: Entry) -> str | None:
        return obj.section.number if obj.section_id else None
