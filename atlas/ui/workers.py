"""Background workers: database reads and image decoding off the UI thread.

Each worker lives in its own QThread and opens its own repository connection.
Requests carry an increasing id; the worker skips a request that a newer one
has superseded, and the UI ignores any reply that is not the latest. Workers
never touch widgets: they only emit signals with plain data.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from atlas.db.repository import ContentDatabaseError, ContentRepository


def decode_png(data: bytes):
    """PNG bytes → uint8 array (H, W) for grey or (H, W, 3|4) for colour. Raises ValueError.

    The atlas's own images take the plain path, which leaves the interpreter to the window while
    it inflates; anything else (an imported case) goes through Qt's decoder, which holds it.
    """
    import numpy as np  # imported on first use, not at start-up

    from atlas.png_codec import decode_plain_png

    pixels = decode_plain_png(data)
    if pixels is not None:
        return pixels
    image = QImage.fromData(data, "PNG")
    if image.isNull():
        raise ValueError("the image data is damaged and cannot be decoded")
    if image.isGrayscale():
        image = image.convertToFormat(QImage.Format.Format_Grayscale8)
        channels = 1
    elif image.hasAlphaChannel():
        image = image.convertToFormat(QImage.Format.Format_RGBA8888)
        channels = 4
    else:
        image = image.convertToFormat(QImage.Format.Format_RGB888)
        channels = 3
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    array = buffer[:, : width * channels].reshape(height, width, channels) if channels > 1 else buffer[:, :width]
    return array.copy()


class _RepoWorker(QObject):
    failed = Signal(int, str)

    def __init__(self, db_path):
        super().__init__()
        self.db_path = db_path
        self.latest = 0
        self._repo: ContentRepository | None = None

    def repo(self) -> ContentRepository:
        if self._repo is None:
            self._repo = ContentRepository(self.db_path)
        return self._repo

    @Slot()
    def close(self) -> None:
        if self._repo is not None:
            self._repo.close()
            self._repo = None


class SearchWorker(_RepoWorker):
    results = Signal(int, str, list)

    @Slot(int, str)
    def search(self, request_id: int, text: str) -> None:
        if request_id < self.latest:
            return
        try:
            hits = self.repo().search(text, limit=30)
        except ContentDatabaseError as exc:
            self.failed.emit(request_id, str(exc))
            return
        self.results.emit(request_id, text, hits)


class ImageWorker(_RepoWorker):
    loaded = Signal(int, object, object)  # request id, AtlasImage, pixel array (or None)

    @Slot(int, str)
    def load(self, request_id: int, image_id: str) -> None:
        if request_id < self.latest:
            return
        try:
            image = self.repo().image(image_id)
            if image is None:
                self.failed.emit(request_id, f"image {image_id!r} is not in the atlas")
                return
            pixels = decode_png(image.png) if image.info.available and image.png else None
        except (ContentDatabaseError, ValueError) as exc:
            self.failed.emit(request_id, f"Image {image_id!r} could not be shown: {exc}")
            return
        self.loaded.emit(request_id, image, pixels)


_started: "weakref.WeakSet[WorkerThread]" = weakref.WeakSet()


def running_threads() -> list[str]:
    """Names of the worker threads that were started and are still running (empty after every window's
    ``shutdown()``; a thread still running when the interpreter exits aborts it)."""
    return sorted(w.thread.objectName() for w in list(_started) if w.thread.isRunning())


class WorkerThread:
    """Owns a worker and its thread; ``stop()`` closes the worker's connection and joins."""

    def __init__(self, worker: _RepoWorker, name: str):
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)
        self.thread.start()
        _started.add(self)

    def stop(self) -> None:
        if self.thread.isRunning():
            from PySide6.QtCore import QMetaObject, Qt

            QMetaObject.invokeMethod(self.worker, "close", Qt.ConnectionType.BlockingQueuedConnection)
            self.thread.quit()
            self.thread.wait(5000)
