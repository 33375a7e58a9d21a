"""The wording of the guideline criteria, translated per field (as in catalogue/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import GuidelineCriterion


@register([GuidelineCriterion, GuidelineCriterion.history.model])
class GuidelineCriterionTranslation(TranslationOptions):
    fields = ("label", "description", "to_improve")
