"""Gaps, scores and action plans as CSV or XLSX, with formula-looking cells neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from assessments.choices import Priority, Timeline
from catalogue.resources import neutralise

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


def _cell(value: object) -> object:
    return neutralise(value) if isinstance(value, str) else value


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


def as_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # Excel reads the accents right


def as_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_cell(v) for v in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
