"""Import and export of activities and compendium entries, through the admin and the resources.

Imports go through the admin's two steps: the upload (a dry run shown as a preview) and the
confirmation. The rows are made by factories so the tests do not depend on the data files, except
the one that runs the loader after an import.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import openpyxl
import pytest
import tablib
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from catalogue.columns import (
    NOT_A_LEVEL,
    NOT_A_YEAR,
    NOT_YES_NO,
    UNKNOWN_ACTIVITIES,
    UNKNOWN_CATEGORIES,
    UNKNOWN_CATEGORY,
    UNKNOWN_CHOICE,
    UNKNOWN_GROUP,
    UNKNOWN_SECTION,
    UNKNOWN_SOURCES,
)
from catalogue.models import (
    Activity,
    ActivityGroup,
    Category,
    CompendiumSection,
    Entry,
    SourceDocument,
)
from catalogue.resources import (
    ACTIVITY_COLUMNS,
    DUPLICATE_REF,
    GROUP_NOT_IN_CATEGORY,
    IMPORT_REFUSED,
    IMPORTED_FROM,
    MISSING_COLUMNS,
    NOT_UTF8,
    NOT_XLSX,
    ROW_PROBLEM,
    UNEXPECTED_COLUMNS,
    ActivityResource,
    import_problems,
)
from tests.factories import ActivityFactory, CategoryFactory, EntryFactory, UserFactory

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"  # the admin's formats, in its order
FORMULA_CHARACTERS = ["=", "+", "-", "@", "\t", "\r"]
FRAMEWORK_FILE = Path(settings.BASE_DIR) / "catalogue" / "data" / "framework.yaml"


@pytest.fixture
def alice(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def carol(db):
    """Carol is UNODC staff who may view and change activities, but not import or export them."""
    user = UserFactory(username="carol", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_activity", "change_activity"])
    )
    return user


@pytest.fixture
def rows(db):
    """A small framework and compendium of the tests' own, beside the real reference data."""
    category, other = CategoryFactory(), CategoryFactory()
    group = ActivityGroup.objects.create(
        ref=f"{category.numeral}.A", category=category, label="A", title="Test group",
        position=900,
    )
    loose = ActivityFactory(category=category, number="1", text="Loose wording")
    first = ActivityFactory(category=category, group=group, number="1", text="Original wording")
    source = SourceDocument.objects.create(code="T01", title="Test source")
    section = CompendiumSection.objects.create(
        part="B", number="T.1", title="Test tools", category=category, position=900
    )
    entry = EntryFactory(section=section, title="Original title", year=2004)
    entry.sources.set([source])
    entry.categories.set([category])
    entry.activities.set([first])
    return SimpleNamespace(
        category=category, other=other, group=group, loose=loose, first=first, source=source,
        section=section, entry=entry,
    )


def activity_row(activity: Activity, **changes: str) -> dict[str, str]:
    row = {
        "ref": activity.ref,
        "category": activity.category.numeral,
        "group": activity.group.ref if activity.group else "",
        "number": activity.number,
        "text": activity.text,
        "obligation": activity.obligation,
        "target_level": str(activity.target_level),
        "retired": "yes" if activity.is_retired else "no",
    }
    return {**row, **changes}


def entry_row(entry: Entry, **changes: str) -> dict[str, str]:
    row = {
        "ref": entry.ref,
        "part": entry.part,
        "section": entry.section.number if entry.section else "",
        "title": entry.title,
        "short_title": entry.short_title,
        "kind": entry.kind,
        "issuer": entry.issuer,
        "year": str(entry.year or ""),
        "description": entry.description,
        "url": entry.url,
        "sources": ", ".join(s.code for s in entry.sources.all()),
        "categories": ", ".join(c.numeral for c in entry.categories.all()),
        "activities": ", ".join(a.ref for a in entry.activities.all()),
        "retired": "yes" if entry.is_retired else "no",
    }
    return {**row, **changes}


