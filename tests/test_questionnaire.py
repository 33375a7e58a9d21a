"""Filling in the questionnaire: sections, autosave, nothing lost, submission and review."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.answering import answer_save
from assessments.forms import NEEDS_REASON, NOT_A_LINK
from assessments.models import Answer, Assessment, SectionComment
from assessments.opening import answers_ensure
from assessments.pending import EXPIRED
from catalogue.models import Activity, Category
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def section_url(assessment, numeral):
    return reverse("assessments:section", args=[assessment.pk, numeral])


def item_data(answer, **fields):
    """The POST data of one untouched item, with some fields changed."""
    prefix = f"a{answer.pk}"
    data = {f"{prefix}-version": str(answer.version)}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return data


def section_post(client, assessment, numeral, changes: dict[str, dict]):
    """Post the whole section as a browser would, with changes for some activities."""
    data = {}
    for answer in assessment.answers.filter(activity__category__numeral=numeral):
        data.update(item_data(answer, **changes.get(answer.activity.ref, {})))
    return client.post(section_url(assessment, numeral), data)


def test_a_section_lists_every_activity_in_the_documents_order(client, cast):
    client.force_login(cast.focal_a)
    response = client.get(section_url(cast.assessment_a, "VII"))
    assert response.status_code == 200
    html = response.content.decode()
    texts = list(Activity.objects.filter(category__numeral="VII").values_list("text", flat=True))
    positions = [
        html.index(t.replace("“", "&ldquo;")) if "“" in t else html.index(t) for t in texts
    ]
    assert positions == sorted(positions)
    assert "Is technical assistance needed?" in html
    assert "Guidelines 5, 7" in html
    everything = client.get(section_url(cast.assessment_a, "VII") + "?details=all")
    assert "Guideline 3" in everything.content.decode()  # the details, loaded on demand


def test_an_activity_added_in_admin_appears_in_open_questionnaires(client, cast):
    category = Category.objects.get(numeral="XI")
    ActivityFactory(category=category, text="Prevent radicalisation in prisons", position=999)
    client.force_login(cast.focal_a)
    response = client.get(section_url(cast.assessment_a, "XI"))
    assert "Prevent radicalisation in prisons" in response.content.decode()


def test_a_full_section_submit_saves_and_redirects(client, cast):
    client.force_login(cast.focal_a)
    response = section_post(
        client,
        cast.assessment_a,
        "I",
        {
            "I.1": {"status": "3"},
            "I.2": {
                "status": "1",
                "assistance": "yes",
                "assistance_kinds": ["training"],
                "priority": "high",
            },
        },
    )
    assert response.status_code == 302
    first = Answer.objects.get(assessment=cast.assessment_a, activity__ref="I.1")
    second = Answer.objects.get(assessment=cast.assessment_a, activity__ref="I.2")
    assert (first.state, first.level) == ("level", 3)
    assert second.assistance_needed and second.assistance_kinds == ["training"]


def test_an_invalid_value_keeps_everything_typed_and_saves_the_rest(client, cast):
    client.force_login(cast.focal_a)
    response = section_post(
        client,
        cast.assessment_a,
        "I",
        {
            "I.1": {"status": "na", "comment": "We have no such body"},
            "I.2": {"status": "2", "evidence_links": "https://example.org/law\nnot a link"},
            "I.3": {"status": "4"},
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert NEEDS_REASON in html
    assert NOT_A_LINK.format(line=2) in html
    assert "not a link" in html and "We have no such body" in html  # kept in the form
    i1 = Answer.objects.get(assessment=cast.assessment_a, activity__ref="I.1")
    i2 = Answer.objects.get(assessment=cast.assessment_a, activity__ref="I.2")
    i3 = Answer.objects.get(assessment=cast.assessment_a, activity__ref="I.3")
    assert i1.comment == "We have no such body" and i1.state == ""  # the rest saved
    assert (i2.level, i2.evidence_links) == (2, "")
    assert i3.level == 4


def test_autosave_saves_one_item_and_answers_json(client, cast):
    client.force_login(cast.focal_a)
    answer = cast.assessment_a.answers.get(activity__ref="V.4")
    url = reverse("assessments:autosave", args=[cast.assessment_a.pk, answer.pk])
    response = client.post(url, item_data(answer, status="2", comment="FIU set up in 2010"))
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1 and body["errors"] == {}
    assert "Saved" in body["state"]
    answer.refresh_from_db()
    assert (answer.level, answer.comment) == (2, "FIU set up in 2010")


def test_autosave_reports_the_field_to_fix(client, cast):
    client.force_login(cast.focal_a)
    answer = cast.assessment_a.answers.get(activity__ref="V.4")
    url = reverse("assessments:autosave", args=[cast.assessment_a.pk, answer.pk])
    response = client.post(url, item_data(answer, status="na", comment="kept"))
    assert response.status_code == 422
    assert response.json()["errors"] == {"not_applicable_reason": [NEEDS_REASON]}
    answer.refresh_from_db()
    assert answer.comment == "kept"


def test_a_second_editor_gets_a_conflict_not_a_silent_overwrite(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="V.4")
    url = reverse("assessments:autosave", args=[cast.assessment_a.pk, answer.pk])
    client.force_login(cast.focal_a)
    client.post(url, item_data(answer, comment="Focal point's words"))
    client.force_login(cast.contrib_a)
    response = client.post(url, item_data(answer, comment="Contributor's words"))  # version 0
    assert response.status_code == 409
    (conflict,) = response.json()["conflicts"]
    assert conflict == {
        "field": "comment",
        "label": "Comment",
        "theirs": ["Focal point's words"],
        "theirs_text": "Focal point's words",
        "mine_text": "Contributor's words",
        "by": "ken-focal",
    }
    answer.refresh_from_db()
    assert answer.comment == "Focal point's words"


def test_a_conflict_on_a_choice_gives_the_form_values_and_both_labels(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="V.4")
    url = reverse("assessments:autosave", args=[cast.assessment_a.pk, answer.pk])
    client.force_login(cast.focal_a)
    client.post(url, item_data(answer, status="3", assistance="yes",
                               assistance_kinds=["training", "mentoring"]))
    client.force_login(cast.contrib_a)
    response = client.post(url, item_data(answer, status="1", assistance="yes",
                                          assistance_kinds=["legislative"], comment="mine"))
    assert response.status_code == 409
    got = {c["field"]: (c["theirs"], c["theirs_text"], c["mine_text"])
           for c in response.json()["conflicts"]}
    assert got == {
        "status": (["3"], "3 – Largely in place", "1 – Planned or initiated"),
        "assistance_kinds": (
            ["training", "mentoring"], "Training, Mentoring", "Legislative drafting"
        ),
    }
    answer.refresh_from_db()
    assert (answer.level, answer.comment) == (3, "mine")  # the rest of the item is saved


def test_an_expired_session_keeps_the_posted_values_for_after_login(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    url = section_url(cast.assessment_a, "I")
    response = client.post(url, item_data(answer, comment="Typed before the session expired"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.post(
        reverse("login"), {"username": "ken-focal", "password": "correct horse battery staple"}
    )
    page = client.get(url)
    assert "Typed before the session expired" in page.content.decode()
    assert client.get(url).content.decode().count("Typed before the session expired") == 0


def test_an_expired_session_answers_autosave_with_401(client, cast):
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    url = reverse("assessments:autosave", args=[cast.assessment_a.pk, answer.pk])
    response = client.post(url, item_data(answer, comment="x"), HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == EXPIRED


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("law.exe", b"MZ\x90\x00", "is not accepted"),
        ("law.pdf", b"MZ\x90\x00 not really a pdf", "is not accepted"),
        ("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "at most 10 MB"),
    ],
)
def test_a_bad_file_is_refused_and_the_typed_values_are_saved(client, cast, name, content, problem):
    client.force_login(cast.focal_a)
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    data = item_data(answer, comment="Evidence follows", status="2")
    data[f"a{answer.pk}-evidence_file"] = SimpleUploadedFile(name, content)
    url = reverse("assessments:autosave", args=[cast.assessment_a.pk, answer.pk])
    response = client.post(url, data)
    assert response.status_code == 422
    assert problem in response.json()["errors"]["evidence_file"][0]
    answer.refresh_from_db()
    assert (answer.comment, answer.level, answer.evidence.count()) == ("Evidence follows", 2, 0)


def test_a_good_file_is_stored_and_only_the_country_can_download_it(client, cast):
    client.force_login(cast.focal_a)
    answer = cast.assessment_a.answers.get(activity__ref="I.1")
    data = item_data(answer)
    data[f"a{answer.pk}-evidence_file"] = SimpleUploadedFile("act.pdf", b"%PDF-1.4 test")
    url = reverse("assessments:autosave", args=[cast.assessment_a.pk, answer.pk])
    assert client.post(url, data).status_code == 200
    evidence = answer.evidence.get()
    download = reverse("assessments:evidence", args=[cast.assessment_a.pk, evidence.pk])
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.4 test"
    client.force_login(cast.user_b)
    assert client.get(download).status_code == 404


def test_a_contributor_edits_only_their_categories(client, cast):
    client.force_login(cast.contrib_a)
    assert 'data-autosave="on"' in client.get(section_url(cast.assessment_a, "V")).content.decode()
    assert 'data-autosave="off"' in client.get(section_url(cast.assessment_a, "I")).content.decode()
    assert section_post(client, cast.assessment_a, "I", {"I.1": {"status": "4"}}).status_code == 403
    assert section_post(client, cast.assessment_a, "V", {"V.1": {"status": "4"}}).status_code == 302
    assert cast.assessment_a.answers.get(activity__ref="V.1").level == 4


def test_ids_in_the_body_that_point_at_another_country_are_ignored(client, cast):
    client.force_login(cast.focal_a)
    foreign = cast.assessment_b.answers.get(activity__ref="I.1")
    data = item_data(foreign, status="4", comment="injected")
    client.post(section_url(cast.assessment_a, "I"), data)
    foreign.refresh_from_db()
    assert (foreign.state, foreign.comment) == ("", "")
    url = reverse("assessments:autosave", args=[cast.assessment_a.pk, foreign.pk])
    assert client.post(url, data).status_code == 404


def test_submission_lists_what_is_missing_with_links(client, cast):
    client.force_login(cast.focal_a)
    url = reverse("assessments:submit", args=[cast.assessment_a.pk])
    response = client.post(url)
    html = response.content.decode()
    assert "Not submitted" in html
    assert f"{section_url(cast.assessment_a, 'I')}#item-I.1" in html
    cast.assessment_a.refresh_from_db()
    assert cast.assessment_a.status == Assessment.Status.DRAFT


def complete(assessment):
    answers_ensure(assessment)
    assessment.answers.update(state="unknown", needs_confirmation=False, assistance_needed=False)
    assessment.ratifications.update(status="unknown")
    assessment.legal_tradition = "common"
    assessment.save()


def test_a_complete_assessment_is_submitted_then_read_only(client, cast):
    complete(cast.assessment_a)
    client.force_login(cast.focal_a)
    response = client.post(reverse("assessments:submit", args=[cast.assessment_a.pk]))
    assert response.status_code == 302
    cast.assessment_a.refresh_from_db()
    assert cast.assessment_a.status == Assessment.Status.SUBMITTED
    event = cast.assessment_a.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("draft", "submitted", cast.focal_a)
    assert section_post(client, cast.assessment_a, "I", {"I.1": {"status": "4"}}).status_code == 403


def test_staff_return_with_comments_that_the_ministry_sees_beside_the_items(client, cast):
    complete(cast.assessment_a)
    client.force_login(cast.focal_a)
    client.post(reverse("assessments:submit", args=[cast.assessment_a.pk]))
    client.force_login(cast.staff)
    review = reverse("assessments:review", args=[cast.assessment_a.pk])
    assert client.post(review, {"action": "return"}).status_code == 200  # needs a comment
    section_v = Category.objects.get(numeral="V")
    response = client.post(
        review, {"action": "return", f"comment-{section_v.pk}": "Say which FIU law applies."}
    )
    assert response.status_code == 302
    assert SectionComment.objects.get().text == "Say which FIU law applies."
    client.force_login(cast.focal_a)
    page = client.get(section_url(cast.assessment_a, "V")).content.decode()
    assert "Say which FIU law applies." in page
    assert section_post(client, cast.assessment_a, "V", {"V.1": {"status": "4"}}).status_code == 302


def test_staff_validate_a_submitted_assessment(client, cast):
    complete(cast.assessment_a)
    client.force_login(cast.focal_a)
    client.post(reverse("assessments:submit", args=[cast.assessment_a.pk]))
    client.force_login(cast.staff)
    client.post(reverse("assessments:review", args=[cast.assessment_a.pk]), {"action": "validate"})
    cast.assessment_a.refresh_from_db()
    assert cast.assessment_a.status == Assessment.Status.VALIDATED


def test_the_overview_shows_progress_per_section(client, cast):
    client.force_login(cast.focal_a)
    section_post(client, cast.assessment_a, "I", {"I.1": {"status": "3"}, "I.2": {"status": "2"}})
    html = client.get(reverse("assessments:overview", args=[cast.assessment_a.pk])).content.decode()
    assert "2 of 4" in html
    assert "0 of 57" in html


def test_home_lists_only_the_users_country_with_its_next_step(client, cast):
    client.force_login(cast.focal_a)
    html = client.get(reverse("home")).content.decode()
    assert "Kenya · 2026 assessment" in html
    assert "Fiji" not in html
    assert "Next step:</strong> Continue answering" in html
    assert "0 of 123 items answered" in html


def test_home_shows_staff_the_cycles_and_what_waits_for_review(client, cast):
    complete(cast.assessment_a)
    client.force_login(cast.focal_a)
    client.post(reverse("assessments:submit", args=[cast.assessment_a.pk]))
    client.force_login(cast.staff)
    html = client.get(reverse("home")).content.decode()
    assert "2026 assessment" in html
    assert reverse("assessments:review", args=[cast.assessment_a.pk]) in html


def test_a_new_cycle_starts_from_the_countrys_latest_earlier_assessment(cast):
    import datetime

    from assessments.models import Cycle
    from assessments.opening import FROM_PREVIOUS, assessment_open

    answer = cast.assessment_a.answers.get(activity__ref="VII.D.5")
    answer_save(
        answer=answer,
        values={"state": "level", "level": 3, "comment": "Joint unit"},
        base_version=0,
        user=cast.focal_a,
    )
    cast.assessment_a.ratifications.filter(instrument__ref="A-3.4").update(status="party")
    later = Cycle.objects.create(
        name="2028 assessment",
        starts_on=datetime.date(2028, 1, 1),
        ends_on=datetime.date(2028, 12, 31),
    )
    renewed = assessment_open(cycle=later, country=cast.assessment_a.country)
    carried = renewed.answers.get(activity__ref="VII.D.5")
    assert (carried.level, carried.comment) == (3, "Joint unit")
    assert carried.needs_confirmation
    assert carried.prefill_note == FROM_PREVIOUS.format(cycle="2026 assessment")
    assert renewed.previous == cast.assessment_a
    assert renewed.ratifications.get(instrument__ref="A-3.4").status == "party"
    assert not renewed.answers.get(activity__ref="I.1").needs_confirmation  # nothing to carry
