"""Regional and global overview reports for staff: what they say, who may ask, the queue."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Cycle, MemberState
from assessments.opening import assessment_open
from reports.admin import CHOOSE_REGION
from reports.models import ReportJob
from reports.overview import UNKNOWN_REGION, overview_report_context
from reports.rendering import render_job_pdf, render_overview_pdf
from reports.services import report_request_overview, report_retry
from reports.views import REFUSED
from scoring.results import assessment_results
from tests.test_reports import make_gaps, squeezed, text_of
from tools.bench.reports import report_timings

pytestmark = pytest.mark.django_db

COMMON = "I.1"  # the activity both countries have a gap on


@pytest.fixture
def answered(cast):
    """Kenya (Africa) and Fiji (Oceania) both with a gap on I.1; Kenya also on VII.D.5."""
    make_gaps(cast.assessment_a, (COMMON, "We need a national strategy."), ("VII.D.5", ""))
    make_gaps(cast.assessment_b, (COMMON, "A strategy, please."))
    return cast


def request_overview(client, cycle, region=""):
    return client.post(
        reverse("reports:overview_request", kwargs={"cycle_pk": cycle.pk}), {"region": region}
    )


# --- what the overview says ----------------------------------------------------------------


def test_the_overview_counts_a_common_gap_and_its_matched_entries_across_countries(answered):
    context = overview_report_context(answered.assessment_a.cycle)
    first = context["common_gaps"][0]
    assert (first.label, first.countries, first.share, first.requested) == (COMMON, 2, 100, 2)
    assert all(gap.countries <= 2 for gap in context["common_gaps"])
    top = context["matched_entries"][0]
    assert top.gaps >= 2 and top.countries == 2
    assert [row.name for row in context["summary"]] == ["Africa", "Oceania"]
    assert [g.name for g in context["heat_groups"]] == ["Africa", "Oceania"]
    gaps = [len(assessment_results(a).gaps) for a in (answered.assessment_a, answered.assessment_b)]
    assert context["assessments"] == 2 and context["gap_count"] == sum(gaps)
    assert len(context["guidelines"]) == 10


def test_a_category_nobody_answered_is_blank_never_zero(answered):
    context = overview_report_context(answered.assessment_a.cycle)
    fiji = context["heat_groups"][1].rows[0]
    assert fiji.country == "Fiji"
    assert fiji.categories[0] is not None  # I.1 has a level
    assert fiji.categories[1:] == (None,) * 10
    kenya = context["heat_groups"][0].rows[0]
    assert fiji.categories[6] is None and kenya.categories[6] is not None  # VII
    assert context["total"].categories[6] == kenya.categories[6]  # Fiji's blank is left out


def test_the_pdf_names_the_countries_a_common_gap_and_a_matched_entry(answered, settings):
    settings.REPORT_AUTHOR = "UNODC test author"
    cycle = answered.assessment_a.cycle
    context = overview_report_context(cycle)
    pdf = render_overview_pdf(cycle)
    text = squeezed(text_of(pdf))
    for words in ("Kenya", "Fiji", "All member states", context["common_gaps"][0].text,
                  context["matched_entries"][0].title[:50], "Guideline 10", "Method"):
        assert squeezed(words) in text, words
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert f"2/{pages}" in text  # the running footer: page 2 of all
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata.title == f"Technical assistance needs overview: All member states, {cycle}"
    assert metadata.author == "UNODC test author"


def test_a_regional_overview_has_only_the_countries_of_its_region(answered):
    cycle = answered.assessment_a.cycle
    context = overview_report_context(cycle, "Africa")
    assert [row.country for g in context["heat_groups"] for row in g.rows] == ["Kenya"]
    assert [row.name for row in context["summary"]] == ["Sub-Saharan Africa"]  # sub-regions
    text = squeezed(text_of(render_overview_pdf(cycle, "Africa")))
    assert squeezed("Technical assistance needs overview") in text
    assert "Kenya" in text and "Fiji" not in text


def test_the_overview_reads_no_more_for_more_countries(answered):
    """score_all's queries (reference version, ids, fingerprints, stored fingerprints,
    payloads), then the assessments with their countries, the categories, the offence groups."""
    cycle = answered.assessment_a.cycle
    overview_report_context(cycle)  # scores stored: the cache is fresh from here on
    with CaptureQueriesContext(connection) as two:
        overview_report_context(cycle)
    for iso3 in ("NGA", "FRA", "PER"):
        make_gaps(assessment_open(cycle=cycle, country=MemberState.objects.get(iso3=iso3)),
                  (COMMON, ""))
    overview_report_context(cycle)
    with CaptureQueriesContext(connection) as five:
        context = overview_report_context(cycle)
    assert context["assessments"] == 5
    assert len(two) == len(five) == 8


# --- jobs ----------------------------------------------------------------------------------


def test_staff_ask_twice_and_get_one_job_rendered_to_storage(
    client, answered, django_capture_on_commit_callbacks
):
    cycle = answered.assessment_a.cycle
    client.force_login(answered.staff)
    with django_capture_on_commit_callbacks(execute=True):
        first = request_overview(client, cycle)
    job = ReportJob.objects.get()
    assert first.status_code == 302 and first["Location"] == job.get_absolute_url()
    assert (job.kind, job.region, job.assessment) == (ReportJob.Kind.GLOBAL, "", None)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Global overview: All member states" in page and "Back to the heat map" in page
    download = client.get(reverse("reports:download", kwargs={"pk": job.pk}))
    assert download["Content-Disposition"].endswith('global-2026-assessment-global-report-en.pdf"')
    assert "Kenya" in text_of(b"".join(download.streaming_content))


def test_asking_twice_while_active_renders_once(answered):
    cycle = answered.assessment_a.cycle
    first = report_request_overview(cycle=cycle, user=answered.staff)
    again = report_request_overview(cycle=cycle, user=answered.staff)
    africa = report_request_overview(cycle=cycle, region="Africa")
    assert first.pk == again.pk != africa.pk
    assert africa.kind == ReportJob.Kind.REGIONAL
    assert ReportJob.objects.count() == 2


def test_the_database_allows_one_active_overview_per_region_and_cycle(answered):
    cycle = answered.assessment_a.cycle
    ReportJob.objects.create(kind=ReportJob.Kind.REGIONAL, region="Africa", cycle=cycle)
    ReportJob.objects.create(kind=ReportJob.Kind.REGIONAL, region="Oceania", cycle=cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(
            kind=ReportJob.Kind.REGIONAL, region="Africa", cycle=cycle,
            status=ReportJob.Status.RUNNING,
        )


def test_a_regional_job_renders_its_region_and_a_failed_one_can_be_asked_again(answered):
    cycle = answered.assessment_a.cycle
    job = ReportJob.objects.create(
        kind=ReportJob.Kind.REGIONAL, region="Oceania", cycle=cycle,
        status=ReportJob.Status.FAILED,
    )
    text = text_of(render_job_pdf(job))
    assert "Fiji" in text and "Kenya" not in text
    again = report_retry(job=job, user=answered.staff)
    assert again.pk != job.pk
    assert (again.kind, again.region, again.status) == (
        ReportJob.Kind.REGIONAL, "Oceania", ReportJob.Status.QUEUED
    )


def test_an_unknown_region_is_refused_with_a_message(client, answered):
    cycle = answered.assessment_a.cycle
    client.force_login(answered.staff)
    response = request_overview(client, cycle, "Atlantis")
    heatmap = reverse("scoring:heatmap")
    assert (response.status_code, response["Location"]) == (302, f"{heatmap}?cycle={cycle.pk}")
    reason = UNKNOWN_REGION.format(region="Atlantis")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [REFUSED % {"reason": reason}]
    assert not ReportJob.objects.exists()


def test_an_unknown_cycle_or_the_2004_baseline_is_not_found(client, answered):
    client.force_login(answered.staff)
    baseline = Cycle.objects.create(
        name="2004", starts_on=datetime.date(2004, 2, 24), ends_on=datetime.date(2004, 2, 27),
        is_baseline=True,
    )
    assert request_overview(client, baseline).status_code == 404
    missing = reverse("reports:overview_request", kwargs={"cycle_pk": 999_999})
    assert client.post(missing).status_code == 404
    assert not ReportJob.objects.exists()


def test_ministry_users_can_neither_ask_for_nor_see_an_overview(client, answered):
    cycle = answered.assessment_a.cycle
    job = ReportJob.objects.create(kind=ReportJob.Kind.GLOBAL, cycle=cycle)
    job.file.save("overview.pdf", io.BytesIO(b"%PDF-1.7 overview"))
    job.status = ReportJob.Status.DONE
    job.save()
    for user in (answered.focal_a, answered.reader_a, answered.user_b):
        client.force_login(user)
        assert request_overview(client, cycle).status_code == 404
        assert client.get(job.get_absolute_url()).status_code == 404
        assert client.get(reverse("reports:download", kwargs={"pk": job.pk})).status_code == 404
    client.force_login(answered.staff)
    assert client.get(reverse("reports:download", kwargs={"pk": job.pk})).status_code == 200
    assert ReportJob.objects.count() == 1


def test_the_heat_map_offers_the_overview_of_what_it_shows(client, answered):
    client.force_login(answered.staff)
    cycle = answered.assessment_a.cycle
    html = client.get(reverse("scoring:heatmap"), {"region": "Africa"}).content.decode()
    action = reverse("reports:overview_request", kwargs={"cycle_pk": cycle.pk})
    assert f'action="{action}"' in html
    assert '<input type="hidden" name="region" value="Africa">' in html
    assert "Overview report (PDF): Africa" in html


# --- admin, command, bench -------------------------------------------------------------------


def test_staff_start_a_global_or_regional_overview_from_the_admin(client, answered):
    client.force_login(answered.staff)
    url = reverse("admin:reports_reportjob_start")
    cycle = answered.assessment_a.cycle
    assert client.post(url, {"report": "global", "cycle": cycle.pk}).status_code == 302
    refused = client.post(url, {"report": "regional", "cycle": cycle.pk})
    assert refused.status_code == 200 and str(CHOOSE_REGION) in refused.content.decode()
    client.post(url, {"report": "regional", "cycle": cycle.pk, "region": "Oceania"})
    assert set(ReportJob.objects.values_list("kind", "region", "assessment")) == {
        ("global", "", None), ("regional", "Oceania", None)
    }


def test_staff_ask_again_for_a_failed_overview_from_the_admin(client, answered):
    failed = ReportJob.objects.create(
        kind=ReportJob.Kind.GLOBAL, cycle=answered.assessment_a.cycle,
        status=ReportJob.Status.FAILED,
    )
    client.force_login(answered.staff)
    client.post(
        reverse("admin:reports_reportjob_changelist"),
        {"action": "ask_again", "_selected_action": [failed.pk]},
    )
    again = ReportJob.objects.exclude(pk=failed.pk).get()
    assert (again.kind, again.status) == (ReportJob.Kind.GLOBAL, ReportJob.Status.QUEUED)


def test_the_command_renders_an_overview(answered, tmp_path):
    out = tmp_path / "africa.pdf"
    call_command("render_report", "--overview", "--region", "Africa", "--out", str(out),
                 stdout=io.StringIO())
    text = text_of(out.read_bytes())
    assert "Kenya" in text and "Fiji" not in text
    out = tmp_path / "all.pdf"
    call_command("render_report", "--overview", "--out", str(out), stdout=io.StringIO())
    assert "Fiji" in text_of(out.read_bytes())


def test_the_command_refuses_an_unknown_region_or_a_region_without_overview(answered):
    with pytest.raises(CommandError, match="Atlantis"):
        call_command("render_report", "--overview", "--region", "Atlantis", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--overview"):
        call_command("render_report", "KEN", "--region", "Africa", stdout=io.StringIO())


def test_the_bench_times_both_reports_and_counts_their_pages(answered):
    timings = report_timings(answered.assessment_a.cycle)
    busiest = max((answered.assessment_a, answered.assessment_b),
                  key=lambda a: len(assessment_results(a).gaps))
    assert timings["country"] == busiest.country.iso3 and timings["global_countries"] == 2
    for name in ("country", "global"):
        assert timings[f"{name}_weasyprint"] > 0
        assert 0 < timings[f"{name}_project"] < timings[f"{name}_total"]
        assert timings[f"{name}_pages"] >= 5
