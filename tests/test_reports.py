"""PDF gap reports: jobs, the queue's rules, safe rendering, access, the command."""

from __future__ import annotations

import io
import logging
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.choices import AnswerState
from assessments.models import Assessment
from reports import services
from reports.fonts import font_file, report_fonts
from reports.models import ReportJob
from reports.rendering import RefusedURL, render_country_pdf, static_path, static_url_fetcher
from reports.services import report_request, report_requeue_stuck, report_run
from reports.signals import EVICTION_WARNING, check_broker_eviction_policy
from scoring.charts import guideline_chart_svg

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<img src=file:///etc/passwd>",
    '<link rel=attachment href="file:///etc/passwd">',
    "<style>@import url(http://127.0.0.1:6379/);</style>",
    "A" * 3000,  # one unbroken string, wider than any column
    "نحتاج إلى تدريب القضاة",  # Arabic, right to left
    "Training 🙂👩‍⚖️ please",
]


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def squeezed(text: str) -> str:
    return "".join(text.split())


def make_gaps(assessment: Assessment, *refs_and_comments: tuple[str, str]) -> None:
    # update() bypasses the services: bump the version so the scores see the change.
    for ref, comment in refs_and_comments:
        assessment.answers.filter(activity__ref=ref).update(
            state=AnswerState.LEVEL, level=1, assistance_needed=True, priority="high",
            comment=comment, version=F("version") + 1,
        )


@pytest.fixture
def kenya(cast):
    make_gaps(cast.assessment_a, ("I.1", "We need a national strategy."), ("VII.D.5", ""))
    return cast.assessment_a


# --- jobs and the queue's rules -----------------------------------------------------------


def test_asking_twice_while_a_job_is_active_returns_the_same_job(cast):
    first = report_request(assessment=cast.assessment_a, user=cast.focal_a)
    second = report_request(assessment=cast.assessment_a, user=cast.reader_a)
    assert first.pk == second.pk
    assert ReportJob.objects.count() == 1


def test_the_database_allows_one_active_job_per_report(cast):
    ReportJob.objects.create(assessment=cast.assessment_a, cycle=cast.assessment_a.cycle)
    with pytest.raises(IntegrityError):
        ReportJob.objects.create(
            assessment=cast.assessment_a, cycle=cast.assessment_a.cycle,
            status=ReportJob.Status.RUNNING,
        )


def test_a_request_is_sent_on_commit_and_rendered_to_storage(
    kenya, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = report_request(assessment=kenya, user=cast.focal_a)
        assert ReportJob.objects.get().status == ReportJob.Status.QUEUED  # not before commit
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (ReportJob.Status.DONE, 1, "")
    assert job.sent_at and job.started_at and job.finished_at
    assert job.file.storage.exists(job.file.name)
    with job.file.open("rb") as f:
        assert f.read(5) == b"%PDF-"


def test_a_done_job_delivered_again_renders_nothing(kenya):
    job = ReportJob.objects.create(
        assessment=kenya, cycle=kenya.cycle, status=ReportJob.Status.DONE, attempts=1
    )
    with mock.patch("reports.rendering.render_job_pdf") as render:
        assert report_run(job_id=job.pk).result == "nothing to do"
    render.assert_not_called()


def test_a_job_another_delivery_is_rendering_is_looked_at_again_after_the_lease(kenya):
    job = ReportJob.objects.create(
        assessment=kenya, cycle=kenya.cycle, status=ReportJob.Status.RUNNING, attempts=1,
        started_at=timezone.now(),
    )
    with mock.patch("reports.rendering.render_job_pdf") as render:
        outcome = report_run(job_id=job.pk)
    render.assert_not_called()
    assert outcome.retry_in > 0
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportJob.Status.RUNNING, 1)


def test_a_job_whose_worker_died_is_claimed_again_after_the_lease(kenya, settings):
    started = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    job = ReportJob.objects.create(
        assessment=kenya, cycle=kenya.cycle, status=ReportJob.Status.RUNNING, attempts=1,
        started_at=started,
    )
    with mock.patch("reports.rendering.render_job_pdf", return_value=b"%PDF-1.7 x"):
        assert report_run(job_id=job.pk).result == "done"
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportJob.Status.DONE, 2)


