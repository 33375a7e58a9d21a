"""Implementation index: hand-computed examples and the range invariant."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scoring.facts import AnswerFact
from scoring.index import activity_value, aggregate, implementation_index
from scoring.values import NO_DATA
from tests.scoring_builders import facts, level

STATES = st.sampled_from(["level", "na", "unknown", ""])
ANSWERS = st.lists(st.tuples(STATES, st.one_of(st.none(), st.integers(0, 4))), max_size=60)


def test_an_activity_scores_its_level_over_four():
    assert [activity_value("level", n) for n in range(5)] == [0, 0.25, 0.5, 0.75, 1]


def test_an_activity_without_a_level_has_no_value_never_zero():
    assert activity_value("na", None) is None
    assert activity_value("unknown", None) is None
    assert activity_value("", None) is None


def test_the_index_is_the_mean_over_levels_with_the_rest_counted_apart():
    # Levels 4, 2 and 1: (1 + 0.5 + 0.25) / 3 = 0.5833; N/A, unknown and blank counted apart.
    index = aggregate(
        [("level", 4), ("level", 2), ("na", None), ("unknown", None), ("", None), ("level", 1)]
    )
    assert index.value == 0.5833
    assert (index.with_level, index.not_applicable, index.unknown, index.unanswered) == (
        3, 1, 1, 1,
    )
    assert index.total == 6 and index.applicable == 5
    assert index.coverage == 3 / 5
    assert index.display == "58 %"


def test_a_set_without_any_level_is_insufficient_information_not_zero():
    index = aggregate([("na", None), ("unknown", None), ("unknown", None)])
    assert index.value is None
    assert index.display == NO_DATA == "insufficient information"
    assert (index.not_applicable, index.unknown) == (1, 2)
    assert aggregate([]).value is None


def test_categories_and_country_are_indexed_over_their_activities():
    # I: levels 4 and 0 -> 0.5; III: 3 -> 0.75 with one N/A; VII: unknown only -> no data.
    # Country: (1 + 0 + 0.75) / 3 = 0.5833 (each activity counts once).
    result = implementation_index(
        facts(
            [
                level("I.1", 4), level("I.2", 0), level("III.1", 3),
                AnswerFact("III.2", state="na"), AnswerFact("VII.1", state="unknown"),
            ]
        )
    )
    values = {c.numeral: c.index.value for c in result.categories}
    assert values == {"I": 0.5, "III": 0.75, "VII": None, "X": None}
    assert result.country.value == 0.5833
    assert result.country.unknown == 1 and result.country.not_applicable == 1
    assert [a.value for a in result.activities] == [1.0, 0.0, 0.75, None, None]
    assert result.activities[3].display == "not applicable"
    assert result.activities[4].display == NO_DATA


@given(ANSWERS)
def test_every_index_is_within_zero_and_one_or_no_data(answers):
    index = aggregate(answers)
    assert index.value is None or 0 <= index.value <= 1
    assert index.total == len(answers)
    has_level = any(s == "level" and n is not None for s, n in answers)
    assert (index.value is None) == (not has_level)


@given(ANSWERS, st.integers(0, 4))
def test_raising_one_level_never_lowers_the_index(answers, new_level):
    levels = [i for i, (s, n) in enumerate(answers) if s == "level" and n is not None]
    if not levels:
        return
    i = levels[0]
    if new_level < answers[i][1]:
        return
    raised = [*answers[:i], ("level", new_level), *answers[i + 1:]]
    assert aggregate(raised).value >= aggregate(answers).value
