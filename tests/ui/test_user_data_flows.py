"""Bookmarks and notes across restarts; export and import from the window."""

from PySide6.QtCore import QSettings

from atlas.db.userdata import UserStore
from atlas.ui.main_window import MainWindow


def make(qtbot, repo, settings, store):
    window = MainWindow(repo, QSettings(settings.fileName(), QSettings.Format.IniFormat), store)
    qtbot.addWidget(window)
    window.show()
    return window


def test_bookmark_and_note_survive_a_restart(qtbot, repo, settings, tmp_path):
    path = tmp_path / "profile" / "user.db"
    window = make(qtbot, repo, settings, UserStore(path))
    window.open_page("fixture-lumbar-tf", 3)
    window.bookmark_action.trigger()
    window.user_panel.note.setPlainText("Aim lower at L5-S1")
    window.close()  # saves the pending note
    window.shutdown()

    again = make(qtbot, repo, settings, UserStore(path))
    panel = again.user_panel
    assert ("fixture-lumbar-tf", 3) in panel.entries()
    panel.filter.setText("lower at")
    assert set(panel.entries()) == {("fixture-lumbar-tf", 3)}
    with qtbot.waitSignal(again.pageShown, timeout=5000):
        panel.list.itemActivated.emit(panel.list.item(0))
    assert again.page.slug == "fixture-lumbar-tf" and again.step == 3
    assert panel.note.toPlainText() == "Aim lower at L5-S1" and panel.bookmark_button.isChecked()
    again.shutdown()


def test_export_then_import_into_a_fresh_profile(qtbot, repo, settings, tmp_path):
    first = make(qtbot, repo, settings, UserStore(tmp_path / "a.db"))
    first.open_page("fixture-topic")
    first.bookmark_action.trigger()
    first.user_store.set_note("fixture-topic", "patterns")
    assert first.export_user_data(str(tmp_path / "mine.json"))
    second = make(qtbot, repo, settings, UserStore(tmp_path / "b.db"))
    assert second.import_user_data(str(tmp_path / "mine.json"))
    assert second.user_store.dump() == first.user_store.dump()
    assert ("fixture-topic", 0) in second.user_panel.entries()
    first.shutdown()
    second.shutdown()