def csv_bytes(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict[str, str]]) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(list(rows[0]))
    for row in rows:
        book.active.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes) -> list[dict[str, openpyxl.cell.Cell]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *body = list(sheet.iter_rows())
    return [{h.value: cell for h, cell in zip(header, row, strict=True)} for row in body]


def upload(client, model: str, content: bytes, name: str, fmt: str = CSV_FORMAT):
    """The first step: upload a file; the library answers with a preview (a dry run)."""
    return client.post(
        reverse(f"admin:catalogue_{model}_import"),
        {"resource": "0", "format": fmt, "import_file": SimpleUploadedFile(name, content)},
    )


def confirm(client, model: str, preview):
    """The second step: confirm the previewed import."""
    assert preview.context["confirm_form"], preview.context.get("problems")
    return client.post(
        reverse(f"admin:catalogue_{model}_process_import"), preview.context["confirm_form"].initial
    )


def export(client, model: str, fmt: str, refs: list[str]) -> bytes:
    """Export the rows of ``refs`` (a filter of the changelist) in the format ``fmt``."""
    url = reverse(f"admin:catalogue_{model}_export") + "?" + urlencode({"ref__in": ",".join(refs)})
    response = client.post(url, {"resource": "0", "format": fmt})
    assert response.status_code == 200
    return response.content


def test_an_activity_file_is_previewed_then_saved_on_confirmation(alice, rows):
    content = csv_bytes([
        activity_row(rows.first, text="Imported wording", obligation="mandated"),
        activity_row(rows.loose, ref="ZNEW.1", number="9", text="A new activity"),
    ])
    last = Activity.objects.order_by("-position").first()

    preview = upload(alice, "activity", content, "activities.csv")

    assert preview.status_code == 200
    assert preview.context["problems"] == []
    rows.first.refresh_from_db()
    assert rows.first.text == "Original wording", "the preview is a dry run"
    assert not Activity.objects.filter(ref="ZNEW.1").exists()

    response = confirm(alice, "activity", preview)

    assert response.status_code == 302
    rows.first.refresh_from_db()
    assert (rows.first.text, rows.first.obligation) == ("Imported wording", "mandated")
    new = Activity.objects.get(ref="ZNEW.1")
    assert (new.category, new.group, new.number) == (rows.category, None, "9")
    assert new.position == last.position + 1, "a new activity goes after the existing ones"


def test_an_entry_file_sets_the_links_exactly(alice, rows):
    content = csv_bytes([entry_row(
        rows.entry, title="Imported title", sources="T01", categories=rows.other.numeral,
        activities=f"{rows.loose.ref}, {rows.first.ref}",
    )])

    confirm(alice, "entry", upload(alice, "entry", content, "entries.csv"))

    rows.entry.refresh_from_db()
    assert rows.entry.title == "Imported title"
    assert list(rows.entry.categories.all()) == [rows.other]
    assert set(rows.entry.activities.all()) == {rows.loose, rows.first}


def test_a_file_with_missing_and_unexpected_columns_is_refused(alice, rows):
    row = activity_row(rows.first, text="Imported wording")
    del row["obligation"], row["target_level"]
    row["notes"] = "staff notes"

    preview = upload(alice, "activity", csv_bytes([row]), "activities.csv")

    expected = ", ".join(ACTIVITY_COLUMNS)
    assert preview.context["problems"] == [
        MISSING_COLUMNS.format(columns="“obligation”, “target_level”", expected=expected),
        UNEXPECTED_COLUMNS.format(columns="“notes”", expected=expected),
    ]
    assert "confirm_form" not in preview.context
    assert escape(preview.context["problems"][0]) in preview.content.decode()
    rows.first.refresh_from_db()
    assert rows.first.text == "Original wording"


def test_a_ref_named_twice_is_refused_with_both_rows_and_the_other_problems(alice, rows):
    content = csv_bytes([
        activity_row(rows.first, text="One wording"),
        activity_row(rows.loose, target_level="high"),
        activity_row(rows.first, text="Another wording"),
    ])

    preview = upload(alice, "activity", content, "activities.csv")

    assert preview.context["problems"] == [
        DUPLICATE_REF.format(ref=rows.first.ref, rows="2 and 4"),
        ROW_PROBLEM.format(row=3, column="target_level", message=NOT_A_LEVEL.format(value="high")),
    ]


def _numerals() -> str:
    return ", ".join(Category.objects.values_list("numeral", flat=True))


# mistake: (the row's changes, the column blamed, the message), each given the rows.
ACTIVITY_MISTAKES = {
    "unknown category": (
        lambda rows: {"category": "XLII"}, "category",
        lambda rows: UNKNOWN_CATEGORY.format(value="XLII", choices=_numerals()),
    ),
    "unknown group": (
        lambda rows: {"group": "NO.SUCH"}, "group",
        lambda rows: UNKNOWN_GROUP.format(value="NO.SUCH"),
    ),
    "group of another category": (
        lambda rows: {"category": rows.other.numeral}, "group",
        lambda rows: GROUP_NOT_IN_CATEGORY.format(
            group=rows.group.ref, actual=rows.category.numeral, given=rows.other.numeral
        ),
    ),
    "unknown obligation": (
        lambda rows: {"obligation": "maybe"}, "obligation",
        lambda rows: UNKNOWN_CHOICE.format(
            column="obligation", value="maybe", choices="mandated, recommended"
        ),
    ),
    "level out of range": (
        lambda rows: {"target_level": "5"}, "target_level",
        lambda rows: NOT_A_LEVEL.format(value="5"),
    ),
    "retired neither yes nor no": (
        lambda rows: {"retired": "perhaps"}, "retired",
        lambda rows: NOT_YES_NO.format(value="perhaps"),
    ),
}


@pytest.mark.parametrize("mistake", ACTIVITY_MISTAKES)
def test_an_activity_row_with_an_unknown_value_is_refused_with_its_row_and_reason(
    alice, rows, mistake
):
    changes, column, message = ACTIVITY_MISTAKES[mistake]
    content = csv_bytes([
        activity_row(rows.loose, text="Good row"),
        activity_row(rows.first, text="Bad row", **changes(rows)),
    ])

    preview = upload(alice, "activity", content, "activities.csv")

    expected = ROW_PROBLEM.format(row=3, column=column, message=message(rows))
    assert preview.context["problems"] == [expected]
    assert "confirm_form" not in preview.context
    assert escape(expected) in preview.content.decode()


ENTRY_MISTAKES = {
    "unknown part": (
        {"part": "Q", "section": ""}, "part",
        lambda rows: UNKNOWN_CHOICE.format(column="part", value="Q", choices="A, B, C, N"),
    ),
    "unknown kind": (
        {"kind": "pamphlet"}, "kind",
        lambda rows: UNKNOWN_CHOICE.format(
            column="kind", value="pamphlet", choices=", ".join(Entry.Kind.values)
        ),
    ),
    "unknown section": (
        {"section": "99.9"}, "section",
        lambda rows: UNKNOWN_SECTION.format(
            value="99.9", part="B", choices=", ".join(
                CompendiumSection.objects.filter(part="B").values_list("number", flat=True)
            ),
        ),
    ),
    "unknown source": (
        {"sources": "T01, 999"}, "sources",
        lambda rows: UNKNOWN_SOURCES.format(value="“999”", choices=", ".join(
            SourceDocument.objects.values_list("code", flat=True)
        )),
    ),
    "unknown category": (
        {"categories": "XLII"}, "categories",
        lambda rows: UNKNOWN_CATEGORIES.format(value="“XLII”", choices=_numerals()),
    ),
    "unknown activity": (
        {"activities": "NO.SUCH.1"}, "activities",
        lambda rows: UNKNOWN_ACTIVITIES.format(value="“NO.SUCH.1”"),
    ),
    "not a year": ({"year": "20x4"}, "year", lambda rows: NOT_A_YEAR.format(value="20x4")),
}


@pytest.mark.parametrize("mistake", ENTRY_MISTAKES)
def test_an_entry_row_with_an_unknown_value_is_refused_with_its_row_and_reason(
    alice, rows, mistake
):
    changes, column, message = ENTRY_MISTAKES[mistake]
    good = EntryFactory(section=rows.section)
    content = csv_bytes([
        entry_row(good, title="Good row"),
        entry_row(rows.entry, title="Bad row", **changes),
    ])

    preview = upload(alice, "entry", content, "entries.csv")

    assert preview.context["problems"] == [
        ROW_PROBLEM.format(row=3, column=column, message=message(rows))
    ]
    assert "confirm_form" not in preview.context


def test_a_latin1_file_is_refused_with_the_line_to_fix(alice, rows):
    content = csv_bytes([
        activity_row(rows.loose),
        activity_row(rows.first, text="Côte d'Ivoire"),
    ], encoding="latin-1")

    preview = upload(alice, "activity", content, "activities.csv")

    assert preview.context["form"].errors["import_file"] == [NOT_UTF8.format(line=3)]
    assert "confirm_form" not in preview.context


def test_a_binary_file_uploaded_as_csv_is_refused(alice):
    content = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))

    preview = upload(alice, "activity", content, "activities.csv")

    assert preview.context["form"].errors["import_file"] == [NOT_UTF8.format(line=1)]


