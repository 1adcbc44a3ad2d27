"""Quiz generation from content and FSRS scheduling (through the library's API)."""

import datetime as dt
import json

import pytest

from atlas.db.userdata import UserDataError, UserStore
from atlas.model import Fact, ImageUse
from atlas.study import quiz
from atlas.study.schedule import StudySchedule

NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.timezone.utc)


def use(image_id, labels, region="lumbar", modality="fluoroscopy", view="AP", meta="{}"):
    return ImageUse(image_id, "page", 1, region, "Page", modality, view, meta, tuple(labels))


def test_label_items_hide_one_structure_with_choices_from_the_image():
    uses = [use("a", [("L4 pedicle", "point", "anatomy"), ("Safe triangle", "polygon", "target"),
                      ("Exiting root", "polygon", "danger"), ("Needle", "polyline", "trajectory"), ("L5 SAP", "point", "anatomy")])]
    items = quiz.label_items(uses)
    assert [i.answer for i in items] == ["L4 pedicle", "Safe triangle", "Exiting root", "L5 SAP"]  # no needle path
    for item in items:
        assert item.answer in item.choices and len(item.choices) == 4 and len(set(item.choices)) == 4
        assert item.target_label == item.answer and item.image_id == "a"
    assert len({i.choices.index(i.answer) for i in items}) > 1, "the answer must not always sit in one place"


def test_label_choices_borrow_from_the_region_when_an_image_has_few_labels():
    uses = [use("a", [("Pedicle", "point", "anatomy")]), use("b", [("Disc", "point", "anatomy"), ("SAP", "point", "anatomy")])]
    item = next(i for i in quiz.label_items(uses) if i.image_id == "a")
    assert set(item.choices) == {"Pedicle", "Disc", "SAP"}


def test_fact_items_cloze_the_bold_words():
    facts = [Fact("p", 0, "Anatomy", "There are five lumbar vertebrae.", "There are {{five}} lumbar vertebrae."),
             Fact("p", 1, "Anatomy", "No bold here.", "No bold here.")]
    items = quiz.fact_items(facts, {"p": ("lumbar", "Page")})
    assert items[0].prompt == "There are [ … ] lumbar vertebrae." and items[0].answer == "five"
    assert items[1].answer == "No bold here." and items[1].choices == ()
    assert items[0].id != items[1].id and items[0].id.startswith("fact:p:")


def test_epidurogram_and_view_items_come_from_renderer_metadata():
    uses = [
        use("e1", [], meta=json.dumps({"contrast": {"pattern": "intravascular"}}), view="AP"),
        use("e2", [], meta=json.dumps({"contrast": {"pattern": "epidural-transforaminal"}}), view="Right oblique 25°"),
        use("ct", [], modality="ct", view="Axial L4"),
    ]
    epi = quiz.epidurogram_items(uses)
    assert {i.answer for i in epi} == {quiz.PATTERN_NAMES["intravascular"], quiz.PATTERN_NAMES["epidural-transforaminal"]}
    assert all(i.answer in i.choices and len(i.choices) == 4 for i in epi)
    views = quiz.view_items(uses)
    assert {i.image_id for i in views} == {"e1", "e2"} and all(i.answer in i.choices for i in views)


def test_generate_from_a_built_database(repo):
    items = quiz.generate(repo)
    assert {i.kind for i in items} == {"label", "locate", "fact", "view"}
    assert any(i.answer == "L4 pedicle" and i.image_id == "flt-1" for i in items)
    fact = next(i for i in items if i.kind == "fact")
    assert fact.slug == "fixture-topic" and fact.answer == "nerve root sleeves" and "[ … ]" in fact.prompt
    assert len({i.id for i in items}) == len(items)


def test_answering_moves_the_due_date(tmp_path):
    store = UserStore(tmp_path / "u.db")
    schedule = StudySchedule(store)
    items = quiz.fact_items([Fact("p", 0, "S", "t", "{{t}}")], {"p": ("lumbar", "P")})
    assert schedule.due(items, NOW) == items  # new items are due
    first = schedule.review(items[0].id, "good", NOW)
    assert first > NOW and schedule.due(items, NOW) == []
    assert schedule.due(items, first + dt.timedelta(seconds=1)) == items
    second = schedule.review(items[0].id, "good", first + dt.timedelta(seconds=1))
    again = StudySchedule(UserStore(tmp_path / "u2.db")).review(items[0].id, "again", NOW)
    assert second > first and again < first + dt.timedelta(days=1)
    assert store.review_count() == 2
    progress = schedule.progress(items, NOW)
    assert [(p.group, p.total, p.seen, p.due) for p in progress] == [("lumbar", 1, 1, 0)]


def test_new_items_are_limited_per_session(tmp_path):
    schedule = StudySchedule(UserStore(tmp_path / "u.db"))
    items = quiz.fact_items([Fact("p", i, "S", f"fact {i}", f"{{{{{i}}}}}") for i in range(50)], {})
    assert len(schedule.due(items, NOW, new_limit=20)) == 20


def test_export_then_import_into_a_fresh_profile(tmp_path):
    a = UserStore(tmp_path / "a.db")
    a.add_bookmark("caudal-esi", 2)
    a.set_note("caudal-esi", "hiatus", 2)
    StudySchedule(a).review("fact:x:1", "good", NOW)
    StudySchedule(a).review("fact:x:1", "hard", NOW + dt.timedelta(days=3))
    a.export_to(tmp_path / "export.json")
    b = UserStore(tmp_path / "b.db")
    counts = b.import_from(tmp_path / "export.json")
    assert counts == {"bookmarks": 1, "notes": 1, "cards": 1, "reviews": 2}
    dump_a, dump_b = a.dump(), b.dump()
    assert dump_a == dump_b
    assert b.import_from(tmp_path / "export.json") == {"bookmarks": 0, "notes": 0, "cards": 0, "reviews": 0}


@pytest.mark.parametrize("payload, reason", [("not json", "could not be read"), ('{"format": "x"}', "not a Spine Atlas"),
                                             ('{"format": "spine-atlas-user-data", "version": 99}', "newer"),
                                             ('{"format": "spine-atlas-user-data", "version": 1, "notes": [{"slug": 1}]}', "damaged")])
def test_import_refuses_bad_files_and_changes_nothing(tmp_path, payload, reason):
    store = UserStore(tmp_path / "u.db")
    store.add_bookmark("keep")
    (tmp_path / "bad.json").write_text(payload)
    with pytest.raises(UserDataError, match=reason):
        store.import_from(tmp_path / "bad.json")
    assert [b.slug for b in store.bookmarks()] == ["keep"] and store.notes() == []


def test_new_items_are_mixed_across_images_and_the_open_page_leads():
    uses = [use(f"img{i}", [(f"Structure {i}-{j}", "point", "anatomy") for j in range(4)]) for i in range(3)]
    uses = [u._replace(slug=f"page{i}") for i, u in enumerate(uses)]
    items = quiz.label_items(uses)
    mixed = quiz.interleave(items)
    assert len({i.image_id for i in mixed[:3]}) == 3, "the first questions come from different images"
    led = quiz.interleave(items, first_slug="page2")
    assert {i.slug for i in led[:4]} == {"page2"}
