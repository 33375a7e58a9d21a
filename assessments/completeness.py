"""What must be answered before a focal point can submit."""

from __future__ import annotations

from dataclasses import dataclass

from .choices import AnswerState
from .models import Assessment

UNANSWERED = "No implementation level, “not applicable” or “unknown” chosen."
UNCONFIRMED = "Pre-filled from an earlier report: confirm or correct it."
NO_KIND = "Assistance is needed: say which kind."
NO_PRIORITY = "Assistance is needed: give it a priority."
NO_TRADITION = "The legal tradition is not stated."
NO_RATIFICATION = "{count} instruments have no ratification status."


@dataclass(frozen=True)
class Missing:
    where: str  # "profile" or the activity ref
    category_numeral: str | None
    label: str
    problem: str
    text: str = ""  # the activity's wording


def missing_by_section(missing: list[Missing]) -> list[tuple[str | None, list[Missing]]]:
    """The missing points grouped by section, profile first, in the questionnaire's order."""
    groups: dict[str | None, list[Missing]] = {}
    for point in missing:
        groups.setdefault(point.category_numeral, []).append(point)
    return list(groups.items())


def missing_items(assessment: Assessment) -> list[Missing]:
    """Everything that stops submission, in the questionnaire's order."""
    missing: list[Missing] = []
    if not assessment.legal_tradition:
        missing.append(Missing("profile", None, "Profile", NO_TRADITION))
    unanswered = assessment.ratifications.filter(status="").count()
    if unanswered:
        missing.append(
            Missing("profile", None, "Profile", NO_RATIFICATION.format(count=unanswered))
        )
    answers = (
        assessment.answers.filter(activity__is_retired=False)
        .select_related("activity__category", "activity__group__parent")
        .order_by("activity__position")
    )
    for answer in answers:
        activity = answer.activity
        for problem in _problems(answer):
            missing.append(
                Missing(
                    activity.ref, activity.category.numeral, activity.label, problem, activity.text
                )
            )
    return missing


def _problems(answer) -> list[str]:
    problems = []
    if answer.state == AnswerState.UNANSWERED:
        problems.append(UNANSWERED)
    if answer.needs_confirmation:
        problems.append(UNCONFIRMED)
    if answer.assistance_needed:
        if not answer.assistance_kinds:
            problems.append(NO_KIND)
        if not answer.priority:
            problems.append(NO_PRIORITY)
    return problems
