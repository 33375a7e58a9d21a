"""Saving answers: partial saves, conflicts shown with both values, no silent overwrite."""

from __future__ import annotations

import pytest

from assessments.answering import Change, answer_save, answers_save
from assessments.choices import AnswerState

pytestmark = pytest.mark.django_db


def an_answer(cast, ref="I.1"):
    return cast.assessment_a.answers.get(activity__ref=ref)


def test_a_save_applies_the_changes_and_bumps_the_version(cast):
    answer = an_answer(cast)
    result = answer_save(
        answer=answer,
        values={"state": AnswerState.LEVEL, "level": 2},
        base_version=0,
        user=cast.focal_a,
    )
    assert result.saved == ["level", "state"]
    assert result.conflicts == []
    answer.refresh_from_db()
    assert (answer.state, answer.level, answer.version) == ("level", 2, 1)
    assert answer.updated_by == cast.focal_a


def test_two_people_changing_different_fields_both_keep_their_change(cast):
    answer = an_answer(cast)
    answer_save(
        answer=answer, values={"comment": "From justice"}, base_version=0, user=cast.focal_a
    )
    result = answer_save(
        answer=answer, values={"resources": "Two experts"}, base_version=0, user=cast.contrib_a
    )
    assert result.conflicts == []
    answer.refresh_from_db()
    assert (answer.comment, answer.resources) == ("From justice", "Two experts")


def test_the_later_save_of_the_same_field_gets_a_conflict_with_both_values(cast):
    answer = an_answer(cast)
    answer_save(answer=answer, values={"comment": "Theirs"}, base_version=0, user=cast.focal_a)
    result = answer_save(
        answer=answer, values={"comment": "Mine"}, base_version=0, user=cast.contrib_a
    )
    (conflict,) = result.conflicts
    assert (conflict.field, conflict.mine, conflict.theirs) == ("comment", "Mine", "Theirs")
    assert conflict.by == "ken-focal"
    answer.refresh_from_db()
    assert answer.comment == "Theirs"  # never silently overwritten

    again = answer_save(
        answer=answer, values={"comment": "Mine"}, base_version=answer.version, user=cast.contrib_a
    )
    assert again.conflicts == []
    answer.refresh_from_db()
    assert answer.comment == "Mine"  # the second, informed save keeps the user's value


def test_sending_a_value_unchanged_since_the_user_saw_it_is_no_conflict(cast):
    answer = an_answer(cast)
    answer_save(
        answer=answer, values={"comment": "A", "resources": ""}, base_version=0, user=cast.focal_a
    )
    # The contributor's form still shows comment "" and resources "": they only change resources.
    result = answer_save(
        answer=answer,
        values={"comment": "", "resources": "Money"},
        base_version=0,
        user=cast.contrib_a,
    )
    assert result.conflicts == []
    answer.refresh_from_db()
    assert (answer.comment, answer.resources) == ("A", "Money")


def test_every_change_is_kept_in_the_history_with_who_made_it(cast):
    answer = an_answer(cast)
    answer_save(answer=answer, values={"comment": "first"}, base_version=0, user=cast.focal_a)
    answer_save(answer=answer, values={"comment": "second"}, base_version=1, user=cast.focal_a)
    comments = list(answer.history.order_by("history_id").values_list("comment", flat=True))
    assert comments[-2:] == ["first", "second"]
    assert answer.history.latest().history_user == cast.focal_a
    newest, older = answer.history.order_by("-history_id")[:2]
    delta = newest.diff_against(older)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "comment"] == [
        ("comment", "first", "second")
    ]


def test_a_section_saves_its_items_together_with_the_same_conflict_rule(cast):
    first, second, third = (an_answer(cast, ref) for ref in ("I.1", "I.2", "I.3"))
    answer_save(answer=second, values={"comment": "Theirs"}, base_version=0, user=cast.focal_a)
    results = answers_save(
        [
            Change(first, {"comment": "Mine 1"}, 0),
            Change(second, {"comment": "Mine 2", "resources": "Two experts"}, 0),  # stale
            Change(third, {"state": AnswerState.LEVEL, "level": 3}, 0),
        ],
        cast.contrib_a,
    )
    assert [r.saved for r in results] == [["comment"], ["resources"], ["level", "state"]]
    assert [len(r.conflicts) for r in results] == [0, 1, 0]
    assert results[1].conflicts[0].theirs == "Theirs"
    second.refresh_from_db()
    assert (second.comment, second.resources, second.version) == ("Theirs", "Two experts", 2)
    history = list(second.history.order_by("history_id"))
    assert [(h.version, h.history_user) for h in history[-2:]] == [
        (1, cast.focal_a), (2, cast.contrib_a)
    ]
    assert history[-1].resources == "Two experts"