@pytest.mark.parametrize("damage", ["truncated", "not a workbook"])
def test_a_damaged_xlsx_file_is_refused(alice, rows, damage):
    workbook = xlsx_bytes([activity_row(rows.first)])
    content = workbook[: len(workbook) // 2] if damage == "truncated" else b"ref,text\n"

    preview = upload(alice, "activity", content, "activities.xlsx", XLSX_FORMAT)

    assert preview.context["form"].errors["import_file"] == [NOT_XLSX]


def test_an_xlsx_file_imports_like_a_csv_file(alice, rows):
    row = activity_row(rows.first, text="From Excel", target_level=2)
    content = xlsx_bytes([row])

    confirm(alice, "activity", upload(alice, "activity", content, "a.xlsx", XLSX_FORMAT))

    rows.first.refresh_from_db()
    assert (rows.first.text, rows.first.target_level) == ("From Excel", 2)


def test_one_bad_row_among_good_ones_writes_none_of_them(rows):
    dataset = tablib.Dataset(headers=list(ACTIVITY_COLUMNS))
    dataset.append(list(activity_row(rows.first, text="Written, then rolled back").values()))
    dataset.append(list(activity_row(rows.loose, ref="ZNEW.2", text="New, rolled back").values()))
    dataset.append(list(activity_row(rows.loose, target_level="9").values()))
    resource = ActivityResource()

    result = resource.import_data(dataset, dry_run=False)

    assert import_problems(result, resource) == [
        ROW_PROBLEM.format(row=4, column="target_level", message=NOT_A_LEVEL.format(value="9"))
    ]
    rows.first.refresh_from_db()
    assert rows.first.text == "Original wording"
    assert not Activity.objects.filter(ref="ZNEW.2").exists()


def test_a_file_gone_stale_between_preview_and_confirmation_writes_nothing(alice, rows):
    content = csv_bytes([
        activity_row(rows.loose, text="Would be written"),
        activity_row(rows.first, text="Names the group"),
    ])
    preview = upload(alice, "activity", content, "activities.csv")
    # Meanwhile another staff member renames the group the file names.
    old_ref = rows.group.ref
    ActivityGroup.objects.filter(pk=rows.group.pk).update(ref="RENAMED")

    response = confirm(alice, "activity", preview)

    assert response.status_code == 302
    assert response.url == reverse("admin:catalogue_activity_import")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        IMPORT_REFUSED,
        ROW_PROBLEM.format(row=3, column="group", message=UNKNOWN_GROUP.format(value=old_ref)),
    ]
    rows.loose.refresh_from_db()
    assert rows.loose.text == "Loose wording"


