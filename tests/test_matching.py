"""The text-matching engine, its commands and its quality on the labelled examples.

Runs on the real reference data (loaded once per session by conftest). The labelled sets live in
``tests/data``: needs of the 2004 synopsis -> activities, and activities -> compendium entries.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue.management.commands import match as match_command
from catalogue.matching import (
    NEED_THRESHOLD,
    activities_for_need,
    match_activities,
    match_activities_many,
    match_entries,
)
from catalogue.matching.evaluation import (
    load_entry_labels,
    load_need_labels,
    load_unmatched_needs,
    quality_report,
)
from catalogue.matching.tfidf_index import get_index
from catalogue.models import Activity, Entry

DATA = Path(__file__).resolve().parent / "data"
NEED_LABELS = Path(__file__).resolve().parent.parent / "catalogue/data/labelled_needs.yaml"
ENTRY_LABELS = DATA / "entry_labels.yaml"
SYNOPSIS = Path(__file__).resolve().parent.parent / "assessments" / "data" / "synopsis.yaml"

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = StringIO()
    call_command("match", *args, stdout=out, **options)
    return out.getvalue()


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


# --- the labelled sets ----------------------------------------------------------------------------


def test_the_need_labels_quote_the_synopsis_and_name_real_activities():
    data = yaml.safe_load(NEED_LABELS.read_text(encoding="utf-8"))
    synopsis = yaml.safe_load(SYNOPSIS.read_text(encoding="utf-8"))
    verbatim = {need for country in synopsis["countries"] for need in country["needs"]}
    refs = set(Activity.objects.values_list("ref", flat=True))
    needs = data["needs"]
    assert len(needs) >= 70
    assert len({n["country"] for n in needs}) >= 30
    for need in needs + data["unmatched"]:
        assert need["text"] in verbatim, need["text"]
    for need in needs:
        assert 1 <= len(need["activities"]) <= 3, need["text"]
        assert set(need["activities"]) <= refs, need["text"]
    # All kinds of needs, not only capacity building.
    first_categories = {n["activities"][0].split(".")[0] for n in needs}
    assert {"I", "II", "III", "IV", "V", "VI", "VII", "X", "XI"} <= first_categories


def test_the_entry_labels_name_real_activities_and_entries():
    gaps = load_entry_labels(ENTRY_LABELS)
    activities = set(Activity.objects.values_list("ref", flat=True))
    entries = set(Entry.objects.values_list("ref", flat=True))
    assert len(gaps) >= 45
    for gap in gaps:
        assert gap.query in activities
        assert gap.expected and set(gap.expected) <= entries, gap.query


def test_every_third_labelled_item_is_held_out():
    needs = load_need_labels(NEED_LABELS)
    assert [n.held_out for n in needs[:6]] == [False, False, True, False, False, True]
    assert sum(n.held_out for n in needs) == len(needs) // 3


# --- needs -> activities --------------------------------------------------------------------------


def test_it_files_training_of_magistrates_under_capacity_building():
    first, second = match_activities("Training of magistrates", top=2)
    assert (first.ref, first.category, first.number) == ("X.5", "X", "5")
    assert first.text == Activity.objects.get(ref="X.5").text
    assert second.ref == "X.4"
    assert "shares terms: magistrates, training" in first.reasons
    assert "domain: “Training” points to X.5" in first.reasons


def test_it_files_equipment_under_capacity_building():
    first = match_activities("Equipment for combating terrorism", top=1)[0]
    assert first.ref == "X.2"
    assert first.category == "X"


def test_it_reads_an_abbreviation_through_the_vocabulary():
    first = match_activities("Assistance in setting up a FIU", top=1)[0]
    assert first.ref == "V.4"
    assert "domain: “FIU” points to V.4" in first.reasons


def test_it_explains_a_synonym():
    first = match_activities("Immigration services", top=1)[0]
    assert first.ref == "X.6"
    assert "synonym: Immigration services → border control" in first.reasons


def test_an_activity_wording_matches_that_activity_fully():
    wording = Activity.objects.get(ref="VII.D.5").text
    first = match_activities(wording.upper(), top=1)[0]
    assert first.ref == "VII.D.5"
    assert first.score == 1.0
    assert first.reasons == ("same wording as activity VII.D.5",)


def test_scores_are_in_zero_one_best_first_and_every_result_has_reasons():
    texts = [n.query for n in load_need_labels(NEED_LABELS)]
    for matches in match_activities_many(texts, top=5):
        scores = [m.score for m in matches]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert all(m.reasons for m in matches)


def test_a_need_outside_the_framework_matches_nothing_well():
    for text in load_unmatched_needs(NEED_LABELS):
        assert match_activities(text, top=1)[0].score < NEED_THRESHOLD, text
        assert activities_for_need(text) == []


def test_activities_for_need_keeps_the_clear_matches_only():
    found = activities_for_need("Assistance in setting up a Financial Intelligence Unit")
    assert [m.ref for m in found] == ["V.4"]
    found = activities_for_need("Training of prosecutors")
    assert [m.ref for m in found][:2] == ["X.5", "X.4"]


# --- gaps -> compendium entries -------------------------------------------------------------------


def test_a_gap_gets_the_entries_curated_for_its_activity_first():
    matches = match_entries(activity="V.4")
    assert matches[0].ref == "T-egmont-group-of-financial-intelligence-units"
    assert matches[0].reasons[0] == "curated: entry serves activity V.4"
    assert all(0.0 <= m.score <= 1.0 for m in matches)


def test_the_cybercrime_convention_answers_illegal_access():
    assert match_entries(activity=Activity.objects.get(ref="IV.1"))[0].ref == "A-5.6"


def test_the_smuggling_protocol_and_its_tools_answer_smuggling_of_migrants():
    refs = [m.ref for m in match_entries(activity="III.A.g12.1")]
    assert {
        "A-3.6",
        "T-legislative-guide-implementation-protocol-against-smuggling",
        "T-toolkit-to-combat-smuggling-of-migrants",
    } <= set(refs)


def test_an_activity_wording_gets_what_a_gap_on_that_activity_gets():
    wording = Activity.objects.get(ref="III.A.g13.1").text
    by_text = [m.ref for m in match_entries(wording)]
    by_activity = [m.ref for m in match_entries(activity="III.A.g13.1")]
    assert by_text == by_activity


def test_free_text_borrows_the_links_of_the_activities_it_matches():
    first = match_entries("Smuggling of migrants by sea", top=3)[0]
    assert first.reasons[0].endswith("(the text matches activity III.A.g12.1)")
    assert first.ref in {
        "A-3.6",
        "T-legislative-guide-implementation-protocol-against-smuggling",
        "T-toolkit-to-combat-smuggling-of-migrants",
    }


def test_the_countrys_own_words_refine_a_gap():
    plain = [m.ref for m in match_entries(activity="VII.D.5", top=10)]
    interpol = [m.ref for m in match_entries("INTERPOL databases", activity="VII.D.5", top=10)]
    assert interpol[0] == "T-interpol-databases"
    assert interpol != plain


def test_an_unknown_activity_is_refused():
    with pytest.raises(ValueError, match="unknown or retired activity “Z.9”"):
        match_entries(activity="Z.9")


# --- the index cache ------------------------------------------------------------------------------


def test_the_index_is_built_once_and_rebuilt_when_an_activity_changes():
    index = get_index()
    assert get_index() is index
    activity = Activity.objects.get(ref="XI.3")
    activity.text = "Exchange information about prevention of zeppelin hijacking"
    activity.save()
    assert get_index() is not index
    assert match_activities("zeppelin", top=1)[0].ref == "XI.3"


def test_the_index_follows_a_new_curated_link():
    entry = Entry.objects.get(ref="T-egmont-group-of-financial-intelligence-units")
    entry.activities.add(Activity.objects.get(ref="XI.2"))
    found = match_entries(activity="XI.2", top=50)
    egmont = next(m for m in found if m.ref == entry.ref)
    assert "curated: entry serves activity XI.2" in egmont.reasons


# --- the match command ----------------------------------------------------------------------------


def test_match_prints_one_json_line_with_the_activity_fields():
    [line] = json_lines(run("Training of magistrates", json=True, top=2))
    assert line["query"] == "Training of magistrates"
    assert line["target"] == "activities"
    assert len(line["results"]) == 2
    first = line["results"][0]
    assert list(first) == ["ref", "category", "number", "text", "score", "reasons"]
    assert first["ref"] == "X.5" and first["category"] == "X" and first["number"] == "5"
    assert first["text"] == Activity.objects.get(ref="X.5").text
    assert isinstance(first["score"], float) and first["reasons"]


def test_match_prints_the_entry_fields():
    [line] = json_lines(run("Establish financial intelligence units", target="entries", json=True))
    first = line["results"][0]
    assert list(first) == ["ref", "title", "kind", "part", "score", "reasons"]
    assert first["ref"] == "T-egmont-group-of-financial-intelligence-units"
    assert (first["kind"], first["part"]) == ("network", "B")


def test_match_takes_the_gaps_activity():
    [line] = json_lines(run(target="entries", activity="IV.1", json=True, top=1))
    assert line["activity"] == "IV.1"
    assert line["results"][0]["ref"] == "A-5.6"


def test_match_answers_a_file_line_by_line_in_input_order(tmp_path):
    queries = ["Border control", "Assistance in setting up a FIU", "Training of prosecutors"]
    path = tmp_path / "needs.txt"
    path.write_text("\n" + "\n\n".join(queries) + "\n  \n", encoding="utf-8")
    lines = json_lines(run(file=str(path), json=True, top=1))
    assert [line["query"] for line in lines] == queries
    assert [line["results"][0]["ref"] for line in lines] == ["X.6", "V.4", "X.5"]


def test_match_prints_a_readable_table():
    output = run("Assistance in setting up a FIU", top=1)
    assert "“Assistance in setting up a FIU” → activities" in output
    assert "1. V.4" in output
    assert "- domain: “FIU” points to V.4" in output


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        ((), {}, match_command.NO_QUERY),
        (("   ",), {}, match_command.EMPTY_TEXT),
        (("x",), {"target": "people"}, match_command.UNKNOWN_TARGET.format(target="people")),
        (("x",), {"top": 0}, match_command.BAD_TOP.format(top=0)),
        (("x",), {"top": "many"}, match_command.BAD_TOP.format(top="many")),
        (("x",), {"file": "/nonexistent/needs.txt"}, match_command.BOTH_QUERIES),
        ((), {"file": "/nonexistent/needs.txt"},
         match_command.NO_FILE.format(path="/nonexistent/needs.txt")),
        (("x",), {"activity": "V.4"}, match_command.ACTIVITY_NEEDS_ENTRIES),
        (("x",), {"target": "entries", "activity": "Z.9"},
         match_command.UNKNOWN_ACTIVITY.format(ref="Z.9")),
    ],
)
def test_match_says_what_to_fix(args, options, message):
    with pytest.raises(CommandError) as error:
        run(*args, **options)
    assert str(error.value) == message


def test_match_refuses_an_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run(file=str(path))
    assert str(error.value) == match_command.EMPTY_FILE.format(path=path)


# --- quality and speed ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def quality(django_db_blocker):
    with django_db_blocker.unblock():
        rows = quality_report(NEED_LABELS, ENTRY_LABELS)
    return {(r.target, r.ranker, r.split): r.metrics for r in rows}


@pytest.mark.parametrize("split", ["train", "held-out"])
def test_needs_find_their_activities_well_above_the_baseline(quality, split):
    engine = quality[("activities", "engine", split)]
    baseline = quality[("activities", "baseline", split)]
    assert engine.hit_at_3 >= 0.9
    assert engine.category_accuracy >= 0.85
    assert engine.category_accuracy_macro >= 0.8
    assert engine.hit_at_3 >= baseline.hit_at_3 + 0.3


@pytest.mark.parametrize("split", ["train", "held-out"])
def test_gaps_find_their_entries_well_above_the_baseline(quality, split):
    engine = quality[("entries", "engine", split)]
    baseline = quality[("entries", "baseline", split)]
    assert engine.hit_at_5 >= 0.85
    assert engine.mrr >= 0.75
    assert engine.hit_at_5 >= baseline.hit_at_5 + 0.15


def test_match_quality_prints_engine_and_baseline():
    out = StringIO()
    call_command("match_quality", stdout=out)
    output = out.getvalue()
    assert "hit@3" in output and "hit@5" in output and "MRR" in output
    assert output.count("baseline") == 6 and output.count("held-out") == 4


def test_the_engine_does_not_depend_on_assessments():
    package = Path(__file__).resolve().parent.parent / "catalogue"
    sources = [*(package / "matching").glob("*.py"), package / "management/commands/match.py",
               package / "management/commands/match_quality.py"]
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert "from assessments" not in text and "import assessments" not in text, source
