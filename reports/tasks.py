"""Report tasks: take ids, call the services (reports/services.py), retry there."""

from __future__ import annotations

from celery import shared_task

from .services import report_requeue_stuck, report_run


@shared_task(
    bind=True,
    acks_late=True,  # acknowledged after the render: a worker that dies mid-render ...
    reject_on_worker_lost=True,  # ... hands the message back for another worker
    max_retries=3,
    # time_limit and soft_time_limit come from CELERY_TASK_TIME_LIMIT (below the broker's
    # visibility timeout, which settings enforces).
)
def render_report_task(self, job_id: int) -> str:
    outcome = report_run(job_id=job_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.result


@shared_task
def report_requeue_stuck_task() -> dict[str, int]:
    return report_requeue_stuck()
