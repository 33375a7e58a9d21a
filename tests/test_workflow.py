"""The workflow's rules live in the transition itself, and hold when two people act at once.

The concurrent tests run threads against the real test database (each thread its own
connection), so they exercise the row lock of PostgreSQL when DATABASE_URL points to it, and
SQLite's single writer otherwise.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from assessments.answering import AssessmentClosed, answer_save
from assessments.models import Answer, Assessment, StatusEvent
from assessments.workflow import (
    NOT_COMPLETE,
    RETURN_NEEDS_COMMENT,
    TransitionError,
    assessment_transition,
)
from scoring.results import assessment_results
from tests.factories import assessment_complete

Status = Assessment.Status
HOLD = 0.6  # seconds the first action keeps its transaction open after doing its work


def submit(cast, assessment=None):
    return assessment_transition(
        assessment=assessment or cast.assessment_a,
        to_status=Status.SUBMITTED,
        actor=cast.focal_a,
        role="focal_point",
    )


@pytest.mark.django_db
def test_an_incomplete_assessment_cannot_be_submitted_even_by_the_service(cast):
    with pytest.raises(TransitionError) as refused:
        submit(cast)
    count = str(refused.value).split()[2]
    assert str(refused.value) == NOT_COMPLETE.format(count=count) and int(count) > 100
    cast.assessment_a.refresh_from_db()
    assert cast.assessment_a.status == Status.DRAFT
    assert not StatusEvent.objects.filter(assessment=cast.assessment_a).exists()


@pytest.mark.django_db
def test_a_return_without_any_comment_is_refused_by_the_service(cast):
    assessment_complete(cast.assessment_a)
    submit(cast)
    for comment, sections in (("", None), ("  ", {1: " \n"})):
        with pytest.raises(TransitionError, match=RETURN_NEEDS_COMMENT):
            assessment_transition(
                assessment=cast.assessment_a, to_status=Status.RETURNED, actor=cast.staff,
                role="staff", comment=comment, section_comments=sections,
            )
    event = assessment_transition(
        assessment=cast.assessment_a, to_status=Status.RETURNED, actor=cast.staff,
        role="staff", comment="Please complete section VII.",
    )
    assert event.to_status == Status.RETURNED


@pytest.mark.django_db
def test_a_move_decides_on_the_status_in_the_database_not_on_a_stale_copy(cast):
    assessment_complete(cast.assessment_a)
    stale = Assessment.objects.get(pk=cast.assessment_a.pk)
    submit(cast)
    with pytest.raises(TransitionError):
        submit(cast, assessment=stale)  # a second click with the page of before
    assert StatusEvent.objects.filter(to_status=Status.SUBMITTED).count() == 1


def in_thread(work, results: list) -> threading.Thread:
    """Run ``work`` in a thread with its own database connection; keep its result or error."""

    def run():
        try:
            results.append(work())
        except Exception as exc:  # noqa: BLE001 - the test looks at what each side got
            results.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def first_holds_the_lock_then(first, second) -> tuple[object, object, float]:
    """``first`` runs and keeps its transaction open for HOLD seconds; ``second`` starts once
    ``first`` has done its work. Returns both outcomes and how long ``second`` took."""
    done = threading.Event()
    got_first: list = []
    got_second: list = []

    def hold():
        with transaction.atomic():
            outcome = first()
            done.set()
            time.sleep(HOLD)
        return outcome

    def timed():
        started = time.monotonic()
        try:
            outcome = second()
        except Exception as exc:  # noqa: BLE001
            outcome = exc
        return outcome, time.monotonic() - started

    one = in_thread(hold, got_first)
    assert done.wait(30), got_first
    two = in_thread(timed, got_second)
    one.join(30)
    two.join(30)
    second_outcome, waited = got_second[0]
    return got_first[0], second_outcome, waited


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_snapshot")
def test_an_autosave_during_the_submission_waits_and_is_refused(cast):
    kenya = cast.assessment_a
    assessment_complete(kenya)
    answer = kenya.answers.get(activity__ref="I.1")

    event, refused, waited = first_holds_the_lock_then(
        lambda: submit(cast),
        lambda: answer_save(
            answer=answer, values={"state": "level", "level": 4}, base_version=answer.version,
            user=cast.focal_a,
        ),
    )
    assert isinstance(event, StatusEvent), event
    assert isinstance(refused, AssessmentClosed), refused
    assert "submitted" in str(refused) and waited >= HOLD / 2
    answer.refresh_from_db()
    assert (answer.state, answer.level) == ("unknown", None)
    kenya.refresh_from_db()
    snapshot = kenya.score_snapshots.get()
    assert snapshot.fingerprint == assessment_results(kenya).fingerprint  # frozen == stored
    assert not Answer.history.filter(
        assessment_id=kenya.pk, history_date__gt=kenya.submitted_at
    ).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reference_snapshot")
def test_two_staff_validating_at_once_make_one_move(cast):
    kenya = cast.assessment_a
    assessment_complete(kenya)
    submit(cast)
    other = Assessment.objects.get(pk=kenya.pk)  # the second staff member's page

    def validate(assessment):
        return lambda: assessment_transition(
            assessment=assessment, to_status=Status.VALIDATED, actor=cast.staff, role="staff"
        )

    first, second, _ = first_holds_the_lock_then(validate(kenya), validate(other))
    assert isinstance(first, StatusEvent), first
    assert isinstance(second, TransitionError), second
    assert list(
        StatusEvent.objects.filter(assessment=kenya).values_list("to_status", flat=True)
    ) == [Status.SUBMITTED, Status.VALIDATED]


@pytest.mark.django_db
def test_once_submitted_no_answer_or_file_can_be_added(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.evidence import evidence_add

    assessment_complete(cast.assessment_a)
    submit(cast)
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    with pytest.raises(AssessmentClosed):
        answer_save(answer=answer, values={"comment": "late"}, base_version=answer.version,
                    user=cast.focal_a)
    with pytest.raises(AssessmentClosed):
        evidence_add(answer=answer, upload=SimpleUploadedFile("a.pdf", b"%PDF late"),
                     user=cast.focal_a)
    assert not answer.evidence.exists()
