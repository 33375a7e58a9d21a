"""The load run's own logic: users of their own countries, and the check of lost saves.

The run itself (50 users for 60 s through gunicorn on PostgreSQL) is a benchmark, started with
``python manage.py bench --load --database-url postgres://.../scratch`` and read by a person.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Answer, Membership
from tools.bench.load import load_check, load_prepare

pytestmark = pytest.mark.django_db


def test_each_virtual_user_answers_for_a_country_of_their_own():
    plan = load_prepare(3)
    names = [u["username"] for u in plan["users"]]
    countries = Membership.objects.filter(user__username__in=names).values_list(
        "country", flat=True
    )
    assert len(set(countries)) == len(names) == 3
    for user in plan["users"]:
        assert len(user["items"]) == 5 and len(user["sections"]) == 3
        owners = Answer.objects.filter(pk__in=[i["pk"] for i in user["items"]]).values_list(
            "assessment__country__memberships__user__username", flat=True
        )
        assert set(owners) == {user["username"]}


def test_the_check_finds_a_save_that_is_not_in_the_database_with_its_last_value():
    plan = load_prepare(1)
    first, second = (item["pk"] for item in plan["users"][0]["items"][:2])
    Answer.objects.filter(pk=first).update(comment="save 7")
    Answer.objects.filter(pk=second).update(comment="save 3")
    acknowledged = {str(first): "save 7", str(second): "save 5"}
    assert load_check(acknowledged) == {"checked": 2, "lost": [str(second)]}


def test_the_load_run_refuses_a_database_other_than_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL|postgres"):
        call_command("bench", "--load", "--database-url", "sqlite:///x.sqlite3")
