"""Gaps, scores and action plans as rows for CSV or XLSX (see catalogue.tables)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext, gettext_noop, pgettext

from assessments.choices import Priority, Timeline

from .values import Results

# The headers a reader sees, in English here and translated when a file is written.
GAP_COLUMNS = [
    gettext_noop("country"),
    gettext_noop("iso3"),
    gettext_noop("cycle"),
    gettext_noop("rank"),
    gettext_noop("activity"),
    gettext_noop("wording"),
    gettext_noop("category"),
    gettext_noop("level"),
    gettext_noop("target"),
    gettext_noop("assistance requested"),
    gettext_noop("priority"),
    gettext_noop("obligation"),
    gettext_noop("severity"),
    gettext_noop("matched tools"),
]
GUIDELINE_COLUMN = gettext_noop("guideline %(number)s")
SCORE_COLUMNS = [
    gettext_noop("country"),
    gettext_noop("iso3"),
    gettext_noop("cycle"),
    gettext_noop("implementation index"),
    *[GUIDELINE_COLUMN % {"number": n} for n in range(1, 11)],
]
ACTION_PLAN_COLUMNS = [
    gettext_noop("rank"),
    gettext_noop("activity"),
    gettext_noop("wording"),
    gettext_noop("level"),
    gettext_noop("target"),
    gettext_noop("severity"),
    gettext_noop("priority"),
    gettext_noop("timeline"),
    gettext_noop("other providers"),
    gettext_noop("estimated resources"),
    gettext_noop("matched tools"),
]


def gap_headers() -> list[str]:
    return [gettext(c) for c in GAP_COLUMNS]


def score_headers() -> list[str]:
    guideline = gettext(GUIDELINE_COLUMN)
    return [
        *(gettext(c) for c in SCORE_COLUMNS[:4]),
        *(guideline % {"number": n} for n in range(1, 11)),
    ]


def action_plan_headers() -> list[str]:
    return [gettext(c) for c in ACTION_PLAN_COLUMNS]


def gap_rows(all_results: Iterable[Results]) -> list[list[object]]:
    yes, no = pgettext("answer", "yes"), pgettext("answer", "no")
    rows = []
    for results in all_results:
        for rank, gap in enumerate(results.gaps, start=1):
            rows.append(
                [
                    results.country_name,
                    results.country,
                    results.cycle,
                    rank,
                    gap.label,
                    gap.text,
                    gap.category,
                    "" if gap.level is None else gap.level,
                    gap.target,
                    yes if gap.requested else no,
                    gap.priority,
                    gap.obligation,
                    round(gap.severity, 1),
                    "; ".join(m.display_title for m in gap.matches),
                ]
            )
    return rows


def score_rows(all_results: Iterable[Results]) -> list[list[object]]:
    return [
        [
            r.country_name,
            r.country,
            r.cycle,
            "" if r.index.country.percent is None else r.index.country.percent,
            *["" if g.score is None else round(g.score) for g in r.guidelines],
        ]
        for r in all_results
    ]


def action_plan_rows(results: Results, answers: dict[str, object]) -> list[list[object]]:
    """One row per gap, with what the ministry said of timeline, providers and resources."""
    timelines = {value: str(label) for value, label in Timeline.choices}
    priorities = {value: str(label) for value, label in Priority.choices}
    rows = []
    for rank, gap in enumerate(results.gaps, start=1):
        answer = answers.get(gap.ref)
        rows.append(
            [
                rank,
                gap.label,
                gap.text,
                "" if gap.level is None else gap.level,
                gap.target,
                round(gap.severity, 1),
                priorities.get(gap.priority, ""),
                timelines.get(getattr(answer, "timeline", ""), ""),
                getattr(answer, "other_providers", ""),
                getattr(answer, "resources", ""),
                "\n".join(f"{m.display_title} ({m.kind})" for m in gap.matches),
            ]
        )
    return rows
