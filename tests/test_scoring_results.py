"""Results of an assessment: freshness, the cache, snapshots, comparison, query counts."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.answering import answer_save
from assessments.models import Cycle
from assessments.opening import answers_ensure, assessment_open
from assessments.workflow import assessment_transition
from catalogue.caches import process_caches_clear
from catalogue.models import Activity, Category
from scoring import results as results_module
from scoring.models import GuidelineCriterion, ScoreCache, ScoreSnapshot, ScoringWeights
from scoring.results import (
    assessment_results,
    item_url,
    reported_results,
    results_for_display,
    score_all,
)
from tests.factories import ActivityFactory, assessment_complete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Per-process caches keyed by versions that a rolled-back test may reuse."""
    process_caches_clear()
    yield
    process_caches_clear()


def answer(cast, ref: str, assessment=None, **values):
    row = (assessment or cast.assessment_a).answers.get(activity__ref=ref)
    return answer_save(answer=row, values=values, base_version=row.version, user=cast.focal_a)


def computations():
    return mock.patch.object(
        results_module, "_compute_many", wraps=results_module._compute_many
    )


def test_changing_an_answer_changes_the_results(cast):
    before = assessment_results(cast.assessment_a)
    assert before.gap("V.4") is None
    answer(cast, "V.4", state="level", level=1)
    after = assessment_results(cast.assessment_a)
    assert after.gap("V.4").reasons == ("level 1 is below the target 3",)
    assert after.fingerprint != before.fingerprint
    assert after.index.category("V").index.value == 0.25


def test_viewing_twice_computes_once(cast):
    with computations() as compute:
        first = assessment_results(cast.assessment_a)
        results_module.memo_clear()  # as another process would: from the cache row
        second = assessment_results(cast.assessment_a)
        third = assessment_results(cast.assessment_a)
    assert compute.call_count == 1
    assert first == second == third
    assert ScoreCache.objects.get(pk=cast.assessment_a.pk).fingerprint == first.fingerprint


@pytest.mark.parametrize(
    "change",
    ["profile", "ratification", "weights", "criterion", "target", "evidence_link"],
)
def test_every_input_invalidates_the_cache(cast, change):
    kenya = cast.assessment_a
    assessment_results(kenya)
    if change == "profile":
        kenya.legal_tradition = "common"
        kenya.save()
    elif change == "ratification":
        row = kenya.ratifications.first()
        row.status, row.version = "party", row.version + 1
        row.save()
    elif change == "weights":
        weights = ScoringWeights.current()
        weights.priority_high = 90
        weights.save()
    elif change == "criterion":
        criterion = GuidelineCriterion.objects.get(code="G9.timeline")
        criterion.weight = 5
        criterion.save()
    elif change == "target":
        activity = Activity.objects.get(ref="I.1")
        activity.target_level = 4
        activity.save()
    else:
        answer(cast, "I.1", evidence_links="https://example.org/report.pdf")
    with computations() as compute:
        assessment_results(kenya)
    assert compute.call_count == 1


def test_changes_elsewhere_leave_the_cache_alone(cast):
    assessment_results(cast.assessment_a)
    answer(cast, "I.1", assessment=cast.assessment_b, state="level", level=2)  # Fiji
    with computations() as compute:
        assessment_results(cast.assessment_a)
    assert compute.call_count == 0


# A cached view: the catalogue's reference version, the fingerprint aggregates, the cached
# payload (when fresh). Remembered by this process: the first two only.
CACHED_QUERIES = 3
REMEMBERED_QUERIES = 2
# A recomputation adds: the assessment with cycle and country, the answers (with evidence),
# the ratifications, the assessment compared with and its answers, the severity weights, the
# criteria, the catalogue version again (matching engine), the cache row's update. The
# framework and the engine's index are kept per process while the catalogue is unchanged.
COMPUTE_QUERIES = CACHED_QUERIES + 9


def queries(assessment) -> int:
    with CaptureQueriesContext(connection) as captured:
        assessment_results(assessment)
    return len(captured)


