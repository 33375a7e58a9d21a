"""The rows of the heat map, built in Python.

With every member state the table has some 2,500 cells; the template language took about
three quarters of the page's time for them. The markup is the same as the template wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .results import HeatRow
from .templatetags.results import heat


def _cell(percent: int | None) -> str:
    shown = "" if percent is None else percent
    return f'<td class="heat {heat(percent)}">{shown}</td>'


def heat_rows_html(rows: Sequence[HeatRow]) -> SafeString:
    """One ``<tr>`` per country: name (linked to its results), index, categories, gaps."""
    marker = 987654321987
    link = reverse("scoring:results", args=[marker]).replace(str(marker), "{}")
    html = [
        f'<tr><th scope="row" class="fw-normal"><a href="{link.format(r.assessment.pk)}">'
        f"{escape(r.assessment.country.name)}</a></th>{_cell(r.country)}"
        f'{"".join(_cell(p) for p in r.categories)}<td>{r.gaps}</td></tr>'
        for r in rows
    ]
    return mark_safe("".join(html))  # noqa: S308 - names escaped, the rest numbers
