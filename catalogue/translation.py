"""The texts of the framework and the compendium translated per field (django-modeltranslation).

Each field named here gets one column per language of ``settings.LANGUAGES`` (``title_fr``,
``title_zh_hans``...); the field itself reads the active language's column and falls back to
English (``MODELTRANSLATION_FALLBACK_LANGUAGES``). See ``docs/reference-data.md``.

The history tables of the models that keep history are registered too: simple-history copies
every field of the row, the translated columns included, so wording changes are kept per
language.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Activity,
    ActivityGroup,
    Category,
    CompendiumSection,
    Entry,
    Guideline,
    GuidelineItem,
)


@register([Category, Category.history.model])
class CategoryTranslation(TranslationOptions):
    fields = ("title", "intro")


@register(ActivityGroup)
class ActivityGroupTranslation(TranslationOptions):
    fields = ("title",)


@register([Activity, Activity.history.model])
class ActivityTranslation(TranslationOptions):
    fields = ("text", "details")


@register(Guideline)
class GuidelineTranslation(TranslationOptions):
    fields = ("text",)


@register(GuidelineItem)
class GuidelineItemTranslation(TranslationOptions):
    fields = ("text",)


@register(CompendiumSection)
class CompendiumSectionTranslation(TranslationOptions):
    fields = ("title",)


@register([Entry, Entry.history.model])
class EntryTranslation(TranslationOptions):
    fields = ("title", "short_title", "description")
