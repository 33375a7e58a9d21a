"""The staff application over scoring: criterion weights, severity weights, snapshots.

A change here changes the fingerprint of every assessment's results, which are recomputed on
their next view; the snapshots taken at submission stay as they were.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.admin_base import TranslatedRowAdmin

from .models import GuidelineCriterion, ScoreSnapshot, ScoringWeights


@admin.register(GuidelineCriterion)
class GuidelineCriterionAdmin(TranslatedRowAdmin):
    list_display = ("code", "guideline_number", "label", "weight")
    list_display_links = ("code",)
    list_editable = ("weight",)
    list_filter = ("guideline",)
    list_select_related = ("guideline",)
    search_fields = ("code", "label", "description", "to_improve")
    ordering = ("guideline__number", "position")
    fieldsets = (
        (None, {"fields": ("code", "guideline", "label", "weight")}),
        (_("How it is measured and explained"), {"fields": ("description", "to_improve")}),
    )
    readonly_fields = ("guideline",)
    key_fields = ("code",)

    @admin.display(description=_("guideline"), ordering="guideline__number")
    def guideline_number(self, obj: GuidelineCriterion) -> int:
        return obj.guideline.number

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a criterion needs its rule in code: add it to the data file


@admin.register(ScoringWeights)
class ScoringWeightsAdmin(admin.ModelAdmin):
    """One row, edited in the list: the three weights and the factors, in percent."""

    list_display = (
        "__str__", "distance_weight", "priority_weight", "obligation_weight", "priority_high",
        "priority_medium", "priority_low", "priority_unset", "mandated", "recommended",
        "obligation_unspecified", "unknown_distance",
    )
    list_editable = list_display[1:]
    fieldsets = (
        (
            _("Severity = weighted mean of three factors"),
            {"fields": ("distance_weight", "priority_weight", "obligation_weight")},
        ),
        (
            _("Priority factor (%)"),
            {"fields": ("priority_high", "priority_medium", "priority_low", "priority_unset")},
        ),
        (
            _("Obligation factor (%)"),
            {"fields": ("mandated", "recommended", "obligation_unspecified")},
        ),
        (_("Distance (%)"), {"fields": ("unknown_distance",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        ScoringWeights.current()  # the row exists before anyone looks for it
        return super().get_queryset(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScoreSnapshot)
class ScoreSnapshotAdmin(admin.ModelAdmin):
    """The results frozen at each submission: read-only."""

    list_display = ("assessment", "taken_at", "implementation_index")
    list_select_related = ("assessment__country", "assessment__cycle")
    list_filter = ("assessment__cycle",)
    search_fields = ("assessment__country__name",)
    fields = ("assessment", "event", "taken_at", "implementation_index", "guideline_scores")
    readonly_fields = fields

    @admin.display(description=_("implementation index"))
    def implementation_index(self, obj: ScoreSnapshot) -> str:
        index = obj.payload.get("index", {}).get("country", {}).get("value")
        return gettext("insufficient information") if index is None else f"{round(100 * index)} %"

    @admin.display(description=_("guideline scores"))
    def guideline_scores(self, obj: ScoreSnapshot) -> str:
        return ", ".join(
            f"{g['number']}: {'–' if g['score'] is None else round(g['score'])}"
            for g in obj.payload.get("guidelines", [])
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
