"""Charts drawn on the server as SVG: the same markup serves the results page and the PDF.

Each chart has a text alternative that says every value (``chart_text``): the SVG's accessible
name on the page, the image's alt text in the tagged PDF. The values are also printed beside
the bars, so the colours are never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import get_language_bidi, gettext_noop
from django.utils.translation import gettext as _

BAR_HEIGHT = 18
GAP = 8
LABEL_WIDTH = 120
BAR_WIDTH = 300
VALUE_WIDTH = 60


def _colour(value: float) -> str:
    if value >= 75:
        return "#2e7d32"
    if value >= 50:
        return "#f9a825"
    return "#c62828"


def _shown(value: float | None) -> str:
    return _("no data") if value is None else f"{max(0.0, min(100.0, float(value))):.0f}"


def chart_text(rows: Sequence[tuple[str, float | None]], *, title: str) -> str:
    """The chart in words, every value included: its text alternative."""
    values = "; ".join(f"{label}: {_shown(value)}" for label, value in rows)
    return f"{title}. {values}."


def bar_chart_svg(rows: Sequence[tuple[str, float | None]], *, title: str) -> str:
    """A horizontal bar chart of 0-100 values; ``None`` is drawn as "no data", never as 0.

    In a right-to-left language the chart is mirrored: labels on the right, bars growing
    leftwards (the text keeps its anchors, which the SVG's direction turns round).
    """
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    rtl = get_language_bidi()

    def x_of(x: float, w: float = 0) -> float:
        return width - x - w if rtl else x

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f"aria-label={quoteattr(chart_text(rows, title=title))} "
        f'direction="{"rtl" if rtl else "ltr"}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2 + 4
        parts.append(f'<text x="{x_of(0):g}" y="{middle}">{escape(label)}</text>')
        parts.append(
            f'<rect x="{x_of(LABEL_WIDTH, BAR_WIDTH):g}" y="{y}" width="{BAR_WIDTH}" '
            f'height="{BAR_HEIGHT}" fill="#eeeeee"/>'
        )
        shown = _shown(value)
        if value is not None:
            value = max(0.0, min(100.0, float(value)))
            bar = BAR_WIDTH * value / 100
            parts.append(
                f'<rect x="{x_of(LABEL_WIDTH, bar):g}" y="{y}" width="{bar:.1f}" '
                f'height="{BAR_HEIGHT}" fill="{_colour(value)}"/>'
            )
        parts.append(
            f'<text x="{x_of(LABEL_WIDTH + BAR_WIDTH + 6):g}" y="{middle}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _guideline_rows(scores: Sequence[tuple[int, float | None]]) -> list[tuple[str, float | None]]:
    return [(_("Guideline %(number)s") % {"number": number}, score) for number, score in scores]


GUIDELINE_TITLE = gettext_noop("Guideline alignment scores, 0 to 100")


def guideline_chart_svg(scores: Sequence[tuple[int, float | None]]) -> str:
    """The ten guideline scores (number, 0-100 or None) as bars."""
    return bar_chart_svg(_guideline_rows(scores), title=_(GUIDELINE_TITLE))


def guideline_chart_text(scores: Sequence[tuple[int, float | None]]) -> str:
    """The guideline chart in words (the PDF's alt text for it)."""
    return chart_text(_guideline_rows(scores), title=_(GUIDELINE_TITLE))