def test_rendering_stops_after_three_attempts(kenya, settings):
    started = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    job = ReportJob.objects.create(
        assessment=kenya, cycle=kenya.cycle, status=ReportJob.Status.RUNNING, attempts=3,
        started_at=started,
    )
    assert report_run(job_id=job.pk).result == "gave up"
    job.refresh_from_db()
    assert (job.status, job.error) == (ReportJob.Status.FAILED, services.gave_up())


def test_a_render_that_raises_fails_the_job_with_a_message(kenya):
    job = ReportJob.objects.create(assessment=kenya, cycle=kenya.cycle)
    with mock.patch("reports.rendering.render_job_pdf", side_effect=RuntimeError("boom")):
        assert report_run(job_id=job.pk).result == "failed"
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error == services.FAILED % {"error": "RuntimeError"}


def test_when_the_broker_is_down_the_job_stays_queued_with_a_clear_note(
    kenya, cast, django_capture_on_commit_callbacks, broker_down
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(assessment=kenya, user=cast.focal_a)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED
    assert (job.sent_at, job.note) == (None, services.BROKER_DOWN)
    # ... nothing is lost: once the broker is back, the recovery sends it and it renders.
    broker_down()
    assert report_requeue_stuck() == {"failed": 0, "requeued": 0, "sent": 1}
    job.refresh_from_db()
    assert (job.status, job.note) == (ReportJob.Status.DONE, "")


def test_answers_still_save_while_the_broker_is_down(client, kenya, cast, broker_down):
    answer = kenya.answers.get(activity__ref="IV.1")
    client.force_login(cast.focal_a)
    url = reverse("assessments:autosave", args=[kenya.pk, answer.pk])
    response = client.post(url, {f"a{answer.pk}-version": answer.version,
                                 f"a{answer.pk}-comment": "Saved without Redis"})
    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.comment == "Saved without Redis"


def test_the_status_page_says_the_service_is_unavailable_and_tries_again(
    client, kenya, cast, broker_down
):
    job = ReportJob.objects.create(
        assessment=kenya, cycle=kenya.cycle, note=services.BROKER_DOWN
    )
    client.force_login(cast.focal_a)
    response = client.get(reverse("reports:job", kwargs={"pk": job.pk}))
    assert "The report service is unavailable right now" in response.content.decode()
    assert '<meta http-equiv="refresh"' in response.content.decode()
    # Each look tries again: with the broker back, the next look sends the job (and, eager
    # here, renders it).
    broker_down()
    response = client.get(reverse("reports:job", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert "Download the PDF" in response.content.decode()


def test_a_job_whose_worker_died_is_sent_again_and_rendered(kenya, settings):
    job = ReportJob.objects.create(
        assessment=kenya, cycle=kenya.cycle, status=ReportJob.Status.RUNNING, attempts=1,
        started_at=timezone.now() - timedelta(seconds=settings.REPORT_STUCK_SECONDS + 1),
        sent_at=timezone.now(),
    )
    assert report_requeue_stuck() == {"failed": 0, "requeued": 1, "sent": 1}
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (ReportJob.Status.DONE, 2, "")
    assert job.file.read().startswith(b"%PDF-")
    # The broker's own redelivery of the dead worker's task comes later: it renders nothing.
    assert report_run(job_id=job.pk).result == "nothing to do"


def test_a_job_that_died_three_times_is_marked_failed_and_can_be_asked_for_again(kenya, cast):
    job = ReportJob.objects.create(
        assessment=kenya, cycle=kenya.cycle, status=ReportJob.Status.RUNNING, attempts=3,
        started_at=timezone.now() - timedelta(hours=2), sent_at=timezone.now(),
    )
    assert report_requeue_stuck()["failed"] == 1
    job.refresh_from_db()
    assert (job.status, job.error) == (ReportJob.Status.FAILED, services.gave_up())
    again = report_request(assessment=kenya, user=cast.focal_a)
    assert again.pk != job.pk and again.status == ReportJob.Status.QUEUED


# --- what the PDF says ----------------------------------------------------------------------


def test_the_pdf_names_the_country_its_gaps_and_their_matched_tools(kenya):
    from reports.content import country_report_context

    pdf = render_country_pdf(kenya)
    text = squeezed(text_of(pdf))
    context = country_report_context(kenya)
    gaps = [gap for _, gaps in context["categories"] for gap in gaps]
    assert {g.label for g in gaps} >= {"I.1", "VII.D.5"}
    assert squeezed("Kenya") in text
    assert squeezed("We need a national strategy.") in text
    for gap in gaps:
        assert squeezed(gap.text[:60]) in text
        assert gap.tools, f"no tool matched for {gap.label}"
        for tool in gap.tools:
            assert squeezed(tool.title[:50]) in text, tool.title
    for heading in ("Contents", "Summary", "Ratification profile", "Method", "Guideline 10"):
        assert squeezed(heading) in text
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert f"2/{pages}" in text  # the running footer: page 2 of all


def test_the_pdf_carries_its_title_and_author(kenya, settings):
    settings.REPORT_AUTHOR = "UNODC test author"
    metadata = PdfReader(io.BytesIO(render_country_pdf(kenya))).metadata
    assert metadata.title == f"Technical assistance gap report: Kenya, {kenya.cycle.name}"
    assert metadata.author == "UNODC test author"


def test_hostile_answers_come_out_as_literal_text_and_fetch_nothing(kenya):
    refs = ["I.2", "I.3", "I.4", "II.1", "II.2", "II.3"]
    make_gaps(kenya, *zip(refs, HOSTILE, strict=True))
    kenya.answers.filter(activity__ref="II.4").update(
        state=AnswerState.LEVEL, level=0, assistance_needed=True, comment="B" * 1_000_000,
        version=F("version") + 1,
    )
    fetched = []

    def recording_fetcher(url, *args, **kwargs):
        fetched.append(url)
        return static_url_fetcher(url, *args, **kwargs)

    with mock.patch("reports.rendering.static_url_fetcher", recording_fetcher):
        pdf = render_country_pdf(kenya)
    text = squeezed(text_of(pdf))
    for hostile in HOSTILE[:3]:
        assert squeezed(hostile) in text, hostile
    # The unbroken string wraps inside its column, over pages (running headers in between).
    assert sum(len(run) for run in re.findall("A{20,}", text)) >= 3000
    assert "Training" in text and "please" in text
    assert 4000 <= text.count("B") < 5000  # the 1 MB answer, shortened
    assert b"/EmbeddedFile" not in pdf and b"/FileAttachment" not in pdf
    assert b"root:x:0:0" not in pdf
    # The stylesheet, and the reports' own fonts by their exact file URL: nothing else.
    fonts = [url for url in fetched if font_file(url)]
    assert [url for url in fetched if url not in fonts] == [
        "https://report.invalid/static/css/report.css"
    ]
    assert sorted(fonts) == sorted(face.url for face in report_fonts())


def test_arabic_answers_are_printed(kenya):
    make_gaps(kenya, ("I.2", HOSTILE[4]))
    text = text_of(render_country_pdf(kenya))
    # pypdf gives Arabic back in presentation forms; the letters are there, in some order.
    import unicodedata

    plain = unicodedata.normalize("NFKC", text)
    assert sum(ch in plain for ch in "نحتاجإلىتدريبالقضاة") >= 10


# --- the URL fetcher -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:6379/",
        "https://example.org/static/css/report.css",
        "data:text/css,body{}",
        "data:image/png;base64,iVBORw0KGgo=",
        "https://report.invalid/media/evidence/1/I.1/a.pdf",
        "https://report.invalid/static/../../../etc/passwd",
        "https://report.invalid/static/%2e%2e/%2e%2e/etc/passwd.css",
        "https://report.invalid/static/css/../../tanneeds/settings.py",
        "https://report.invalid/static/css/report.css?x=1",
        "https://report.invalid/static/missing.css",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url):
    with mock.patch("pathlib.Path.read_bytes") as read, pytest.raises(RefusedURL):
        static_url_fetcher(url)
    read.assert_not_called()


def test_the_fetcher_serves_the_report_stylesheet():
    got = static_url_fetcher("https://report.invalid/static/css/report.css")
    assert got["mime_type"] == "text/css" and b"@page" in got["string"]
    assert static_path("https://report.invalid/static/css/report.css").name == "report.css"


# --- charts --------------------------------------------------------------------------------


def test_the_guideline_chart_draws_no_data_as_no_data_never_zero():
    svg = guideline_chart_svg([(1, 80.0), (2, None), (3, 0.0)])
    assert svg.startswith("<svg") and svg.count('<text x="0"') == 3
    assert "no data" in svg and ">80<" in svg and ">0<" in svg


# --- pages ---------------------------------------------------------------------------------


def test_a_ministry_user_asks_for_the_report_and_downloads_it(
    client, kenya, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.reader_a)
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("reports:request_country", kwargs={"assessment_pk": kenya.pk})
        response = client.post(url)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Download the PDF" in page
    download = client.get(reverse("reports:download", kwargs={"pk": job.pk}))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_status_page_polls_while_the_job_is_active(client, kenya, cast):
    job = ReportJob.objects.create(assessment=kenya, cycle=kenya.cycle, sent_at=timezone.now())
    client.force_login(cast.focal_a)
    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="job-status"') and 'hx-trigger="every 3s"' in partial
    assert "Queued." in partial


def test_an_unfinished_report_cannot_be_downloaded(client, kenya, cast):
    job = ReportJob.objects.create(assessment=kenya, cycle=kenya.cycle)
    client.force_login(cast.focal_a)
    assert client.get(reverse("reports:download", kwargs={"pk": job.pk})).status_code == 404


def test_another_country_cannot_request_or_see_the_report(client, kenya, cast):
    job = ReportJob.objects.create(assessment=kenya, cycle=kenya.cycle)
    client.force_login(cast.user_b)
    url = reverse("reports:request_country", kwargs={"assessment_pk": kenya.pk})
    assert client.post(url).status_code == 404
    assert client.get(job.get_absolute_url()).status_code == 404
    assert ReportJob.objects.count() == 1


# --- admin, command, worker check ----------------------------------------------------------


def test_staff_start_reports_for_a_cycle_from_the_admin(client, cast):
    client.force_login(cast.staff)
    url = reverse("admin:reports_reportjob_start")
    assert client.get(url).status_code == 200
    response = client.post(url, {"cycle": cast.assessment_a.cycle.pk, "countries": "KEN FJI"})
    assert response.status_code == 302
    assert set(ReportJob.objects.values_list("assessment__country__iso3", flat=True)) == {
        "KEN", "FJI"
    }


def test_staff_produce_reports_of_selected_assessments_with_an_admin_action(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.staff)
    url = reverse("admin:assessments_assessment_changelist")
    selected = [cast.assessment_a.pk, cast.assessment_b.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "produce_gap_reports", "_selected_action": selected}, follow=True
        )
    assert "2 report(s) queued or already on their way" in response.content.decode()
    jobs = ReportJob.objects.filter(assessment__in=selected)
    assert sorted(jobs.values_list("status", flat=True)) == ["done", "done"]  # eager here
    assert "Fiji" in text_of(jobs.get(assessment=cast.assessment_b).file.read())


def test_the_command_renders_one_country_to_a_file(kenya, tmp_path):
    out = tmp_path / "kenya.pdf"
    call_command("render_report", "KEN", "--out", str(out), stdout=io.StringIO())
    assert "Kenya" in text_of(out.read_bytes())


def test_the_command_renders_every_country_of_a_cycle_with_a_progress_bar(kenya, tmp_path):
    stdout = io.StringIO()
    call_command(
        "render_report", "--all", "--cycle", kenya.cycle.name, "--out", str(tmp_path),
        stdout=stdout,
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["FJI-2026-assessment-en.pdf", "KEN-2026-assessment-en.pdf"]
    assert "2/2" in stdout.getvalue()


def test_the_command_refuses_an_unknown_country(cast):
    with pytest.raises(CommandError, match="XXX"):
        call_command("render_report", "XXX", stdout=io.StringIO())


def test_the_worker_warns_when_redis_may_evict_tasks(caplog):
    sender = mock.MagicMock()
    with (
        mock.patch("reports.signals.broker_eviction_policy", return_value="allkeys-lru"),
        caplog.at_level(logging.WARNING, logger="reports.signals"),
    ):
        check_broker_eviction_policy(sender=sender)
    assert EVICTION_WARNING % "allkeys-lru" in caplog.text


def test_the_admin_lists_jobs_and_opens_one_read_only(client, kenya, cast):
    job = ReportJob.objects.create(assessment=kenya, cycle=kenya.cycle)
    client.force_login(cast.staff)
    changelist = client.get(reverse("admin:reports_reportjob_changelist") + "?q=KEN&status=queued")
    assert changelist.status_code == 200 and "Start reports" in changelist.content.decode()
    url = reverse("admin:reports_reportjob_change", args=[job.pk])
    assert client.get(url).status_code == 200
