"""Procedure-room use: keyboard first, the room theme, full screen, the shortcut sheet."""

from PySide6.QtCore import QSettings, Qt

from atlas.ui.main_window import MainWindow
from atlas.ui.theme import READING, ROOM, contrast_ratio


def open_and_wait(qtbot, window, slug, step=None):
    with qtbot.waitSignal(window.viewer.imageShown, timeout=10000):
        window.open_page(slug, step)


def test_every_menu_action_has_a_shortcut(window):
    actions = [a for menu in window.menus.values() for a in menu.actions() if not a.isSeparator()]
    assert len(actions) >= 20
    missing = [a.text() for a in actions if a.shortcut().isEmpty()]
    assert not missing, missing


def test_space_and_arrows_step_through_the_page(qtbot, window):
    open_and_wait(qtbot, window, "fixture-lumbar-tf")
    window.page_view.setFocus()
    with qtbot.waitSignal(window.stepShown, timeout=5000) as shown:
        qtbot.keyClick(window.page_view, Qt.Key.Key_Space)
    assert shown.args == [2]
    with qtbot.waitSignal(window.stepShown, timeout=5000) as shown:
        qtbot.keyClick(window.page_view, Qt.Key.Key_Right)
    assert shown.args == [3]
    with qtbot.waitSignal(window.stepShown, timeout=5000) as shown:
        qtbot.keyClick(window.page_view, Qt.Key.Key_Left)
    assert shown.args == [2]


def test_typing_a_level_is_not_taken_by_shortcuts(qtbot, window):
    window.navigator.level_edit.setFocus()
    qtbot.keyClicks(window.navigator.level_edit, "L45")
    assert window.navigator.level_edit.text() == "L45" and window.navigator.level == "L4-L5"


def test_number_keys_toggle_layers(qtbot, window):
    open_and_wait(qtbot, window, "fixture-lumbar-tf")
    first = list(window.viewer.layer_boxes)[0]
    before = window.viewer.overlay.visible[first]
    window.page_view.setFocus()
    qtbot.keyClick(window.page_view, Qt.Key.Key_1)
    assert window.viewer.overlay.visible[first] is (not before)


def test_room_theme_is_high_contrast_and_remembered(qtbot, repo, settings, window):
    for theme in (ROOM,):
        for what, fg, bg in theme.text_pairs():
            assert contrast_ratio(fg, bg) >= 7.0, f"{theme.name}: {what} {fg} on {bg} is {contrast_ratio(fg, bg):.1f}:1"
    for what, fg, bg in READING.text_pairs():
        assert contrast_ratio(fg, bg) >= 4.5, f"reading: {what}"
    assert ROOM.font_pt >= 1.3 * READING.font_pt
    window.page_view.setFocus()
    qtbot.keyClick(window.page_view, Qt.Key.Key_F9)
    assert window.theme is ROOM and window.room_action.isChecked()
    assert "#000000" in window.page_view.css
    window.close()
    again = MainWindow(repo, QSettings(settings.fileName(), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert again.theme is ROOM
    again.set_theme("reading")
    again.shutdown()


def test_room_theme_enlarges_the_image_labels(qtbot, window):
    open_and_wait(qtbot, window, "fixture-lumbar-tf")

    def label_fonts():
        return {(round(label.text_item.font().pointSizeF()), label.text_item.font().bold())
                for labels in window.viewer.overlay.labels.values() for label in labels}

    assert label_fonts() == {(round(READING.label_pt), False)}
    window.set_theme("room")
    assert label_fonts() == {(round(ROOM.label_pt), True)} and ROOM.label_pt >= 1.4 * READING.label_pt
    open_and_wait(qtbot, window, "fixture-lumbar-tf", 2)  # the next image keeps the room's labels
    assert label_fonts() == {(round(ROOM.label_pt), True)}
    window.set_theme("reading")
    assert label_fonts() == {(round(READING.label_pt), False)}


def test_full_screen_toggle(qtbot, window):
    window.fullscreen_action.trigger()
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    window.fullscreen_action.trigger()
    assert not window.windowState() & Qt.WindowState.WindowFullScreen


def test_shortcut_sheet_lists_actions(qtbot, window):
    window.shortcuts_action.trigger()
    text = window.shortcut_sheet.text.text()
    for expected in ("Next step", "Space", "Room theme", "F9", "Search", "Ctrl+K", "Mouse"):
        assert expected in text, expected
    window.shortcut_sheet.reject()


def test_checklist_tick_and_reset(qtbot, window):
    open_and_wait(qtbot, window, "fixture-lumbar-tf")
    dialog = window.show_checklist()
    boxes = list(dialog.boxes.values())
    assert len(boxes) == 9
    qtbot.waitExposed(dialog)
    for box in boxes[:4]:
        box.click()
    assert dialog.ticked() == 4 and "4 of 9" in dialog.status.text()
    dialog.reset()
    assert dialog.ticked() == 0
    dialog.accept()
    again = window.show_checklist()
    assert again.ticked() == 0, "ticks are per case, never stored"
    again.accept()


def test_checklist_needs_a_procedure_page(qtbot, window):
    window.open_page("fixture-topic")
    assert window.show_checklist() is None
