"""seed_demo creates the demo cast, is idempotent, and stays out of production."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Assessment, Membership
from tools.demo import DEMO_CYCLE, KENYA_ANSWERS

pytestmark = pytest.mark.django_db


def test_it_creates_staff_and_a_focal_point_per_demo_country(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "s3cret-demo")
    out = capsys.readouterr().out
    assert "ken-focal" in out and "fji-focal" in out and "s3cret-demo" in out
    users = get_user_model().objects
    assert users.get(username="unodc").is_superuser
    assert users.get(username="ken-focal").check_password("s3cret-demo")
    roles = set(Membership.objects.values_list("user__username", "country__iso3", "role"))
    assert roles == {
        ("ken-focal", "KEN", "focal_point"),
        ("fji-focal", "FJI", "focal_point"),
        ("ken-contrib", "KEN", "contributor"),
    }
    contributor = Membership.objects.get(user__username="ken-contrib")
    assert sorted(c.numeral for c in contributor.categories.all()) == ["V", "VI"]


def test_it_opens_a_demo_cycle_with_kenya_partly_filled_in(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    kenya = Assessment.objects.get(cycle__name=DEMO_CYCLE, country__iso3="KEN")
    answered = kenya.answers.exclude(state="")
    assert answered.count() == len(KENYA_ANSWERS)
    assert kenya.answers.count() == 123
    assert kenya.answers.get(activity__ref="V.4").priority == "high"
    assert Assessment.objects.filter(cycle__name=DEMO_CYCLE, country__iso3="FJI").exists()


def test_running_it_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert get_user_model().objects.filter(username__startswith="ken-").count() == 2
    assert Membership.objects.count() == 3
    kenya = Assessment.objects.get(cycle__name=DEMO_CYCLE, country__iso3="KEN")
    assert kenya.answers.exclude(version=0).count() == len(KENYA_ANSWERS)


def test_it_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    call_command("seed_demo", "--force", verbosity=0)
    assert get_user_model().objects.filter(username="unodc").exists()