def test_staff_without_the_import_permission_get_no_import_button_and_a_403(client, carol, rows):
    client.force_login(carol)
    import_url = reverse("admin:catalogue_activity_import")

    changelist = client.get(reverse("admin:catalogue_activity_changelist"))

    assert changelist.status_code == 200
    assert import_url not in changelist.content.decode()
    assert reverse("admin:catalogue_activity_export") not in changelist.content.decode()
    assert client.get(import_url).status_code == 403
    content = csv_bytes([activity_row(rows.first, text="Not allowed")])
    assert upload(client, "activity", content, "activities.csv").status_code == 403
    process = client.post(reverse("admin:catalogue_activity_process_import"), {})
    assert process.status_code == 403
    assert client.get(reverse("admin:catalogue_activity_export")).status_code == 403


def test_staff_with_the_import_permission_can_import(client, carol, rows):
    carol.user_permissions.add(Permission.objects.get(codename="import_activity"))
    client.force_login(carol)

    changelist = client.get(reverse("admin:catalogue_activity_changelist"))
    content = csv_bytes([activity_row(rows.first, text="Imported by Carol")])
    confirm(client, "activity", upload(client, "activity", content, "activities.csv"))

    assert reverse("admin:catalogue_activity_import") in changelist.content.decode()
    rows.first.refresh_from_db()
    assert rows.first.text == "Imported by Carol"


def test_staff_with_the_export_permission_can_export(client, carol, rows):
    carol.user_permissions.add(Permission.objects.get(codename="export_activity"))
    client.force_login(carol)

    content = export(client, "activity", CSV_FORMAT, [rows.first.ref])

    languages = {f"{name}_{code}": "" for code in ("ar", "zh_hans", "fr", "ru", "es")
                 for name in ("text", "status")}
    assert read_csv(content) == [activity_row(rows.first, **languages)]


