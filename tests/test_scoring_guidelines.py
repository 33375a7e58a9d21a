"""Guideline alignment: each criterion family by hand, the score formula, its invariants."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.facts import AnswerFact, Earlier, Profile
from scoring.guidelines import (
    CRITERIA,
    PROFILE,
    CriterionSpec,
    default_specs,
    guideline_score,
    guideline_scores,
)
from tests.scoring_builders import facts, level, ratified, request

KENYA = Profile(iso3="KEN", name="Kenya", region="Africa", subregion="Sub-Saharan Africa")


def measure(code: str, f):
    return CRITERIA[code](f)


# The score formula ---------------------------------------------------------------------------


def test_the_score_is_a_hundred_times_the_weighted_mean_of_criteria_that_apply():
    # (2 × 1 + 1 × 0.5) / 3 = 0.8333; the criterion that does not apply is left out.
    assert guideline_score([(1.0, 2), (0.5, 1), (None, 5)]) == 83.3
    assert guideline_score([(0.0, 1), (1.0, 0)]) == 0.0  # weight 0: left out
    assert guideline_score([(None, 1)]) is None  # nothing applies: insufficient information
    assert guideline_score([]) is None


def test_every_criterion_of_the_data_file_has_its_rule_and_back():
    assert {s.code for s in default_specs()} == set(CRITERIA)
    assert {s.guideline for s in default_specs()} == set(range(1, 11))


# Share criteria: completeness over all requests -----------------------------------------------


def test_a_share_criterion_counts_the_requests_that_state_the_field():
    f = facts(
        [
            request("I.1", 0, other_providers="UNDP"),
            request("I.2", 1, other_providers="none"),
            request("I.3", 1),
            level("I.4", 0),  # no request: not counted
            AnswerFact("III.1", state="na", assistance_needed=True),  # N/A requests nothing
        ]
    )
    result = measure("G3.other_providers", f)
    assert result.value == pytest.approx(2 / 3)
    assert result.detail == "2 of 3 requests declare providers"
    assert result.items == ("I.3",)


def test_a_share_criterion_does_not_apply_without_requests():
    assert measure("G9.timeline", facts([level("I.1", 2)])).value is None


def test_baseline_and_target_count_half_each():
    f = facts([request("I.1", 0, baseline="b", target="t"), request("I.2", 0, baseline="b"),
               request("I.3", 0)])
    result = measure("G7.baseline_target", f)
    assert result.value == pytest.approx((1 + 0.5 + 0) / 3)
    assert result.items == ("I.2", "I.3")


def test_safeguards_are_asked_of_requests_in_criminalization_cooperation_and_protection():
    f = facts([request("III.1", 0, safeguards="fair trial"), request("VII.1", 0),
               request("I.1", 0)])  # I is not concerned
    assert measure("G1.safeguards", f).value == 0.5


def test_legislative_requests_should_involve_legislators():
    f = facts(
        [
            request("III.1", 0, assistance_kinds=("legislative",), delivery_modes=("legislators",)),
            request("III.2", 0, assistance_kinds=("legislative", "training")),
            request("III.3", 0, assistance_kinds=("training",)),
        ]
    )
    assert measure("G10.legislators", f).value == 0.5
    assert measure("G10.new_methods", f).value == pytest.approx(1 / 3)


# Substance criteria ---------------------------------------------------------------------------


def test_an_activity_level_criterion_is_its_level_over_four_once_answered():
    assert measure("G3.reporting", facts([level("I.4", 2)])).value == 0.5
    assert measure("G3.reporting", facts([AnswerFact("I.4", state="unknown")])).value is None
    assert measure("G5.needs_assessment", facts([level("I.4", 2)])).value is None  # no I.2


def test_capacity_is_the_index_of_cooperation_and_institutions_and_their_requested_gaps():
    f = facts([level("VII.1", 4), level("VII.2", 1), request("X.1", 2), level("I.1", 0),
               AnswerFact("X.2")])
    level_ = measure("G6.capacity_level", f)
    assert level_.value == pytest.approx((1 + 0.25 + 0.5) / 3, abs=1e-4)
    assert level_.items == ("VII.2", "X.1")
    assert measure("G6.capacity_requested", f).value == 0.5  # X.1 requested, VII.2 not
    assert measure("G6.capacity_answered", f).value == 0.75  # X.2 unanswered


def test_universal_instruments_count_party_fully_and_signed_half():
    profile = dataclasses.replace(
        KENYA,
        ratifications=(
            ratified("A-1.1", "1", "party"),
            ratified("A-1.2", "1", "signed"),
            ratified("A-3.1", "3", "not_party"),
            ratified("A-3.2", "3", "unknown"),  # not reported: left out
            ratified("A-2.1", "2", "not_party", kind="resolution"),  # not a treaty
            ratified("A-4.1", "4", "not_party"),  # regional
        ),
    )
    result = measure("G1.universal_party", facts([], refs=("I.1",), profile=profile))
    assert result.value == pytest.approx((1 + 0.5 + 0) / 3)
    assert result.items == (PROFILE,)
    reported = measure("G1.ratification_reported", facts([], refs=("I.1",), profile=profile))
    assert reported.value == pytest.approx(5 / 6)


def test_regional_conventions_are_those_of_the_countrys_organisations():
    # Kenya belongs to the African Union: concern it, A-4.1 (Council of
    # Europe) does not.
    profile = dataclasses.replace(
        KENYA,
        organisations=frozenset({"AU", "Commonwealth"}),
        ratifications=(
            ratified("A-4.9", "4", "party"), ratified("A-5.7", "5", ""),
            ratified("A-4.1", "4", ""),
        ),
    )
    result = measure("G4.regional_instruments", facts([], refs=("I.1",), profile=profile))
    assert result.value == 0.5


# Judgement criteria ---------------------------------------------------------------------------


def test_priorities_are_differentiated_when_at_most_half_are_high():
    def with_priorities(*priorities):
        return facts([request(f"I.{i}", 0, priority=p) for i, p in enumerate(priorities, 1)])

    assert measure("G5.differentiated", with_priorities("high", "low")).value == 1.0
    # 3 of 4 high: (1 - 0.75) / 0.5 = 0.5
    assert measure("G5.differentiated", with_priorities("high", "high", "high", "low")).value == 0.5
    assert measure("G5.differentiated", with_priorities("high", "high")).value == 0.0
    assert measure("G5.differentiated", with_priorities("high")).value is None


def test_a_request_at_or_above_target_needs_a_comment_to_be_consistent():
    f = facts([request("I.1", 3), request("I.2", 4, comment="to sustain it"), request("I.3", 1),
               request("I.4")])
    result = measure("G5.consistent", f)
    assert result.value == 0.75 and result.items == ("I.1",)


def test_links_between_terrorism_and_related_crime():
    linked = facts([request("I.1", 0, crime_areas=("terrorism", "money_laundering"))])
    single = facts([request("I.1", 0, crime_areas=("terrorism",)),
                    request("I.2", 0, crime_areas=("drugs",))])
    assert measure("G2.linked", linked).value == 1.0
    assert measure("G2.linked", single).value == 0.0
    assert measure("G2.linked", facts([request("I.1", 0)])).value is None


def test_an_earlier_cycle_counts_fully_and_the_2004_synopsis_half():
    f = facts([level("I.1", 2)])
    assert measure("G7.earlier_cycle", f).value == 0.0
    baseline = Earlier(assessment_id=2, cycle="2004", is_baseline=True)
    assert measure("G7.earlier_cycle", dataclasses.replace(f, earlier=baseline)).value == 0.5
    cycle = Earlier(assessment_id=3, cycle="2022", is_baseline=False)
    assert measure("G7.earlier_cycle", dataclasses.replace(f, earlier=cycle)).value == 1.0


def test_evidence_is_asked_of_activities_in_place():
    f = facts([level("I.1", 4, has_evidence=True), level("I.2", 3), level("I.3", 1)])
    assert measure("G7.evidence", f).value == 0.5


# Explaining ------------------------------------------------------------------------------


def test_each_score_lists_criteria_met_and_not_met_with_what_to_improve():
    f = facts(
        [
            request("I.1", 0, timeline="6m", resources=""),
            request("I.2", 0, timeline="12m"),
            level("I.3", 4),
        ]
    )
    g9 = next(g for g in guideline_scores(f, default_specs()) if g.number == 9)
    # timeline 1 (weight 2), resources 0 (weight 2), I.3 at level 4: 1 (weight 1) -> 3/5
    assert g9.score == 60.0
    assert [c.code for c in g9.met] == ["G9.timeline", "G9.resource_assessment"]
    (resources,) = g9.not_met
    assert resources.code == "G9.resources"
    assert resources.to_improve == (
        "Estimate the resources needed for the 2 requests without an estimate."
    )
    assert resources.items == ("I.1", "I.2")
    assert all(c.to_improve == "" and c.items == () for c in g9.met)


def test_a_guideline_with_no_criterion_that_applies_reads_insufficient_information():
    g10 = next(g for g in guideline_scores(facts([level("I.1", 2)]), default_specs())
               if g.number == 10)
    assert g10.score is None and g10.display == "insufficient information"
    assert len(g10.not_applicable) == 3


def test_weights_staff_set_change_the_score_and_zero_leaves_a_criterion_out():
    f = facts([request("I.1", 0, timeline="6m"), level("I.3", 0)])
    specs = [s for s in default_specs() if s.guideline == 9]
    heavier = [dataclasses.replace(s, weight=8) if s.code == "G9.timeline" else s for s in specs]
    off = [dataclasses.replace(s, weight=0) if s.code == "G9.resources" else s for s in specs]
    # timeline 1, resources 0, I.3 at 0 -> (2 + 0 + 0) / 5 = 40; (8) / 11 = 72.7; (2) / 3
    assert guideline_scores(f, specs)[8].score == 40.0
    assert guideline_scores(f, heavier)[8].score == 72.7
    assert guideline_scores(f, off)[8].score == 66.7
    assert "G9.resources" not in [c.code for c in guideline_scores(f, off)[8].criteria]


# Invariants ------------------------------------------------------------------------------

VALUES = st.lists(
    st.tuples(st.one_of(st.none(), st.floats(0, 1)), st.integers(0, 5)), max_size=8
)


@given(VALUES)
def test_every_guideline_score_is_within_zero_and_a_hundred(values):
    score = guideline_score(values)
    assert score is None or 0 <= score <= 100


@given(VALUES, st.data())
def test_meeting_one_more_criterion_never_lowers_a_score(values, data):
    if not values:
        return
    i = data.draw(st.integers(0, len(values) - 1))
    met = [*values[:i], (1.0, values[i][1]), *values[i + 1:]]
    before, after = guideline_score(values), guideline_score(met)
    if before is not None:
        assert after >= before


@given(VALUES, st.data())
def test_raising_one_criterion_never_lowers_a_score(values, data):
    applying = [i for i, (v, w) in enumerate(values) if v is not None and w > 0]
    if not applying:
        return
    i = data.draw(st.sampled_from(applying))
    higher = data.draw(st.floats(values[i][0], 1))
    raised = [*values[:i], (higher, values[i][1]), *values[i + 1:]]
    assert guideline_score(raised) >= guideline_score(values)


FIELDS = {
    "other_providers": ("G3", "UNDP"),
    "regional_obligations": ("G4", "none"),
    "priority": ("G5", "medium"),
    "baseline": ("G7", "12 cases a year"),
    "timeline": ("G9", "12m"),
    "resources": ("G9", "two experts"),
    "crime_areas": ("G2", ("drugs",)),
    "delivery_modes": ("G10", ("in_person",)),
    "safeguards": ("G1", "fair trial"),
}


@st.composite
def requests(draw):
    refs = ("I.1", "I.2", "I.3", "III.1", "VII.1", "X.1")
    answers = []
    for ref in refs:
        fields = {name: value for name, (_, value) in FIELDS.items() if draw(st.booleans())}
        state = draw(st.sampled_from(["level", "unknown", "na", ""]))
        answers.append(
            AnswerFact(
                ref, state=state, level=draw(st.integers(0, 4)) if state == "level" else None,
                assistance_needed=draw(st.booleans()), **fields,
            )
        )
    return facts(answers, refs=refs)


@given(requests())
def test_every_criterion_value_is_within_zero_and_one(f):
    for score in guideline_scores(f, default_specs()):
        assert score.score is None or 0 <= score.score <= 100
        for criterion in score.criteria:
            assert criterion.value is None or 0 <= criterion.value <= 1


@given(requests(), st.sampled_from(sorted(FIELDS)), st.data())
def test_completing_a_request_never_lowers_its_guideline(f, name, data):
    guideline, value = FIELDS[name]
    missing = [a for a in f.answers.values() if a.is_request and not getattr(a, name)]
    if not missing:
        return
    answer = data.draw(st.sampled_from(missing))
    completed = dataclasses.replace(
        f, answers={**f.answers, answer.ref: dataclasses.replace(answer, **{name: value})}
    )
    number = int(guideline[1:])
    specs = default_specs()
    before = guideline_scores(f, specs)[number - 1].score
    after = guideline_scores(completed, specs)[number - 1].score
    if before is not None:
        assert after >= before


def test_a_spec_without_a_rule_is_ignored():
    spec = CriterionSpec("G1.unknown", 1, "Unknown", "", 5, "")
    scores = guideline_scores(facts([level("I.1", 2)]), [spec])
    assert scores[0].criteria == ()
