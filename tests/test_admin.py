"""The Django admin as UNODC staff use it over the reference data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst

from assessments.models import MemberState, SynopsisNeed
from catalogue.admin import RETIRED_IN_ADMIN
from catalogue.admin_forms import SECTION_NOT_IN_PART
from catalogue.models import (
    Activity,
    ActivityGroup,
    CompendiumSection,
    Entry,
    Guideline,
    GuidelineItem,
    SourceDocument,
)
from catalogue.resources import GROUP_NOT_IN_CATEGORY
from tests.factories import ActivityFactory, CategoryFactory, EntryFactory

pytestmark = pytest.mark.django_db

FRAMEWORK_FILE = Path(settings.BASE_DIR) / "catalogue" / "data" / "framework.yaml"
needs_framework_file = pytest.mark.skipif(
    not FRAMEWORK_FILE.exists(),
    reason="catalogue/data/framework.yaml is not written yet: no loader to keep edits from",
)


@pytest.fixture
def alice(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def one_of_each(db):
    """One row of every reference model, made here so the tests need no data file."""
    category = CategoryFactory(intro="Member States may require technical assistance.")
    group = ActivityGroup.objects.create(
        ref=f"{category.numeral}.A", category=category, label="A", title="Test group",
        position=900,
    )
    activity = ActivityFactory(category=category, group=group, details=["one", "two"])
    section = CompendiumSection.objects.create(
        part="B", number="T.1", title="Test tools", category=category, position=900
    )
    entry = EntryFactory(section=section)
    entry.activities.set([activity])
    guideline = Guideline.objects.create(number=99, text="A test guideline:")
    GuidelineItem.objects.create(guideline=guideline, label="a", text="a test item;")
    SourceDocument.objects.create(code="T01", title="Test source")
    state = MemberState.objects.create(
        iso3="ZZT", iso2="ZT", m49="999", name="Testland", region="Testregion",
        subregion="Test subregion", aliases=["Republic of Testland", "Testia"],
    )
    need = SynopsisNeed.objects.create(
        country=state, reported_as="Testia", position=1, text="Training of test judges"
    )
    return {"activity": activity, "entry": entry, "state": state, "need": need, "group": group}


def admin_url(model: type, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def change_form_data(response) -> dict[str, Any]:
    """What the browser would post back from a change page, inlines included, unchanged."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                value = "on" if value else None
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


def test_every_admin_page_opens_and_every_search_and_filter_works(alice, one_of_each):
    for model, model_admin in admin.site._registry.items():
        changelist = alice.get(admin_url(model, "changelist"))
        assert changelist.status_code == 200, model
        if model_admin.search_fields:
            searched = alice.get(admin_url(model, "changelist"), {"q": "test"})
            assert searched.status_code == 200, model
        for spec in changelist.context["cl"].filter_specs:
            choices = [c for c in spec.choices(changelist.context["cl"]) if not c["selected"]]
            for choice in choices[:3]:
                filtered = alice.get(admin_url(model, "changelist") + choice["query_string"])
                assert filtered.status_code == 200, (model, choice["query_string"])
        if model_admin.has_add_permission(changelist.wsgi_request):
            assert alice.get(admin_url(model, "add")).status_code == 200, model
        row = model.objects.first()
        if row is not None:
            assert alice.get(admin_url(model, "change", row.pk)).status_code == 200, model


def test_the_activity_changelist_follows_the_document_order(alice, one_of_each):
    response = alice.get(admin_url(Activity, "changelist"))

    positions = [a.position for a in response.context["cl"].result_list]
    assert positions == sorted(positions)
    headers = [capfirst(h["text"]) for h in response.context["result_headers"]][1:]
    assert headers == [
        "Ref", "Label", "Text", "Category", "Group", "Obligation", "Target level", "Status",
        "Translations",
    ]


@pytest.mark.parametrize("model", [Activity, Entry])
def test_a_changelist_runs_as_many_queries_for_ten_more_rows(
    alice, one_of_each, django_assert_num_queries, model
):
    url = admin_url(model, "changelist") + "?q=test"
    alice.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as before:
        alice.get(url)
    group = one_of_each["group"]
    if model is Activity:
        ActivityFactory.create_batch(10, text="test row", category=group.category, group=group)
    else:
        EntryFactory.create_batch(10, title="test row", section=one_of_each["entry"].section)
    # Session, user, the count and the page of rows (with their category, group and section
    # joined), the filters' choices: none of them per row.
    with django_assert_num_queries(len(before)):
        alice.get(url)