def test_query_counts_are_fixed_whatever_the_number_of_activities(cast):
    kenya = cast.assessment_a
    assessment_results(kenya)  # the framework, the engine's index and the cache row
    for ref in ("I.1", "V.4", "VII.C.1"):
        answer(cast, ref, state="level", level=0, assistance_needed=True)
    assert queries(kenya) == COMPUTE_QUERIES
    assert queries(kenya) == REMEMBERED_QUERIES
    results_module.memo_clear()
    assert queries(kenya) == CACHED_QUERIES

    category = Category.objects.get(numeral="X")
    for n in range(30):
        ActivityFactory(category=category, position=900 + n)
    answers_ensure(kenya)
    assessment_results(kenya)  # the framework and the index for the new catalogue
    answer(cast, "I.2", state="level", level=1)
    assert queries(kenya) == COMPUTE_QUERIES
    assert len(assessment_results(kenya).index.activities) == 123 + 30


# Snapshots -----------------------------------------------------------------------------------


def test_submission_freezes_the_scores_and_later_weights_do_not_rewrite_them(cast):
    kenya = cast.assessment_a
    assessment_complete(kenya)
    answer(cast, "V.4", state="level", level=0, assistance_needed=True, priority="high",
           assistance_kinds=["training"])
    event = assessment_transition(assessment=kenya, to_status="submitted", actor=cast.focal_a,
                                  role="focal_point")
    snapshot = ScoreSnapshot.objects.get(assessment=kenya)
    assert snapshot.event == event
    reported = reported_results(kenya)
    severity = reported.gap("V.4").severity
    assert severity == 95.0  # level 0, high priority, obligation unspecified: 50 + 30 + 15

    weights = ScoringWeights.current()
    weights.priority_high = 10
    weights.save()
    assert assessment_results(kenya).gap("V.4").severity < severity  # live: new weights
    assert reported_results(kenya).gap("V.4").severity == severity  # as reported
    kenya.refresh_from_db()
    assert results_for_display(kenya) == reported


def test_a_returned_and_resubmitted_assessment_keeps_every_snapshot(cast):
    kenya = cast.assessment_a
    assessment_complete(kenya)
    assessment_transition(assessment=kenya, to_status="submitted", actor=cast.focal_a,
                          role="focal_point")
    assessment_transition(assessment=kenya, to_status="returned", actor=cast.staff,
                          role="staff", comment="Check section I.")
    answer(cast, "I.1", state="level", level=4)
    assert results_for_display(kenya).activity("I.1").level == 4  # live while returned
    assessment_transition(assessment=kenya, to_status="submitted", actor=cast.focal_a,
                          role="focal_point")
    assert kenya.score_snapshots.count() == 2
    assert reported_results(kenya).activity("I.1").level == 4
    assert reported_results(cast.assessment_b) is None


# Comparison ----------------------------------------------------------------------------------


def test_a_new_cycle_is_compared_with_the_countrys_previous_one(cast):
    # (Kenya's 2004 needs pre-filled some requests: these answers clear them.)
    for ref, level in (("I.1", 1), ("I.2", 3), ("I.3", 0)):
        answer(cast, ref, state="level", level=level, assistance_needed=False)
    later = Cycle.objects.create(name="2028 assessment", starts_on=datetime.date(2028, 1, 1),
                                 ends_on=datetime.date(2028, 12, 31))
    kenya_2028 = assessment_open(cycle=later, country=cast.assessment_a.country)
    answer(cast, "I.1", assessment=kenya_2028, state="level", level=3)  # better: gap closed
    answer(cast, "I.2", assessment=kenya_2028, state="level", level=2)  # worse: a new gap
    comparison = assessment_results(kenya_2028).comparison
    assert comparison.assessment_id == cast.assessment_a.pk and not comparison.is_baseline
    assert [(c.ref, c.before, c.after) for c in comparison.improved] == [("I.1", 1, 3)]
    assert [(c.ref, c.before, c.after) for c in comparison.worsened] == [("I.2", 3, 2)]
    assert comparison.closed_gaps == ("I.1",)
    assert comparison.new_gaps == ("I.2",) and "I.3" in comparison.open_gaps
    # I: before (0.25 + 0.75 + 0) / 3, after (0.75 + 0.5 + 0) / 3
    category = next(c for c in comparison.categories if c.numeral == "I")
    assert (category.before, category.after) == (0.3333, 0.4167)


