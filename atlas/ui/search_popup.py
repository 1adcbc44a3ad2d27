"""Search as you type (Ctrl+K): a query box and ranked hits with snippets.

Queries run on a worker thread with its own connection; only the reply to the
latest query is shown.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from atlas.model import SearchHit
from atlas.ui.workers import SearchWorker, WorkerThread


class SearchPopup(QDialog):
    hitChosen = Signal(str, int)  # slug, step (0 = page)
    resultsShown = Signal(str)  # the query whose results are now listed
    _request = Signal(int, str)

    def __init__(self, db_path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Search the atlas")
        self.setModal(False)
        self.resize(640, 420)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Search: procedure, structure, level (L4-5), drug, complication…")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.query)
        self.edit.returnPressed.connect(self.open_current)
        self.status = QLabel(" ")
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._activated)
        self.results.itemDoubleClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.hits: list[SearchHit] = []
        self._latest = 0
        self.worker = SearchWorker(db_path)
        self.thread = WorkerThread(self.worker, "search")
        self._request.connect(self.worker.search)
        self.worker.results.connect(self._show)
        self.worker.failed.connect(lambda _id, message: self.status.setText(message))

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.edit.hasFocus() and self.results.count():
            row = self.results.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
            self.results.setCurrentRow(max(0, min(row, self.results.count() - 1)))
            return
        super().keyPressEvent(event)

    def query(self, text: str) -> None:
        self._latest += 1
        self.worker.latest = self._latest
        if not text.strip():
            self._show(self._latest, text, [])
            return
        self._request.emit(self._latest, text)

    def _show(self, request_id: int, text: str, hits: list) -> None:
        if request_id != self._latest:
            return
        self.hits = hits
        self.results.clear()
        for hit in hits:
            snippet = html.escape(hit.snippet)
            snippet = re.sub(r"\[([^\[\]]+)\]", r"<b>\1</b>", snippet)
            item = QListWidgetItem()
            label = QLabel(f"<b>{html.escape(hit.title)}</b><br><span style='color:#8a9099'>{snippet}</span>")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(4, 1, 4, 1)
            item.setSizeHint(label.sizeHint())
            item.setData(Qt.ItemDataRole.UserRole, (hit.slug, hit.step or 0))
            self.results.addItem(item)
            self.results.setItemWidget(item, label)
        if hits:
            self.results.setCurrentRow(0)
        self.status.setText(f"{len(hits)} result{'s' if len(hits) != 1 else ''}" if text.strip() else " ")
        self.resultsShown.emit(text)

    def open_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._activated(item)

    def _activated(self, item: QListWidgetItem) -> None:
        slug, step = item.data(Qt.ItemDataRole.UserRole)
        self.hitChosen.emit(slug, step)
        self.hide()

    def popup(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self.edit.setFocus()
        self.edit.selectAll()

    def shutdown(self) -> None:
        self.thread.stop()
