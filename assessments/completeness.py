"""What must be answered before a focal point can submit."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from .choices import AnswerState
from .models import Assessment

UNANSWERED = gettext_noop("No implementation level, “not applicable” or “unknown” chosen.")
UNCONFIRMED = gettext_noop("Pre-filled from an earlier report: confirm or correct it.")
NO_KIND = gettext_noop("Assistance is needed: say which kind.")
NO_PRIORITY = gettext_noop("Assistance is needed: give it a priority.")
NO_TRADITION = gettext_noop("The legal tradition is not stated.")
NO_RATIFICATION = gettext_noop("{count} instruments have no ratification status.")
PROBLEMS = (UNANSWERED, UNCONFIRMED, NO_KIND, NO_PRIORITY)


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
    profile = gettext("Profile")
    if not assessment.legal_tradition:
        missing.append(Missing("profile", None, profile, gettext(NO_TRADITION)))
    unanswered = assessment.ratifications.filter(status="").count()
    if unanswered:
        problem = gettext(NO_RATIFICATION).format(count=unanswered)
        missing.append(Missing("profile", None, profile, problem))
    answers = (
        assessment.answers.filter(activity__is_retired=False)
        .select_related("activity__category", "activity__group__parent")
        .order_by("activity__position")
    )
    said = {message: gettext(message) for message in PROBLEMS}  # once, not per item
    for answer in answers:
        activity = answer.activity
        for problem in _problems(answer, said):
            missing.append(
                Missing(
                    activity.ref, activity.category.numeral, activity.label, problem, activity.text
                )
            )
    return missing


def _problems(answer, said: dict[str, str]) -> list[str]:
    problems = []
    if answer.state == AnswerState.UNANSWERED:
        problems.append(said[UNANSWERED])
    if answer.needs_confirmation:
        problems.append(said[UNCONFIRMED])
    if answer.assistance_needed:
        if not answer.assistance_kinds:
            problems.append(said[NO_KIND])
        if not answer.priority:
            problems.append(said[NO_PRIORITY])
    return problems
