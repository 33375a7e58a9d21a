"""A country's deadline: the cycle's end date, unless staff extended it for that country."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Assessment, DeadlineExtension


class ExtensionError(ValueError):
    pass


def with_deadline(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate ``deadline``: the latest extension's date, else the cycle's end (one subquery)."""
    latest = DeadlineExtension.objects.filter(assessment=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    return assessments.annotate(
        deadline=Coalesce(Subquery(latest.values("ends_on")[:1]), F("cycle__ends_on"))
    )


def assessment_deadline(assessment: Assessment) -> datetime.date:
    """The deadline in force (uses the annotation when the assessment was loaded with it)."""
    deadline = getattr(assessment, "deadline", None)
    if deadline is not None:
        return deadline
    latest = assessment.deadline_extensions.order_by("-created_at", "-pk").first()
    return latest.ends_on if latest else assessment.cycle.ends_on


def days_left(deadline: datetime.date, today: datetime.date | None = None) -> int:
    """Days until the deadline: 0 on the day itself, negative once it has passed."""
    return (deadline - (today or timezone.localdate())).days


def is_pending(assessment: Assessment) -> bool:
    """Still expected from the ministry: not yet sent to UNODC (or sent back to it)."""
    return assessment.status in {Assessment.Status.DRAFT, Assessment.Status.RETURNED}


def extension_problem(*, assessment: Assessment, ends_on: datetime.date, reason: str) -> str:
    """Why this extension cannot be given ("" when it can): shared by the service and forms."""
    if assessment.cycle.is_baseline:
        return _("The 2004 baseline has no deadline.")
    if not reason.strip():
        return _("Say why the deadline is extended.")
    if ends_on <= assessment.cycle.starts_on:
        return _("The new deadline must fall after the start of the cycle.")
    return ""


@transaction.atomic
def deadline_extend(
    *, assessment: Assessment, ends_on: datetime.date, reason: str, user: AbstractBaseUser
) -> DeadlineExtension:
    """Give one country until ``ends_on``; the reason is kept beside every earlier extension."""
    problem = extension_problem(assessment=assessment, ends_on=ends_on, reason=reason)
    if problem:
        raise ExtensionError(problem)
    return DeadlineExtension.objects.create(
        assessment=assessment, ends_on=ends_on, reason=reason.strip(), granted_by=user
    )
