"""A real Celery worker on the real Redis renders report jobs, once, even when it dies.

The worker runs in a subprocess against a scratch SQLite database of its own (migrated and
loaded once for the module), so the rows it reads are committed, and pytest-django's
transactional test database is left alone. It listens on a queue of its own in Redis database
14, so it neither takes nor hands back the tasks of other workers on the same Redis.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="needs a real Redis: set REDIS_URL (CI does)"
)
ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

REQUEST = """
import datetime
from assessments.models import Cycle, MemberState
from assessments.opening import assessment_open
from reports.services import report_request
cycle, _ = Cycle.objects.get_or_create(
    name="Integration", defaults={"starts_on": datetime.date(2026, 1, 1),
                                  "ends_on": datetime.date(2026, 12, 31)})
assessment = assessment_open(cycle=cycle, country=MemberState.objects.get(iso3="KEN"))
job = report_request(assessment=assessment)
job.refresh_from_db()
print("JOB", job.pk, job.status, repr(job.note))
"""


def scratch_redis() -> str:
    parts = urlsplit(REDIS_URL)
    return urlunsplit(parts._replace(path="/14"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Environment of a scratch site: its database migrated and loaded once."""
    base = tmp_path_factory.mktemp("worker-site")
    env = {
        **os.environ,
        "SECRET_KEY": "integration",
        "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
        "MEDIA_ROOT": str(base / "media"),
        "REDIS_URL": scratch_redis(),
        "CELERY_QUEUE": f"reports-test-{uuid.uuid4().hex[:8]}",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for command in (["migrate", "--no-input"], ["load_reference"]):
        subprocess.run(
            [PYTHON, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True,
            timeout=600,
        )
    return {"env": env, "base": base}


def fresh(site) -> dict:
    """A clean slate per test: no jobs, no files, a queue of its own."""
    db = sqlite3.connect(Path(site["env"]["DATABASE_URL"].removeprefix("sqlite:///")))
    with db:
        db.execute("DELETE FROM reports_reportjob")
    db.close()
    return {**site["env"], "CELERY_QUEUE": f"reports-test-{uuid.uuid4().hex[:8]}"}


def request_report(env) -> tuple[int, str, str]:
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", REQUEST], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True, timeout=120,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("JOB "))
    _, pk, status, note = line.split(" ", 3)
    return int(pk), status, note


def start_worker(env, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "tanneeds", "worker", "--pool=prefork",
         "--concurrency=1", "--loglevel=INFO", "-n", f"{name}@%h", "-Q", env["CELERY_QUEUE"]],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def kill(worker: subprocess.Popen) -> None:
    """kill -9 the worker and its pool processes: nothing gets to clean up."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def job_row(site, pk: int) -> tuple:
    db = sqlite3.connect(Path(site["env"]["DATABASE_URL"].removeprefix("sqlite:///")))
    try:
        return db.execute(
            "SELECT status, attempts, file, error FROM reports_reportjob WHERE id = ?", (pk,)
        ).fetchone()
    finally:
        db.close()


def wait_for(site, pk: int, statuses: set[str], timeout: float) -> tuple:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = job_row(site, pk)
        if row and row[0] in statuses:
            return row
        time.sleep(0.3)
    raise AssertionError(f"job {pk} still {job_row(site, pk)} after {timeout} s")


def pdfs(site) -> list[Path]:
    return sorted((Path(site["env"]["MEDIA_ROOT"]) / "reports").rglob("*.pdf"))


def test_a_worker_on_redis_renders_the_requested_report(site):
    env = fresh(site)
    worker = start_worker(env, "render")
    try:
        started = time.monotonic()
        pk, status, note = request_report(env)
        assert status == "queued" and note == "''"  # sent, not rendered in the request
        status, attempts, name, error = wait_for(site, pk, {"done", "failed"}, timeout=120)
        assert (status, attempts, error) == ("done", 1, "")
        path = Path(env["MEDIA_ROOT"]) / name
        assert path.read_bytes().startswith(b"%PDF-")
        print(f"requested to done: {time.monotonic() - started:.1f} s")
    finally:
        kill(worker)


def test_a_worker_killed_mid_render_leaves_exactly_one_report(site):
    env = {
        **fresh(site),
        # The render waits 8 s before writing (a test-only app, tests/integration/slow_render):
        # time to kill it. The message comes back after the visibility timeout (20 s), which
        # stays above the task's time limit (15 s).
        "DJANGO_SETTINGS_MODULE": "tests.integration.settings_slow_render",
        "SLOW_RENDER_SECONDS": "8",
        "CELERY_VISIBILITY_TIMEOUT": "20",
        "CELERY_TASK_TIME_LIMIT": "15",
        "CELERY_TASK_SOFT_TIME_LIMIT": "14",
        "CELERY_RESTORE_INTERVAL": "1",
        "CELERY_RESTORE_THROTTLE": "1",
    }
    before = pdfs(site)
    first = start_worker(env, "doomed")
    try:
        pk, _, _ = request_report(env)
        wait_for(site, pk, {"running"}, timeout=60)
        time.sleep(1)
    finally:
        kill(first)
    assert job_row(site, pk)[:2] == ("running", 1)
    second = start_worker(env, "survivor")
    try:
        status, attempts, name, error = wait_for(site, pk, {"done", "failed"}, timeout=120)
        assert (status, attempts, error) == ("done", 2, "")
        time.sleep(3)  # a duplicate delivery, if any, would render now: it must not
        assert job_row(site, pk)[:2] == ("done", 2)
        assert [p for p in pdfs(site) if p not in before] == [Path(env["MEDIA_ROOT"]) / name]
    finally:
        kill(second)


def test_when_redis_is_down_the_request_answers_and_the_job_waits(site):
    env = {**fresh(site), "REDIS_URL": "redis://127.0.0.1:1/0"}  # nothing listens there
    started = time.monotonic()
    pk, status, note = request_report(env)
    assert status == "queued" and "unavailable" in note
    assert time.monotonic() - started < 30
    assert job_row(site, pk)[0] == "queued"
