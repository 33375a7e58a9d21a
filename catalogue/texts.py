"""Reference texts in the reader's language, the English one marked where a translation lacks.

A translated field (see ``catalogue/translation.py``) already falls back to English when its
column in the active language is empty; these helpers say so on the page: the English text is
wrapped in ``lang="en"`` (screen readers switch voice, the browser hyphenates it as English)
with a visually hidden “(in English)” and a small “EN” badge drawn by the style sheet, never
a blank. They read only
the columns already loaded on the row, so they add no query.
"""

from __future__ import annotations

from django.db import models
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname, get_language

SOURCE = "en"
FALLBACK_INLINE = (
    '<span lang="en" dir="ltr" class="fallback-text">{}'
    '<span class="visually-hidden"> {}</span></span>'
)
FALLBACK_BLOCK = (
    '<div lang="en" dir="ltr" class="fallback-text">{}<p class="visually-hidden">{}</p></div>'
)


def is_fallback(obj: models.Model, name: str) -> bool:
    """Whether ``obj.<name>`` shows the English text for want of one in the active language."""
    language = get_language()
    if language == SOURCE:
        return False
    column = build_localized_fieldname(name, language)
    if not hasattr(obj, column):
        return False
    return not getattr(obj, column) and bool(getattr(obj, name))


def in_english_label() -> str:
    return gettext("(in English)")


def mark_english(text: str) -> SafeString:
    """``text`` escaped and marked as English shown for want of a translation."""
    return format_html(FALLBACK_INLINE, text, in_english_label())


def content_html(obj: models.Model, name: str) -> SafeString:
    """``obj.<name>`` escaped, marked as English when no translation exists."""
    value = getattr(obj, name) or ""
    return mark_english(value) if is_fallback(obj, name) else conditional_escape(value)


def content_paragraphs(obj: models.Model, name: str) -> SafeString:
    """``obj.<name>`` as paragraphs (like ``|linebreaks``), marked as English likewise."""
    value = getattr(obj, name) or ""
    html = linebreaks_filter(value, autoescape=True)
    if is_fallback(obj, name):
        return format_html(FALLBACK_BLOCK, html, in_english_label())
    return html
