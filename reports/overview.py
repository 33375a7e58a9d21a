"""What the regional and global overview reports say, from the same rows as the heat map.

Every figure comes from :func:`scoring.cycle_results` (the heat map's rows): the
live results of each assessment, scored in bulk by ``score_all``, so the queries do not grow
with the number of countries. Aggregates over nothing are ``None`` ("no data"), never 0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessments.models import Assessment, Cycle
from catalogue.models import Activity, Category, Entry, Guideline
from scoring.charts import guideline_chart_svg, guideline_chart_text
from scoring.results import cycle_results_read
from scoring.values import Results
from scoring.wording import texts_in_language

TOP = 20
ALL_MEMBER_STATES = gettext_lazy("All member states")
UNKNOWN_REGION = gettext_lazy("“{region}” is not a region of the member states list.")
SCOPE_ALL = gettext_lazy(
    "every assessment of the cycle, whatever its status (draft, submitted, returned or "
    "validated), with the scores of its answers as they stand on the day this report is "
    "produced. The staff heat map shows the same figures."
)
SCOPE_REGION = gettext_lazy(
    "every assessment of the cycle in {region}, whatever its status (draft, submitted, "
    "returned or validated), with the scores of its answers as they stand on the day this "
    "report is produced. The staff heat map shows the same figures."
)
METHOD = [
    (gettext_lazy("Implementation index"),
     gettext_lazy(
         "for one country and category, the mean of the implementation levels (0 to 4) given, "
         "as a share of 4, from 0 to 100. Activities answered “not applicable” are left out; "
         "“unknown” and unanswered activities are not counted as level 0. A blank (hatched) "
         "cell means that no activity of the category has a level yet: insufficient "
         "information.")),
    (gettext_lazy("Averages"),
     gettext_lazy(
         "of a region, a sub-region or a guideline: the plain mean over the countries that "
         "have a value, each country counting once; countries without a value are left out, "
         "and an average over no country is left blank.")),
    (gettext_lazy("Gaps"),
     gettext_lazy(
         "an activity below its target level (3, “largely in place”, unless staff set "
         "another) or for which the ministry asked for assistance. Severity, from 0 to 100, "
         "grows with the distance to the target and the priority given, and is higher for "
         "activities the instruments mandate. The most common gaps are ranked by the number "
         "of countries with a gap on the activity, then by mean severity.")),
    (gettext_lazy("Compendium entries most often matched"),
     gettext_lazy(
         "for each gap, the matching engine proposes up to five entries of the compendium "
         "(curated links to the activity, closeness of the text to the activity and to the "
         "ministry's own words, instruments the country is not yet party to). The entries are "
         "ranked by the number of gaps they were proposed for.")),
    (gettext_lazy("Guideline alignment"),
     gettext_lazy(
         "for each of the ten technical assistance guidelines, a 0 to 100 score of how well a "
         "country's answers line up for assistance given along it. The chart shows the mean "
         "over the countries where the guideline could be judged.")),
]
SUB_REGION = pgettext_lazy("overview report", "Sub-region")
REGION = pgettext_lazy("overview report", "Region")
STATUS_ORDER = (
    Assessment.Status.DRAFT, Assessment.Status.SUBMITTED, Assessment.Status.RETURNED,
    Assessment.Status.VALIDATED,
)


@dataclass(frozen=True)
class HeatRow:
    country: str
    index: int | None  # 0-100; None: insufficient information
    categories: tuple[int | None, ...]  # in the categories' order
    gaps: int


@dataclass(frozen=True)
class HeatGroup:
    """The countries of one region (global report) or sub-region (regional report)."""

    name: str
    rows: tuple[HeatRow, ...]


@dataclass(frozen=True)
class SummaryRow:
    name: str
    countries: int
    index: int | None
    categories: tuple[int | None, ...]
    gaps: float | None  # mean number of gaps per country


@dataclass(frozen=True)
class CommonGap:
    label: str
    text: str
    group: str  # the offence group, where the document numbers activities within it
    countries: int
    share: int  # percent of the countries covered by the report
    requested: int  # countries that asked for assistance on it
    severity: float  # mean over the countries with the gap


@dataclass(frozen=True)
class MatchedEntry:
    ref: str
    title: str
    kind: str  # label
    gaps: int
    countries: int


@dataclass(frozen=True)
class GuidelineMean:
    number: int
    text: str
    mean: float | None
    countries: int  # where the guideline could be judged


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _percent(value: float | None) -> int | None:
    return None if value is None else round(100 * value)


def _by_numeral(results: Results, numerals: Sequence[str]) -> tuple[float | None, ...]:
    values = {c.numeral: c.index.value for c in results.index.categories}
    return tuple(values.get(numeral) for numeral in numerals)


def _heat_row(assessment: Assessment, results: Results, numerals: Sequence[str]) -> HeatRow:
    return HeatRow(
        country=assessment.country.name,
        index=results.index.country.percent,
        categories=tuple(_percent(v) for v in _by_numeral(results, numerals)),
        gaps=len(results.gaps),
    )


def _summary_row(name: str, scored: Sequence[Results], numerals: Sequence[str]) -> SummaryRow:
    columns = list(zip(*(_by_numeral(r, numerals) for r in scored), strict=True))
    return SummaryRow(
        name=name,
        countries=len(scored),
        index=_percent(_mean(r.index.country.value for r in scored)),
        categories=tuple(_percent(_mean(column)) for column in columns)
        if columns else (None,) * len(numerals),
        gaps=_mean(len(r.gaps) for r in scored),
    )


def _groups(rows: Sequence[tuple[Assessment, Results]], region: str) -> dict[str, list]:
    """The rows by region (global report) or sub-region (regional report), names sorted."""
    grouped: dict[str, list] = defaultdict(list)
    for assessment, results in rows:
        country = assessment.country
        grouped[country.subregion if region else country.region].append((assessment, results))
    return dict(sorted(grouped.items()))


def _unless_said(group: str, text: str) -> str:
    return "" if group.casefold() in text.casefold() else group


def common_gaps(scored: Sequence[Results], *, top: int = TOP) -> list[CommonGap]:
    """The activities with a gap in the most countries, then the highest mean severity."""
    by_ref: dict[str, list] = defaultdict(list)
    for results in scored:
        for gap in results.gaps:
            by_ref[gap.ref].append(gap)
    total = len(scored) or 1
    ranked = sorted(
        by_ref.values(),
        key=lambda gaps: (-len(gaps), -sum(g.severity for g in gaps) / len(gaps), gaps[0].position),
    )
    ranked = ranked[:top]
    # III.A numbers its activities within each offence group (two III.A.1): name the group.
    groups = dict(
        Activity.objects.filter(
            ref__in=[gaps[0].ref for gaps in ranked], group__label="", group__isnull=False
        ).values_list("ref", "group__title")
    )
    texts = texts_in_language(Activity, "ref", "text", [gaps[0].ref for gaps in ranked])
    return [
        CommonGap(
            label=gaps[0].label,
            text=texts.get(gaps[0].ref, gaps[0].text),
            group=_unless_said(groups.get(gaps[0].ref, ""), gaps[0].text),
            countries=len(gaps),
            share=round(100 * len(gaps) / total),
            requested=sum(g.requested for g in gaps),
            severity=sum(g.severity for g in gaps) / len(gaps),
        )
        for gaps in ranked
    ]


def matched_entries(scored: Sequence[Results], *, top: int = TOP) -> list[MatchedEntry]:
    """The compendium entries proposed for the most gaps, with how many countries those are."""
    gaps: Counter[str] = Counter()
    countries: dict[str, set[str]] = defaultdict(set)
    first = {}
    for results in scored:
        for gap in results.gaps:
            for match in gap.matches:
                gaps[match.ref] += 1
                countries[match.ref].add(results.country)
                first.setdefault(match.ref, match)
    ranked = sorted(gaps, key=lambda ref: (-gaps[ref], -len(countries[ref]), first[ref].title))
    kinds = dict(Entry.Kind.choices)
    titles = texts_in_language(Entry, "ref", "title", ranked[:top])
    return [
        MatchedEntry(
            ref=ref,
            title=titles.get(ref, first[ref].title),
            kind=kinds.get(first[ref].kind, first[ref].kind),
            gaps=gaps[ref],
            countries=len(countries[ref]),
        )
        for ref in ranked[:top]
    ]


def guideline_means(scored: Sequence[Results]) -> list[GuidelineMean]:
    by_number: dict[int, list] = defaultdict(list)
    texts = {}
    for results in scored:
        for guideline in results.guidelines:
            by_number[guideline.number].append(guideline.score)
            texts.setdefault(guideline.number, guideline.text)
    texts.update(texts_in_language(Guideline, "number", "text", by_number))
    return [
        GuidelineMean(
            number=number,
            text=texts[number],
            mean=_mean(scores),
            countries=sum(s is not None for s in scores),
        )
        for number, scores in sorted(by_number.items())
    ]


def overview_report_context(cycle: Cycle, region: str = "") -> dict:
    """Everything the overview template shows: ``region`` empty for every member state.

    Queries: those of ``score_all`` for the cycle, then one for the assessments with their
    countries, one for the categories and one for the offence groups of the common gaps;
    none per country.
    """
    with cycle_results_read(cycle, region) as rows:
        return _context(cycle, region, rows)


def _context(cycle: Cycle, region: str, rows: list[tuple[Assessment, Results]]) -> dict:
    scored = [results for _assessment, results in rows]
    categories = list(Category.objects.order_by("position"))
    numerals = [c.numeral for c in categories]
    subject = str(region or ALL_MEMBER_STATES)
    statuses = Counter(assessment.status for assessment, _results in rows)
    groups = _groups(rows, region)
    guidelines = guideline_means(scored)
    scope = SCOPE_REGION.format(region=region) if region else str(SCOPE_ALL)
    return {
        "title": _("Technical assistance needs overview: %(subject)s, %(cycle)s")
        % {"subject": subject, "cycle": cycle.name},
        "author": settings.REPORT_AUTHOR,
        "cycle": cycle,
        "region": region,
        "subject": subject,
        "generated_on": timezone.now(),
        "assessments": len(rows),
        "statuses": [
            (str(Assessment.Status(status).label), statuses.get(status, 0))
            for status in STATUS_ORDER
        ],
        "submitted": statuses.get(Assessment.Status.SUBMITTED, 0),
        "validated": statuses.get(Assessment.Status.VALIDATED, 0),
        "gap_count": sum(len(r.gaps) for r in scored),
        "categories": categories,
        "group_label": str(SUB_REGION if region else REGION),
        "summary_title": _("Summary by sub-region") if region else _("Summary by region"),
        "summary_caption": _(
            "Mean implementation index of the countries of each sub-region, by category (0–100)."
        ) if region else _(
            "Mean implementation index of the countries of each region, by category (0–100)."
        ),
        "summary": [
            _summary_row(name, [r for _assessment, r in members], numerals)
            for name, members in groups.items()
        ],
        "total": _summary_row(subject, scored, numerals),
        "heat_groups": [
            HeatGroup(name, tuple(_heat_row(a, r, numerals) for a, r in members))
            for name, members in groups.items()
        ],
        "common_gaps": common_gaps(scored),
        "matched_entries": matched_entries(scored),
        "guidelines": guidelines,
        "guideline_chart": guideline_chart_svg([(g.number, g.mean) for g in guidelines]),
        "guideline_chart_text": guideline_chart_text([(g.number, g.mean) for g in guidelines]),
        "bands": [(4, "80–100"), (3, "60–79"), (2, "40–59"), (1, "20–39"), (0, "0–19")],
        "top": TOP,
        "method": [(_("Scope"), scope), *((str(term), str(text)) for term, text in METHOD)],
    }
