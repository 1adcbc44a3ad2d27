"""Drive the real window: level, approach, page, steps, layers, search, history."""

import sqlite3

from PySide6.QtCore import QSettings, Qt

from atlas.db.repository import ContentRepository
from atlas.ui.main_window import MainWindow


def open_page_and_wait(qtbot, window, slug, step=None):
    with qtbot.waitSignal(window.viewer.imageShown, timeout=10000):
        window.open_page(slug, step)
    qtbot.waitUntil(window.page_view.is_complete, timeout=2000)  # the text below the first screen follows its first frame


def test_click_level_pick_approach_open_page_and_step_through(qtbot, window):
    nav = window.navigator
    qtbot.mouseClick(nav.diagram.viewport(), Qt.MouseButton.LeftButton, pos=nav.diagram.level_centre("L4-L5").toPoint())
    assert nav.level == "L4-L5"
    assert nav.slugs() == ["fixture-lumbar-tf"]
    assert list(nav.chip_buttons) == ["posterior", "posterolateral", "transforaminal"]

    qtbot.mouseClick(nav.chip_buttons["transforaminal"], Qt.MouseButton.LeftButton)
    assert nav.approach == "transforaminal" and nav.slugs() == ["fixture-lumbar-tf"]

    item = nav.page_list.item(0)
    rect = nav.page_list.visualItemRect(item)
    with qtbot.waitSignal(window.viewer.imageShown, timeout=10000) as shown:
        qtbot.mouseClick(nav.page_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown.args == ["flt-1"]
    assert window.page.slug == "fixture-lumbar-tf"
    assert "Fixture lumbar transforaminal injection" in window.page_view.toPlainText()
    assert window.steps.buttons[1].isChecked()

    with qtbot.waitSignal(window.viewer.imageShown, timeout=10000) as shown:
        qtbot.mouseClick(window.steps.buttons[2], Qt.MouseButton.LeftButton)
    assert shown.args == ["flt-2"] and window.step == 2


def test_step_layers_and_layer_toggles_hide_overlay_items(qtbot, window):
    open_page_and_wait(qtbot, window, "fixture-lumbar-tf")
    viewer = window.viewer
    overlay = viewer.overlay
    # step 1 declares layers [anatomy, target]: the others start hidden
    assert all(i.isVisible() for i in overlay.items["target"])
    assert not any(i.isVisible() for i in overlay.items["danger"])
    assert set(viewer.layer_boxes) == {"anatomy", "danger", "target", "trajectory"}
    viewer.layer_boxes["target"].click()
    assert not any(i.isVisible() for i in overlay.items["target"])
    viewer.layer_boxes["danger"].click()
    assert all(i.isVisible() for i in overlay.items["danger"])
    viewer.labels_box.click()
    assert not any(label.isVisible() for label in overlay.labels["danger"])


def test_hover_names_a_structure(qtbot, window):
    open_page_and_wait(qtbot, window, "fixture-lumbar-tf")
    viewer = window.viewer
    assert viewer.structure_at(40, 30) == "L4 pedicle"
    assert viewer.structure_at(150, 5) == ""
    scene_pos = viewer.image_item.mapToScene(40, 30)
    with qtbot.waitSignal(viewer.structureHovered, timeout=2000) as hovered:
        viewer._mouse_moved(scene_pos)
    assert hovered.args == ["L4 pedicle"] and "L4 pedicle" in viewer.hover_label.text()


def test_typed_level_and_region(qtbot, window):
    nav = window.navigator
    qtbot.keyClicks(nav.level_edit, "C7T1")
    assert nav.level == "C7-T1" and nav.diagram.selected == "C7-T1"
    assert nav.slugs() == ["fixture-cervical-il"]
    nav.level_edit.clear()
    qtbot.keyClicks(nav.level_edit, "lumbar")
    assert nav.level == "lumbar" and nav.slugs() == ["fixture-lumbar-tf"]
    with qtbot.waitSignal(window.pageShown, timeout=5000):
        qtbot.keyClick(nav.level_edit, Qt.Key.Key_Return)
    assert window.page.slug == "fixture-lumbar-tf"


def test_search_open_hit_then_go_back(qtbot, window):
    open_page_and_wait(qtbot, window, "fixture-lumbar-tf")
    window.search_action.trigger()
    popup = window.search_popup
    with qtbot.waitSignal(popup.resultsShown, timeout=5000, check_params_cb=lambda text: text == "epidurogr"):
        qtbot.keyClicks(popup.edit, "epidurogr")
    assert popup.hits[0].slug == "fixture-topic"
    with qtbot.waitSignal(window.pageShown, timeout=5000) as shown:
        qtbot.keyClick(popup.edit, Qt.Key.Key_Return)
    assert shown.args == ["fixture-topic"] and not popup.isVisible()
    assert window.back_action.isEnabled()
    with qtbot.waitSignal(window.pageShown, timeout=5000) as shown:
        window.back_action.trigger()
    assert shown.args == ["fixture-lumbar-tf"]
    with qtbot.waitSignal(window.pageShown, timeout=5000) as shown:
        window.forward_action.trigger()
    assert shown.args == ["fixture-topic"]


def test_search_with_hostile_text_does_not_break(qtbot, window):
    window.search_action.trigger()
    popup = window.search_popup
    for text in ['"', "C5.6", "*", "NEAR("]:
        popup.edit.clear()
        with qtbot.waitSignal(popup.resultsShown, timeout=5000):
            qtbot.keyClicks(popup.edit, text)
    assert popup.status.text()


def test_pending_image_says_so(qtbot, window):
    with qtbot.waitSignal(window.viewer.imageShown, timeout=5000):
        window.open_page("fixture-cervical-il", 4)
    assert "Image not yet available" in window.viewer.message.text()
    assert window.viewer.image is None


def test_internal_and_external_links(qtbot, window):
    open_page_and_wait(qtbot, window, "fixture-lumbar-tf")
    from PySide6.QtCore import QUrl

    with qtbot.waitSignal(window.pageShown, timeout=5000) as shown:
        window.page_view.anchorClicked.emit(QUrl("atlas:fixture-topic"))
    assert shown.args == ["fixture-topic"]
    with qtbot.waitSignal(window.page_view.externalLinkBlocked, timeout=2000):
        window.page_view.anchorClicked.emit(QUrl("https://example.org/"))
    assert window.page_view.loadResource(0, QUrl("http://example.org/x.png")) is None


def test_page_shows_metadata_safety_and_references(qtbot, window):
    open_page_and_wait(qtbot, window, "fixture-cervical-il")
    text = window.page_view.toPlainText()
    for expected in ("Version 1.0.0", "Last reviewed 2026-11-01", "pending expert review", "Safety-critical points",
                     "educational aid", "References", "Alpha A, Beta B."):
        assert expected in text, expected
    assert "class='safety'" in window.page_view.toHtml() or "ffe9e7" in window.page_view.toHtml()


def test_window_state_is_remembered(qtbot, repo, settings):
    first = MainWindow(repo, settings)
    qtbot.addWidget(first)
    first.resize(731, 640)
    first.show()
    size = (first.width(), first.height())
    first.outer_split.setSizes([200, 531])
    splitter = first.outer_split.sizes()
    first.close()
    second = MainWindow(repo, QSettings(settings.fileName(), QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == size != (1400, 900)
    assert second.outer_split.sizes()[0] == splitter[0] == 200
    second.shutdown()


def test_about_shows_versions_and_notice(qtbot, window):
    window.about_action.trigger()
    from atlas.ui.about import AboutDialog

    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    assert "test-1" in dialog.text.text() and "educational aid" in dialog.text.text()
    dialog.accept()


def test_damaged_image_gets_a_message_not_a_trace(qtbot, make_window, content_db, tmp_path):
    copy = tmp_path / "damaged.db"
    copy.write_bytes(content_db.read_bytes())
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE images SET png = ? WHERE id = 'flt-1'", (b"\x89PNG\r\n\x1a\n" + b"\0" * 50,))
    conn.commit()
    conn.close()
    repo = ContentRepository(copy)
    window = make_window(repo)
    window.open_page("fixture-lumbar-tf")  # worker signals are never waited on directly: they fire on its thread
    qtbot.waitUntil(lambda: "could not be shown" in window.viewer.message.text(), timeout=5000)
    assert window.viewer.image is None
    repo.close()


def test_every_action_has_a_shortcut(window):
    for action in (window.back_action, window.forward_action, window.search_action, window.level_action, window.about_action):
        assert not action.shortcut().isEmpty(), action.text()


def test_level_given_loosely_is_canonical_and_chips_are_not_duplicated(qtbot, window):
    nav = window.navigator
    nav.select_level("L4")
    nav.select_level("c7t1")
    assert nav.level == "C7-T1" and nav.diagram.selected == "C7-T1"
    chips = [b for b in nav.chips.findChildren(type(next(iter(nav.chip_buttons.values()))))]
    texts = [b.text() for b in chips]
    assert len(texts) == len(set(texts)), "one button per approach, reused"
    assert sorted(b.text() for b in chips if not b.isHidden()) == sorted(nav.chip_buttons)
    nav.select_level("nonsense")
    assert nav.level is None


def test_images_are_not_transposed(qtbot, window):
    open_page_and_wait(qtbot, window, "fixture-lumbar-tf")
    item, info = window.viewer.image_item, window.viewer.image.info
    assert (item.width(), item.height()) == (info.width, info.height) == (160, 128)


def test_page_draws_its_chart(qtbot, window):
    window.open_page("fixture-topic")
    html = window.page_view.toHtml()
    assert "chart:fixture-rates" in html
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    image = window.page_view.loadResource(QTextDocument.ResourceType.ImageResource, QUrl("chart:fixture-rates"))
    assert image is not None and image.width() > 300 and not image.isNull()
    assert window.page_view.loadResource(QTextDocument.ResourceType.ImageResource, QUrl("http://example.org/x.png")) is None


def test_overlay_skips_an_annotation_without_points(qtbot, window):
    open_page_and_wait(qtbot, window, "fixture-lumbar-tf")
    from atlas.model import Annotation, LayerStyle

    window.viewer.overlay.draw((Annotation("polygon", "danger", "Absent", ()),), (LayerStyle("danger", "Danger", "#ff0000", 1),), None)
    assert window.viewer.overlay.items == {}


def test_the_step_being_read_stays_in_view_when_the_page_reflows(qtbot, window):
    open_page_and_wait(qtbot, window, "fixture-lumbar-tf", 3)
    view = window.page_view
    from PySide6.QtCore import QPoint

    def step_3_in_view() -> bool:
        rect = view.viewport().rect()
        return any(view.cursorForPosition(QPoint(10, y)).block().text().startswith("Step 3") for y in range(0, rect.height(), 6))

    qtbot.waitUntil(step_3_in_view, timeout=3000)
    window.inner_split.setSizes([150, 950])  # the page gets narrower and longer
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0 and step_3_in_view(), timeout=3000)
    window.set_theme("room")
    qtbot.waitUntil(step_3_in_view, timeout=3000)
    window.set_theme("reading")


def test_changing_page_does_not_reflow_the_page_view(qtbot, make_window, real_db):
    from PySide6.QtCore import QEvent, QObject

    window = make_window(ContentRepository(real_db))  # the atlas's own long pages
    window.resize(1280, 800)
    window.navigator.select_level("L4")
    open_page_and_wait(qtbot, window, "lumbar-transforaminal-esi")
    qtbot.wait(50)

    class Resizes(QObject):
        count = 0

        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Resize and event.size().width() != event.oldSize().width():
                self.count += 1  # a new width lays the whole page out again
            return False

    watcher = Resizes()
    window.page_view.viewport().installEventFilter(watcher)  # the text area, inside the scroll bars
    for slug in ("cervical-transforaminal-esi", "sacroplasty", "lumbar-anatomy"):
        window.navigator.select_level("L4")
        open_page_and_wait(qtbot, window, slug)
        qtbot.wait(50)
    window.page_view.viewport().removeEventFilter(watcher)
    assert watcher.count == 0  # no scroll bar coming and going with each new page


def test_an_image_still_loading_does_not_land_on_a_page_without_images(qtbot, window):
    window.open_page("fixture-lumbar-tf")  # its first image is requested, not yet shown
    window.open_page("fixture-topic")
    qtbot.wait(300)  # long enough for the first page's image to arrive
    assert window.viewer.image is None and window.viewer.message.text() == "This page has no step images."


def test_chips_made_in_any_order_are_laid_out_in_vocabulary_order(qtbot, window):
    nav = window.navigator
    for level in ("C1", "L4-L5", "S1", "C5-C6", "L4-L5"):
        nav.select_level(level)
        laid_out = [nav.chip_layout.itemAt(i).widget() for i in range(nav.chip_layout.count())]
        assert [b.text() for b in laid_out if not b.isHidden()] == list(nav.chip_buttons) == nav.repo.approaches_at(nav.level)


def test_a_page_and_its_image_are_painted_in_one_frame(qtbot, window):
    """The image is asked for before the page text is laid out, and the window holds its repaints until it is in."""
    held_at_request = []
    text_at_request = []

    def asked(_request_id, _image_id):
        held_at_request.append(not window.outer_split.updatesEnabled())
        text_at_request.append(window.page_view.toPlainText())

    window._image_request.connect(asked)
    window._image_cache.clear()
    with qtbot.waitSignal(window.viewer.imageShown, timeout=10000):
        window.open_page("fixture-lumbar-tf")
        assert not window.outer_split.updatesEnabled(), "no repaint with the old image beside the new page"
    assert held_at_request == [True]
    assert "Fixture lumbar transforaminal injection" not in text_at_request[0]  # asked for first, decoded meanwhile
    assert window.outer_split.updatesEnabled()


def test_the_paint_hold_ends_on_a_failed_image_and_on_its_own(qtbot, window):
    window._image_cache.clear()
    window._hold_paint()
    window._image_failed(window._image_latest, "the image data is damaged and cannot be decoded")
    assert window.outer_split.updatesEnabled()
    window._hold_paint()  # a reply that never comes (a stale request, a stuck worker)
    qtbot.waitUntil(window.outer_split.updatesEnabled, timeout=1000)


def test_the_page_list_highlights_the_page_on_screen(qtbot, window):
    nav = window.navigator
    current = lambda: nav.page_list.currentItem().data(Qt.ItemDataRole.UserRole) if nav.page_list.currentItem() else None  # noqa: E731
    opened = []
    nav.pageActivated.connect(opened.append)
    open_page_and_wait(qtbot, window, "fixture-lumbar-tf")
    assert current() == "fixture-lumbar-tf"  # opened from search or history, it is still highlighted
    assert opened == []  # highlighting does not open the page a second time
    nav.select_level("C7")  # a selection without that page: nothing highlighted
    assert current() is None
    nav.select_level(None)  # back to every page: highlighted again
    assert current() == "fixture-lumbar-tf"
