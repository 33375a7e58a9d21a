"""What the country gap report says: the sections, built from the assessment's data."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.choices import AnswerState, AssistanceKind, Level, Priority
from assessments.models import Assessment, SynopsisNeed
from catalogue.models import Category, Language
from scoring.charts import guideline_chart_svg, guideline_chart_text
from scoring.results import results_for_display
from scoring.wording import Wording, wording_for

TOP_GAPS = 5
# A gap report quotes the ministry's words; a longer text is shortened (the full text stays in
# the questionnaire), so one pasted document cannot turn the report into hundreds of pages.
TEXT_LIMIT = 4000
SHORTENED = gettext_lazy(" […] (shortened: the full text is in the questionnaire)")
METHOD = [
    gettext_lazy(
        "Implementation index: the mean of the implementation levels (0 to 4) given, as a "
        "share of 4, per category and for the country. Activities answered “not applicable” "
        "are left out; “unknown” and unanswered activities are counted and shown, never read "
        "as level 0. Where nothing is answered with a level, the index reads “no data”."
    ),
    gettext_lazy(
        "Gaps: every activity below its target level (3, “largely in place”, unless staff set "
        "another) or for which the ministry asked for assistance. Severity grows with the "
        "distance to the target and the priority given, and is higher for activities the "
        "instruments mandate."
    ),
    gettext_lazy(
        "Guideline scores: for each of the ten guidelines, a 0 to 100 score of how well the "
        "answers line up for assistance given along it (for instance, whether each request "
        "names its crime areas, other providers, baseline and target). A criterion not met "
        "becomes a line under “what to improve”."
    ),
    gettext_lazy(
        "Matched tools: for each gap, the compendium entries that serve the activity (curated "
        "links) and whose text is closest to the activity and the ministry's own words, with "
        "the reason."
    ),
    gettext_lazy(
        "2004 baseline: the assistance needs the country reported to the Counter-Terrorism "
        "Committee in 2004, verbatim, beside today's answers on the activities they concern."
    ),
]


@dataclass(frozen=True)
class GapRow:
    label: str
    text: str
    level: str
    target: int
    assistance: str
    need: str  # the ministry's own words (comment)
    severity: float
    tools: tuple  # catalogue EntryMatch: title, kind, reasons
    category: str  # numeral
    position: int


@dataclass(frozen=True)
class CategoryRow:
    numeral: str
    title: str
    index: int | None  # 0-100, None: no activity has a level
    answered: int
    unknown: int
    unanswered: int


@dataclass(frozen=True)
class GuidelineRow:
    number: int
    text: str
    score: float | None
    to_improve: list[str]


@dataclass(frozen=True)
class BaselineRow:
    need: SynopsisNeed
    today: list[tuple[str, str, str]]  # (activity label, level as answered, assistance)


def _level_text(answer) -> str:
    if answer is None or not answer.state:
        return _("Not yet answered")
    if answer.state == AnswerState.LEVEL:
        return str(Level(answer.level).label)
    return str(AnswerState(answer.state).label)


def _assistance_text(answer) -> str:
    if answer is None or not answer.assistance_needed:
        if answer and answer.assistance_needed is False:
            return _("No assistance requested")
        return ""
    kinds = ", ".join(str(AssistanceKind(k).label) for k in answer.assistance_kinds
                      if k in AssistanceKind.values)
    if answer.priority:
        priority = str(Priority(answer.priority).label).lower()
        if kinds:
            return _("Assistance requested (%(priority)s priority): %(kinds)s") % {
                "priority": priority, "kinds": kinds}
        return _("Assistance requested (%(priority)s priority)") % {"priority": priority}
    if kinds:
        return _("Assistance requested: %(kinds)s") % {"kinds": kinds}
    return _("Assistance requested")


def shorten(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + str(SHORTENED)


def _in_language(rows: dict, key: str, name: str, default: str) -> str:
    """A reference text in the report's language (English where it has none), else ``default``:
    results hold their reference texts in English (scoring.wording)."""
    row = rows.get(key)
    return (getattr(row, name) or default) if row is not None else default


def _tools_in_language(matches: tuple, wording: Wording) -> tuple:
    return tuple(
        replace(m, title=_in_language(wording.entries, m.ref, "title", m.title),
                short_title=_in_language(wording.entries, m.ref, "short_title", m.short_title))
        for m in matches
    )


def _to_improve(criterion, wording: Wording) -> str:
    row = wording.criteria.get(criterion.code)
    if row is None or criterion.count is None:
        return criterion.to_improve
    return row.to_improve.replace("{count}", str(criterion.count))


def _gap_row(gap, answers: dict, wording: Wording) -> GapRow:
    answer = answers.get(gap.ref)
    return GapRow(
        label=gap.label,
        text=_in_language(wording.activities, gap.ref, "text", gap.text),
        level=_level_text(answer),
        target=gap.target,
        assistance=_assistance_text(answer),
        need=shorten(answer.comment if answer else ""),
        severity=gap.severity,
        tools=_tools_in_language(gap.matches, wording),
        category=gap.category,
        position=gap.position,
    )


def _baseline(assessment: Assessment) -> list[BaselineRow]:
    answers = {a.activity_id: a for a in assessment.answers.select_related("activity")}
    needs = (
        SynopsisNeed.objects.filter(country=assessment.country)
        .prefetch_related("activities__category", "activities__group__parent")
        .order_by("position")
    )
    rows = []
    for need in needs:
        today = []
        for activity in need.activities.all():
            answer = answers.get(activity.pk)
            today.append((activity.label, _level_text(answer), _assistance_text(answer)))
        rows.append(BaselineRow(need, today))
    return rows


def country_report_context(assessment: Assessment) -> dict:
    """Everything the country report template shows, section by section."""
    results = results_for_display(assessment)  # as reported once submitted, live while a draft
    answers = {a.activity.ref: a for a in assessment.answers.select_related("activity")}
    wording = wording_for(list(results.guidelines), list(results.gaps))
    rows = [_gap_row(gap, answers, wording) for gap in results.gaps]
    gaps_by_category: dict[str, list[GapRow]] = {}
    for row in sorted(rows, key=lambda r: r.position):
        gaps_by_category.setdefault(row.category, []).append(row)
    categories = [
        (category, gaps_by_category.get(category.numeral, []))
        for category in Category.objects.order_by("position")
    ]
    country = assessment.country
    title = _("Technical assistance gap report: %(country)s, %(cycle)s") % {
        "country": country.name, "cycle": assessment.cycle.name}
    return {
        "title": title,
        "author": settings.REPORT_AUTHOR,
        "assessment": assessment,
        "country": country,
        "cycle": assessment.cycle,
        "status": str(assessment.get_status_display()),
        "generated_on": timezone.now(),
        "index": results.index.country.percent,
        "category_rows": [
            CategoryRow(
                c.numeral, _in_language(wording.categories, c.numeral, "title", c.title),
                c.index.percent, c.index.with_level + c.index.not_applicable,
                c.index.unknown, c.index.unanswered,
            )
            for c in results.index.categories
        ],
        "guideline_rows": [
            GuidelineRow(
                g.number, _in_language(wording.guidelines, g.number, "text", g.text), g.score,
                [_to_improve(c, wording) for c in g.criteria if c.to_improve],
            )
            for g in results.guidelines
        ],
        "top_gaps": rows[:TOP_GAPS],
        "gap_count": len(results.gaps),
        "guideline_chart": guideline_chart_svg(
            [(g.number, g.score) for g in results.guidelines]
        ),
        "guideline_chart_text": guideline_chart_text(
            [(g.number, g.score) for g in results.guidelines]
        ),
        "categories": categories,
        "categories_without_gaps": [category for category, gaps in categories if not gaps],
        "ratifications": assessment.ratifications.select_related("instrument").order_by(
            "instrument__position"
        ),
        "legal_context": shorten(assessment.legal_context),
        "languages": ", ".join(
            str(dict(Language.choices).get(code, code)) for code in assessment.languages.split()
        ),
        "baseline": _baseline(assessment),
        "method": [str(paragraph) for paragraph in METHOD],
    }
