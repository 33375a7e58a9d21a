"""Reference texts in the six UN languages: the loaded translations, their status, the English
shown (and marked) where one lacks, admin, import/export per language; answers in any language."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.models import Answer
from catalogue.models import (
    Activity,
    ActivityGroup,
    Category,
    CompendiumSection,
    Entry,
    Guideline,
    GuidelineItem,
    TranslationStatus,
)
from catalogue.reference_translations import load_catalogue_translations, other_languages
from catalogue.tables import as_csv, as_xlsx
from catalogue.texts import content_html
from catalogue.upsert import KEPT, LoadReport
from scoring.models import GuidelineCriterion

LANGUAGES = ["ar", "zh-hans", "fr", "ru", "es"]
APPROVED, PROVISIONAL = TranslationStatus.APPROVED.value, TranslationStatus.PROVISIONAL.value


def get_in(client, language: str, url: str, **params):
    """A page in ``language``: asked for by the browser and active while the view runs."""
    with translation.override(language):
        return client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)


# --- the loaded translations --------------------------------------------------------------------


def test_the_other_languages_are_the_five_official_ones_besides_english():
    assert sorted(other_languages()) == sorted(LANGUAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reference_text_is_loaded_in_each_language_as_provisional(language):
    column = language.replace("-", "_")
    for model, names in [
        (Category, ["title"]),
        (Activity, ["text"]),
        (Guideline, ["text"]),
        (GuidelineItem, ["text"]),
        (GuidelineCriterion, ["label", "to_improve"]),
        (Entry, ["title"]),
    ]:
        for row in model.objects.all():
            for name in names:
                assert getattr(row, f"{name}_{column}"), (model.__name__, row.pk, name)
            assert row.translation_status[language] == PROVISIONAL
    assert Activity.objects.count() == 123 and Category.objects.count() == 11


@pytest.mark.django_db
def test_the_original_field_reads_the_active_language_and_english_stays_the_source():
    activity = Activity.objects.get(ref="I.1")
    english = "Review and assess current implementation of conventions"
    assert activity.text_en == english
    with translation.override("fr"):
        assert activity.text.startswith("Examiner et évaluer")
    with translation.override("zh-hans"):
        assert activity.text == activity.text_zh_hans
    with translation.override("en"):
        assert activity.text == english


@pytest.mark.django_db
def test_load_reference_reports_the_coverage_of_each_language():
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    text = out.getvalue()
    for language in LANGUAGES:
        line = next(x for x in text.splitlines() if x.startswith(f"{language}: "))
        done, total = line.split()[1].split("/")
        assert done == total and int(total) > 700, line
    assert "Reference data already up to date." in text


@pytest.mark.django_db
def test_a_reload_keeps_approved_texts_and_restores_provisional_ones():
    approved = Activity.objects.get(ref="I.1")
    approved.text_fr = "Texte revu par le personnel"
    approved.translation_status = {**approved.translation_status, "fr": APPROVED}
    approved.save()
    provisional = Activity.objects.get(ref="I.2")
    original = provisional.text_fr
    provisional.text_fr = "Brouillon modifié"
    provisional.save()
    digest = approved.reference_digest

    report = LoadReport()
    load_catalogue_translations(report, overwrite=False)

    approved.refresh_from_db()
    provisional.refresh_from_db()
    assert approved.text_fr == "Texte revu par le personnel"
    assert approved.translation_status["fr"] == APPROVED
    assert approved.reference_digest == digest  # the English digest is not touched
    assert provisional.text_fr == original
    assert report.counts["translations fr"][KEPT] == 1

    load_catalogue_translations(LoadReport(), overwrite=True)
    approved.refresh_from_db()
    assert approved.text_fr != "Texte revu par le personnel"
    assert approved.translation_status["fr"] == PROVISIONAL


@pytest.mark.django_db
def test_a_file_missing_texts_leaves_them_empty_and_reports_them(tmp_path: Path):
    folder = tmp_path / "fr"
    folder.mkdir()
    (folder / "framework.yaml").write_text(
        "language: fr\nstatus: provisional\ncategories:\n  I: {title: Généralités}\n",
        encoding="utf-8",
    )
    coverage = load_catalogue_translations(LoadReport(), overwrite=False, data_dir=tmp_path)

    general, legislative = Category.objects.get(numeral="I"), Category.objects.get(numeral="II")
    assert general.title_fr == "Généralités"
    assert legislative.title_fr is None
    with translation.override("fr"):
        assert legislative.title == legislative.title_en  # English, never a blank
    lines = "\n".join(coverage.lines())
    assert "fr: " in lines and "missing, shown in English" in lines
    assert "categories II title" in lines


# --- English shown, marked, where a translation lacks -------------------------------------------


@pytest.mark.django_db
def test_the_english_text_is_marked_where_the_translation_lacks():
    activity = Activity.objects.get(ref="I.3")
    with translation.override("fr"):
        assert content_html(activity, "text") == activity.text_fr
        activity.text_fr = None
        html = content_html(activity, "text")
        in_english = translation.gettext("(in English)")
    assert 'lang="en"' in html and 'class="fallback-text"' in html
    assert in_english != "(in English)"  # said in the reader's language
    assert activity.text_en in html and in_english in html
    with translation.override("en"):
        assert content_html(activity, "text") == activity.text_en


@pytest.mark.django_db
def test_the_framework_and_category_pages_show_the_readers_language(client, ministry_user):
    client.force_login(ministry_user)
    Category.objects.filter(numeral="II").update(title_fr=None)
    page = get_in(client, "fr", reverse("catalogue:framework")).content.decode()
    assert "Incrimination / sanctions pénales" in page
    assert '<span lang="en" dir="ltr" class="fallback-text">Legislative (General)' in page

    url = Category.objects.get(numeral="I").get_absolute_url()
    page = get_in(client, "ar", url).content.decode()
    assert Activity.objects.get(ref="I.1").text_ar in page


@pytest.mark.django_db
def test_the_compendium_entry_page_shows_the_readers_language(client, ministry_user):
    client.force_login(ministry_user)
    entry = Entry.objects.get(ref="A-1.1")
    page = get_in(client, "fr", entry.get_absolute_url()).content.decode()
    assert "Convention de Tokyo" in page
    Entry.objects.filter(pk=entry.pk).update(description_fr="")
    page = get_in(client, "fr", entry.get_absolute_url()).content.decode()
    assert '<div lang="en" dir="ltr" class="fallback-text">' in page


@pytest.mark.django_db
def test_the_section_page_shows_the_activities_in_the_readers_language(client, cast):
    client.force_login(cast.focal_a)
    url = reverse("assessments:section", args=[cast.assessment_a.pk, "I"])
    page = get_in(client, "zh-hans", url).content.decode()
    assert Activity.objects.get(ref="I.1").text_zh_hans in page
    Activity.objects.filter(ref="I.2").update(text_zh_hans=None)
    page = get_in(client, "zh-hans", url).content.decode()
    assert 'class="fallback-text">Assess and identify technical assistance needs' in page


@pytest.mark.django_db
def test_the_section_page_runs_as_many_queries_in_every_language(client, cast):
    client.force_login(cast.focal_a)
    url = reverse("assessments:section", args=[cast.assessment_a.pk, "III"])
    counts = {}
    for language in ["en", "ar", "fr"]:
        get_in(client, language, url)  # warm the per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert get_in(client, language, url).status_code == 200
        counts[language] = len(queries)
    assert counts["ar"] == counts["en"] == counts["fr"]


@pytest.mark.django_db
def test_the_results_page_gives_the_guideline_criteria_in_the_readers_language(client, cast):
    client.force_login(cast.focal_a)
    url = reverse("scoring:results", args=[cast.assessment_a.pk])
    criterion = GuidelineCriterion.objects.get(code="G1.answered")
    page = get_in(client, "fr", url).content.decode()
    assert criterion.label_fr in page
    assert "Répondez pour les 123 activités" in page
    page = get_in(client, "en", url).content.decode()
    assert criterion.label_en in page and criterion.label_fr not in page


# --- admin ---------------------------------------------------------------------------------------


@pytest.fixture
def alice(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.django_db
def test_admin_shows_each_language_and_flags_provisional_texts(alice):
    page = alice.get(reverse("admin:catalogue_activity_changelist")).content.decode()
    assert "fr provisional" in page
    activity = Activity.objects.get(ref="I.1")
    form = alice.get(reverse("admin:catalogue_activity_change", args=[activity.pk]))
    assert form.status_code == 200
    fields = form.context["adminform"].form.fields
    assert {"text_en", "text_fr", "text_ar", "text_zh_hans"} <= set(fields)
    for model in [Category, Guideline, CompendiumSection, Entry, ActivityGroup]:
        name = model._meta.model_name
        url = reverse(f"admin:catalogue_{name}_change", args=[model.objects.first().pk])
        page = alice.get(url)
        assert page.status_code == 200, name
        assert any(f.endswith("_fr") for f in page.context["adminform"].form.fields), name
        changelist = alice.get(reverse(f"admin:catalogue_{name}_changelist"))
        assert "fr provisional" in changelist.content.decode(), name
    criterion = GuidelineCriterion.objects.first()
    url = reverse("admin:scoring_guidelinecriterion_change", args=[criterion.pk])
    assert alice.get(url).status_code == 200


@pytest.mark.django_db
def test_staff_approve_a_language_and_filter_by_status(alice):
    url = reverse("admin:catalogue_activity_changelist")
    one = Activity.objects.get(ref="I.1")
    alice.post(url, {"action": "approve_fr", "_selected_action": [one.pk]})
    one.refresh_from_db()
    assert one.translation_status["fr"] == APPROVED
    assert one.translation_status["es"] == PROVISIONAL

    approved = alice.get(url, {"translation": "fr:approved"})
    assert [a.pk for a in approved.context["cl"].result_list] == [one.pk]
    provisional = alice.get(url, {"translation": "fr:provisional"})
    assert provisional.context["cl"].result_count == 122
    missing = alice.get(url, {"translation": "ru:missing"})
    assert missing.context["cl"].result_count == 0


@pytest.mark.django_db
def test_a_translation_edited_in_admin_counts_as_approved(alice):
    guideline = Guideline.objects.get(number=9)
    url = reverse("admin:catalogue_guideline_change", args=[guideline.pk])
    form = alice.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({
        "text_fr": "L'assistance technique devrait être fournie rapidement.",
        "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0",
    })
    response = alice.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    guideline.refresh_from_db()
    assert guideline.text_fr.endswith("rapidement.")
    assert guideline.translation_status["fr"] == APPROVED
    assert guideline.translation_status["es"] == PROVISIONAL


# --- import and export per language --------------------------------------------------------------


def _upload(client, content: bytes, name: str = "fr.csv"):
    return client.post(
        reverse("admin:catalogue_activity_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile(name, content)},
    )


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.django_db
def test_the_export_has_the_columns_of_every_language(alice):
    url = reverse("admin:catalogue_entry_export") + "?ref__in=A-1.1"
    body = alice.post(url, {"resource": "0", "format": "0"}).content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))
    values = dict(zip(header, row, strict=True))
    assert header[:4] == ["ref", "part", "section", "title"]
    assert values["short_title_fr"] == "Convention de Tokyo"
    assert values["status_zh_hans"] == PROVISIONAL
    assert values["title"].startswith("Convention on Offences")
    assert len(header) == len(set(header))


@pytest.mark.django_db
def test_importing_one_languages_columns_updates_only_that_language(alice):
    activity = Activity.objects.get(ref="I.4")
    before = {n: getattr(activity, n) for n in ("text_en", "text_es", "text_ar")}
    content = _csv([["ref", "text_fr", "status_fr"], ["I.4", "=Nouvelle formulation", "approved"]])
    preview = _upload(alice, content)
    assert preview.context.get("confirm_form"), preview.context.get("problems")
    alice.post(
        reverse("admin:catalogue_activity_process_import"),
        preview.context["confirm_form"].initial,
    )
    activity.refresh_from_db()
    assert activity.text_fr == "=Nouvelle formulation"
    assert activity.translation_status["fr"] == APPROVED
    assert {n: getattr(activity, n) for n in before} == before
    assert activity.translation_status["es"] == PROVISIONAL


@pytest.mark.django_db
def test_a_translation_file_names_known_refs_and_statuses(alice):
    content = _csv([["ref", "text_ru", "status_ru"], ["ZZ.9", "Текст", ""], ["I.1", "Текст", "ok"]])
    problems = _upload(alice, content).context["problems"]
    assert any("Row 2" in p and "a file of translations only updates existing rows" in p
               for p in problems)
    assert any("Row 3" in p and "“ok” is not a status" in p for p in problems)
    assert Activity.objects.get(ref="I.1").text_ru != "Текст"


# --- answers in any language ---------------------------------------------------------------------

ARABIC = "=تدريب المدعين العامين على التعاون الدولي"
CHINESE = "为检察官提供关于司法协助的培训"


def test_arabic_and_chinese_answers_round_trip_through_csv_and_xlsx():
    rows = [["KEN", ARABIC, CHINESE], ["FJI", "-ремонт", "@备注"]]
    body = as_csv(["iso3", "other providers", "resources"], rows)
    assert body.startswith("\ufeff".encode())
    read = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert read[1] == ["KEN", f"'{ARABIC}", CHINESE]
    assert read[2] == ["FJI", "'-ремонт", "'@备注"]

    book = openpyxl.load_workbook(io.BytesIO(as_xlsx([("Answers", ["a", "b", "c"], rows)])))
    values = list(book["Answers"].iter_rows(values_only=True))
    assert values[1] == ("KEN", f"'{ARABIC}", CHINESE)


@pytest.mark.django_db
def test_the_action_plan_carries_answers_in_arabic_and_chinese(client, cast):
    answer = Answer.objects.get(assessment=cast.assessment_a, activity__ref="VII.A.1")
    answer.state, answer.level = "level", 0
    answer.other_providers, answer.resources = ARABIC, CHINESE
    answer.save()
    answer.refresh_from_db()
    assert (answer.other_providers, answer.resources) == (ARABIC, CHINESE)

    client.force_login(cast.focal_a)
    response = client.get(reverse("scoring:action_plan", args=[cast.assessment_a.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r[1] == "VII.A.1"]
    assert f"'{ARABIC}" in rows[0] and CHINESE in rows[0]


@pytest.mark.django_db
@pytest.mark.parametrize("query", [ARABIC, CHINESE, "Защита свидетелей", "保护证人"])
def test_the_need_search_accepts_queries_in_any_language(client, cast, settings, query):
    settings.MATCHING_MODEL = ""  # words only: the semantic tests check the meaning
    client.force_login(cast.focal_a)
    url = reverse("assessments:need_search", args=[cast.assessment_a.pk])
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    assert query.lstrip("=") in response.content.decode()


@pytest.mark.django_db
def test_names_in_any_script_leave_in_a_utf8_csv_excel_reads(client, cast):
    cast.focal_a.first_name, cast.focal_a.last_name = "فاطمة", "王"
    cast.focal_a.save()
    client.force_login(cast.staff)
    url = reverse("assessments:tracking_export", args=[cast.assessment_a.cycle_id])
    response = client.get(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert any("فاطمة 王 <ken-focal@example.org>" in row for row in rows)
