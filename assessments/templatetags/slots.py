"""``{% slot "name" %}``: the templates other apps added to a place of a page (see
``assessments/slots.py``), rendered in the page's context."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..slots import slot_templates

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context: template.Context, name: str) -> SafeString:
    engine = context.template.engine
    # Each template escapes what it renders, as an {% include %} would.
    return mark_safe("".join(engine.get_template(t).render(context) for t in slot_templates(name)))  # noqa: S308
