"""The reference data match the source documents exactly, and the loader is idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from assessments.models import MemberState, SynopsisNeed
from catalogue.models import (
    Activity,
    ActivityGroup,
    Category,
    CompendiumSection,
    Entry,
    Guideline,
    Part,
)

pytestmark = pytest.mark.django_db

# Counted in "Elements of Technical Assistance" (source document 003). The four offence groups
# of III.A that list no numbered items (civil aviation, protected persons, dangerous materials,
# vessels) are one activity each.
ACTIVITIES_PER_CATEGORY = {
    "I": 4, "II": 5, "III": 57, "IV": 3, "V": 5, "VI": 5,
    "VII": 29, "VIII": 4, "IX": 2, "X": 6, "XI": 3,
}
CATEGORY_TITLES = [
    "General",
    "Legislative (General)",
    "Criminalization / Penalization",
    "Measures relating to cybercrime",
    "Measures to combat money laundering and the financing of terrorism",
    "Measures relating to asset freezing, seizure, and confiscation",
    "International cooperation",
    "Protection of witnesses and other participants in criminal proceedings",
    "Protection and assistance to victims",
    "Institutional capacity building",
    "Prevention",
]


def test_there_are_the_eleven_categories_in_the_documents_order():
    categories = list(Category.objects.values_list("numeral", "title"))
    assert [numeral for numeral, _ in categories] == list(ACTIVITIES_PER_CATEGORY)
    assert [title for _, title in categories] == CATEGORY_TITLES


def test_each_category_has_the_documents_number_of_activities():
    for numeral, expected in ACTIVITIES_PER_CATEGORY.items():
        assert Activity.objects.filter(category__numeral=numeral).count() == expected, numeral
    assert Activity.objects.count() == 123


def test_sub_groups_follow_the_document():
    top_level = ActivityGroup.objects.filter(parent=None)
    assert [(g.category.numeral, g.label) for g in top_level] == [
        ("III", "A"), ("III", "B"), ("VII", "A"), ("VII", "B"), ("VII", "C"), ("VII", "D"),
    ]
    offence_groups = ActivityGroup.objects.filter(parent__ref="III.A")
    assert offence_groups.count() == 15
    assert offence_groups.first().title == "Offences relating to civil aviation"
    assert offence_groups.last().title == "Offences relating to illicit drugs"
    per_group = {g.ref: g.activities.count() for g in ActivityGroup.objects.all()}
    assert per_group["VII.A"] == 11
    assert per_group["VII.B"] == 7
    assert per_group["VII.C"] == 3
    assert per_group["VII.D"] == 8
    assert per_group["III.B"] == 2


def test_activity_wording_is_verbatim():
    assert Activity.objects.get(ref="I.1").text == (
        "Review and assess current implementation of conventions"
    )
    assert Activity.objects.get(ref="II.5").text == "Apply “Aut dedere aut judicare” principle"
    assert Activity.objects.get(ref="VII.D.5").text == (
        "Cooperate in the collection, exchange and analysis of information on the nature of "
        "terrorist and organized crime activities"
    )
    assert Activity.objects.get(ref="VII.B.6").text == (
        "Extend to the greatest extent possible, mutual legal assistance not withstanding the "
        "absence of dual criminality"
    )
    assert len(Activity.objects.get(ref="VII.B.2").details) == 3
    civil_aviation = Activity.objects.get(ref="III.A.g01")
    assert civil_aviation.text == "Offences relating to civil aviation"
    assert civil_aviation.number == ""
    assert Activity.objects.get(ref="XI.3").text == "Exchange information about prevention"


def test_activities_are_numbered_as_in_the_document():
    numbers = list(
        Activity.objects.filter(group__ref="VII.D").values_list("number", flat=True)
    )
    assert numbers == [str(n) for n in range(1, 9)]
    commonwealth = Activity.objects.filter(group__title__contains="Commonwealth")
    assert commonwealth.count() == 16


def test_the_ten_guidelines_are_verbatim():
    assert Guideline.objects.count() == 10
    assert Guideline.objects.get(number=9).text == (
        "The technical assistance should be provided in a timely and cost-effective manner."
    )
    tenth = Guideline.objects.get(number=10)
    assert [item.label for item in tenth.items.all()] == ["a", "b", "c", "d"]
    assert tenth.items.get(label="d").text == "mentoring for criminal justice officials."


def test_there_are_the_193_member_states():
    assert MemberState.objects.count() == 193
    regions = dict(
        (region, MemberState.objects.filter(region=region).count())
        for region in ["Africa", "Americas", "Asia", "Europe", "Oceania"]
    )
    assert sum(regions.values()) == 193
    assert MemberState.objects.get(iso3="KEN").name == "Kenya"


def test_the_synopsis_has_every_country_and_need_of_2004():
    assert SynopsisNeed.objects.values("country").distinct().count() == 52
    assert SynopsisNeed.objects.count() == 180
    somalia = SynopsisNeed.objects.filter(country__iso3="SOM")
    assert somalia.first().reported_as == "Somali"
    assert list(somalia.values_list("text", flat=True)) == [
        "Rehabilitation and reconstruction of state institutions",
        "Reconciliation and peace building",
        "Disarmament, demobilization and reintegration",
    ]
    for spelling, iso3 in [
        ("Swaziland", "SWZ"), ("Vietnam", "VNM"), ("St Lucia", "LCA"), ("Tanzania", "TZA"),
    ]:
        assert SynopsisNeed.objects.filter(reported_as=spelling, country__iso3=iso3).exists()
    kenya = SynopsisNeed.objects.get(country__iso3="KEN")
    assert kenya.text == "General assistance to fight terrorism and related risks"


def test_the_compendium_has_every_item_of_parts_a_b_and_c():
    assert Entry.objects.filter(part=Part.A).count() == 49
    assert CompendiumSection.objects.filter(part=Part.A).count() == 5
    assert CompendiumSection.objects.filter(part=Part.B).count() == 29
    assert Entry.objects.filter(part=Part.C).count() == 27
    per_section = {
        s.number: s.entries.count() for s in CompendiumSection.objects.filter(part=Part.A)
    }
    assert per_section == {"1": 12, "2": 8, "3": 11, "4": 11, "5": 7}
    tokyo = Entry.objects.get(ref="A-1.1")
    assert tokyo.title.startswith(
        "Convention on Offences and Certain Other Acts Committed on Board Aircraft, 1963"
    )
    assert tokyo.year == 1963


def test_every_part_b_heading_serves_a_category():
    headings = CompendiumSection.objects.filter(part=Part.B)
    assert not headings.filter(category=None).exists()
    assert headings.get(number="3.8").title == "Offences relating to money laundering"
    assert headings.get(number="3.8").group.title == "Offences relating to money laundering"
    assert headings.get(number="10").category.numeral == "X"


def test_tools_named_in_every_document_are_in_the_compendium():
    for code in ["000", "001", "002", "003", "004"]:
        assert Entry.objects.filter(sources__code=code).exists(), code
    tools = Entry.objects.exclude(part__in=[Part.A, Part.C])
    assert tools.count() >= 60
    assert not tools.filter(description="").exists()
    assert not Entry.objects.filter(categories=None).exists()


def test_a_second_load_changes_nothing(capsys):
    call_command("load_reference")
    out = capsys.readouterr().out
    assert "already up to date" in out
    assert " created" not in out and " updated" not in out


def test_the_loader_keeps_what_staff_edited_unless_asked():
    activity = Activity.objects.get(ref="I.2")
    activity.text = "Assess and identify technical assistance needs (staff wording)"
    activity.save()
    call_command("load_reference", verbosity=0)
    activity.refresh_from_db()
    assert activity.text.endswith("(staff wording)")

    call_command("load_reference", "--overwrite", verbosity=0)
    activity.refresh_from_db()
    assert activity.text == "Assess and identify technical assistance needs"


def test_the_loader_keeps_staff_edits_to_entry_links():
    entry = Entry.objects.get(ref="A-1.12")
    entry.categories.add(Category.objects.get(numeral="XI"))
    call_command("load_reference", verbosity=0)
    assert entry.categories.filter(numeral="XI").exists()


def test_rows_staff_created_are_never_retired(staff):
    from tests.factories import ActivityFactory

    own = ActivityFactory(category=Category.objects.get(numeral="I"))
    call_command("load_reference", verbosity=0)
    own.refresh_from_db()
    assert not own.is_retired


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A scratch copy of the catalogue's data files that a test may change."""
    import shutil

    import catalogue.reference

    copy = tmp_path / "data"
    shutil.copytree(catalogue.reference.DATA_DIR, copy)
    monkeypatch.setattr(catalogue.reference, "DATA_DIR", copy)
    return copy


