"""The review flow: answer, see the next due date move, locate by clicking, progress."""

import datetime as dt

from PySide6.QtCore import Qt

from atlas.db.userdata import UserStore
from atlas.study import quiz
from atlas.study.schedule import StudySchedule
from atlas.ui.study import StudyDialog

NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.timezone.utc)


def make_dialog(qtbot, repo, store, kinds):
    items = [i for i in quiz.generate(repo) if i.kind in kinds]
    schedule = StudySchedule(store)
    dialog = StudyDialog(repo.path, items, schedule, now=NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, schedule, items


def wait_item(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.current is not None and (not dialog.current.image_id or dialog.current_image is not None
                                                              and dialog.current_image.info.id == dialog.current.image_id), timeout=5000)


def test_answer_a_label_item_and_its_due_date_moves(qtbot, repo):
    store = UserStore(":memory:")
    dialog, schedule, items = make_dialog(qtbot, repo, store, {"label"})
    wait_item(qtbot, dialog)
    item = dialog.current
    assert item.kind == "label" and len(dialog.choice_buttons) == len(item.choices)
    info = dialog.current_image.info
    assert (dialog.picture.image_item.width(), dialog.picture.image_item.height()) == (info.width, info.height)
    # labels are hidden: the highlighted shape carries no text
    assert all(not label.toPlainText() for labels in dialog.picture.overlay.labels.values() for label in labels)
    with qtbot.waitSignal(dialog.answered) as answered:
        dialog.choose(item.answer)
    assert answered.args == [item.id, True]
    assert store.card(item.id) is None
    with qtbot.waitSignal(dialog.reviewed) as reviewed:
        qtbot.mouseClick(dialog.rating_buttons["good"], Qt.MouseButton.LeftButton)
    due = reviewed.args[1]
    assert due > NOW and store.card(item.id) is not None
    assert dt.datetime.fromisoformat(store.due_dates()[item.id]) == due
    assert item not in schedule.due(items, NOW + dt.timedelta(seconds=1)) or due <= NOW + dt.timedelta(seconds=1)


def test_a_wrong_choice_is_marked_and_suggests_again(qtbot, repo):
    dialog, _, _ = make_dialog(qtbot, repo, UserStore(":memory:"), {"label"})
    wait_item(qtbot, dialog)
    wrong = next(c for c in dialog.current.choices if c != dialog.current.answer)
    with qtbot.waitSignal(dialog.answered) as answered:
        dialog.choose(wrong)
    assert answered.args[1] is False and "The answer is" in dialog.feedback.text()
    assert dialog.rating_buttons["again"].hasFocus() or not dialog.isActiveWindow()


def test_locate_by_clicking_the_structure(qtbot, repo):
    dialog, _, _ = make_dialog(qtbot, repo, UserStore(":memory:"), {"locate"})
    wait_item(qtbot, dialog)
    target = next(a for a in dialog.current_image.annotations if a.label == dialog.current.answer)
    x, y = target.points[0] if target.kind == "point" else (
        sum(p[0] for p in target.points) / len(target.points), sum(p[1] for p in target.points) / len(target.points))
    with qtbot.waitSignal(dialog.answered) as answered:
        dialog._picture_clicked(x, y)
    assert answered.args[1] is True


def test_fact_item_reveals_then_rates_and_progress_counts(qtbot, repo):
    dialog, schedule, items = make_dialog(qtbot, repo, UserStore(":memory:"), {"fact"})
    wait_item(qtbot, dialog)
    assert dialog.current.kind == "fact" and "[ … ]" in dialog.prompt.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Space)
    assert "nerve root sleeves" in dialog.feedback.text()
    dialog.rate("easy")
    assert sum(p.seen for p in schedule.progress(items, NOW)) == 1
    assert "1 of" in dialog.summary.text()


def test_window_opens_review(qtbot, window):
    window.study_action.trigger()
    dialog = window.study_dialog
    qtbot.waitUntil(lambda: dialog.current is not None, timeout=5000)
    assert dialog.isVisible() and dialog.items
    dialog.reject()
