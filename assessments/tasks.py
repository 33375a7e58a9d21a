"""Background work: tasks take ids, load the rows and call the services."""

from __future__ import annotations

from celery import shared_task

from .cycles import cycle_open
from .models import Cycle


@shared_task(acks_late=True, max_retries=3, default_retry_delay=30)
def cycle_open_task(cycle_id: int) -> int:
    """Give every member state its assessment in the cycle (idempotent)."""
    cycle = Cycle.objects.filter(pk=cycle_id, is_baseline=False).first()
    if cycle is None:
        return 0
    return cycle_open(cycle)
