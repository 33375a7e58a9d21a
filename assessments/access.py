"""Who may see and change which country's data: the one place that decides.

Every view, the autosave endpoint, evidence downloads and (later) reports go through these
helpers. Objects of another country answer 404, never 403, so their existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext

from audit.services import Kind, audit_record
from catalogue.models import Category

from .campaigns.deadlines import with_deadline
from .models import Assessment, Membership

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Rights:
    """What one user may do with one assessment."""

    role: str  # "staff" or a Membership.Role value
    editable_categories: frozenset[int]  # category ids the user may edit now
    may_edit_profile: bool
    may_submit: bool
    may_edit_all: bool = False  # a focal point while the assessment is open

    @property
    def role_label(self) -> str:
        if self.role == "staff":
            return gettext("UNODC staff")
        return Membership.Role(self.role).label

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"

    def may_edit(self, category: Category) -> bool:
        return self.may_edit_all or category.pk in self.editable_categories


def is_unodc_staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The one check of a staff-only page: anyone else gets 404, as for an unknown page.

    Put under ``login_required``, so that a signed-out user is sent to sign in first.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_unodc_staff(request.user):
            raise Http404(gettext("No such page."))
        return view(request, *args, **kwargs)

    return wrapper


def visible_assessments(user: User) -> QuerySet[Assessment]:
    """Assessments the user may see: staff see all, ministry users their countries'."""
    assessments = Assessment.objects.select_related("cycle", "country")
    if not user.is_authenticated:
        return assessments.none()
    if is_unodc_staff(user):
        return assessments
    return assessments.filter(country__memberships__user=user).distinct()


def get_assessment(user: User, pk: int) -> tuple[Assessment, Rights]:
    """The assessment and the user's rights on it, or 404 if the user may not see it.

    For a ministry user, one query finds the assessment through the user's membership of its
    country, with the role (and the deadline in force, which every page shows).
    """
    assessments = with_deadline(Assessment.objects.select_related("cycle", "country")).filter(
        pk=pk
    )
    if is_unodc_staff(user):
        assessment = assessments.first()
        if assessment is None:
            raise Http404(gettext("No such assessment."))
        return assessment, rights_for(user, assessment)
    if not user.is_authenticated:
        raise Http404(gettext("No such assessment."))
    assessment = (
        assessments.filter(country__memberships__user=user)
        .annotate(
            member_role=F("country__memberships__role"),
            membership_pk=F("country__memberships__pk"),
        )
        .first()
    )
    if assessment is None:
        access_refused(user, pk)
        raise Http404(gettext("No such assessment."))
    membership = Membership(pk=assessment.membership_pk, role=assessment.member_role)
    return assessment, _rights(membership, assessment)


def access_refused(user: User, pk: int) -> None:
    """Record that a ministry user asked for an assessment that is not theirs (audit log)."""
    country = Assessment.objects.filter(pk=pk).values_list("country__iso3", flat=True).first()
    audit_record(
        Kind.ACCESS_REFUSED, user=user, country=country or "",
        object_type="assessments.assessment", object_id=pk,
    )


def rights_for(user: User, assessment: Assessment) -> Rights:
    if is_unodc_staff(user):
        return Rights("staff", frozenset(), may_edit_profile=False, may_submit=False)
    membership = Membership.objects.filter(user=user, country_id=assessment.country_id).first()
    if membership is None:
        raise Http404(gettext("No such assessment."))
    return _rights(membership, assessment)


def _rights(membership: Membership, assessment: Assessment) -> Rights:
    nothing: frozenset[int] = frozenset()
    open_for_edits = assessment.is_editable_by_ministry
    if membership.role == Membership.Role.FOCAL_POINT:
        return Rights(membership.role, nothing, open_for_edits, open_for_edits, open_for_edits)
    if membership.role == Membership.Role.CONTRIBUTOR and open_for_edits:
        own = frozenset(membership.categories.values_list("pk", flat=True))
        return Rights(membership.role, own, may_edit_profile=False, may_submit=False)
    return Rights(membership.role, nothing, may_edit_profile=False, may_submit=False)
