"""Demo accounts and countries, so anyone can try the site and see each country's privacy."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments.answering import answer_save
from assessments.choices import AnswerState
from assessments.models import Cycle, Membership, MemberState
from assessments.opening import assessment_open
from catalogue.models import Category

DEFAULT_PASSWORD = "tanneeds-demo"  # noqa: S105 - demo accounts only; seed_demo refuses DEBUG off


@dataclass(frozen=True)
class DemoAccount:
    username: str
    description: str
    country_iso3: str | None = None
    role: str | None = None
    staff: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("unodc", "UNODC staff (superuser, Django admin)", staff=True),
    DemoAccount("ken-focal", "National focal point for Kenya", "KEN", Membership.Role.FOCAL_POINT),
    DemoAccount("fji-focal", "National focal point for Fiji", "FJI", Membership.Role.FOCAL_POINT),
    DemoAccount(
        "ken-contrib",
        "Contributor for Kenya (categories V and VI)",
        "KEN",
        Membership.Role.CONTRIBUTOR,
    ),
)
CONTRIBUTOR_CATEGORIES = {"ken-contrib": ["V", "VI"]}
DEMO_CYCLE = "2026 assessment (demo)"
# Kenya's demo answers: (activity ref, level or None for unknown, assistance details or None).
KENYA_ANSWERS = [
    ("I.1", 2, None),
    ("I.2", 1, {"kinds": ["advisory"], "priority": "high", "timeline": "12m"}),
    ("I.3", None, None),
    ("I.4", 3, None),
    ("II.1", 3, None),
    ("II.2", 2, {"kinds": ["legislative"], "priority": "medium", "timeline": "24m"}),
    ("V.4", 2, {"kinds": ["training", "equipment"], "priority": "high", "timeline": "6m"}),
]


class DemoDataError(RuntimeError):
    pass


@transaction.atomic
def seed_demo(*, password: str = DEFAULT_PASSWORD) -> tuple[DemoAccount, ...]:
    """Create or reset the demo accounts; running it twice leaves the same state."""
    users = get_user_model()
    countries = {s.iso3: s for s in MemberState.objects.filter(iso3__in=["KEN", "FJI"])}
    if len(countries) < 2:
        raise DemoDataError("Member states are missing: run `python manage.py load_reference`.")
    for account in DEMO_ACCOUNTS:
        user, _ = users.objects.get_or_create(username=account.username)
        user.email = f"{account.username}@example.org"
        user.is_staff = user.is_superuser = account.staff
        user.set_password(password)
        user.save()
        if account.country_iso3:
            membership, _ = Membership.objects.update_or_create(
                user=user,
                country=countries[account.country_iso3],
                defaults={"role": account.role},
            )
            membership.categories.set(
                Category.objects.filter(numeral__in=CONTRIBUTOR_CATEGORIES.get(user.username, []))
            )
    _demo_cycle(countries)
    return DEMO_ACCOUNTS


def _demo_cycle(countries: dict[str, MemberState]) -> None:
    """A current cycle with Kenya's assessment partly filled in by its focal point."""
    today = timezone.localdate()
    cycle, _ = Cycle.objects.get_or_create(
        name=DEMO_CYCLE,
        defaults={
            "starts_on": today.replace(month=1, day=1),
            "ends_on": today.replace(month=12, day=31),
        },
    )
    kenya = assessment_open(cycle=cycle, country=countries["KEN"])
    assessment_open(cycle=cycle, country=countries["FJI"])
    focal = get_user_model().objects.get(username="ken-focal")
    answers = {a.activity.ref: a for a in kenya.answers.select_related("activity")}
    for ref, level, assistance in KENYA_ANSWERS:
        answer = answers[ref]
        if answer.version:
            continue  # already filled in by an earlier run, or by a person since
        values = {
            "state": AnswerState.UNKNOWN if level is None else AnswerState.LEVEL,
            "level": level,
        }
        if assistance:
            values.update(
                assistance_needed=True,
                assistance_kinds=assistance["kinds"],
                priority=assistance["priority"],
                timeline=assistance["timeline"],
            )
        answer_save(
            answer=answer, values=values, base_version=answer.version, user=focal, confirm=True
        )
