"""seed_demo creates the demo cast, is idempotent, and stays out of production."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from assessments.campaigns.tracking import Stage, tracking_rows, weekly_progress
from assessments.models import Assessment, Cycle, DeadlineExtension, Membership, SectionComment
from tools import demo_cycle
from tools.demo import DEMO_ACCOUNTS, DEMO_CYCLE, KENYA_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_demo_country(monkeypatch):
    """The tests of the accounts do not need the whole demo cycle: one more country will do."""
    monkeypatch.setattr(demo_cycle, "COUNTRIES", ["NGA"])


def demo_roles() -> set[tuple[str, str, str]]:
    accounts = [a.username for a in DEMO_ACCOUNTS]
    return set(
        Membership.objects.filter(user__username__in=accounts).values_list(
            "user__username", "country__iso3", "role"
        )
    )


def test_it_creates_staff_and_a_focal_point_per_demo_country(settings, capsys, one_demo_country):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "s3cret-demo")
    out = capsys.readouterr().out
    assert "ken-focal" in out and "fji-focal" in out and "s3cret-demo" in out
    users = get_user_model().objects
    assert users.get(username="unodc").is_superuser
    assert users.get(username="ken-focal").check_password("s3cret-demo")
    assert demo_roles() == {
        ("ken-focal", "KEN", "focal_point"),
        ("fji-focal", "FJI", "focal_point"),
        ("ken-contrib", "KEN", "contributor"),
    }
    contributor = Membership.objects.get(user__username="ken-contrib")
    assert sorted(c.numeral for c in contributor.categories.all()) == ["V", "VI"]


def test_it_opens_a_demo_cycle_with_kenya_partly_filled_in(settings, one_demo_country):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    kenya = Assessment.objects.get(cycle__name=DEMO_CYCLE, country__iso3="KEN")
    answered = kenya.answers.exclude(state="")
    assert answered.count() == len(KENYA_ANSWERS)
    assert kenya.answers.count() == 123
    assert kenya.answers.get(activity__ref="V.4").priority == "high"
    assert Assessment.objects.filter(cycle__name=DEMO_CYCLE, country__iso3="FJI").exists()


def test_running_it_twice_changes_nothing(settings, one_demo_country):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert get_user_model().objects.filter(username__startswith="ken-").count() == 2
    assert len(demo_roles()) == 3
    assert Membership.objects.count() == 3 + 1  # and Nigeria's focal point
    kenya = Assessment.objects.get(cycle__name=DEMO_CYCLE, country__iso3="KEN")
    assert kenya.answers.exclude(version=0).count() == len(KENYA_ANSWERS)
    assert kenya.deadline_extensions.count() == 1


def test_the_demo_cycle_shows_every_stage_in_every_region_the_same_way_twice(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    cycle = Cycle.objects.get(name=DEMO_CYCLE)
    today = timezone.localdate()
    rows = tracking_rows(cycle, today)
    assert len(rows) == len(demo_cycle.COUNTRIES) + 2  # and Kenya and Fiji
    stages = {r.stage for r in rows}
    assert stages == {
        Stage.NOT_STARTED, Stage.IN_PROGRESS, Stage.SUBMITTED, Stage.RETURNED, Stage.VALIDATED
    }
    assert any(r.is_overdue for r in rows) and any(r.deadline > today for r in rows)
    assert {r.assessment.country.region for r in rows} == {
        "Africa", "Americas", "Asia", "Europe", "Oceania"
    }
    for row in rows:
        if row.stage in (Stage.SUBMITTED, Stage.RETURNED, Stage.VALIDATED):
            assert row.percent == 100, row.assessment.country
        assert row.focal_points, row.assessment.country
    returned = [r.assessment for r in rows if r.stage == Stage.RETURNED]
    assert all(SectionComment.objects.filter(assessment=a).exists() for a in returned)
    progress = weekly_progress(cycle, today)
    assert sum(progress.answers) > 1000 and sum(progress.submissions) >= 10
    answers_of = {
        a.country.iso3: list(a.answers.values_list("activity__ref", "state", "level", "priority"))
        for a in cycle.assessments.select_related("country")
    }
    call_command("seed_demo", verbosity=0)  # changes nothing
    assert DeadlineExtension.objects.filter(assessment__cycle=cycle).count() == sum(
        1 for r in rows if r.deadline != cycle.ends_on
    )
    assert answers_of["NGA"] == list(
        cycle.assessments.get(country__iso3="NGA").answers.values_list(
            "activity__ref", "state", "level", "priority"
        )
    )


def test_it_refuses_to_run_with_debug_off_unless_forced(settings, one_demo_country):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    call_command("seed_demo", "--force", verbosity=0)
    assert get_user_model().objects.filter(username="unodc").exists()
