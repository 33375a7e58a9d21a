"""The weekly progress of a cycle as a server-drawn SVG: answers saved above, submissions below."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from .tracking import WeeklyProgress

WIDTH = 720
PANEL = 90  # height of each panel's bars
LEFT = 48
TOP = 22
GAP = 34  # between the panels (their titles sit there)
AXIS = 30  # below the lower panel: the week labels


def _x(x: float, w: float = 0) -> float:
    """``x`` from the chart's start: mirrored in a right-to-left language, where the weeks run
    from right to left (the text keeps its anchors, which the SVG's direction turns round)."""
    return WIDTH - x - w if get_language_bidi() else x


def _panel(values: Sequence[int], *, y0: float, title: str, colour: str) -> list[str]:
    """Bars of one series from ``y0`` (top of the panel), scaled to its own maximum."""
    step = (WIDTH - LEFT) / max(1, len(values))
    peak = max(values, default=0)
    parts = [
        f'<text x="{_x(0):g}" y="{y0 - 8}" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{_x(LEFT):g}" y1="{y0 + PANEL}" x2="{_x(WIDTH):g}" y2="{y0 + PANEL}" '
        'stroke="#666"/>',
        f'<text x="{_x(LEFT - 6):g}" y="{y0 + 10}" text-anchor="end">{peak}</text>',
        f'<text x="{_x(LEFT - 6):g}" y="{y0 + PANEL}" text-anchor="end">0</text>',
    ]
    for i, value in enumerate(values):
        if not value:
            continue
        height = PANEL * value / peak
        x, bar = LEFT + i * step + step * 0.15, step * 0.7
        parts.append(
            f'<rect x="{_x(x, bar):.1f}" y="{y0 + PANEL - height:.1f}" width="{bar:.1f}" '
            f'height="{height:.1f}" fill="{colour}"><title>{value}</title></rect>'
        )
    return parts


def weekly_progress_svg(progress: WeeklyProgress) -> str:
    """Two bar panels sharing the weeks; every fourth week is labelled below."""
    height = TOP + 2 * PANEL + GAP + AXIS
    lower = TOP + PANEL + GAP
    title = _("Answers saved and assessments submitted per week")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'direction="{"rtl" if get_language_bidi() else "ltr"}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'font-family="DejaVu Sans, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        *_panel(progress.answers, y0=TOP, title=_("Answers saved per week"), colour="#1f5f99"),
        *_panel(
            progress.submissions, y0=lower, title=_("Submissions per week"), colour="#2e7d32"
        ),
    ]
    step = (WIDTH - LEFT) / max(1, len(progress.weeks))
    label_every = max(1, len(progress.weeks) // 8)
    for i, week in enumerate(progress.weeks):
        if i % label_every == 0:
            x = _x(LEFT + i * step + step / 2)
            label = escape(date_format(week, "j M"))
            parts.append(
                f'<text x="{x:.1f}" y="{lower + PANEL + 16}" text-anchor="middle">{label}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
