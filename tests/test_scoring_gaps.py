"""Gaps: the rule's interval, severity by hand, ranking, and their invariants."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.facts import AnswerFact
from scoring.gaps import (
    SeverityWeights,
    distance,
    gaps_find,
    is_gap,
    rank_gaps,
    severity,
    unknown_apart,
)
from tests.scoring_builders import facts, level, request

DEFAULT = SeverityWeights()


@pytest.mark.parametrize(
    ("state", "level_", "target", "asked", "gap"),
    [
        ("level", 0, 3, False, True),
        ("level", 2, 3, False, True),  # the last level inside [0, target)
        ("level", 3, 3, False, False),  # the target itself is no gap
        ("level", 4, 3, False, False),
        ("level", 3, 4, False, True),  # a stricter target
        ("level", 0, 0, False, False),  # nothing is below a target of 0
        ("level", 4, 3, True, True),  # a request makes a gap whatever the level
        ("unknown", None, 3, False, False),  # unknown is listed apart...
        ("unknown", None, 3, True, True),  # ...unless assistance is requested
        ("", None, 3, False, False),
        ("", None, 3, True, True),  # e.g. a 2004 request not yet confirmed
        ("na", None, 3, True, False),  # not applicable is never a gap
        ("na", 0, 3, True, False),
    ],
)
def test_the_gap_rule_is_level_in_zero_to_target_or_a_request(state, level_, target, asked, gap):
    assert is_gap(state, level_, target, asked) is gap


def test_distance_is_the_share_of_the_target_still_missing():
    assert distance("level", 0, 3, DEFAULT) == 1.0
    assert distance("level", 1, 3, DEFAULT) == pytest.approx(2 / 3)
    assert distance("level", 3, 3, DEFAULT) == 0.0
    assert distance("level", 2, 4, DEFAULT) == 0.5
    assert distance("unknown", None, 3, DEFAULT) == 0.5  # the "unknown distance" weight


def test_severity_by_hand_with_the_default_weights():
    # 100 × (50 × d + 30 × priority + 20 × obligation) / 100
    # level 1 of 3, high priority, mandated: 50 × 2/3 + 30 + 20 = 83.3
    assert severity(distance=2 / 3, priority="high", obligation="mandated", weights=DEFAULT) == 83.3
    # level 2 of 3, no request, recommended: 50 × 1/3 + 0 + 20 × 0.5 = 26.7
    assert severity(distance=1 / 3, priority="", obligation="recommended", weights=DEFAULT) == 26.7
    # unknown level, low priority, unspecified: 50 × 0.5 + 30 × 0.3 + 20 × 0.75 = 49.0
    assert severity(distance=0.5, priority="low", obligation="", weights=DEFAULT) == 49.0
    # at the target, medium priority, mandated: 0 + 30 × 0.6 + 20 = 38.0
    assert severity(distance=0, priority="medium", obligation="mandated", weights=DEFAULT) == 38.0


def test_severity_follows_the_weights_staff_set():
    distance_only = SeverityWeights(distance=1, priority=0, obligation=0)
    assert severity(distance=0.25, priority="high", obligation="mandated",
                    weights=distance_only) == 25.0
    assert severity(distance=1, priority="high", obligation="mandated",
                    weights=SeverityWeights(distance=0, priority=0, obligation=0)) == 0.0


def test_gaps_are_found_with_their_reasons_and_ranked():
    found = gaps_find(
        facts(
            [
                level("I.1", 4),  # in place: no gap
                level("I.2", 2),  # below the target, no request
                request("I.3", 1, priority="high"),
                AnswerFact("I.4", state="na", assistance_needed=True),
                AnswerFact("III.1", state="unknown"),  # listed apart
                request("III.2", priority="low"),
            ],
        ),
        DEFAULT,
    )
    # I.3: 50 × 2/3 + 30 + 20 × .75 = 78.3; III.2: 25 + 9 + 15 = 49.0; I.2: 16.7 + 0 + 15 = 31.7
    assert [(g.ref, g.severity) for g in found] == [("I.3", 78.3), ("III.2", 49.0), ("I.2", 31.7)]
    assert found[0].reasons == (
        "level 1 is below the target 3", "assistance requested (high priority)",
    )
    assert found[1].reasons == ("level not known", "assistance requested (low priority)")
    assert found[2].requested is False and found[2].priority == ""


def test_unknown_levels_without_a_request_are_listed_apart():
    f = facts([AnswerFact("I.1", state="unknown"), request("I.2"), level("I.3", 0)])
    assert unknown_apart(f) == ("I.1",)


def test_equal_severities_keep_the_documents_order():
    f = facts([level("III.1", 0), level("I.1", 0), level("I.2", 0)], refs=("I.1", "I.2", "III.1"))
    assert [g.ref for g in gaps_find(f, DEFAULT)] == ["I.1", "I.2", "III.1"]


# Invariants ------------------------------------------------------------------------------

STATES = st.sampled_from(["level", "na", "unknown", ""])
PRIORITIES = st.sampled_from(["high", "medium", "low", ""])
OBLIGATIONS = st.sampled_from(["mandated", "recommended", ""])


@st.composite
def answer_sets(draw):
    n = draw(st.integers(1, 25))
    refs = tuple(f"I.{i}" for i in range(1, n + 1))
    answers = []
    for ref in refs:
        state = draw(STATES)
        answers.append(
            AnswerFact(
                ref,
                state=state,
                level=draw(st.integers(0, 4)) if state == "level" else None,
                assistance_needed=draw(st.one_of(st.none(), st.booleans())),
                priority=draw(PRIORITIES),
            )
        )
    targets = draw(st.integers(0, 4))
    return facts(answers, refs=refs, target=targets, obligation=draw(OBLIGATIONS))


WEIGHTS = st.builds(
    SeverityWeights,
    distance=st.integers(0, 100),
    priority=st.integers(0, 100),
    obligation=st.integers(0, 100),
    unknown_distance=st.floats(0, 1),
)


@given(st.floats(0, 1), PRIORITIES, OBLIGATIONS, WEIGHTS)
def test_every_severity_is_within_zero_and_a_hundred(d, priority, obligation, weights):
    assert 0 <= severity(distance=d, priority=priority, obligation=obligation,
                         weights=weights) <= 100


@given(st.sampled_from(["na"]), st.one_of(st.none(), st.integers(0, 4)), st.integers(0, 4),
       st.one_of(st.none(), st.booleans()))
def test_not_applicable_is_never_a_gap(state, level_, target, asked):
    assert not is_gap(state, level_, target, asked)


@given(answer_sets(), WEIGHTS)
def test_no_gap_is_not_applicable_and_every_gap_is_in_range(f, weights):
    for gap in gaps_find(f, weights):
        assert f.answer(gap.ref).state != "na"
        assert 0 <= gap.severity <= 100 and 0 <= gap.distance <= 1


@given(answer_sets(), WEIGHTS, st.randoms(use_true_random=False))
def test_the_ranking_is_stable(f, weights, rng: random.Random):
    ranked = gaps_find(f, weights)
    shuffled = list(ranked)
    rng.shuffle(shuffled)
    assert rank_gaps(shuffled) == ranked
    keys = [(-g.severity, g.position) for g in ranked]
    assert keys == sorted(keys)


@given(st.floats(0, 1), st.floats(0, 1), PRIORITIES, OBLIGATIONS, WEIGHTS)
def test_a_larger_distance_never_lowers_severity(a, b, priority, obligation, weights):
    low, high = sorted((a, b))
    assert severity(distance=low, priority=priority, obligation=obligation, weights=weights) <= (
        severity(distance=high, priority=priority, obligation=obligation, weights=weights)
    )
