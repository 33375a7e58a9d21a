"""Who is told of a move of the workflow, and the e-mail each of them gets.

Submitted: the staff reviewers of the country's region (every active staff member when the
region has none). Returned: the focal points, and the contributors of the sections that carry
comments, with the comments. Validated: the focal points.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from ..models import Assessment, Email, Membership, SectionComment, StatusEvent
from .emails import email_queue, emails_send_on_commit, site_link

Status = Assessment.Status
KINDS = {
    Status.SUBMITTED: Email.Kind.SUBMITTED,
    Status.RETURNED: Email.Kind.RETURNED,
    Status.VALIDATED: Email.Kind.VALIDATED,
}
SUBJECTS = {
    Status.SUBMITTED: lambda a: _("TA Needs: %(country)s submitted its assessment")
    % {"country": a.country.name},
    Status.RETURNED: lambda a: _("TA Needs: UNODC returned %(country)s's assessment with comments")
    % {"country": a.country.name},
    Status.VALIDATED: lambda a: _("TA Needs: UNODC validated %(country)s's assessment")
    % {"country": a.country.name},
}
LINKS = {
    Status.SUBMITTED: "assessments:review",
    Status.RETURNED: "assessments:overview",
    Status.VALIDATED: "assessments:overview",  # its page links to the results
}


def transition_notify(event: StatusEvent) -> list[Email]:
    """Write the e-mails this move calls for in its transaction; workers send them on commit."""
    kind = KINDS.get(event.to_status)
    if kind is None:
        return []
    assessment = event.assessment
    comments = list(
        SectionComment.objects.filter(
            assessment=assessment, author=event.actor, created_at__gte=event.created_at
        ).select_related("category")
    )
    if event.to_status == Status.SUBMITTED:
        recipients = reviewers_of(assessment.country.region)
    elif event.to_status == Status.RETURNED:
        recipients = ministry_people(assessment, {c.category_id for c in comments})
    else:
        recipients = ministry_people(assessment, set())
    emails = [
        email_queue(
            assessment=assessment,
            recipient=user,
            kind=kind,
            key=f"event-{event.pk}",
            subject=lambda: SUBJECTS[event.to_status](assessment),
            template=f"assessments/email/{event.to_status}.txt",
            context={
                "assessment": assessment,
                "event": event,
                "comments": comments,
                "link": site_link(LINKS[event.to_status], assessment.pk),
            },
        )[0]
        for user in recipients
        if user.pk != event.actor_id
    ]
    emails_send_on_commit(emails)
    return emails


def reviewers_of(region: str) -> list[AbstractBaseUser]:
    named = list(
        get_user_model()
        .objects.filter(reviewed_regions__region=region, is_active=True, is_staff=True)
        .select_related("email_preference", "preference")
    )
    if named:
        return named
    return list(
        get_user_model().objects.filter(is_active=True, is_staff=True).select_related(
            "email_preference", "preference"
        )
    )


def ministry_people(assessment: Assessment, categories: set[int]) -> list[AbstractBaseUser]:
    """The focal points, and the contributors who may edit one of ``categories``."""
    memberships = Membership.objects.filter(
        country_id=assessment.country_id, user__is_active=True
    ).select_related("user", "user__email_preference", "user__preference")
    focal = memberships.filter(role=Membership.Role.FOCAL_POINT)
    contributors = memberships.filter(
        role=Membership.Role.CONTRIBUTOR, categories__in=categories
    ).distinct()
    people = {m.user.pk: m.user for m in [*focal, *contributors]}
    return list(people.values())
