"""Ties the virtual C-arm and CT panels to the worker and the image viewer.

The main window asks :meth:`LiveController.open` for a step's rendered image;
panel changes become requests to the worker (fast while dragging, a
full-quality still when the user stops) and frames come back to the viewer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QStackedWidget, QVBoxLayout, QWidget

from atlas.live import Angles, LiveScene, distance_mm
from atlas.model import AtlasImage
from atlas.ui.carm_panel import CarmPanel
from atlas.ui.ct_panel import PRESETS, CtPanel
from atlas.ui.live_worker import LiveWorker
from atlas.ui.workers import WorkerThread


class LiveController(QObject):
    frameShown = Signal(object)  # frame key once the viewer shows it
    loadingChanged = Signal(bool)
    activeChanged = Signal(bool)
    _fluoro = Signal(int, object, str)
    _ct = Signal(int, float, object, str)
    _scene = Signal(object)
    _prepare = Signal(object)

    def __init__(self, viewer, cache_dir: Path | None, parent_window, phantom_factory=None):
        super().__init__(parent_window)
        self.viewer = viewer
        self.cache_dir = cache_dir
        self.phantom_factory = phantom_factory  # tests hand in a small phantom
        self.size = 512
        self.image: AtlasImage | None = None
        self.scene: LiveScene | None = None
        self.latest = 0
        self.active = False

        self.carm = CarmPanel()
        self.ct = CtPanel()
        self.loading_label = QLabel("Preparing the 3D phantom for this region; the first time on a computer takes up to half a minute…")
        self.loading_label.setWordWrap(True)
        self.loading_label.hide()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.carm)
        self.stack.addWidget(self.ct)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.loading_label)
        layout.addWidget(self.stack, 1)
        self.dock = QDockWidget("Virtual C-arm", parent_window)
        self.dock.setObjectName("liveDock")
        self.dock.setWidget(body)
        parent_window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._dock_visibility)

        self.worker = LiveWorker()
        self.thread: WorkerThread | None = None
        self._fluoro.connect(self.worker.render_fluoro)
        self._ct.connect(self.worker.render_ct)
        self._scene.connect(self.worker.set_scene)
        self._prepare.connect(self.worker.prepare)
        self.prepared = False
        self.stopped = False
        self.worker.frameReady.connect(self._frame)
        self.worker.promptChecked.connect(self._prompt)
        self.worker.loading.connect(self._loading)
        self.worker.failed.connect(lambda _id, message: self.viewer.hover_label.setText(message))

        self.carm.anglesChanged.connect(self.request_fluoro)
        self.ct.sliceChanged.connect(lambda _v: self.request_ct())
        self.ct.windowChanged.connect(lambda _w: self.request_ct())
        self.ct.measureToggled.connect(self.viewer.set_measuring)
        self.ct.planeChanged.connect(self._plane_changed)
        self.plane = ""
        viewer.angleDrag.connect(lambda do, dc: self.carm.nudge(do, dc) if self.active and self.mode == "carm" else None)
        viewer.sliceWheel.connect(lambda steps: self.ct.step_slice(steps) if self.active and self.mode == "ct" else None)
        viewer.windowDrag.connect(self._window_drag)
        viewer.measured.connect(self._measured)

    @property
    def mode(self) -> str:
        return "ct" if self.scene is not None and self.scene.modality == "ct" else "carm"

    # -- opening ----------------------------------------------------------------

    def prepare(self) -> None:
        """Once per session, when a rendered image is first shown: warm up the renderer off the UI thread."""
        if self.prepared or self.stopped or self.phantom_factory is not None:  # tests hand in their own small phantom
            return
        self.prepared = True
        if self.thread is None:
            self.thread = WorkerThread(self.worker, "live-render")
        self._prepare.emit(self.cache_dir)

    def open(self, image: AtlasImage, spec: dict, prompt: dict | None) -> None:
        """Take over the viewer for this rendered image, starting from the step's own view."""
        if self.stopped:  # an image that arrives while the window closes starts no new thread
            return
        if self.thread is None:
            self.thread = WorkerThread(self.worker, "live-render")
        self.image = image
        phantom = self.phantom_factory(spec["region"]) if self.phantom_factory else None
        self.scene = LiveScene(spec, prompt, self.cache_dir, phantom, self.size)
        self._scene.emit(self.scene)
        self.active = True
        self.dock.setWindowTitle("Virtual C-arm" if self.mode == "carm" else "CT slices")
        if self.mode == "carm":
            self.stack.setCurrentWidget(self.carm)
            self.carm.set_step(self.scene.recommended(), (prompt or {}).get("text"))
            self.viewer.set_mode("carm")
            self.request_fluoro(self.carm.angles(), False)
        else:
            self.stack.setCurrentWidget(self.ct)
            window = spec.get("window", "soft-tissue")
            preset = next((wl for _n, key, wl in PRESETS if key == window), None)
            self.plane = ""
            self.ct.reset(preset or (tuple(window.values()) if isinstance(window, dict) else PRESETS[0][2]),
                          has_needle=self.scene.has_needle, needle_plane=spec.get("plane") == "oblique-needle")
            self.viewer.set_mode("ct")
            self.request_ct()
        self.dock.show()
        self.activeChanged.emit(True)

    def close(self) -> None:
        self.active = False
        self.scene = None
        self.latest += 1
        self.worker.latest = self.latest
        self.viewer.set_mode("normal")
        self.dock.hide()
        self.activeChanged.emit(False)

    def _dock_visibility(self, visible: bool) -> None:
        if not visible and self.active:
            self.active = False
            self.viewer.set_mode("normal")
            self.activeChanged.emit(False)

    # -- requests -----------------------------------------------------------------

    def _next_id(self) -> int:
        self.latest += 1
        self.worker.latest = self.latest
        return self.latest

    def request_fluoro(self, angles: Angles, interactive: bool) -> None:
        if self.active and self.mode == "carm":
            self._fluoro.emit(self._next_id(), angles, "fast" if interactive else "full")

    def request_ct(self) -> None:
        if self.active and self.mode == "ct":
            window = next((key for _name, key, wl in PRESETS if wl == self.ct.window), self.ct.window)
            self._ct.emit(self._next_id(), self.ct.offset(), window, self.plane)

    def _plane_changed(self, plane: str) -> None:
        if self.scene is not None:
            own = self.scene.spec.get("plane", "axial")
            self.plane = plane or ("axial" if own == "oblique-needle" else "")
            self.request_ct()

    def reset(self) -> None:
        if self.mode == "carm":
            self.carm.reset()
        else:
            self.open(self.image, self.scene.spec, self.scene.prompt)

    def _window_drag(self, d_width: float, d_level: float) -> None:
        if self.active and self.mode == "ct":
            w, l = self.ct.window
            self.ct.set_window((w + d_width, l + d_level))

    # -- replies ----------------------------------------------------------------

    def _frame(self, request_id: int, frame) -> None:
        if request_id != self.latest or not self.active or self.image is None:
            return
        self.viewer.show_live(frame, self.image.layers, self.image.info.title)
        self.frameShown.emit(frame.key)

    def _prompt(self, request_id: int, result) -> None:
        if request_id == self.latest:
            self.carm.show_prompt_result(result)

    def _loading(self, on: bool) -> None:
        self.loading_label.setVisible(on)
        self.loadingChanged.emit(on)

    def _measured(self, points) -> None:
        if not self.active or self.mode != "ct" or self.viewer.image is None:
            return
        mm_per_px = float(self.viewer.live_meta.get("mm_per_pixel", 0.0)) if hasattr(self.viewer, "live_meta") else 0.0
        mm = distance_mm(points[0], points[1], mm_per_px)
        self.ct.show_measurement(mm)
        self.viewer.draw_measurement(points[0], points[1], f"{mm:.1f} mm")

    def shutdown(self) -> None:
        self.stopped = True
        if self.thread is not None:
            self.thread.stop()