def test_rows_from_the_data_files_cannot_be_deleted_but_rows_staff_added_can(alice, one_of_each):
    loaded = one_of_each["activity"]
    Activity.objects.filter(pk=loaded.pk).update(reference_digest="0" * 64)
    added = ActivityFactory()

    assert alice.get(admin_url(Activity, "delete", loaded.pk)).status_code == 403
    assert alice.get(admin_url(Activity, "delete", added.pk)).status_code == 200
    changelist = alice.get(admin_url(Activity, "changelist"))
    actions = [name for name, _ in changelist.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert {"retire", "reinstate"} <= set(actions)


@pytest.mark.parametrize("model", [Activity, Entry])
def test_retire_and_reinstate_actions_keep_the_rows_and_their_history(alice, one_of_each, model):
    row = one_of_each[model._meta.model_name]
    url = admin_url(model, "changelist")

    alice.post(url, {"action": "retire", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.is_retired
    assert row.history.first().history_change_reason == RETIRED_IN_ADMIN

    alice.post(url, {"action": "reinstate", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert not row.is_retired
    assert row.history.count() == 3


def test_an_activity_edited_in_admin_keeps_its_history_and_details_one_per_line(
    alice, one_of_each
):
    activity = one_of_each["activity"]
    original, url = activity.text, admin_url(Activity, "change", activity.pk)
    data = change_form_data(alice.get(url))
    assert data["details_en"] == "one\ntwo"  # English, the source; each language has its field
    assert "ref" not in data, "the stable ref is read-only once the row exists"

    response = alice.post(
        url, {**data, "text_en": "Reworded", "details_en": "one\r\n\r\n two \r\nthree"}
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.text, activity.details) == ("Reworded", ["one", "two", "three"])
    assert [h.text for h in activity.history.all()[:2]] == ["Reworded", original]


def test_a_group_of_another_category_is_refused_in_the_activity_form(alice, one_of_each):
    activity, other = one_of_each["activity"], CategoryFactory()
    url = admin_url(Activity, "change", activity.pk)
    data = change_form_data(alice.get(url))

    response = alice.post(url, {**data, "category": other.pk})

    assert response.context["adminform"].form.errors["group"] == [GROUP_NOT_IN_CATEGORY.format(
        group=activity.group.ref, actual=activity.category.numeral, given=other.numeral
    )]


def test_an_entry_section_must_belong_to_its_part(alice, one_of_each):
    entry = one_of_each["entry"]
    data = change_form_data(alice.get(admin_url(Entry, "change", entry.pk)))

    response = alice.post(admin_url(Entry, "change", entry.pk), {**data, "part": "C"})

    assert response.context["adminform"].form.errors["section"] == [
        SECTION_NOT_IN_PART.format(section=entry.section, actual="B", given="C")
    ]


def test_the_entry_activities_are_picked_by_searching_their_ref_or_wording(alice, one_of_each):
    activity = one_of_each["activity"]

    response = alice.get(reverse("admin:autocomplete"), {
        "app_label": "catalogue", "model_name": "entry", "field_name": "activities",
        "term": activity.ref,
    })

    assert str(activity.pk) in [r["id"] for r in response.json()["results"]]


def test_a_category_page_lists_its_groups_and_the_changelist_counts_activities(
    alice, one_of_each
):
    category = one_of_each["activity"].category
    ActivityFactory(category=category, is_retired=True)

    changelist = alice.get(admin_url(type(category), "changelist"), {"q": category.numeral})
    page = alice.get(admin_url(type(category), "change", category.pk))

    [row] = [c for c in changelist.context["cl"].result_list if c.pk == category.pk]
    assert (row.activity_count, row.retired_count) == (1, 1)
    [groups] = page.context["inline_admin_formsets"]
    assert [form.instance for form in groups.formset.forms] == [one_of_each["group"]]
    assert not groups.has_add_permission and not groups.formset.can_delete


@pytest.mark.parametrize("term", ["Testia", "ZZT", "zt", "999"])
def test_member_states_are_found_by_alias_or_code(alice, one_of_each, term):
    response = alice.get(admin_url(MemberState, "changelist"), {"q": term})

    assert list(response.context["cl"].result_list) == [one_of_each["state"]]


def test_member_states_and_synopsis_needs_filter_by_region(alice, one_of_each):
    states = alice.get(admin_url(MemberState, "changelist"), {"region": "Testregion"})
    needs = alice.get(admin_url(SynopsisNeed, "changelist"), {"country__region": "Testregion"})

    assert list(states.context["cl"].result_list) == [one_of_each["state"]]
    assert list(needs.context["cl"].result_list) == [one_of_each["need"]]


def test_activities_staff_map_to_a_synopsis_need_are_marked_as_mapped_by_staff(
    alice, one_of_each
):
    need, activity = one_of_each["need"], one_of_each["activity"]
    data = change_form_data(alice.get(admin_url(SynopsisNeed, "change", need.pk)))

    alice.post(admin_url(SynopsisNeed, "change", need.pk), {**data, "activities": [activity.pk]})

    need.refresh_from_db()
    assert list(need.activities.all()) == [activity]
    assert need.mapped_by == SynopsisNeed.MappedBy.STAFF


def _edit_loaded_activity(alice) -> tuple[Activity, dict[str, Any]]:
    activity = Activity.objects.exclude(reference_digest="").first()
    return activity, change_form_data(alice.get(admin_url(Activity, "change", activity.pk)))


@needs_framework_file
def test_a_wording_edited_in_admin_is_kept_by_the_loader(alice):
    activity, data = _edit_loaded_activity(alice)

    alice.post(admin_url(Activity, "change", activity.pk), {**data, "text_en": "Edited by staff"})
    call_command("load_reference", verbosity=0)

    activity.refresh_from_db()
    assert activity.text == "Edited by staff"


@needs_framework_file
def test_an_activity_retired_in_admin_stays_retired_after_the_loader(alice):
    activity, _ = _edit_loaded_activity(alice)

    alice.post(admin_url(Activity, "changelist"), {
        "action": "retire", "_selected_action": [activity.pk],
    })
    call_command("load_reference", verbosity=0)

    activity.refresh_from_db()
    assert activity.is_retired


def test_the_history_page_of_an_entry_opens(alice, one_of_each):
    entry = one_of_each["entry"]
    entry.title = "Renamed"
    entry.save()

    response = alice.get(admin_url(Entry, "history", entry.pk))

    assert response.status_code == 200
    assert "Renamed" in response.content.decode()
