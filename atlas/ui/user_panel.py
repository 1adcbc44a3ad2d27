"""Bookmarks and personal notes: a side panel, searchable, with a note for the current page or step."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from atlas.db.userdata import UserStore

SAVE_DELAY_MS = 500


class UserPanel(QDockWidget):
    locationChosen = Signal(str, int)  # slug, step (0 = page)
    bookmarksChanged = Signal()

    def __init__(self, store: UserStore, titles: dict[str, str], parent=None):
        super().__init__("Bookmarks and notes", parent)
        self.setObjectName("userPanel")
        self.store = store
        self.titles = titles
        self.location: tuple[str, int] | None = None

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Search bookmarks and notes…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.refresh)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._activated)
        self.list.itemDoubleClicked.connect(self._activated)
        self.bookmark_button = QPushButton("☆ Bookmark this step")
        self.bookmark_button.setCheckable(True)
        self.bookmark_button.toggled.connect(self._toggle_bookmark)
        self.note_label = QLabel("Note")
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Your note for this step (saved automatically, kept on this computer)")
        self.note.setMaximumHeight(140)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_note)
        self.note.textChanged.connect(self._save_timer.start)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.bookmark_button)
        layout.addWidget(self.note_label)
        layout.addWidget(self.note)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        self.setWidget(body)
        self.set_location(None)
        self.refresh()

    # -- current location --------------------------------------------------

    def set_location(self, location: tuple[str, int] | None) -> None:
        if self._save_timer.isActive():
            self._save_timer.stop()
            self.save_note()
        self.location = location
        enabled = location is not None
        self.bookmark_button.setEnabled(enabled)
        self.note.setEnabled(enabled)
        self.note.blockSignals(True)
        self.bookmark_button.blockSignals(True)
        if location is None:
            self.note.setPlainText("")
            self.bookmark_button.setChecked(False)
            self.note_label.setText("Note")
        else:
            slug, step = location
            self.note.setPlainText(self.store.note(slug, step))
            self.bookmark_button.setChecked(self.store.is_bookmarked(slug, step))
            where = f"step {step}" if step else "this page"
            self.note_label.setText(f"Note for {where}")
            self.bookmark_button.setText(("★ Bookmarked: " if self.bookmark_button.isChecked() else "☆ Bookmark ") + where)
        self.note.blockSignals(False)
        self.bookmark_button.blockSignals(False)

    def toggle_bookmark(self) -> None:
        if self.location is not None:
            self.bookmark_button.toggle()

    def _toggle_bookmark(self, checked: bool) -> None:
        if self.location is None:
            return
        slug, step = self.location
        if checked:
            self.store.add_bookmark(slug, step)
        else:
            self.store.remove_bookmark(slug, step)
        self.set_location(self.location)
        self.refresh()
        self.bookmarksChanged.emit()

    def save_note(self) -> None:
        if self.location is not None:
            slug, step = self.location
            if self.note.toPlainText() != self.store.note(slug, step):
                self.store.set_note(slug, self.note.toPlainText(), step)
                self.refresh()

    # -- the list -----------------------------------------------------------

    def _where(self, slug: str, step: int) -> str:
        title = self.titles.get(slug, slug)
        return f"{title} — step {step}" if step else title

    def refresh(self) -> None:
        text = self.filter.text().strip().lower()
        self.list.clear()
        notes = self.store.search_notes(text) if text else self.store.notes()
        note_keys = {(n.slug, n.step) for n in self.store.notes()}
        for b in self.store.bookmarks():
            where = self._where(b.slug, b.step)
            if text and text not in where.lower() and (b.slug, b.step) not in {(n.slug, n.step) for n in notes}:
                continue
            self._add(f"★ {where}", b.slug, b.step)
        for n in notes:
            excerpt = " ".join(n.text.split())[:90]
            self._add(f"✎ {self._where(n.slug, n.step)}\n    {excerpt}", n.slug, n.step)
        if text:
            for slug, step in note_keys - {(n.slug, n.step) for n in notes}:
                if text in self._where(slug, step).lower():
                    self._add(f"✎ {self._where(slug, step)}", slug, step)
        if not self.list.count():
            placeholder = QListWidgetItem("No bookmarks or notes yet." if not text else "Nothing matches.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)

    def _add(self, text: str, slug: str, step: int) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, (slug, step))
        self.list.addItem(item)

    def entries(self) -> list[tuple[str, int]]:
        out = []
        for i in range(self.list.count()):
            data = self.list.item(i).data(Qt.ItemDataRole.UserRole)
            if data:
                out.append(tuple(data))
        return out

    def _activated(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            self.locationChosen.emit(data[0], data[1])
