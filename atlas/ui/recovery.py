"""When the content cannot be used: say why in plain words, and still give the user their notes."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel, QListWidget, QMainWindow, QMessageBox, QPushButton, QVBoxLayout, QWidget

from atlas import EDUCATIONAL_NOTICE
from atlas.db.userdata import UserStore


def _title(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


class RecoveryWindow(QMainWindow):
    def __init__(self, message: str, store: UserStore, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Spine Atlas — content unavailable")
        self.store = store
        self.message = QLabel(f"<h2>The atlas content cannot be opened</h2><p>{html.escape(message)}</p>")
        self.message.setWordWrap(True)
        self.notes = QListWidget()
        for b in store.bookmarks():
            self.notes.addItem(f"★ {_title(b.slug)}" + (f" — step {b.step}" if b.step else ""))
        for n in store.notes():
            self.notes.addItem(f"✎ {_title(n.slug)}" + (f" — step {n.step}" if n.step else "") + f": {n.text}")
        if not self.notes.count():
            self.notes.addItem("You have no bookmarks or notes yet.")
        self.export_button = QPushButton("Export my notes, bookmarks and study progress…")
        self.export_button.clicked.connect(self.export)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.message)
        layout.addWidget(QLabel("<b>Your bookmarks and notes</b> (kept separately from the content, unaffected):"))
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.export_button)
        layout.addWidget(QLabel(f"<small>{html.escape(EDUCATIONAL_NOTICE)}</small>"))
        self.setCentralWidget(body)
        self.resize(760, 560)

    def export(self, path: str | None = None) -> bool:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Export my data", "spine-atlas-my-data.json", "Spine Atlas data (*.json)")
        if not path:
            return False
        try:
            self.store.export_to(Path(path))
        except OSError as exc:
            QMessageBox.warning(self, "Spine Atlas", f"Could not write {path}: {exc.strerror or exc}")
            return False
        return True
