"""The browse pages of the framework and the compendium."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from catalogue.forms import IGNORED_CHOICE, IGNORED_PAGE, IGNORED_SEARCH, SEARCH_MAX_LENGTH
from catalogue.models import ActivityGroup, CompendiumSection, Entry, SourceDocument
from tests.factories import ActivityFactory, CategoryFactory, EntryFactory

pytestmark = pytest.mark.django_db

BROWSE_URLS = [
    reverse("catalogue:framework"),
    reverse("catalogue:category", kwargs={"numeral": "I"}),
    reverse("catalogue:compendium"),
    reverse("catalogue:entry", kwargs={"ref": "A-1.1"}),
]


@pytest.fixture
def bob_client(client, ministry_user):
    client.force_login(ministry_user)
    return client


@pytest.fixture
def framework(db):
    """A small category shaped like III: a lettered group holding an offence group, then B."""
    category = CategoryFactory(title="Testing offences", intro="Member States may require help.")
    n = category.numeral
    group_a = ActivityGroup.objects.create(
        ref=f"{n}.A", category=category, label="A", title="Establishing offences", position=1
    )
    offences = ActivityGroup.objects.create(
        ref=f"{n}.A.g01", category=category, parent=group_a, title="Offences on test aircraft",
        position=2,
    )
    group_b = ActivityGroup.objects.create(
        ref=f"{n}.B", category=category, label="B", title="Jurisdiction", position=3
    )
    # Created out of order: the page must follow ``position``, not creation.
    third = ActivityFactory(
        category=category, group=group_b, number="1", text="Establish jurisdiction", position=3
    )
    first = ActivityFactory(
        category=category, group=offences, number="1", position=1,
        text="Criminalize the unlawful seizure of test aircraft",
        details=["when on board", "when on the ground"],
    )
    second = ActivityFactory(
        category=category, group=offences, number="2", text="Criminalize the threat", position=2
    )
    retired = ActivityFactory(
        category=category, group=group_b, text="A retired activity", position=4, is_retired=True
    )
    section = CompendiumSection.objects.create(
        part="B", number="99.1", title="Test aviation tools", category=category, group=offences,
        position=999,
    )
    source = SourceDocument.objects.create(code="T01", symbol="TEST/2004/1", title="Test source")
    direct = EntryFactory(title="Direct handbook", section=section)
    direct.activities.add(first)
    direct.categories.add(category)
    direct.sources.add(source)
    general = EntryFactory(title="Category-wide toolkit", kind=Entry.Kind.TOOLKIT)
    general.categories.add(category)
    gone = EntryFactory(title="Retired manual", is_retired=True)
    gone.activities.add(first)
    return {
        "category": category, "first_group": group_a, "activities": [first, second, third],
        "retired": retired,
        "section": section, "direct": direct, "general": general, "gone": gone,
    }


def category_url(category) -> str:
    return reverse("catalogue:category", kwargs={"numeral": category.numeral})


def compendium(client, **params) -> str:
    response = client.get(reverse("catalogue:compendium"), params)
    assert response.status_code == 200
    return response.content.decode()


def titles(html: str) -> list[str]:
    """The entry titles listed on a compendium page, in order."""
    return re.findall(r'class="fw-semibold" href="/catalogue/compendium/[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize("url", BROWSE_URLS)
def test_anonymous_users_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("url", BROWSE_URLS)
def test_the_browse_pages_only_read(bob_client, url):
    assert bob_client.post(url).status_code == 405


def test_the_framework_lists_the_categories_in_order_with_their_counts(bob_client, framework):
    later = CategoryFactory(title="A later category")
    html = bob_client.get(reverse("catalogue:framework")).content.decode()
    assert html.index("Testing offences") < html.index("A later category")
    # Three current activities; two current entries (one direct, one category-wide).
    assert "3 activities · 2 compendium entries" in html
    assert f'href="{category_url(later)}"' in html
    assert "0 activities · 0 compendium entries" in html


def test_the_category_page_shows_the_activities_in_order_and_verbatim(bob_client, framework):
    html = bob_client.get(category_url(framework["category"])).content.decode()
    texts = [a.text for a in framework["activities"]]
    assert [html.index(t) for t in texts] == sorted(html.index(t) for t in texts)
    assert '<span class="activity-number">2.</span> Criminalize the threat' in html
    assert "<li>when on board</li><li>when on the ground</li>" in html
    assert "A retired activity" not in html
    assert "Member States may require help." in html


def test_the_category_page_shows_the_groups_as_headings(bob_client, framework):
    html = bob_client.get(category_url(framework["category"])).content.decode()
    n = framework["category"].numeral
    assert f">{n}.A Establishing offences</h2>" in html
    assert ">Offences on test aircraft</h3>" in html
    assert f">{n}.B Jurisdiction</h2>" in html
    assert html.index("Establishing offences") < html.index("Offences on test aircraft")
    assert html.index("Criminalize the threat") < html.index("Jurisdiction</h2>")


def test_each_activity_lists_its_entries_then_the_category_wide_ones(bob_client, framework):
    html = bob_client.get(category_url(framework["category"])).content.decode()
    first = html[html.index('id="activity-' + framework["activities"][0].ref):]
    first = first[: first.index("</details>")]
    assert "<details" in first and "<details open" not in first
    assert "Compendium: 1 for this activity, 1 for the whole category" in first
    assert first.index("Direct handbook") < first.index("For the whole category")
    assert "Category-wide toolkit" not in first
    assert '<a href="#category-entries">1 entry listed at the end of this page</a>' in first
    # The category-wide entries are listed once, at the end, under their own label.
    end = html[html.index('id="category-entries"'):]
    assert "For the whole category" in end
    assert "Category-wide toolkit" in end and "Direct handbook" not in end
    assert html.count("Category-wide toolkit") == 1
    assert "Retired manual" not in html
    assert html.count("No entry is linked to this activity itself.") == 2


def test_the_category_page_links_to_its_part_b_sections(bob_client, framework):
    whole = CompendiumSection.objects.create(
        part="B", number="99", title="Test offences", category=framework["category"], position=998
    )
    html = bob_client.get(category_url(framework["category"])).content.decode()
    compendium_url = reverse("catalogue:compendium")
    group_link = f'href="{compendium_url}?section={framework["section"].pk}"'
    whole_link = f'href="{compendium_url}?section={whole.pk}"'
    assert html.count(group_link) == html.count(whole_link) == 1
    # The group's section is under the group's heading, the category's one near the top.
    assert html.index(whole_link) < html.index("Offences on test aircraft</h3>")
    assert html.index("Offences on test aircraft</h3>") < html.index(group_link)


def test_an_unknown_category_is_not_found(bob_client):
    assert bob_client.get("/catalogue/categories/XCIX/").status_code == 404


def test_the_compendium_lists_current_entries_only(bob_client, framework):
    assert "Retired manual" not in titles(compendium(bob_client, q="retired"))
    assert "Direct handbook" in titles(compendium(bob_client, q="direct"))


def test_the_search_matches_every_word_in_any_text_field(bob_client):
    EntryFactory(title="Zephyr handbook", short_title="ZH", issuer="Quokka Office")
    EntryFactory(title="Other zephyr guide", description="About quokka matters")
    EntryFactory(title="Zephyr manual")
    assert titles(compendium(bob_client, q="zephyr quokka")) == [
        "Zephyr handbook", "Other zephyr guide"
    ]
    assert titles(compendium(bob_client, q="ZH")) == ["Zephyr handbook"]
    assert 'value="zephyr quokka"' in compendium(bob_client, q="zephyr quokka")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "toolkit"}, ["Xyzzy toolkit"]),
        ({"part": "C"}, ["Xyzzy plan"]),
        ({"kind": "handbook", "part": "B"}, ["Xyzzy handbook"]),
    ],
)
def test_the_kind_and_part_filters_narrow_the_results(bob_client, params, expected):
    EntryFactory(title="Xyzzy handbook")
    EntryFactory(title="Xyzzy toolkit", kind=Entry.Kind.TOOLKIT)
    EntryFactory(title="Xyzzy plan", kind=Entry.Kind.PLAN_OF_ACTION, part="C")
    html = compendium(bob_client, q="xyzzy", **params)
    assert titles(html) == expected
    assert f'<option value="{next(iter(params.values()))}" selected>' in html


def test_the_category_filter_keeps_entries_serving_the_category(bob_client, framework):
    EntryFactory(title="Unrelated handbook")
    found = titles(compendium(bob_client, category=framework["category"].numeral))
    assert found == ["Direct handbook", "Category-wide toolkit"]


def test_the_category_filter_includes_entries_linked_only_to_an_activity(bob_client, framework):
    only_activity = EntryFactory(title="Activity-only guide")
    only_activity.activities.add(framework["activities"][2])
    found = titles(compendium(bob_client, category=framework["category"].numeral))
    assert "Activity-only guide" in found


def test_the_section_filter_narrows_the_results(bob_client, framework):
    html = compendium(bob_client, section=framework["section"].pk)
    assert titles(html) == ["Direct handbook"]
    assert ">99.1 Test aviation tools</h3>" in html


@pytest.mark.parametrize(
    ("params", "note"),
    [
        ({"kind": "scroll"}, IGNORED_CHOICE.format(label="kind") % {"value": "scroll"}),
        ({"part": "Q"}, IGNORED_CHOICE.format(label="part") % {"value": "Q"}),
        ({"category": "XCIX"}, IGNORED_CHOICE.format(label="category") % {"value": "XCIX"}),
        ({"section": "abc"}, IGNORED_CHOICE.format(label="section") % {"value": "abc"}),
        ({"section": "999999"}, IGNORED_CHOICE.format(label="section") % {"value": "999999"}),
        ({"page": "abc"}, IGNORED_PAGE.format(value="abc", count=1)),
        ({"page": "0"}, IGNORED_PAGE.format(value="0", count=1)),
        ({"page": "7"}, IGNORED_PAGE.format(value="7", count=1)),
        ({"q": "x" * (SEARCH_MAX_LENGTH + 1)}, IGNORED_SEARCH),
    ],
)
def test_invalid_filters_are_ignored_and_reported(bob_client, params, note):
    EntryFactory(title="Wibble still listed")
    html = compendium(bob_client, **{"q": "wibble", **params})
    assert note in html
    if "q" not in params:
        assert titles(html) == ["Wibble still listed"]


def test_an_invalid_filter_does_not_drop_the_valid_ones(bob_client):
    EntryFactory(title="Plugh handbook")
    EntryFactory(title="Plugh toolkit", kind=Entry.Kind.TOOLKIT)
    html = compendium(bob_client, q="plugh", kind="toolkit", part="nope")
    assert titles(html) == ["Plugh toolkit"]


def test_ignored_values_are_escaped(bob_client):
    html = compendium(bob_client, kind="<script>alert(1)</script>")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_results_are_paginated_by_fifty_keeping_the_search(bob_client):
    for i in range(55):
        EntryFactory(title=f"Frobozz handbook {i:02}")
    first = compendium(bob_client, q="frobozz")
    assert len(titles(first)) == 50
    assert "55 entries match; showing 1–50." in first
    assert 'href="?q=frobozz&amp;page=2"' in first
    second = compendium(bob_client, q="frobozz", page=2)
    assert titles(second) == [f"Frobozz handbook {i}" for i in range(50, 55)]


def test_the_entry_page_shows_every_field_and_what_it_serves(bob_client, framework):
    entry = framework["direct"]
    entry.short_title = "DH"
    entry.issuer = "UNODC"
    entry.year = 2009
    entry.description = "A handbook for tests."
    entry.url = "https://www.unodc.org/test-handbook"
    entry.save()
    html = bob_client.get(entry.get_absolute_url()).content.decode()
    for text in ("Direct handbook", "DH", "UNODC", "2009", "A handbook for tests.",
                 "Handbook", "Part B: Guides", "99.1 Test aviation tools", entry.ref,
                 "TEST/2004/1: Test source"):
        assert text in html, text
    assert (
        '<a href="https://www.unodc.org/test-handbook" rel="noopener noreferrer" '
        'class="text-break">https://www.unodc.org/test-handbook</a>'
    ) in html
    activity = framework["activities"][0]
    assert f'href="{category_url(framework["category"])}#activity-{activity.ref}"' in html
    assert f'href="{category_url(framework["category"])}"' in html


def test_a_retired_entry_still_opens_with_a_note(bob_client, framework):
    html = bob_client.get(framework["gone"].get_absolute_url()).content.decode()
    assert "no longer part of the compendium" in html


def test_an_unknown_entry_is_not_found(bob_client):
    assert bob_client.get("/catalogue/compendium/T-no-such-tool/").status_code == 404


def test_the_framework_page_counts_in_one_query(bob_client, framework, django_assert_num_queries):
    bob_client.get(reverse("catalogue:framework"))
    # 1 session, 2 user, 3 categories with their activity and entry counts as subqueries.
    with django_assert_num_queries(3):
        bob_client.get(reverse("catalogue:framework"))


def test_the_category_page_runs_a_fixed_number_of_queries(
    bob_client, framework, django_assert_num_queries
):
    url = category_url(framework["category"])
    bob_client.get(url)  # warm the session
    # 1 session, 2 user, 3 category, 4 its Part B sections, 5 activities with their groups,
    # 6 the activities' entries, 7 entries linked to the category only.
    with django_assert_num_queries(7):
        bob_client.get(url)
    category = framework["category"]
    for _ in range(5):
        activity = ActivityFactory(category=category)
        for kind in (Entry.Kind.MANUAL, Entry.Kind.DATABASE):
            EntryFactory(kind=kind).activities.add(activity)
        EntryFactory().categories.add(category)
    with django_assert_num_queries(7):
        bob_client.get(url)


def test_the_compendium_runs_a_fixed_number_of_queries(
    bob_client, framework, django_assert_num_queries
):
    url = reverse("catalogue:compendium")
    bob_client.get(url)
    # 1 session, 2 user, 3 count for the paginator, 4 categories and 5 sections for the filter
    # form, 6 entries of the page with their sections, 7 their sources.
    with django_assert_num_queries(7):
        bob_client.get(url, {"q": "handbook"})
    for _ in range(60):
        EntryFactory(section=framework["section"]).sources.add(*SourceDocument.objects.all())
    with django_assert_num_queries(7):
        bob_client.get(url, {"q": "handbook"})


def test_an_offence_group_that_is_itself_an_activity_is_not_repeated(bob_client, framework):
    category = framework["category"]
    group = ActivityGroup.objects.create(
        ref=f"{category.numeral}.A.g02", category=category, parent=framework["first_group"],
        title="Offences against test vessels", position=5,
    )
    ActivityFactory(
        ref=group.ref, category=category, group=group, number="", position=10,
        text="Offences against test vessels",
    )
    html = bob_client.get(category_url(category)).content.decode()
    assert html.count("Offences against test vessels") == 1
    assert f'id="activity-{group.ref}"' in html


def test_part_b_entries_follow_the_order_of_their_sections(bob_client):
    later = CompendiumSection.objects.create(part="B", number="98.2", title="Later", position=902)
    earlier = CompendiumSection.objects.create(
        part="B", number="98.1", title="Earlier", position=901
    )
    EntryFactory(title="Thud tool in the later section", section=later)
    EntryFactory(title="Thud tool in the earlier section", section=earlier)
    assert titles(compendium(bob_client, q="thud")) == [
        "Thud tool in the earlier section", "Thud tool in the later section"
    ]


def test_the_real_framework_lists_the_eleven_categories_in_document_order(bob_client):
    html = bob_client.get(reverse("catalogue:framework")).content.decode()
    numerals = re.findall(r'<span class="category-numeral">([IVX]+)\.</span>', html)
    if not numerals:
        pytest.skip("reference data not loaded")
    assert numerals == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI"]
