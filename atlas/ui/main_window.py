"""The main window: navigator, page, step strip and image viewer."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QToolBar, QVBoxLayout, QWidget

from atlas import EDUCATIONAL_NOTICE
from atlas.db.repository import ContentDatabaseError, ContentRepository
from atlas.db.userdata import UserStore
from atlas.history import History, Location
from atlas.model import Page
from atlas.ui.navigator import NavigatorPanel
from atlas.ui.page_view import PageView
from atlas.ui.step_strip import StepStrip
from atlas.ui.user_panel import UserPanel
from atlas.ui.workers import ImageWorker, WorkerThread


WARM_UP_AFTER_MS = 1500  # on one rendered image this long, and the C-arm's renderer is warmed up
HOLD_PAINT_MS = 100  # the longest the window holds its repaints for a page's image (see _hold_paint)
IMAGE_CACHE_SIZE = 24  # decoded 512² images kept for stepping back and forth (about 6 MB)


class MainWindow(QMainWindow):
    pageShown = Signal(str)
    stepShown = Signal(int)
    viewerReady = Signal()
    _image_request = Signal(int, str)

    def __init__(self, repo: ContentRepository, settings: QSettings, user_store: UserStore | None = None, parent=None):
        super().__init__(parent)
        self.repo = repo
        self.settings = settings
        self.user_store = user_store if user_store is not None else UserStore(":memory:")
        self.history = History()
        self.page: Page | None = None
        self.step: int | None = None
        self.viewer = None
        self.search_popup = None
        self.study_dialog = None
        self._image_latest = 0
        self._viewer_scheduled = False
        self._image_cache: OrderedDict = OrderedDict()  # image id -> (AtlasImage, decoded pixels), most recent last
        self.live = None
        self.phantom_factory = None  # tests hand in a small phantom for the virtual C-arm
        self.live_spec = None  # (spec, prompt) of the image on screen, when it is rendered
        self._pending_image: tuple[str, set[str] | None] | None = None
        self.setWindowTitle("Spine Atlas")

        self.navigator = NavigatorPanel(repo)
        self.navigator.pageActivated.connect(self.open_page)
        self.pageShown.connect(self.navigator.mark_open)
        self.page_view = PageView()
        self.page_view.pageLinkClicked.connect(self.open_page)
        self.page_view.stepLinkClicked.connect(self.open_step)
        self.page_view.externalLinkBlocked.connect(
            lambda url: self.statusBar().showMessage(f"External links are not opened by the atlas: {url}", 6000)
        )
        self.page_view.show_message("Spine Atlas", "Pick a level on the spine, an approach, then a page.")
        self.steps = StepStrip()
        self.steps.stepSelected.connect(self.open_step)

        self.viewer_host = QWidget()
        self.viewer_layout = QVBoxLayout(self.viewer_host)
        self.viewer_layout.setContentsMargins(0, 0, 0, 0)
        self.viewer_placeholder = QLabel("Loading image viewer…")
        self.viewer_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.viewer_layout.addWidget(self.viewer_placeholder)

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(2)
        centre_layout.addWidget(self.steps)
        self.inner_split = QSplitter(Qt.Orientation.Horizontal)
        self.inner_split.addWidget(self.page_view)
        self.inner_split.addWidget(self.viewer_host)
        self.inner_split.setStretchFactor(0, 2)
        self.inner_split.setStretchFactor(1, 3)
        centre_layout.addWidget(self.inner_split, 1)

        self.outer_split = QSplitter(Qt.Orientation.Horizontal)
        self.outer_split.addWidget(self.navigator)
        self.outer_split.addWidget(centre)
        self.outer_split.setStretchFactor(0, 0)
        self.outer_split.setStretchFactor(1, 1)
        self.outer_split.setSizes([270, 1100])
        self.inner_split.setSizes([460, 640])
        self.setCentralWidget(self.outer_split)

        self.titles = {p.slug: p.title for p in repo.list_pages()}
        self.user_panel = UserPanel(self.user_store, self.titles, self)
        self.user_panel.locationChosen.connect(lambda slug, step: self.open_page(slug, step or None))
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.user_panel)
        self.user_panel.hide()

        self._build_actions()
        from atlas.ui.theme import READING

        self.theme = READING
        notice = QLabel(EDUCATIONAL_NOTICE.split(".")[0] + " — not a substitute for clinical judgement.")
        notice.setObjectName("noticeLabel")
        self.statusBar().addPermanentWidget(notice)

        self.image_worker = ImageWorker(repo.path)
        self.image_thread: WorkerThread | None = None  # started with the first image, not at launch
        self._shut_down = False
        self._image_request.connect(self.image_worker.load)
        self.image_worker.loaded.connect(self._image_loaded)
        self.image_worker.failed.connect(self._image_failed)
        self._paint_hold = QTimer(self)
        self._paint_hold.setSingleShot(True)
        self._paint_hold.setInterval(HOLD_PAINT_MS)
        self._paint_hold.timeout.connect(self._release_paint)
        # The C-arm's renderer is warmed up once the reader has stayed on a rendered image for a moment:
        # the warm-up (imports, landmark table) holds the interpreter in bursts and would slow page changes.
        self._warm_up = QTimer(self)
        self._warm_up.setSingleShot(True)
        self._warm_up.setInterval(WARM_UP_AFTER_MS)
        self._warm_up.timeout.connect(self._start_warm_up)
        self.resize(1400, 900)
        self._restore_state()

    # -- set-up -----------------------------------------------------------

    def _action(self, text: str, shortcuts, slot, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        action.setToolTip(f"{tip or text} ({', '.join(QKeySequence(s).toString() for s in shortcuts)})")
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.back_action = a("Back", ["Alt+Left", QKeySequence.StandardKey.Back], self.go_back)
        self.forward_action = a("Forward", ["Alt+Right", QKeySequence.StandardKey.Forward], self.go_forward)
        self.next_step_action = a("Next step", ["Space", "PgDown"], lambda: self.step_by(1))
        self.previous_step_action = a("Previous step", ["Shift+Space", "PgUp"], lambda: self.step_by(-1))
        # arrows: steps, or 1° of C-arm while the virtual C-arm is open (Up/Down tilt only then)
        self.right_action = a("Next step / C-arm 1° right", ["Right"], lambda: self.arrow(1, 0))
        self.left_action = a("Previous step / C-arm 1° left", ["Left"], lambda: self.arrow(-1, 0))
        self.up_action = a("C-arm 1° cranial / next CT slice", ["Up"], lambda: self.arrow(0, 1))
        self.down_action = a("C-arm 1° caudal / previous CT slice", ["Down"], lambda: self.arrow(0, -1))
        for action in (self.up_action, self.down_action):
            action.setEnabled(False)
        self.search_action = a("Search", ["Ctrl+K", "Ctrl+F"], self.show_search, "Search the atlas")
        self.level_action = a("Level", ["Ctrl+L"], self.focus_level, "Type a level")
        self.about_action = a("About", ["Ctrl+Shift+A"], self.show_about, "About Spine Atlas")
        self.bookmark_action = a("Bookmark", ["Ctrl+D"], self.user_panel.toggle_bookmark, "Bookmark this step")
        self.study_action = a("Review", ["Ctrl+R"], self.show_study, "Review what is due today")
        self.checklist_action = a("Checklist", ["Ctrl+Shift+C"], self.show_checklist, "Pre-procedure checklist for this page")
        self.room_action = a("Room theme", ["F9"], self.toggle_room_theme, "Dark, high-contrast theme for the procedure room")
        self.room_action.setCheckable(True)
        self.fullscreen_action = a("Full screen", ["F11"], self.toggle_full_screen)
        self.fit_action = a("Fit image", ["F"], lambda: self.viewer and self.viewer.fit())
        self.live_action = a("Virtual C-arm / CT slices", ["C"], lambda: self.toggle_live(), "Turn the C-arm or scroll the CT of this step")
        self.reset_view_action = a("Reset to the step's view", ["R"], lambda: self.live and self.live.active and self.live.reset())
        self.measure_action = a("Measure distance (CT)", ["M"], lambda: self.live and self.live.active and self.live.ct.measure.toggle())
        self.needle_plane_action = a("Slice along the needle (CT)", ["N"],
                                     lambda: self.live and self.live.active and self.live.ct.needle_plane.isVisible()
                                     and self.live.ct.needle_plane.toggle())
        self.labels_action = a("Labels", ["L"], lambda: self.viewer and self.viewer.labels_box.toggle(), "Show or hide labels")
        self.layer_actions = [
            a(f"Layer {n}", [str(n)], lambda _=False, n=n: self.toggle_layer(n), f"Show or hide the image's layer {n}")
            for n in range(1, 10)
        ]
        self.shortcuts_action = a("Keyboard shortcuts", ["F1", "?"], self.show_shortcuts)
        self.print_action = a("Print procedure card…", ["Ctrl+P"], self.print_card, "One-page card of this procedure as PDF")
        self.export_action = a("Export my data…", ["Ctrl+Shift+E"], self.export_user_data, "Bookmarks, notes and study progress to one file")
        self.import_action = a("Import my data…", ["Ctrl+Shift+I"], self.import_user_data, "Merge an exported file into this profile")
        self.quit_action = a("Quit", ["Ctrl+Q"], self.close)
        self.notes_action = self.user_panel.toggleViewAction()
        self.notes_action.setText("Notes")
        self.notes_action.setShortcut(QKeySequence("Ctrl+B"))
        self.notes_action.setToolTip("Bookmarks and notes (Ctrl+B)")
        self.addAction(self.notes_action)
        self.back_action.setEnabled(False)
        self.forward_action.setEnabled(False)

        menus = {
            "&File": [self.print_action, None, self.export_action, self.import_action, None, self.quit_action],
            "&Go": [self.back_action, self.forward_action, None, self.next_step_action, self.previous_step_action,
                    self.right_action, self.left_action, None, self.level_action, self.search_action],
            "&View": [self.room_action, self.fullscreen_action, self.notes_action, None, self.fit_action,
                      self.labels_action, *self.layer_actions],
            "&Image": [self.live_action, self.reset_view_action, self.up_action, self.down_action, self.measure_action,
                       self.needle_plane_action],
            "&Procedure": [self.checklist_action],
            "&Study": [self.study_action, self.bookmark_action],
            "&Help": [self.shortcuts_action, self.about_action],
        }
        self.menus = {}
        for title, actions in menus.items():
            menu = self.menuBar().addMenu(title)
            for action in actions:
                menu.addSeparator() if action is None else menu.addAction(action)
            self.menus[title.replace("&", "")] = menu
        toolbar = QToolBar("Navigation")
        toolbar.setObjectName("navigationToolbar")
        toolbar.setMovable(False)
        for action in (self.back_action, self.forward_action, self.level_action, self.search_action,
                       self.checklist_action, self.bookmark_action, self.notes_action, self.study_action, self.room_action):
            toolbar.addAction(action)
        self.addToolBar(toolbar)

    def paintEvent(self, event):  # noqa: N802
        super().paintEvent(event)
        if self.viewer is None and not self._viewer_scheduled:
            # after the first frame is on screen, not before: pyqtgraph's import takes ~0.3 s
            self._viewer_scheduled = True
            QTimer.singleShot(0, self.ensure_viewer)

    def ensure_viewer(self):
        """Create the pyqtgraph viewer (deferred so the first paint is not delayed by its import)."""
        if self.viewer is None:
            from atlas.ui.image_viewer import ImageViewer

            self.viewer = ImageViewer()
            self.viewer.set_label_font(self.theme.label_pt, self.theme.label_bold)
            self.viewer.imageChosen.connect(self._show_image)
            from atlas import resources
            from atlas.ui.live_controller import LiveController

            self.live = LiveController(self.viewer, resources.phantom_cache_dir(), self, self.phantom_factory)
            self.viewer.live_button.toggled.connect(self.toggle_live)
            self.live.activeChanged.connect(self._live_changed)
            self.viewer_layout.removeWidget(self.viewer_placeholder)
            self.viewer_placeholder.deleteLater()
            self.viewer_layout.addWidget(self.viewer)
            self.viewerReady.emit()
            if self._pending_image is not None:
                image_id, layers = self._pending_image
                self._pending_image = None
                self._show_image(image_id, layers)
        return self.viewer

    # -- navigation -------------------------------------------------------

    def open_page(self, slug: str, step: int | None = None, record: bool = True) -> bool:
        try:
            page = self.repo.page(slug)
        except ContentDatabaseError as exc:
            self._database_error(exc)
            return False
        if page is None:
            self.statusBar().showMessage(f"No page {slug!r} in this atlas", 6000)
            return False
        self.page = page
        self.setWindowTitle(f"{page.title} — Spine Atlas")
        self.steps.set_steps(page.steps)
        self.step = None
        numbers = [s.number for s in page.steps]
        first = (step if step in numbers else numbers[0]) if numbers else None
        if first is not None:
            self._select_step(first)  # its image is asked for before the text is laid out, so it decodes meanwhile
        self.page_view.show_page(page)
        if record:
            self.history.visit(Location(slug, step))
        self._update_history_actions()
        self.pageShown.emit(slug)
        if first is not None:
            self._step_shown(first, scroll=step is not None)
        else:
            self.user_panel.set_location((slug, 0))
            self._next_image_request()  # an image still on its way for the previous page must not land here
            self._pending_image = None
            if self.viewer is not None:
                self.viewer.show_message("This page has no step images.")
        return True

    def open_step(self, number: int, scroll: bool = True) -> None:
        if self.page is None:
            return
        if self._select_step(number) is not None:
            self._step_shown(number, scroll)

    def _select_step(self, number: int):
        """Mark step ``number`` as current and ask for its image; None if the page has no such step."""
        step = next((s for s in self.page.steps if s.number == number), None)
        if step is None:
            return None
        self.step = number
        self.steps.select(number)
        infos = [i for i in self.page.images if i.id in step.image_ids]
        layers = set(step.layers) or None
        if self.viewer is not None:
            self.viewer.set_choices(infos, step.image_ids[0] if step.image_ids else None)
        if step.image_ids:
            self._show_image(step.image_ids[0], layers)
        elif self.viewer is not None:
            self.viewer.show_message("This step has no image.")
        return step

    def _step_shown(self, number: int, scroll: bool) -> None:
        if scroll:
            self.page_view.scroll_to_step(number)
        self.history.visit(Location(self.page.slug, number))
        self.user_panel.set_location((self.page.slug, number))
        self.stepShown.emit(number)

    def _show_image(self, image_id: str, layers: set[str] | None = None) -> None:
        if layers is None and self.page is not None and self.step is not None:
            step = next((s for s in self.page.steps if s.number == self.step), None)
            layers = (set(step.layers) or None) if step is not None else None
        if self.viewer is None:
            self._pending_image = (image_id, layers)
            return
        info = next((i for i in self.page.images if i.id == image_id), None) if self.page else None
        self.live_spec = self.repo.live_spec(image_id) if info is not None and info.available else None
        self.viewer.set_live_available(self.live_spec[0].get("modality") if self.live_spec else None)
        if self.live_spec is not None and self.live is not None and not self.live.prepared:
            self._warm_up.start()  # restarted by every page change: browsing stays quick
        if self.live is not None and self.live.active:
            if self.live_spec is not None:
                self._live_image_id = image_id
                self._next_image_request()
                self._visible_layers = layers
                if not self._ensure_image_thread():
                    return
                self._image_request.emit(self._image_latest, image_id)  # for its layers; the live frame follows
                return
            self.live.close()
            self.viewer.live_button.setChecked(False)
            self._live_changed(False)
        if info is not None and not info.available:
            self._next_image_request()
            self.viewer.show_pending(info)
            return
        self._next_image_request()
        self._visible_layers = layers
        cached = self._image_cache.get(image_id)
        if cached is not None:  # stepping back and forth: no second decode
            self._image_cache.move_to_end(image_id)
            self._image_loaded(self._image_latest, *cached)
            return
        if not self._ensure_image_thread():
            return
        self._hold_paint()
        self._image_request.emit(self._image_latest, image_id)

    def _ensure_image_thread(self) -> bool:
        """The image worker's thread, started with the first image; none once the window has shut down."""
        if self.image_thread is None and not self._shut_down:
            self.image_thread = WorkerThread(self.image_worker, "images")
        return self.image_thread is not None and not self._shut_down

    def _start_warm_up(self) -> None:
        if self.live is not None and self.live_spec is not None:
            self.live.prepare()

    def _hold_paint(self) -> None:
        """Hold the window's repaints while the worker decodes the image just asked for (at most
        HOLD_PAINT_MS), so the new page and its image appear in one frame: no frame of the new page
        beside the old page's image, and no repaint of the whole window spent on that frame."""
        # held on the central splitter (navigator, page, steps and image): a top-level window whose
        # updates were disabled while a repaint was due is not repainted when they are enabled again
        if self.outer_split.updatesEnabled():
            self.outer_split.setUpdatesEnabled(False)
        self._paint_hold.start()

    def _release_paint(self) -> None:
        self._paint_hold.stop()
        if not self.outer_split.updatesEnabled():
            self.outer_split.setUpdatesEnabled(True)

    def _next_image_request(self) -> int:
        """A new image request id: replies to every earlier request are dropped, here and in the worker."""
        self._image_latest += 1
        self.image_worker.latest = self._image_latest
        return self._image_latest

    def _image_loaded(self, request_id: int, image, pixels) -> None:
        if pixels is not None:
            self._image_cache[image.info.id] = (image, pixels)
            self._image_cache.move_to_end(image.info.id)
            while len(self._image_cache) > IMAGE_CACHE_SIZE:
                self._image_cache.popitem(last=False)
        if request_id != self._image_latest or self.viewer is None:
            return
        self._release_paint()
        if pixels is None:
            self.viewer.show_pending(image.info)
            return
        self.viewer.show_image(image, pixels, self._visible_layers)
        if self.live is not None and self.live.active and self.live_spec is not None:
            self.live.open(image, *self.live_spec)

    def toggle_live(self, on: bool | None = None) -> None:
        """Open or close the virtual C-arm (or the CT scroller) on the image on screen."""
        if self.viewer is None or self.live is None:
            return
        on = (not self.live.active) if on is None else on
        if on and self.live_spec is not None and self.viewer.image is not None:
            self.live.open(self.viewer.image, *self.live_spec)
        elif not on and self.live.active:
            self.live.close()
            if self.page is not None and self.step is not None:
                self.open_step(self.step, scroll=False)
        self.viewer.live_button.blockSignals(True)
        self.viewer.live_button.setChecked(self.live.active)
        self.viewer.live_button.blockSignals(False)
        self._live_changed(self.live.active)

    def _image_failed(self, request_id: int, message: str) -> None:
        if request_id != self._image_latest:
            return
        self._release_paint()
        if self.viewer is not None:
            self.viewer.show_message(message)
        self.statusBar().showMessage(message, 10000)

    def _database_error(self, exc: Exception) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Critical, "Spine Atlas", str(exc), parent=self)
        box.open()

    def go_back(self) -> None:
        location = self.history.back()
        if location is not None:
            self.open_page(location.slug, location.step, record=False)

    def go_forward(self) -> None:
        location = self.history.forward()
        if location is not None:
            self.open_page(location.slug, location.step, record=False)

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    def step_by(self, delta: int) -> None:
        if self.page is None or not self.page.steps:
            return
        numbers = [s.number for s in self.page.steps]
        current = numbers.index(self.step) if self.step in numbers else 0
        target = max(0, min(len(numbers) - 1, current + delta))
        if numbers[target] != self.step:
            self.open_step(numbers[target])

    def arrow(self, dx: int, dy: int) -> None:
        """Arrow keys: turn the virtual C-arm (or scroll the CT) while it is open, else move between steps."""
        live = self.live
        if live is not None and live.active:
            if live.mode == "carm":
                live.carm.nudge(float(dx), float(dy), interactive=False)
            elif dy:
                live.ct.step_slice(dy)
            return
        if dx:
            self.step_by(dx)

    def _live_changed(self, active: bool) -> None:
        for action in (self.up_action, self.down_action):
            action.setEnabled(active)
        if self.viewer is not None:
            self.viewer.live_button.blockSignals(True)
            self.viewer.live_button.setChecked(active)
            self.viewer.live_button.blockSignals(False)

    def toggle_layer(self, n: int) -> None:
        """Number keys: layers, or window/level presets while the CT scroller is open (as in DICOM viewers)."""
        if self.viewer is None:
            return
        if self.live is not None and self.live.active and self.live.mode == "ct" and self.live.ct.preset(n - 1):
            return
        names = list(self.viewer.layer_boxes)
        if 1 <= n <= len(names):
            self.viewer.layer_boxes[names[n - 1]].toggle()

    def toggle_full_screen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

    def toggle_room_theme(self) -> None:
        self.set_theme("reading" if self.theme.name == "room" else "room")

    def set_theme(self, name: str) -> None:
        from PySide6.QtWidgets import QApplication

        from atlas.ui.theme import THEMES, apply_theme

        self.theme = THEMES.get(name, THEMES["reading"])
        following = self.page_view.following()  # before the new fonts reflow the page
        apply_theme(QApplication.instance(), self.theme)
        self.page_view.set_theme(self.theme, following)
        if self.viewer is not None:
            self.viewer.set_label_font(self.theme.label_pt, self.theme.label_bold)
        self.room_action.setChecked(self.theme.name == "room")
        self.settings.setValue("view/theme", self.theme.name)

    def show_shortcuts(self) -> None:
        from atlas.ui.shortcuts import ShortcutSheet

        sheet = ShortcutSheet(self.menus, self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.open()
        self.shortcut_sheet = sheet

    def export_user_data(self, path: str | None = None) -> bool:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Export my data", "spine-atlas-my-data.json", "Spine Atlas data (*.json)")
        if not path:
            return False
        try:
            self.user_store.export_to(path)
        except OSError as exc:
            QMessageBox.warning(self, "Spine Atlas", f"Could not write {path}: {exc.strerror or exc}")
            return False
        self.statusBar().showMessage(f"Exported your bookmarks, notes and study progress to {path}", 8000)
        return True

    def import_user_data(self, path: str | None = None) -> bool:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from atlas.db.userdata import UserDataError

        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Import my data", "", "Spine Atlas data (*.json)")
        if not path:
            return False
        try:
            counts = self.user_store.import_from(path)
        except UserDataError as exc:
            QMessageBox.warning(self, "Spine Atlas", str(exc))
            return False
        self.user_panel.refresh()
        self.statusBar().showMessage(
            f"Imported {counts['bookmarks']} bookmarks, {counts['notes']} notes and {counts['reviews']} study answers", 8000
        )
        return True

    def focus_level(self) -> None:
        self.navigator.level_edit.setFocus()
        self.navigator.level_edit.selectAll()

    def show_search(self) -> None:
        if self.search_popup is None:
            from atlas.ui.search_popup import SearchPopup

            self.search_popup = SearchPopup(self.repo.path, self)
            self.search_popup.hitChosen.connect(lambda slug, step: self.open_page(slug, step or None))
        self.search_popup.popup()

    def show_study(self):
        from atlas.study import quiz
        from atlas.study.schedule import StudySchedule
        from atlas.ui.study import StudyDialog

        dialog = StudyDialog(self.repo.path, quiz.generate(self.repo), StudySchedule(self.user_store), self,
                             first_slug=self.page.slug if self.page is not None else None)
        dialog.openPage.connect(lambda slug, step: self.open_page(slug, step or None))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.study_dialog = dialog
        return dialog

    def print_card(self, path: str | None = None) -> bool:
        if self.page is None:
            self.statusBar().showMessage("Open a page to print its card", 6000)
            return False
        from PySide6.QtWidgets import QFileDialog

        from atlas.ui.procedure_card import write_card_pdf

        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Save procedure card", f"{self.page.slug}-card.pdf", "PDF (*.pdf)")
        if not path:
            return False
        images = {}
        for step in self.page.steps:
            for image_id in step.image_ids[:1]:
                image = self.repo.image(image_id)
                if image is not None:
                    images[image_id] = image
        write_card_pdf(self.page, images, Path(path))
        self.statusBar().showMessage(f"Saved the procedure card to {path}", 8000)
        return True

    def show_checklist(self):
        if self.page is None or self.page.summary.kind != "procedure":
            self.statusBar().showMessage("Open a procedure page to see its checklist", 6000)
            return None
        from atlas.checklist import procedure_checklist
        from atlas.ui.checklist_dialog import ChecklistDialog

        dialog = ChecklistDialog(self.page.title, procedure_checklist(self.page), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.checklist_dialog = dialog
        return dialog

    def show_about(self) -> None:
        from atlas.ui.about import AboutDialog

        dialog = AboutDialog(self.repo.info(), self)
        dialog.open()

    # -- state ------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        if self.settings.value("view/theme") == "room":
            self.set_theme("room")
        for key, splitter in (("window/outer", self.outer_split), ("window/inner", self.inner_split)):
            state = self.settings.value(key)
            if state is not None:
                splitter.restoreState(state)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/outer", self.outer_split.saveState())
        self.settings.setValue("window/inner", self.inner_split.saveState())
        if self.page is not None:
            self.settings.setValue("session/page", self.page.slug)
        self.settings.sync()

    def shutdown(self) -> None:
        """Stop every worker thread; events that arrive afterwards (a queued image, the warm-up timer)
        start none again."""
        self._shut_down = True
        self._warm_up.stop()
        if self.image_thread is not None:
            self.image_thread.stop()
        if self.live is not None:
            self.live.shutdown()
        if self.search_popup is not None:
            self.search_popup.shutdown()
        if self.study_dialog is not None:  # still open when the window closes
            self.study_dialog.thread.stop()

    def closeEvent(self, event):  # noqa: N802
        self.user_panel.save_note()
        self.save_state()
        self.shutdown()
        super().closeEvent(event)
