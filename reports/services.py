"""Report jobs: ask for a report, hand it to a worker, render it once, recover stuck jobs.

The rules of the queue live here; the task and the views only call these functions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from assessments.models import Assessment, Cycle, MemberState

from .models import ReportJob
from .overview import UNKNOWN_REGION

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Stored on the job, in the active language: the request's, or the job's within report_run.
BROKER_DOWN = _(
    "The report service is unavailable right now. Your request is saved and queued; it will "
    "start as soon as the service is back. You can leave this page."
)
GAVE_UP = _("Rendering stopped after %(attempts)s attempts. Ask for it again or tell UNODC.")
TOO_SLOW = _("The report took longer than allowed and was stopped. Ask for it again.")
FAILED = _(
    "The report could not be produced (%(error)s). UNODC has been told; ask for it again."
)
BASELINE_OVERVIEW = _(
    "The 2004 baseline is not an assessment cycle: it has no overview report."
)
UNKNOWN_LANGUAGE = _("“%(language)s” is not one of the languages of the reports.")


def report_language(language: str | None = None) -> str:
    """The report's language: the one asked for, else the active one, else the default.

    Raises ValueError for a code that is not one of ``settings.LANGUAGES``.
    """
    codes = dict(settings.LANGUAGES)
    if language:
        if language not in codes:
            raise ValueError(UNKNOWN_LANGUAGE % {"language": language})
        return language
    active = get_language()
    return active if active in codes else settings.LANGUAGE_CODE


def gave_up() -> str:
    return GAVE_UP % {"attempts": MAX_ATTEMPTS}


def _lease() -> timedelta:
    """How long one render may run: a running job older than this has lost its worker."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def _request(same: QuerySet, user, **values) -> ReportJob:
    """The active job among ``same``, or a new one with ``values``, sent once committed."""
    active = same.active().first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(requested_by=user, **values)
    except IntegrityError:  # a concurrent request created it between our read and write
        return same.active().get()
    transaction.on_commit(lambda: report_send(job_id=job.pk))
    return job


def report_request(
    *,
    assessment: Assessment,
    user=None,
    kind: str = ReportJob.Kind.COUNTRY,
    language: str | None = None,
) -> ReportJob:
    """The active job for this report, or a new one sent to a worker once the row is committed.

    ``language`` defaults to the active language (see :func:`report_language`). Asking twice
    while a job is queued or running returns the same job (renders once); the same report in
    another language is another job.
    """
    language = report_language(language)
    same = ReportJob.objects.filter(
        kind=kind, assessment=assessment, cycle_id=assessment.cycle_id, language=language
    )
    return _request(
        same, user, kind=kind, assessment=assessment, cycle_id=assessment.cycle_id,
        language=language,
    )


def report_request_overview(
    *, cycle: Cycle, region: str = "", user=None, language: str | None = None
) -> ReportJob:
    """The regional overview (``region``) or the global one (``region`` empty) of a cycle:
    the active job, or a new one, as :func:`report_request` (renders once while active).

    Raises ValueError for a region the member states list does not have, for cycle zero, or
    for a language that is not one of the reports'.
    """
    if cycle.is_baseline:
        raise ValueError(BASELINE_OVERVIEW)
    if region and region not in MemberState.regions():
        raise ValueError(UNKNOWN_REGION.format(region=region))
    language = report_language(language)
    kind = ReportJob.Kind.REGIONAL if region else ReportJob.Kind.GLOBAL
    same = ReportJob.objects.filter(
        kind=kind, region=region, cycle=cycle, assessment=None, language=language
    )
    return _request(same, user, kind=kind, region=region, cycle=cycle, language=language)


def report_send(*, job_id: int) -> bool:
    """Hand the job to the broker; when the broker is down the job stays queued, with a note."""
    from .tasks import render_report_task

    try:
        # retry=False: fail at once rather than hold the ministry's request while kombu retries.
        render_report_task.apply_async((job_id,), retry=False)
    except OperationalError as exc:
        logger.warning("Report job %s stays queued: broker unreachable (%s)", job_id, exc)
        ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
            note=str(BROKER_DOWN)
        )
        return False
    ReportJob.objects.filter(pk=job_id).update(sent_at=timezone.now(), note="")
    return True


@dataclass(frozen=True)
class Outcome:
    """What one delivery of the task did; ``retry_in`` asks the task to look again later."""

    result: str
    retry_in: float | None = None


def _finish(job_id: int, attempts: int, **values) -> int:
    """Close the job only if it is still this delivery's claim."""
    return ReportJob.objects.filter(
        pk=job_id, status=ReportJob.Status.RUNNING, attempts=attempts
    ).update(finished_at=timezone.now(), **values)


