"""How a deadline reads on the ministry pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..campaigns.deadlines import days_left

register = template.Library()


@register.filter
def time_left(deadline: datetime.date | None) -> str:
    """ "12 days left", "due today", "3 days overdue"."""
    if deadline is None:
        return ""
    days = days_left(deadline)
    if days == 0:
        return _("due today")
    if days > 0:
        return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
    return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}


@register.filter
def is_past(deadline: datetime.date | None) -> bool:
    return deadline is not None and days_left(deadline) < 0
