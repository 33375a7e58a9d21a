"""Gaps, scores and action plans as rows for CSV or XLSX (see catalogue.tables)."""

from __future__ import annotations

from collections.abc import Iterable

from assessments.choices import Priority, Timeline

from .values import Results

GAP_COLUMNS = [
    "country",
    "iso3",
    "cycle",
    "rank",
    "activity",
    "wording",
    "category",
    "level",
    "target",
    "assistance requested",
    "priority",
    "obligation",
    "severity",
    "matched tools",
]
SCORE_COLUMNS = [
    "country",
    "iso3",
    "cycle",
    "implementation index",
    *[f"guideline {n}" for n in range(1, 11)],
]
ACTION_PLAN_COLUMNS = [
    "rank",
    "activity",
    "wording",
    "level",
    "target",
    "severity",
    "priority",
    "timeline",
    "other providers",
    "estimated resources",
    "matched tools",
]


def gap_rows(all_results: Iterable[Results]) -> list[list[object]]:
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
                    "yes" if gap.requested else "no",
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
    timelines, priorities = dict(Timeline.choices), dict(Priority.choices)
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