def report_run(*, job_id: int) -> Outcome:
    """Claim the job, render it and store the PDF: idempotent under repeated deliveries.

    The claim is a conditional UPDATE on (status, attempts), so of two deliveries only one
    renders. A job running for less than the lease belongs to another delivery: look again when
    the lease ends (a worker that died mid-render leaves the job running; after the lease it is
    claimed again, at most ``MAX_ATTEMPTS`` times).
    """
    from .rendering import render_job_pdf

    now = timezone.now()
    job = ReportJob.objects.filter(pk=job_id).first()
    if job is None or job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED):
        return Outcome("nothing to do")
    if job.status == ReportJob.Status.RUNNING and job.started_at > now - _lease():
        return Outcome("running elsewhere", (job.started_at + _lease() - now).total_seconds() + 5)
    if job.attempts >= MAX_ATTEMPTS:
        ReportJob.objects.filter(pk=job_id, attempts=job.attempts, status=job.status).update(
            status=ReportJob.Status.FAILED, error=gave_up(), finished_at=now
        )
        return Outcome("gave up")
    attempts = job.attempts + 1
    claimed = ReportJob.objects.filter(pk=job_id, status=job.status, attempts=job.attempts).update(
        status=ReportJob.Status.RUNNING, started_at=now, attempts=attempts, note=""
    )
    if not claimed:
        return Outcome("claimed by another delivery")

    # The report and what the job says about it are written in the language asked for.
    with translation.override(job.language):
        try:
            pdf = render_job_pdf(job)
        except SoftTimeLimitExceeded:
            _finish(job_id, attempts, status=ReportJob.Status.FAILED, error=str(TOO_SLOW))
            return Outcome("too slow")
        except Exception as exc:
            logger.exception("Report job %s failed", job_id)
            error = FAILED % {"error": type(exc).__name__}
            _finish(job_id, attempts, status=ReportJob.Status.FAILED, error=error)
            return Outcome("failed")

    job.file.save(f"{job.pk}-{job.filename()}", ContentFile(pdf), save=False)
    if not _finish(job_id, attempts, status=ReportJob.Status.DONE, file=job.file.name, error=""):
        job.file.storage.delete(job.file.name)  # the lease ran out and another delivery took it
        return Outcome("lost the claim")
    return Outcome("done")


def report_render_now(*, assessment: Assessment, language: str | None = None) -> bytes:
    """The country report rendered in this process (the render_report command)."""
    from .rendering import render_country_pdf

    return render_country_pdf(assessment, report_language(language))


def report_render_overview_now(
    *, cycle: Cycle, region: str = "", language: str | None = None
) -> bytes:
    """The regional or global overview rendered in this process (render_report --overview)."""
    from .rendering import render_overview_pdf

    if region and region not in MemberState.regions():
        raise ValueError(UNKNOWN_REGION.format(region=region))
    return render_overview_pdf(cycle, region, report_language(language))


def report_requeue_stuck(*, older_than: timedelta | None = None) -> dict[str, int]:
    """Recover what a dead worker or a broker outage left behind; safe to run any time.

    A job still running after ``older_than`` (default REPORT_STUCK_SECONDS, never less than the
    task's time limit, so no live render is taken) has lost its worker: it goes back to the
    queue and is sent again, until it has been tried ``MAX_ATTEMPTS`` times, then it is marked
    failed. Queued jobs never handed to the broker, or handed long ago and never started, are
    sent again. A second delivery (the broker's own redelivery of the dead worker's task) is
    harmless: the claim renders once.
    """
    older_than = older_than or timedelta(seconds=settings.REPORT_STUCK_SECONDS)
    now = timezone.now()
    before = now - older_than
    stuck = ReportJob.objects.filter(status=ReportJob.Status.RUNNING, started_at__lt=before)
    failed = stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=ReportJob.Status.FAILED, error=gave_up(), finished_at=now
    )
    requeued = stuck.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=ReportJob.Status.QUEUED, sent_at=None
    )
    waiting = ReportJob.objects.filter(status=ReportJob.Status.QUEUED).filter(
        Q(sent_at__isnull=True) | Q(sent_at__lt=before)
    )
    sent = sum(report_send(job_id=pk) for pk in waiting.values_list("pk", flat=True))
    return {"failed": failed, "requeued": requeued, "sent": sent}


def report_retry(*, job: ReportJob, user=None) -> ReportJob:
    """Ask again for the report of a failed job (the failed row stays as the record)."""
    if job.assessment_id is None:
        return report_request_overview(
            cycle=job.cycle, region=job.region, user=user, language=job.language
        )
    return report_request(
        assessment=job.assessment, user=user, kind=job.kind, language=job.language
    )