def test_a_first_cycle_is_compared_with_the_2004_requests(cast):
    # Kenya reported needs in 2004: they are the baseline's requests.
    comparison = assessment_results(cast.assessment_a).comparison
    assert comparison.is_baseline
    assert comparison.index_before is None
    baseline_requests = set(comparison.open_gaps) | set(comparison.closed_gaps)
    assert baseline_requests


# Whole cycles, links ---------------------------------------------------------------------------


def test_score_all_scores_every_assessment_of_the_cycle_once(cast):
    answer(cast, "I.1", state="level", level=0)
    with computations() as compute:
        results = score_all(cast.assessment_a.cycle)
        again = score_all(cast.assessment_a.cycle)
    assert set(results) == {cast.assessment_a.pk, cast.assessment_b.pk}
    assert compute.call_count == 1
    assert again == results
    assert results[cast.assessment_a.pk].gap("I.1") is not None
    with computations() as compute:
        assert assessment_results(cast.assessment_b) == results[cast.assessment_b.pk]
    assert compute.call_count == 0


def test_items_to_complete_link_to_their_place_in_the_questionnaire(cast):
    results = assessment_results(cast.assessment_a)
    pk = cast.assessment_a.pk
    assert item_url(results, "profile") == f"/assessments/{pk}/profile/"
    assert item_url(results, "VII.D.5") == f"/assessments/{pk}/sections/VII/#item-VII.D.5"
    g8 = results.guidelines[7]
    assert [c.items for c in g8.not_met if c.code == "G8.legal_tradition"] == [("profile",)]


def test_the_loader_keeps_the_weights_staff_changed(cast):
    criterion = GuidelineCriterion.objects.get(code="G5.prioritised")
    criterion.weight = 7
    criterion.save()
    call_command("load_reference", verbosity=0)
    criterion.refresh_from_db()
    assert criterion.weight == 7
    call_command("load_reference", "--overwrite", verbosity=0)
    criterion.refresh_from_db()
    assert criterion.weight == 2


def test_score_all_runs_a_fixed_number_of_queries_whatever_the_number_of_countries(cast):
    from assessments.models import MemberState

    def count() -> int:
        ScoreCache.objects.all().delete()
        results_module.memo_clear()
        with CaptureQueriesContext(connection) as captured:
            score_all(cycle)
        return len(captured)

    cycle = cast.assessment_a.cycle
    score_all(cycle)  # the framework and the engine's index
    two = count()
    for iso3 in ("FRA", "PER", "JPN"):
        assessment_open(cycle=cycle, country=MemberState.objects.get(iso3=iso3))
    assert count() == two


def test_results_are_kept_in_english_and_shown_in_the_readers_language(cast):
    from django.utils import translation

    answer(cast, "V.4", state="level", level=1)
    with translation.override("fr"):  # a French reader is the first to ask
        shown = results_for_display(cast.assessment_a)
    assert not ScoreCache.objects.filter(pk=cast.assessment_a.pk).exists()  # never stored
    with translation.override("fr"):
        english = assessment_results(cast.assessment_a)  # what is kept, whoever asks
    kept = ScoreCache.objects.get(pk=cast.assessment_a.pk).payload
    assert "level 1 is below the target 3" in str(kept)  # the cache holds the source language
    assert english.gap("V.4").reasons == ("level 1 is below the target 3",)
    with translation.override("fr"):
        expected = translation.gettext("level {level} is below the target {target}").format(
            level=1, target=3
        )
    assert expected != "level 1 is below the target 3"  # the French catalogue has it
    assert shown.gap("V.4").reasons == (expected,)
    assert shown.index == english.index  # the same numbers, whatever the language
    assert [g.ref for g in shown.gaps] == [g.ref for g in english.gaps]