def test_an_activity_dropped_from_the_files_is_retired_not_deleted(data_copy):
    import yaml

    path = data_copy / "framework.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["activities"] = [a for a in data["activities"] if a["ref"] != "XI.3"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("load_reference", verbosity=0)
    assert Activity.objects.get(ref="XI.3").is_retired
    assert Activity.objects.current().filter(category__numeral="XI").count() == 2


def test_a_malformed_data_file_is_refused_with_what_to_fix(data_copy):
    from django.core.management.base import CommandError

    path = data_copy / "compendium" / "part_c.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("categories:\n", "categories:\n  - XIV\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="part_c.yaml entry C-.*unknown category “XIV”"):
        call_command("load_reference", verbosity=0)


def test_a_dropped_activity_named_again_in_the_files_comes_back(data_copy):
    import yaml

    path = data_copy / "framework.yaml"
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    data["activities"] = [a for a in data["activities"] if a["ref"] != "XI.3"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("load_reference", verbosity=0)
    path.write_text(original, encoding="utf-8")
    call_command("load_reference", verbosity=0)
    assert not Activity.objects.get(ref="XI.3").is_retired


def test_the_2004_needs_are_mapped_to_activities_and_form_cycle_zero():
    from assessments.models import Assessment

    training = SynopsisNeed.objects.get(country__iso3="DZA", text="Training of magistrates")
    assert training.mapped_by == "engine"
    assert training.activities.filter(category__numeral="X").exists()
    assert training.mapping_reasons
    peace = SynopsisNeed.objects.get(country__iso3="SOM", text="Reconciliation and peace building")
    assert not peace.activities.exists()  # nothing matches it well: left for staff
    baseline = Assessment.objects.filter(cycle__is_baseline=True)
    assert baseline.count() == 52
    kenya = baseline.get(country__iso3="KEN")
    assert kenya.answers.filter(assistance_needed=True).exists()
    assert kenya.status == "validated"


def test_a_need_staff_mapped_by_hand_is_never_remapped():
    need = SynopsisNeed.objects.get(country__iso3="SOM", text="Reconciliation and peace building")
    need.activities.set([Activity.objects.get(ref="XI.1")])
    need.mapped_by = "staff"
    need.save()
    call_command("load_reference", verbosity=0)
    assert list(need.activities.values_list("ref", flat=True)) == ["XI.1"]


def test_obligations_follow_what_the_document_says():
    assert Activity.objects.get(ref="III.A.g06.2").obligation == "mandated"  # SC res. 1373
    assert Activity.objects.get(ref="III.A.g07.14").obligation == "recommended"  # Commonwealth
    assert Activity.objects.get(ref="III.A.g09.1").obligation == "mandated"  # conventions
    assert Activity.objects.get(ref="VII.D.5").obligation == ""  # the document does not say


def test_the_loader_names_the_fields_it_digests():
    """ACTIVITY_VALUES and ENTRY_VALUES are the fields whose digest the loader stored."""
    from catalogue.models import Activity, Entry
    from catalogue.reference import ACTIVITY_VALUES, ENTRY_LIST_FIELDS, ENTRY_VALUES
    from catalogue.upsert import mark_written

    activity = Activity.objects.get(ref="VII.D.5")
    stored = activity.reference_digest
    mark_written(activity, ACTIVITY_VALUES)
    assert activity.reference_digest == stored

    entry = Entry.objects.prefetch_related(*ENTRY_LIST_FIELDS).get(ref="A-3.4")
    stored = entry.reference_digest
    mark_written(entry, ENTRY_VALUES, ENTRY_LIST_FIELDS)
    assert entry.reference_digest == stored
