"""Renders virtual C-arm and CT frames on a worker thread; the newest request wins.

The UI sends requests faster than frames can be made while the user drags; the
worker skips every request that a newer one has superseded, so a drag never
queues stale frames. It never touches widgets: it emits plain data.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from atlas.live import Angles, LiveScene, prepare


class LiveWorker(QObject):
    loading = Signal(bool)  # True while a phantom volume is being loaded or built
    frameReady = Signal(int, object)  # request id, Frame
    promptChecked = Signal(int, object)  # request id, PromptResult or None
    failed = Signal(int, str)

    def __init__(self):
        super().__init__()
        self.scene: LiveScene | None = None
        self.latest = 0

    @Slot(object)
    def set_scene(self, scene: LiveScene) -> None:
        self.scene = scene

    @Slot()
    def close(self) -> None:
        self.scene = None

    @Slot(object)
    def prepare(self, cache_dir) -> None:
        """Warm up what every scene needs (seconds the first time) before the user opens the C-arm."""
        try:
            prepare(cache_dir)
        except Exception:  # only a head start: opening the C-arm reports any real problem
            pass

    def _ensure_loaded(self) -> None:
        if not self.scene.loaded:
            self.loading.emit(True)
            try:
                self.scene.load()
            finally:
                self.loading.emit(False)

    @Slot(int, object, str)
    def render_fluoro(self, request_id: int, angles: Angles, quality: str) -> None:
        if request_id < self.latest or self.scene is None:
            return
        try:
            self._ensure_loaded()
            if request_id < self.latest:
                return
            frame = self.scene.fluoro_frame(angles, quality)
            self.promptChecked.emit(request_id, self.scene.check_prompt(angles))
        except Exception as exc:  # a failed frame is reported, never raised into Qt
            self.failed.emit(request_id, f"The view could not be rendered: {exc}")
            return
        self.frameReady.emit(request_id, frame)

    @Slot(int, float, object, str)
    def render_ct(self, request_id: int, offset_mm: float, window, plane: str) -> None:
        if request_id < self.latest or self.scene is None:
            return
        try:
            self._ensure_loaded()
            if request_id < self.latest:
                return
            frame = self.scene.ct_frame(offset_mm, window, plane=plane)
        except Exception as exc:
            self.failed.emit(request_id, f"The slice could not be rendered: {exc}")
            return
        self.frameReady.emit(request_id, frame)