@pytest.mark.parametrize("character", FORMULA_CHARACTERS)
def test_exported_cells_that_could_run_as_formulas_are_quoted_in_csv_and_xlsx(
    alice, rows, character
):
    formula = f'{character}HYPERLINK("http://evil.example","click")'
    entry = EntryFactory(
        ref=f"{character}1", title=formula, description=f"{character}1+1", section=rows.section,
        short_title="Counter-terrorism - a guide", issuer="'Quoted issuer",
    )

    [csv_row] = read_csv(export(alice, "entry", CSV_FORMAT, [entry.ref]))
    [xlsx_row] = read_xlsx(export(alice, "entry", XLSX_FORMAT, [entry.ref]))

    for cells in (csv_row, {k: c.value for k, c in xlsx_row.items()}):
        quoted = {k: cells[k] for k in ("ref", "title", "description", "short_title", "issuer")}
        if character == "\r":  # XLSX cannot hold a bare CR: it reads back as a line feed
            quoted = {k: v.replace("\n", "\r") for k, v in quoted.items()}
        assert quoted == {
            "ref": f"'{character}1",
            "title": f"'{formula}",
            "description": f"'{character}1+1",
            "short_title": "Counter-terrorism - a guide",
            "issuer": "'Quoted issuer",
        }
    assert "f" not in {cell.data_type for cell in xlsx_row.values()}, "no formula cell"


@pytest.mark.parametrize("fmt", [CSV_FORMAT, XLSX_FORMAT])
def test_importing_an_exported_file_gives_back_the_original_values(alice, rows, fmt):
    entries = [
        EntryFactory(
            ref=f"-T{i}", section=rows.section, title=f"{c}title {i}", short_title=f"'{c}twice",
            description=f"'plain quote, {c} inside", issuer=f"{c}issuer\r\nsecond line",
            year=None,
        )
        for i, c in enumerate(FORMULA_CHARACTERS)
    ]
    entries[0].activities.set([rows.first])
    refs = [e.ref for e in entries]

    def values() -> dict[str, dict[str, str]]:
        return {e.ref: entry_row(e) for e in Entry.objects.filter(ref__in=refs)}

    original = values()
    content = export(alice, "entry", fmt, refs)
    Entry.objects.filter(ref__in=refs).update(title="changed", short_title="", issuer="x")
    entries[0].activities.clear()
    count = Entry.objects.count()

    name = "entries.csv" if fmt == CSV_FORMAT else "entries.xlsx"
    confirm(alice, "entry", upload(alice, "entry", content, name, fmt))

    # Line breaks come back as line feeds (see catalogue/resources.py), nothing else changes.
    assert values() == {
        ref: {k: v.replace("\r\n", "\n").replace("\r", "\n") for k, v in row.items()}
        for ref, row in original.items()
    }
    assert Entry.objects.count() == count, "refs such as -T2 matched their rows"


def test_an_exported_activity_file_imports_back_unchanged(alice, rows):
    content = export(alice, "activity", CSV_FORMAT, [rows.first.ref, rows.loose.ref])

    preview = upload(alice, "activity", content, "activities.csv")

    assert preview.context["problems"] == []
    assert preview.context["result"].totals["skip"] == 2, "nothing to change"


@pytest.mark.skipif(
    not FRAMEWORK_FILE.exists(),
    reason="catalogue/data/framework.yaml is not written yet: no loader to keep edits from",
)
def test_an_imported_wording_is_kept_in_history_and_by_the_loader(alice, staff):
    activity = Activity.objects.exclude(reference_digest="").select_related("group").first()
    original = activity.text
    content = csv_bytes([activity_row(activity, text="Reworded by UNODC staff")])

    confirm(alice, "activity", upload(alice, "activity", content, "activities.csv"))
    call_command("load_reference", verbosity=0)

    activity.refresh_from_db()
    assert activity.text == "Reworded by UNODC staff"
    imported, loaded = activity.history.all()[:2]
    assert (loaded.text, imported.text) == (original, "Reworded by UNODC staff")
    assert imported.history_user == staff
    assert imported.history_change_reason == IMPORTED_FROM.format(file_name="activities.csv")
