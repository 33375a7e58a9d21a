"""``{{ activity|content:"text" }}``: a reference text in the reader's language, or the
English one marked as such (see ``catalogue/texts.py``)."""

from __future__ import annotations

from django import template
from django.db import models
from django.utils.safestring import SafeString

from catalogue import texts

register = template.Library()


@register.filter
def content(obj: models.Model, name: str) -> SafeString:
    return texts.content_html(obj, name)


@register.filter
def content_paragraphs(obj: models.Model, name: str) -> SafeString:
    return texts.content_paragraphs(obj, name)
